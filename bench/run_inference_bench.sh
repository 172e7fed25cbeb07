#!/usr/bin/env bash
# Inference latency: Apiary unfused vs fused (InferenceNetwork) vs the peer at its best — PyTorch eager and channels-last
# (eval, no_grad) and ONNX Runtime — same run, 2 threads. Apiary runs with OMP_WAIT_POLICY=PASSIVE as in production; the
# peers with their default OpenMP policy.
# Usage: bench/run_inference_bench.sh [ITERATIONS]   (PEER_PYTHON: the peer's python, default python3)   → JSON lines on stdout, one per (implementation, network, batch)
# Needs: APIARY_BENCH=1 release build of model-bench (done here) and torch (pip install torch==2.13.0+cpu).
set -euo pipefail
cd "$(dirname "$0")/.."
ITERATIONS="${1:-7}"
PYTHON="${PEER_PYTHON:-python3}"
APIARY_BENCH=1 swift build -c release --product model-bench --scratch-path .build-bench >&2
BENCH=.build-bench/release/model-bench
for config in "apiary-mobile 300 1" "vgg-16 300 1" "apiary-mobile 300 8" "vgg-16 300 8"; do
    set -- $config
    echo "{\"load_average\": \"$(cut -d' ' -f1-3 /proc/loadavg)\"}"
    # model-bench alternates unfused and fused itself; the peer runs right after, under the same load.
    OMP_WAIT_POLICY=PASSIVE "$BENCH" inference "$1" "$2" "$3" "$ITERATIONS"
    for variant in eager channels-last onnxruntime; do
        env -u OMP_WAIT_POLICY "$PYTHON" bench/pytorch_peer.py "$1" "$2" "$3" "$ITERATIONS" --inference-only --variant "$variant"
    done
done
