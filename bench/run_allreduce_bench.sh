#!/usr/bin/env bash
# Data-parallel training at N=2 (`mpirun -np 2` of `ctl training-rank` on this host, as the daemon runs an
# InstanceCount 2 job): per base network, the seconds a training step takes against the seconds its rank spends in
# MPI_Allreduce (the gradients; the batch-norm statistics and losses inside the step), from each rank's closing
# `#collective_metric` line (Sources/MPITraining/CollectiveTiming.swift).
# Usage: bench/run_allreduce_bench.sh [STEPS]      → one line per network and rank on stdout
#   CONFIGS="apiary-mobile 8;resnet-50 2;vgg-16 2"   base network and per-rank mini_batch_size
#   CTL=path/to/ctl                                  a release ctl (default: built here)
# One OpenMP thread per rank (the daemon's share of 2 cores for 2 instances); one epoch of STEPS global batches of
# generated bees at 300×300 (two of them to validate, after the timed steps); the step time is measured after the first step.
set -euo pipefail
source "$(dirname "$0")/lib/rank_request.sh"
cd "$(dirname "$0")/.."
STEPS="${1:-4}"
CONFIGS="${CONFIGS:-apiary-mobile 8;resnet-50 2;vgg-16 2}"
if [ -z "${CTL:-}" ]; then
    swift build -c release --product ctl >&2
    CTL="$(swift build -c release --show-bin-path)/ctl"
fi
work="$(mktemp -d)"
daemon=""
cleanup() {
    if [ -n "$daemon" ]; then kill "$daemon" 2>/dev/null || true; wait "$daemon" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
IFS=';' read -ra configs <<< "$CONFIGS"
most=0
for config in "${configs[@]}"; do
    set -- $config
    (( 2 * $2 * STEPS > most )) && most=$(( 2 * $2 * STEPS ))
done

# The images, in a throwaway daemon's object store, which the ranks then read directly.
"$CTL" datasets generate-sample "$work/bees" --count "$most" --test-count 1 --seed 9 --source-ref-prefix s3://bench/images/ >/dev/null
"$CTL" serve --home "$work/home" --port 0 --port-file "$work/port" >"$work/daemon.log" 2>&1 &
daemon=$!
for _ in $(seq 300); do [ -s "$work/port" ] && break; sleep 0.1; done
export AWS_ACCESS_KEY_ID=AKIAAPIARYBENCH00000 AWS_SECRET_ACCESS_KEY=apiary-bench AWS_DEFAULT_REGION=us-east-1
url="http://127.0.0.1:$(cat "$work/port")"
aws --endpoint-url "$url" s3 mb s3://bench >/dev/null
aws --endpoint-url "$url" s3 cp --recursive --quiet "$work/bees/images" s3://bench/images/
for config in "${configs[@]}"; do
    set -- $config
    head -n $(( 2 * $2 * STEPS )) "$work/bees/output.manifest" > "$work/$1.manifest"
    aws --endpoint-url "$url" s3 cp --quiet "$work/$1.manifest" "s3://bench/$1.manifest"
done
head -n 2 "$work/bees/output.manifest" > "$work/validation.manifest"
aws --endpoint-url "$url" s3 cp --quiet "$work/validation.manifest" s3://bench/validation.manifest
kill "$daemon"; wait "$daemon" 2>/dev/null || true; daemon=""

for config in "${configs[@]}"; do
    set -- $config
    rank_request "allreduce-$1" "$1" "$2" $(( 2 * $2 * STEPS )) bench "$1.manifest" validation.manifest > "$work/$1.json"
    mpirun --allow-run-as-root --oversubscribe -np 2 -x OMP_NUM_THREADS=1 -x OMP_WAIT_POLICY=PASSIVE \
        "$CTL" training-rank --object-store "$work/home/s3" --request "$work/$1.json" --work-dir "$work/jobs/$1" \
        | grep '#collective_metric' | sed "s/.*#collective_metric: /$1 (mini_batch_size $2 a rank): /"
done
