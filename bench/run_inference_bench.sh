#!/usr/bin/env bash
# Inference latency: Apiary unfused vs fused (InferenceNetwork) vs the peer at its best — PyTorch eager and channels-last
# (eval, no_grad) and ONNX Runtime — same run, 2 threads, alternating round by round. Apiary runs with
# the OpenMP environment of production (bench/apiary_openmp.sh); the peers with their default OpenMP policy.
# Usage: bench/run_inference_bench.sh [ITERATIONS] [ROUNDS]   → JSON lines on stdout, one per (implementation, network,
#        batch, round), each preceded by the load average
#   CONFIGS="apiary-mobile 300 1;resnet-50 300 8"   the (base, image shape, batch) triples to run
#   PEER_VARIANTS="eager channels-last onnxruntime"  the peers
#   PEER_PYTHON                                     the peer's python (default python3)
#   PEER_OMP_WAIT_POLICY=PASSIVE                     the peers without spinning threads too (ONNX Runtime: allow_spinning=0),
#                                                   their best on a loaded machine; default: their own policy
# Needs: APIARY_BENCH=1 release build of model-bench (done here); torch 2.13.0+cpu, onnxruntime, onnx.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/apiary_openmp.sh
ITERATIONS="${1:-7}"
ROUNDS="${2:-1}"
CONFIGS="${CONFIGS:-apiary-mobile 300 1;resnet-50 300 1;vgg-16 300 1;apiary-mobile 300 8;resnet-50 300 8;vgg-16 300 8}"
PEER_VARIANTS="${PEER_VARIANTS:-eager channels-last onnxruntime}"
PYTHON="${PEER_PYTHON:-python3}"
APIARY_BENCH=1 swift build -c release --product model-bench --scratch-path .build-bench >&2
BENCH=.build-bench/release/model-bench
IFS=';' read -ra configs <<< "$CONFIGS"
for config in "${configs[@]}"; do
    set -- $config
    for round in $(seq "$ROUNDS"); do
        # model-bench alternates unfused and fused itself; the peers run right after, under the same load.
        echo "{\"load_average\": \"$(cut -d' ' -f1-3 /proc/loadavg)\", \"round\": $round}"
        "${APIARY_OPENMP[@]}" "$BENCH" inference "$1" "$2" "$3" "$ITERATIONS"
        for variant in $PEER_VARIANTS; do
            env -u OMP_WAIT_POLICY ${PEER_OMP_WAIT_POLICY:+OMP_WAIT_POLICY=$PEER_OMP_WAIT_POLICY} "$PYTHON" bench/pytorch_peer.py "$1" "$2" "$3" "$ITERATIONS" --inference-only --variant "$variant"
        done
    done
done
