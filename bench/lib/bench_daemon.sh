# Sourced by the benchmarks that go through the daemon (run_quality_bench.sh, run_job_vs_network.sh): a release
# `ctl serve` on a free port with its home in WORK, the generated bees uploaded to s3://bench, and a training job as
# the course creates one. The caller sets CTL and WORK first, and its own EXIT trap (kill ${DAEMON:-}, remove WORK) before starting.

# Starts the daemon; sets DAEMON (its pid) and URL, and exports the client settings (dummy credentials, APIARY_URL).
start_bench_daemon() {
    "$CTL" serve --home "$WORK/home" --port 0 --port-file "$WORK/port" >"$WORK/daemon.log" 2>&1 &
    DAEMON=$!
    while [ ! -s "$WORK/port" ]; do
        kill -0 "$DAEMON" 2>/dev/null || { echo "ctl serve did not start; its log:" >&2; cat "$WORK/daemon.log" >&2; return 1; }
        sleep 0.2
    done
    URL="http://127.0.0.1:$(cat "$WORK/port")"
    export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_DEFAULT_REGION=us-east-1 APIARY_URL="$URL"
}

# Usage: stage_sample_bees STYLE SEED TRAIN VALIDATION [generate-sample options…]
# Generates TRAIN + VALIDATION images into WORK/data, splits the manifest into WORK/train.manifest and
# WORK/validation.manifest, and uploads images and manifests to s3://bench with the aws CLI.
stage_sample_bees() {
    local style=$1 seed=$2 train=$3 validation=$4
    shift 4
    "$CTL" datasets generate-sample "$WORK/data" --style "$style" --seed "$seed" --count $((train + validation)) \
        --source-ref-prefix s3://bench/images/ "$@" >&2
    head -n "$train" "$WORK/data/output.manifest" >"$WORK/train.manifest"
    tail -n "$validation" "$WORK/data/output.manifest" >"$WORK/validation.manifest"
    aws --endpoint-url "$URL" s3 mb s3://bench >/dev/null
    aws --endpoint-url "$URL" s3 sync "$WORK/data/images" s3://bench/images/ --only-show-errors
    aws --endpoint-url "$URL" s3 cp "$WORK/train.manifest" s3://bench/train.manifest --only-show-errors
    aws --endpoint-url "$URL" s3 cp "$WORK/validation.manifest" s3://bench/validation.manifest --only-show-errors
}

# Usage: train_bench_job NAME EPOCHS SAMPLES BASE IMAGE_SHAPE BATCH
# Creates a training job on the staged channels (adam, learning rate 0.001) and waits for its end.
train_bench_job() {
    "$CTL" training-jobs create "$1" --train s3://bench/train.manifest --validation s3://bench/validation.manifest \
        --output s3://bench/output --label-attribute bees-500 --num-training-samples "$3" \
        --base-network "$4" --image-shape "$5" --epochs "$2" --mini-batch-size "$6" \
        --optimizer adam --learning-rate 0.001 >/dev/null
    "$CTL" training-jobs wait "$1" >/dev/null 2>&1
}
