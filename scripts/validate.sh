#!/usr/bin/env bash
# Formatting check, as Hummingbird's scripts/validate.sh does it: format in place, then fail on any diff.
set -euo pipefail
cd "$(dirname "$0")/.."
swift format format --in-place --recursive Package.swift Sources Tests
git diff --exit-code -- Package.swift Sources Tests
