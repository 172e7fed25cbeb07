#!/usr/bin/env bash
# Data-parallel equality by hand, for any base network: one SGD step over four generated bees (seed 7) as
#   two-ranks  `mpirun -np 2` of ctl training-rank, 2 images a rank (1 OpenMP thread each),
#   lone-rank  `mpirun -np 1`, 4 images (batch norm computes its statistics as the ranks do),
#   alone      ctl training-rank without mpirun, 4 images (oneDNN's own batch norm, as one-instance jobs train);
# then `model-bench compare` of their models: the largest per-tensor and the overall relative weight difference.
# Usage: bench/run_equality_check.sh CTL MODEL_BENCH [BASE_NETWORK]   (default vgg-16; release ctl, any model-bench:
#        APIARY_BENCH=1 swift build --product model-bench)
set -euo pipefail
CTL=$1; BENCH=$2; NETWORK=${3:-vgg-16}; work=$(mktemp -d)
"$CTL" datasets generate-sample "$work/bees" --count 4 --test-count 1 --seed 9 --source-ref-prefix s3://equality/images/ >/dev/null
"$CTL" serve --home "$work/home" --port 0 --port-file "$work/port" >"$work/daemon.log" 2>&1 &
daemon=$!
trap 'kill $daemon 2>/dev/null || true; wait $daemon 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 300); do [ -s "$work/port" ] && break; sleep 0.1; done
export AWS_ACCESS_KEY_ID=AKIAAPIARYBENCH00000 AWS_SECRET_ACCESS_KEY=apiary-bench AWS_DEFAULT_REGION=us-east-1
url="http://127.0.0.1:$(cat "$work/port")"
aws --endpoint-url "$url" s3 mb s3://equality >/dev/null
aws --endpoint-url "$url" s3 cp --recursive --quiet "$work/bees/images" s3://equality/images/
aws --endpoint-url "$url" s3 cp --quiet "$work/bees/output.manifest" s3://equality/train.manifest
source "$(dirname "$0")/lib/rank_request.sh"
request() { rank_request "$1" "$NETWORK" "$2" 4 equality train.manifest train.manifest ', "Environment": {"APIARY_SEED": "7"}'; }
request two-ranks 2 > "$work/a.json"; request lone-rank 4 > "$work/b.json"; request alone 4 > "$work/c.json"
export OMP_WAIT_POLICY=PASSIVE
mpirun --allow-run-as-root --oversubscribe -np 2 -x OMP_NUM_THREADS=1 -x OMP_WAIT_POLICY "$CTL" training-rank --object-store "$work/home/s3" --request "$work/a.json" --work-dir "$work/a" | grep collective_metric
mpirun --allow-run-as-root --oversubscribe -np 1 -x OMP_WAIT_POLICY "$CTL" training-rank --object-store "$work/home/s3" --request "$work/b.json" --work-dir "$work/b" | tail -1
"$CTL" training-rank --object-store "$work/home/s3" --request "$work/c.json" --work-dir "$work/c" | tail -1
for j in two-ranks lone-rank alone; do aws --endpoint-url "$url" s3 cp --quiet "s3://equality/output/$j/output/model.tar.gz" "$work/$j.tar.gz"; done
echo "two ranks vs lone rank:"; "$BENCH" compare "$work/two-ranks.tar.gz" "$work/lone-rank.tar.gz"
echo "two ranks vs one process alone (oneDNN's batch statistics):"; "$BENCH" compare "$work/two-ranks.tar.gz" "$work/alone.tar.gz"
echo "lone rank vs one process alone:"; "$BENCH" compare "$work/lone-rank.tar.gz" "$work/alone.tar.gz"
