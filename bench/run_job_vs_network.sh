#!/usr/bin/env bash
# Issue 21 goal 3: a training job through the daemon against its network alone. Alternates `model-bench network` and a
# real SageMaker training job (ctl serve, S3, CreateTrainingJob) on the same base network, image shape and batch, and
# prints each side's images per second: the network's `train_images_per_s`, the job's `train throughput` log line per
# epoch, and the job's time split per epoch (`Epoch N time split: …`, ObjectDetectionTrainer).
#
# Usage: bench/run_job_vs_network.sh [ROUNDS] [EPOCHS]       e.g.  bench/run_job_vs_network.sh 2 4
#   STYLE, SEED (course, 7719)  the generated images; the tests and defaults never use seed 7719
#   TRAIN (1500), VALIDATION (300), IMAGE_SHAPE (320), BATCH (16), BASE (apiary-mobile)
# Output: lines on stdout, `net: <img/s>` and `job: <name> <img/s per epoch…>`, then each job's time splits.
# Needs: release ctl and model-bench in .build-bench (built here when missing). Run it on an otherwise idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/apiary_openmp.sh
ROUNDS="${1:-2}" EPOCHS="${2:-4}"
STYLE="${STYLE:-course}" SEED="${SEED:-7719}" TRAIN="${TRAIN:-1500}" VALIDATION="${VALIDATION:-300}"
IMAGE_SHAPE="${IMAGE_SHAPE:-320}" BATCH="${BATCH:-16}" BASE="${BASE:-apiary-mobile}"
[ -x .build-bench/release/ctl ] || swift build -c release --product ctl --scratch-path .build-bench >&2
APIARY_BENCH=1 swift build -c release --product model-bench --scratch-path .build-bench >&2
CTL=.build-bench/release/ctl BENCH=.build-bench/release/model-bench
WORK="$(mktemp -d /tmp/apiary-job-vs-network.XXXX)"
source bench/lib/bench_daemon.sh
trap 'kill ${DAEMON:-} 2>/dev/null; wait ${DAEMON:-} 2>/dev/null || true; rm -rf "$WORK"' EXIT
start_bench_daemon
stage_sample_bees "$STYLE" "$SEED" "$TRAIN" "$VALIDATION"

network() {
    "${APIARY_OPENMP[@]}" "$BENCH" network "$BASE" "$IMAGE_SHAPE" "$BATCH" 8 |
        python3 -c 'import json,sys; print("net:", *[json.loads(l)["train_images_per_s"] for l in sys.stdin if "train_images_per_s" in l])'
}
job() {  # name → trains through the daemon, prints its throughput per epoch and its time splits
    train_bench_job "$1" "$EPOCHS" "$TRAIN" "$BASE" "$IMAGE_SHAPE" "$BATCH"
    "$CTL" training-jobs logs "$1" >"$WORK/$1.log"
    echo "job: $1 $(sed -n 's/.*train throughput=\([0-9.]*\) records\/second.*/\1/p' "$WORK/$1.log" | tr '\n' ' ')"
    grep "time split" "$WORK/$1.log" | sed 's/^/    /'
}
network
for round in $(seq "$ROUNDS"); do
    job "job-$round"
    network
done
