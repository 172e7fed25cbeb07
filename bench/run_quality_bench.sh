#!/usr/bin/env bash
# Detection quality per CPU-minute: Apiary (apiary-mobile through the daemon: S3, CreateTrainingJob, endpoint) against
# Ultralytics YOLOv8n from scratch, on the same generated images, scored the same way (pycocotools mAP@0.5 and
# mAP@[.5:.95] on held-out test images, from each model's own predictions).
#
# Usage: bench/run_quality_bench.sh STYLE SEED MINUTES...   e.g.  bench/run_quality_bench.sh field 4242 5 10 20
#   STYLE, SEED   the generator population and seed (ctl datasets generate-sample --style/--seed); the project's tests and
#                 defaults use the course style with seeds 500, 7, 2, 3, 11: quote figures from other seeds only.
#   MINUTES       one Apiary job and one YOLO run per budget. Apiary's job gets the epochs that fit the budget at the
#                 throughput measured by a one-epoch probe job; YOLO gets Ultralytics' own `time=` budget.
# Sizes: TRAIN (1500), VALIDATION (300), TEST (500) images; image_shape/imgsz 320 for both unless IMAGE_SHAPE is set.
# Output: JSON lines on stdout (one per run: tool, minutes, seconds, epochs, images_seen, map50, map50_95, seed, style,
# command) and bench/results/<date>-quality-<style>-<seed>.png (mAP@0.5 against minutes, both tools).
# KEEP=1 keeps the work folder (daemon log, jobs, YOLO runs) for a look afterwards.
# YOLO trains with YOLO_THREADS torch threads (default: every core; Ultralytics alone would take cpu_count - 1).
# Needs: a release ctl (CTL, default .build-bench/release/ctl, built here when missing), pip's ultralytics, pycocotools, matplotlib
# (installed when missing). Run it on an otherwise idle machine: the two tools are timed by the wall clock.
set -euo pipefail
cd "$(dirname "$0")/.."
STYLE="$1"; SEED="$2"; shift 2
BUDGETS=("$@")
TRAIN="${TRAIN:-1500}" VALIDATION="${VALIDATION:-300}" TEST="${TEST:-500}" IMAGE_SHAPE="${IMAGE_SHAPE:-320}"
CTL="${CTL:-.build-bench/release/ctl}"
[ -x "$CTL" ] || swift build -c release --product ctl --scratch-path .build-bench >&2
python3 -c "import ultralytics, pycocotools, matplotlib" 2>/dev/null || python3 -m pip install --quiet ultralytics pycocotools matplotlib
WORK="$(mktemp -d /tmp/apiary-quality.XXXX)"
source bench/lib/bench_daemon.sh
trap 'kill ${DAEMON:-} 2>/dev/null; wait ${DAEMON:-} 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT  # KEEP=1 keeps it
start_bench_daemon
stage_sample_bees "$STYLE" "$SEED" "$TRAIN" "$VALIDATION" --test-count "$TEST"

apiary_job() {  # name epochs → trains, deploys, prints the job's seconds
    train_bench_job "$1" "$2" "$TRAIN" apiary-mobile "$IMAGE_SHAPE" 16
    aws --endpoint-url "$URL" sagemaker describe-training-job --training-job-name "$1" --query TrainingTimeInSeconds --output text
}

# Throughput probe: one epoch, so the budgeted jobs get the epochs that fit (the job's own time, data loading included).
probe_seconds=$(apiary_job probe 1)
for minutes in "${BUDGETS[@]}"; do
    epochs=$(python3 -c "print(max(1, int($minutes * 60 / $probe_seconds)))")
    name="apiary-${minutes//./p}m"  # job names allow no dots
    seconds=$(apiary_job "$name" "$epochs")
    "$CTL" deploy "$name" >/dev/null 2>&1
    PYTHONPATH=bench python3 bench/quality_score.py "$URL" "$name" "$WORK/data/test.manifest" "$WORK/data/test" >"$WORK/$name.json"
    python3 - "$WORK/$name.json" "$minutes" "$seconds" "$epochs" "$TRAIN" "$SEED" "$STYLE" "$IMAGE_SHAPE" <<'PY'
import json, sys
scores = json.load(open(sys.argv[1])); minutes, seconds, epochs, train, seed, style, shape = sys.argv[2:9]
print(json.dumps({"tool": "apiary-mobile", "minutes": float(minutes), "seconds": float(seconds), "epochs": int(epochs),
    "images_seen": int(epochs) * int(train), **scores, "seed": int(seed), "style": style, "image_shape": int(shape),
    "command": f"ctl training-jobs create … --base-network apiary-mobile --image-shape {shape} --epochs {epochs} "
               "--mini-batch-size 16 --optimizer adam --learning-rate 0.001"}))
PY
    "$CTL" endpoints delete "$name" >/dev/null 2>&1 || true
done | tee "$WORK/apiary.jsonl"

# YOLOv8n from scratch on the same train/validation split, same test images; at nice 10, the priority of the daemon's
# training thread, so that other load on the machine slows both tools alike.
PYTHONPATH=bench nice -n 10 python3 bench/quality_yolo.py "$WORK" "$IMAGE_SHAPE" "$SEED" "$STYLE" "$TRAIN" "${BUDGETS[@]}"
