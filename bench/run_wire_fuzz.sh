#!/usr/bin/env bash
# The wire fuzzer's long run (issue 23): a daemon on a fresh home, N requests (default 50,000) from
# Tests/ClientSuites/fuzz/wire_fuzz.py in rounds of 5,000 with successive seeds; prints each round's report (requests, responses by
# class, crashes, hangs over 5 s, 5xx other than 501, the daemon's RSS) and exits non-zero on the first bad round.
# Usage: bench/run_wire_fuzz.sh [COUNT] [debug|release]      (builds ctl in that configuration if needed)
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT="${1:-50000}"
CONFIG="${2:-release}"
export PATH="/opt/swift/usr/bin:$PATH"
swift build -c "$CONFIG" --product ctl >/dev/null
CTL="$(swift build -c "$CONFIG" --show-bin-path)/ctl"
HOME_DIR="$(mktemp -d /tmp/apiary-fuzz-XXXXXX)"
trap 'kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; rm -rf "$HOME_DIR"' EXIT
"$CTL" serve --port 0 --port-file "$HOME_DIR/port" --home "$HOME_DIR/home" --test-hooks >"$HOME_DIR/daemon.log" 2>&1 &
PID=$!
for _ in $(seq 100); do [ -s "$HOME_DIR/port" ] && break; sleep 0.1; done
export APIARY_URL="http://127.0.0.1:$(cat "$HOME_DIR/port")"
echo "daemon $PID at $APIARY_URL ($CONFIG build), $COUNT requests" >&2
done_count=0
seed=1
while [ "$done_count" -lt "$COUNT" ]; do
    round=$(( COUNT - done_count < 5000 ? COUNT - done_count : 5000 ))
    python3 Tests/ClientSuites/fuzz/wire_fuzz.py --seed "$seed" --count "$round" --pid "$PID" --json || { tail -50 "$HOME_DIR/daemon.log" >&2; exit 1; }
    done_count=$(( done_count + round ))
    seed=$(( seed + 1 ))
done
echo "daemon RSS at the end: $(awk '/VmRSS/ {print $2, $3}' "/proc/$PID/status")" >&2
sleep 35  # the daemon trims its heap every 30 s (MemoryReturn)
echo "daemon RSS after 35 s idle: $(awk '/VmRSS/ {print $2, $3}' "/proc/$PID/status")" >&2
