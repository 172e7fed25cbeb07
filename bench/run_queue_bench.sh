#!/usr/bin/env bash
# The training queue's claim throughput and p99 claim latency, SQLite vs PostgreSQL, on this machine.
# Usage: bench/run_queue_bench.sh [JOBS] [CLAIMERS…]   → JSON lines on stdout, one per (driver, claimers)
# Builds queue-bench in release (APIARY_BENCH=1, its own scratch path), starts a throwaway PostgreSQL cluster
# (scripts/throwaway-postgres.sh: fsync off, loopback, removed at exit) and runs each claimer count on both drivers:
# JOBS jobs enqueued, then CLAIMERS threads claim + complete until the queue is empty. Takes well under 2 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS="${1:-2000}"
shift || true
CLAIMERS=("${@:-1 4}")
APIARY_BENCH=1 swift build -c release --product queue-bench --scratch-path .build-bench >&2
source scripts/throwaway-postgres.sh
echo "{\"started\": \"$(date -u +%FT%TZ)\", \"load_average\": \"$(cut -d' ' -f1-3 /proc/loadavg)\", \"postgres\": \"$("$apiary_pg_bin/postgres" --version)\"}"
for claimers in ${CLAIMERS[*]}; do
    .build-bench/release/queue-bench "$JOBS" "$claimers" "$APIARY_TEST_DATABASE"
done
