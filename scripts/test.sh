#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds in debug, runs every Swift test.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

echo "==> building (debug)" >&2
swift build --build-tests
echo "==> running tests" >&2
swift test --skip-build
