#!/usr/bin/env bash
# The main job end to end on the built-in sample data. Installs what is missing and builds in release.
#
# What exists today: the built-in sample bee dataset and ModelCore (the SSD detector). The demo generates the
# dataset with ctl, then trains the detector on it for a few epochs and evaluates it on the held-out images
# (through the model-bench harness until the daemon's training jobs exist). Later issues grow it into the full
# label → train → deploy → invoke flow through the AWS APIs.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
OUT="${APIARY_DEMO_DIR:-$PWD/out/demo}"
EPOCHS="${APIARY_DEMO_EPOCHS:-4}"

echo "==> building ctl (release)" >&2
swift build -c release --product ctl
CTL="$(swift build -c release --show-bin-path)/ctl"
"$CTL" --version

echo "==> generating the sample bee dataset into $OUT/bees" >&2
"$CTL" datasets generate-sample "$OUT/bees"

echo "==> building the training harness (release)" >&2
APIARY_BENCH=1 swift build -c release --product model-bench --scratch-path .build-bench
echo "==> training SSD (apiary-mobile, 300x300, batch 16, $EPOCHS epochs) on 400 images, validating on 100" >&2
.build-bench/release/model-bench train "$OUT/bees" apiary-mobile 300 16 "$EPOCHS" optimizer=adam learning_rate=0.001
