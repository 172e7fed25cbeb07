#!/usr/bin/env bash
# The main job end to end on the built-in sample data. Installs what is missing and builds in release.
# For now Apiary's only real piece is its foundation: the demo builds `ctl` and shows what it can do.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

echo "==> building ctl (release)" >&2
swift build -c release --product ctl
CTL="$(swift build -c release --show-bin-path)/ctl"
echo "==> $CTL --version" >&2
"$CTL" --version
"$CTL" --help
