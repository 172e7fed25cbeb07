#!/usr/bin/env bash
# ModelCore vs PyTorch eager on this machine, same networks, same run, 2 threads each.
# Usage: bench/run_model_bench.sh [ITERATIONS]   → JSON lines on stdout, one per (implementation, network, shape, batch)
# Needs: APIARY_BENCH=1 release build of model-bench (done here) and torch (pip install torch==2.13.0+cpu).
set -euo pipefail
cd "$(dirname "$0")/.."
ITERATIONS="${1:-5}"
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
APIARY_BENCH=1 swift build -c release --product model-bench --scratch-path .build-bench >&2
BENCH=.build-bench/release/model-bench
for config in "apiary-mobile 300 16" "apiary-mobile 512 8" "resnet-50 300 8" "vgg-16 300 4"; do
    set -- $config
    # Alternate the two implementations so that machine noise hits both alike.
    "$BENCH" network "$1" "$2" "$3" "$ITERATIONS"
    python3 bench/pytorch_peer.py "$1" "$2" "$3" "$ITERATIONS"
done
