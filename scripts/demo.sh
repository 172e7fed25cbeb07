#!/usr/bin/env bash
# The course workflow end to end, on the built-in sample bees, through the public interfaces only (the aws CLI and
# ctl against a live daemon): generate → upload to S3 → 2% random sample → labeling job, labeled with the generator's
# boxes (machine-made) → train SSD (apiary-mobile, 80/20 split) → deploy → score the 10 held-out images (mAP,
# annotated PNGs) → the bonus: Lambda + API Gateway, called with curl. Installs what is missing, builds in release,
# stops the daemon at the end. Everything it writes goes to $APIARY_DEMO_DIR (default ./out/demo).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
OUT="${APIARY_DEMO_DIR:-$PWD/out/demo}"
EPOCHS="${APIARY_DEMO_EPOCHS:-10}"
START=$(date +%s)
step() { printf '\n==> [%s] %s\n' "$(date -u -d "@$(($(date +%s) - START))" +%M:%S)" "$*" >&2; }
show() { printf '    $ %s\n' "$*" >&2; "$@"; }

step "building ctl (release; the first build takes several minutes)"
swift build -c release --product ctl
CTL="$(swift build -c release --show-bin-path)/ctl"
ctl() { show "$CTL" "$@"; }

rm -rf "$OUT"
mkdir -p "$OUT"
step "starting the daemon (state in $OUT/home, log in $OUT/daemon.log)"
"$CTL" serve --home "$OUT/home" --port 0 --port-file "$OUT/port" >"$OUT/daemon.log" 2>&1 &
DAEMON=$!
stop_daemon() { kill -TERM "$DAEMON" 2>/dev/null && wait "$DAEMON" 2>/dev/null || true; }
trap stop_daemon EXIT
for _ in $(seq 100); do [ -s "$OUT/port" ] && break; sleep 0.1; done
[ -s "$OUT/port" ] || { cat "$OUT/daemon.log" >&2; exit 1; }
URL="http://127.0.0.1:$(cat "$OUT/port")"
echo "    daemon at $URL" >&2
# Any AWS client works with only the endpoint changed; the credentials are dummies.
export APIARY_URL="$URL" APIARY_HOME="$OUT/home" AWS_ACCESS_KEY_ID=apiary AWS_SECRET_ACCESS_KEY=apiary AWS_DEFAULT_REGION=us-east-1
aws() { show command aws --endpoint-url "$URL" "$@"; }

step "generating the sample bee dataset (500 labeled images + 10 held out)"
ctl datasets generate-sample "$OUT/bees"

step "uploading it to S3"
aws s3 mb s3://bees
aws s3 sync "$OUT/bees" s3://bees/ --only-show-errors
aws s3 ls s3://bees/ --summarize | tail -2

step "Ground Truth's random sample: 2% of the images, seeded"
ctl datasets import "$OUT/bees/images" --dataset bees --source-ref-prefix s3://bees/images/
ctl datasets sample --dataset bees --percent 2 --seed 2 --output "$OUT/sample.manifest"
cat >"$OUT/class_labels.json" <<'EOF'
{"document-version": "2018-11-28", "labels": [{"label": "bee"}]}
EOF
cat >"$OUT/human_task.json" <<'EOF'
{
  "WorkteamArn": "arn:aws:sagemaker:us-east-1:394669845002:workteam/public-crowd/default",
  "UiConfig": {"UiTemplateS3Uri": "s3://bees/labeling/instructions.template"},
  "PreHumanTaskLambdaArn": "arn:aws:lambda:us-east-1:432418664414:function:PRE-BoundingBox",
  "TaskTitle": "Bees", "TaskDescription": "Draw a box around every bee", "TaskKeywords": ["Images", "bounding box"],
  "NumberOfHumanWorkersPerDataObject": 1, "TaskTimeLimitInSeconds": 300, "TaskAvailabilityLifetimeInSeconds": 21600,
  "AnnotationConsolidationConfig": {
    "AnnotationConsolidationLambdaArn": "arn:aws:lambda:us-east-1:432418664414:function:ACS-BoundingBox"
  }
}
EOF
aws s3 cp "$OUT/sample.manifest" s3://bees/labeling/input.manifest --only-show-errors
aws s3 cp "$OUT/class_labels.json" s3://bees/labeling/class_labels.json --only-show-errors

