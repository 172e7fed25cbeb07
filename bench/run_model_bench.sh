#!/usr/bin/env bash
# ModelCore vs its peers at their best on this machine, same networks, same run, 2 threads each, alternating.
# Usage: bench/run_model_bench.sh [ITERATIONS] [ROUNDS]   → JSON lines on stdout, one per (implementation, variant,
#        network, shape, batch, round)
#   CONFIGS="apiary-mobile 300 16;resnet-50 300 8"   the (base, image shape, batch) triples to run
#   PEER_VARIANTS="eager channels-last compiled"        the PyTorch variants of the training step
# Apiary runs as it does in production (GOMP_SPINCOUNT=3000, bench/apiary_openmp.sh); the
# peers run with their default OpenMP policy. After the training rounds, batch-1 inference of ONNX Runtime.
# Needs: APIARY_BENCH=1 release build of model-bench (done here); torch 2.13.0+cpu, onnxruntime, onnx (PEER_PYTHON).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/apiary_openmp.sh
ITERATIONS="${1:-5}"
ROUNDS="${2:-2}"
CONFIGS="${CONFIGS:-apiary-mobile 300 16;apiary-mobile 512 8;resnet-50 300 8;vgg-16 300 4}"
PEER_VARIANTS="${PEER_VARIANTS:-eager channels-last compiled}"
APIARY_BENCH=1 swift build -c release --product model-bench --scratch-path .build-bench >&2
BENCH=.build-bench/release/model-bench
PYTHON="${PEER_PYTHON:-python3}"   # a venv with the CPU torch, e.g. /tmp/apiary-peer/bin/python
IFS=';' read -ra configs <<< "$CONFIGS"
for config in "${configs[@]}"; do
    set -- $config
    "$PYTHON" bench/pytorch_peer.py "$1" "$2" "$3" 0 --flops
    # Alternate the implementations round by round so that machine noise hits all alike.
    for round in $(seq "$ROUNDS"); do
        "${APIARY_OPENMP[@]}" "$BENCH" network "$1" "$2" "$3" "$ITERATIONS"
        for variant in $PEER_VARIANTS; do
            env -u OMP_WAIT_POLICY "$PYTHON" bench/pytorch_peer.py "$1" "$2" "$3" "$ITERATIONS" --variant "$variant"
        done
        env -u OMP_WAIT_POLICY "$PYTHON" bench/pytorch_peer.py "$1" "$2" 1 "$ITERATIONS" --inference-only --variant onnxruntime
    done
done
