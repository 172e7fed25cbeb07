#!/usr/bin/env bash
# Coverage-guided fuzzing (libFuzzer) of the pure parsers hostile input reaches: JSON (with the nesting limit), S3
# XML, aws-chunked framing, byte ranges, SigV4 (Authorization header, presigned query, canonical request), RecordIO
# and im2rec detection records, Ground Truth manifest lines, JPEG/PNG decoding (sniffing, EXIF orientation, the pixel
# budget) — the daemon's own source files, compiled with -sanitize=fuzzer,address around
# Tests/ClientSuites/fuzz/parsers/Harness.swift (libjpeg-turbo, libpng and libcrypto are linked, not instrumented).
# Usage: bench/run_parser_fuzz.sh [SECONDS] (default 60). A crash fails the run and leaves its input as crash-* in
# /tmp/apiary-parser-fuzz-artifacts/ (the first byte picks the parser); keep it as a regression test.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_TO_RUN="${1:-60}"
export PATH="/opt/swift/usr/bin:$PATH"
WORK="$(mktemp -d /tmp/apiary-parser-fuzz-XXXXXX)"
ARTIFACTS=/tmp/apiary-parser-fuzz-artifacts
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$ARTIFACTS"
swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name ParserFuzz -o "$WORK/parser-fuzz" \
    Tests/ClientSuites/fuzz/parsers/Harness.swift Sources/AWSProtocol/JSONValue.swift Sources/AWSProtocol/JSONNestingLimit.swift \
    Sources/S3API/S3XMLElement.swift Sources/S3API/AWSChunkedDecoder.swift Sources/S3API/ByteRange.swift \
    -I Sources/CCrypto Sources/AWSProtocol/{AWSError,Digest,SigV4,SigV4Authorization,SigV4PresignedQuery,SigV4Verifier,SignableRequest}.swift \
    Sources/TrainingExecution/Training/RecordIO.swift Sources/GroundTruthFormat/*.swift \
    -I Sources/CTurboJPEG -I Sources/CPNG Sources/ImageCodec/{ImageCodecError,ImageDecoder,ImageFormat,ImageOrientation,JPEGCodec,PNGCodec,PixelBudget,RGBImage}.swift
mkdir -p "$WORK/corpus"
printf '\x00{"a":[1,2,{"b":"c"}]}' >"$WORK/corpus/json"
printf '\x01<Delete><Object><Key>k</Key></Object></Delete>' >"$WORK/corpus/xml"
printf '\x02b\r\nhello world\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n' >"$WORK/corpus/chunked"
printf '\x03bytes=0-4' >"$WORK/corpus/range"
printf '\x04AWS4-HMAC-SHA256 Credential=AKID/20261204/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=00\n20261204T120000Z\nGET\n/b/k%%20x/../y\nX-Amz-Credential=AKID%%2F20261204%%2Fus-east-1%%2Fs3%%2Faws4_request&a=1&b\nhost:  localhost   9000\n' >"$WORK/corpus/sigv4"
# One RecordIO record: magic, length 56, an IRHeader with flag 7 (A=2, B=5, one object 0, 0.1, 0.1, 0.5, 0.5), a JPEG's first bytes.
printf '\x05\x0a\x23\xd7\xce\x38\x00\x00\x00\x07\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x40\x00\x00\xa0\x40\x00\x00\x00\x00\xcd\xcc\xcc\x3d\xcd\xcc\xcc\x3d\x00\x00\x00\x3f\x00\x00\x00\x3f\xff\xd8\xff\xe0' >"$WORK/corpus/recordio"
printf '\x06{"source-ref": "s3://b/1.jpg", "bees": {"annotations": [{"class_id": 0, "width": 3, "top": 2, "height": 4, "left": 1}], "image_size": [{"width": 8, "depth": 3, "height": 8}]}, "bees-metadata": {"job-name": "labeling-job/bees", "class-map": {"0": "bee"}, "human-annotated": "yes", "objects": [{"confidence": 0.0}], "creation-date": "2026-12-04T12:00:00.000000", "type": "groundtruth/object-detection"}}\n' >"$WORK/corpus/manifest"
# A 16×8 JPEG whose EXIF says "turn 90° clockwise", and a 2×2 PNG (made with Pillow).
{ printf '\x07'; base64 -d <<<'/9j/4AAQSkZJRgABAQAAAQABAAD/4QAiRXhpZgAATU0AKgAAAAgAAQESAAMAAAABAAYAAAAAAAD/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAAIABADASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDIooorkPqD/9k='; } >"$WORK/corpus/jpeg"
{ printf '\x07'; base64 -d <<<'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGNkZGJmYGBgYmBgYGBgAAAAcAAKM8X3iAAAAABJRU5ErkJggg=='; } >"$WORK/corpus/png"
cd "$WORK"
./parser-fuzz -artifact_prefix="$ARTIFACTS/" -max_total_time="$SECONDS_TO_RUN" -max_len=4096 -print_final_stats=1 corpus