step "a labeling job over the sample"
aws sagemaker create-labeling-job --labeling-job-name bees-sample --label-attribute-name bees-sample \
  --input-config 'DataSource={S3DataSource={ManifestS3Uri=s3://bees/labeling/input.manifest}}' \
  --output-config S3OutputPath=s3://bees/labeling/output/ \
  --role-arn arn:aws:iam::123456789012:role/SageMakerRole \
  --label-category-config-s3-uri s3://bees/labeling/class_labels.json \
  --human-task-config "file://$OUT/human_task.json"
aws sagemaker describe-labeling-job --labeling-job-name bees-sample --query '{Status: LabelingJobStatus, Counters: LabelCounters}'

step "labeling the sample with the generator's boxes (machine-made: human-annotated \"no\", MachineLabeled)"
# In the course a person draws these boxes (`ctl labels open bees-sample` opens the labeling UI); here the
# generator's ground truth for the sampled images stands in, marked as machine-made.
python3 - "$OUT/sample.manifest" "$OUT/bees/output.manifest" "$OUT/bees/sample-truth.manifest" <<'EOF'
import json, os, sys
sample = {os.path.basename(json.loads(line)["source-ref"]) for line in open(sys.argv[1]) if line.strip()}
with open(sys.argv[3], "w") as out:
    for line in open(sys.argv[2]):
        if line.strip() and os.path.basename(json.loads(line)["source-ref"]) in sample:
            out.write(line)
EOF
ctl labels import --format manifest "$OUT/bees/sample-truth.manifest" --dataset labeling-job/bees-sample --machine-labeled
aws sagemaker describe-labeling-job --labeling-job-name bees-sample \
  --query '{Status: LabelingJobStatus, Counters: LabelCounters, Output: LabelingJobOutput.OutputDatasetS3Uri}'
aws s3 cp s3://bees/labeling/output/bees-sample/manifests/output/output.manifest "$OUT/labeled-sample.manifest" --only-show-errors
head -c 400 "$OUT/labeled-sample.manifest" >&2
echo " …" >&2

step "an 80/20 train/validation split of the 500-image manifest"
sed 's#"source-ref": "images/#"source-ref": "s3://bees/images/#' "$OUT/bees/output.manifest" >"$OUT/all.manifest"
ctl datasets sample "$OUT/all.manifest" --percent 80 --seed 7 --output "$OUT/train.manifest" --rest "$OUT/validation.manifest"
aws s3 cp "$OUT/train.manifest" s3://bees/manifests/train.manifest --only-show-errors
aws s3 cp "$OUT/validation.manifest" s3://bees/manifests/validation.manifest --only-show-errors

step "training SSD (apiary-mobile, 300x300, $EPOCHS epochs) as a SageMaker training job"
ctl training-jobs create bees-demo --train s3://bees/manifests/train.manifest \
  --validation s3://bees/manifests/validation.manifest --output s3://bees/output --label-attribute bees-500 \
  --num-training-samples "$(wc -l <"$OUT/train.manifest")" --base-network apiary-mobile --image-shape 300 \
  --epochs "$EPOCHS" --mini-batch-size 16 --optimizer adam --learning-rate 0.001 -H early_stopping=False \
  --environment APIARY_SEED=7
ctl training-jobs wait bees-demo
ctl training-jobs results bees-demo --png "$OUT/results.png"
aws sagemaker describe-training-job --training-job-name bees-demo \
  --query '{Status: TrainingJobStatus, Seconds: TrainingTimeInSeconds, Metrics: FinalMetricDataList[].[MetricName, Value]}'

step "deploying it to an endpoint"
ctl deploy bees-demo

step "scoring the endpoint on the 10 held-out images"
ctl evaluate bees-demo "$OUT/bees/test.manifest" --draw-dir "$OUT/predictions" --min-score 0.3 --max-detections 20

step "the bonus: a Lambda function calling the endpoint, behind an API Gateway REST API"
API_URL=$("$CTL" expose bees-demo --min-score 0.3)
echo "    POST images to $API_URL" >&2
FIRST_TEST_IMAGE=$(ls "$OUT/bees/test/"*.jpg | head -1)
show curl -sS --fail --data-binary "@$FIRST_TEST_IMAGE" -H 'Content-Type: image/jpeg' "$API_URL"
echo

step "stopping the daemon"
stop_daemon
trap - EXIT
step "done in $(($(date +%s) - START)) s: state in $OUT/home"
cat >&2 <<EOF
    pictures to look at:
      training curves:        $OUT/results.png   (and s3://bees/output/bees-demo/output/results.csv)
      precision-recall curve: $OUT/predictions/pr-curve.png
      annotated predictions:  $OUT/predictions/test_*.png
EOF
