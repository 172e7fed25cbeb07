#!/usr/bin/env bash
# Coverage-guided fuzzing (libFuzzer) of the pure parsers a request reaches first: JSON (with the nesting limit), S3
# XML, aws-chunked framing, byte ranges — the daemon's own source files, compiled with -sanitize=fuzzer,address
# around tests/fuzz/parsers/Harness.swift. Usage: bench/run_parser_fuzz.sh [SECONDS] (default 60). A crash leaves its
# input as crash-* in the work directory and fails the run; keep it as a regression test.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_TO_RUN="${1:-60}"
export PATH="/opt/swift/usr/bin:$PATH"
WORK="$(mktemp -d /tmp/apiary-parser-fuzz-XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name ParserFuzz -o "$WORK/parser-fuzz" \
    tests/fuzz/parsers/Harness.swift Sources/AWSProtocol/JSONValue.swift Sources/AWSProtocol/JSONNestingLimit.swift \
    Sources/JobService/S3/S3XMLElement.swift Sources/JobService/S3/AWSChunkedDecoder.swift Sources/JobService/S3/ByteRange.swift
mkdir -p "$WORK/corpus"
printf '\x00{"a":[1,2,{"b":"c"}]}' >"$WORK/corpus/json"
printf '\x01<Delete><Object><Key>k</Key></Object></Delete>' >"$WORK/corpus/xml"
printf '\x02b\r\nhello world\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n' >"$WORK/corpus/chunked"
printf '\x03bytes=0-4' >"$WORK/corpus/range"
cd "$WORK"
./parser-fuzz -max_total_time="$SECONDS_TO_RUN" -max_len=4096 -print_final_stats=1 corpus
