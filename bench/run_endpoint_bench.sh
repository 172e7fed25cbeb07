#!/usr/bin/env bash
# InvokeEndpoint under load: requests/s and p50/p99 at concurrency 1, 4 and 16, for apiary-mobile and vgg-16,
# micro-batching on (APIARY_MAX_BATCH_SIZE=8) and off (=1), plus, in the same run, ModelCore's model-only latency and
# where one request's time goes inside the daemon (model-bench request: decode, prepare, network, NMS, JSON), for a
# course-sized test image and for a 4032×3024 version of it (c=1 only).
# The load generator is wrk (Debian package, installed when missing) with bench/invoke.lua, on one thread.
# Usage: bench/run_endpoint_bench.sh        → JSON lines on stdout
# Needs release builds of ctl and model-bench (APIARY_BENCH=1 swift build -c release --scratch-path .build-bench).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/apiary_openmp.sh
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
BIN=.build-bench/release
CTL="${CTL:-$BIN/ctl}"   # e.g. CTL=.build/release/ctl to reuse the demo's build
HOME_DIR="$(mktemp -d /tmp/apiary-endpoint-bench.XXXX)"
"$CTL" datasets generate-sample "$HOME_DIR/bees" --count 48 --test-count 1 --source-ref-prefix s3://bees/images/ >/dev/null
"$CTL" serve --home "$HOME_DIR" --port 0 --port-file "$HOME_DIR/port" >"$HOME_DIR/daemon.log" 2>&1 &
DAEMON=$!
trap 'kill $DAEMON 2>/dev/null; wait $DAEMON 2>/dev/null || true' EXIT
while [ ! -s "$HOME_DIR/port" ]; do sleep 0.2; done
URL="http://127.0.0.1:$(cat "$HOME_DIR/port")"
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_DEFAULT_REGION=us-east-1
aws --endpoint-url "$URL" s3 mb s3://bees >/dev/null
aws --endpoint-url "$URL" s3 sync "$HOME_DIR/bees/images" s3://bees/images/ --only-show-errors
head -4 "$HOME_DIR/bees/output.manifest" | aws --endpoint-url "$URL" s3 cp - s3://bees/manifests/small.manifest
IMAGE="$(ls "$HOME_DIR"/bees/test/*.jpg | head -1)"
# A phone-sized photo of the same scene (4032×3024), for what a large upload costs outside the model.
LARGE="$HOME_DIR/large.jpg"
"$BIN/model-bench" upscale "$IMAGE" "$LARGE" 4032 3024
for base in apiary-mobile vgg-16; do
    "$CTL" training-jobs create "train-$base" --endpoint-url "$URL" --train s3://bees/manifests/small.manifest \
        --validation s3://bees/manifests/small.manifest --output s3://bees/output --label-attribute bees-500 \
        --num-training-samples 4 --base-network "$base" --epochs 1 --mini-batch-size 4 >/dev/null
    "$CTL" training-jobs wait "train-$base" --endpoint-url "$URL" 2>/dev/null
    for batch in 8 1; do
        name="$base-b$batch"
        python3 - "$URL" "$name" "s3://bees/output/train-$base/output/model.tar.gz" "$batch" <<'PY'
import sys, boto3
url, name, data, batch = sys.argv[1:5]
sm = boto3.client("sagemaker", endpoint_url=url, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
sm.create_model(ModelName=name, ExecutionRoleArn="arn:aws:iam::000000000000:role/R", PrimaryContainer={
    "Image": "811284229777.dkr.ecr.us-east-1.amazonaws.com/object-detection:1", "ModelDataUrl": data,
    "Environment": {"APIARY_MAX_BATCH_SIZE": batch}})
sm.create_endpoint_config(EndpointConfigName=name, ProductionVariants=[{"VariantName": "AllTraffic", "ModelName": name,
    "InitialInstanceCount": 1, "InstanceType": "ml.m5.large"}])
sm.create_endpoint(EndpointName=name, EndpointConfigName=name)
sm.get_waiter("endpoint_in_service").wait(EndpointName=name, WaiterConfig={"Delay": 1})
PY
        # Requests still in flight when wrk stops are still served: wait them out before the next run.
        if [ "$base" = "vgg-16" ]; then seconds=20 drain=10; else seconds=10 drain=1; fi
        # Warm-up (the first batches of each size create oneDNN primitives), not recorded.
        IMAGE="$IMAGE" ENDPOINT="$name" wrk -t1 -c16 -d"${drain}s" --timeout 60s -s bench/invoke.lua "$URL" >/dev/null
        sleep "$drain"
        for concurrency in 1 4 16; do
            CONNECTIONS=$concurrency IMAGE="$IMAGE" ENDPOINT="$name" \
                wrk -t1 -c"$concurrency" -d"${seconds}s" --timeout 60s -s bench/invoke.lua "$URL" | grep '^{'
            sleep "$drain"
        done
        CONNECTIONS=1 IMAGE="$LARGE" ENDPOINT="$name" wrk -t1 -c1 -d"${seconds}s" --timeout 60s -s bench/invoke.lua "$URL" \
            | grep '^{' | sed 's/"client"/"image": "4032x3024", "client"/'
        python3 -c "import boto3; boto3.client('sagemaker', endpoint_url='$URL', region_name='us-east-1', aws_access_key_id='x', aws_secret_access_key='x').delete_endpoint(EndpointName='$name')"
    done
    "${APIARY_OPENMP[@]}" "$BIN/model-bench" network "$base" 300 1 10
    aws --endpoint-url "$URL" s3 cp "s3://bees/output/train-$base/output/model.tar.gz" "$HOME_DIR/$base.tar.gz" --only-show-errors
    # Model-only: the request bench's network_ms (median over many passes of the real artifact) is the reference.
    if [ "$base" = "vgg-16" ]; then passes=10; else passes=100; fi
    "${APIARY_OPENMP[@]}" "$BIN/model-bench" request "$HOME_DIR/$base.tar.gz" "$IMAGE" "$passes"
    "${APIARY_OPENMP[@]}" "$BIN/model-bench" request "$HOME_DIR/$base.tar.gz" "$LARGE" $(( passes / 4 ))
done
