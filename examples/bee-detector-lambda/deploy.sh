#!/usr/bin/env bash
# Deploys the bee detector handler (Sources/ctl/Resources/lambda_function.py, the one `ctl expose` deploys too)
# as the Lambda function bee-detect behind a REST API (POST /predict, Lambda proxy
# integration, image/jpeg and image/png as binary media types) with the plain aws CLI. The same commands work on
# AWS; against Apiary export AWS_ENDPOINT_URL=http://127.0.0.1:4566 (and dummy credentials) first.
# Prints the URL to POST images to.
#   ENDPOINT_NAME=bees ./deploy.sh   then   curl --data-binary @bee.jpg -H 'Content-Type: image/jpeg' URL
set -euo pipefail
cd "$(dirname "$0")"
: "${AWS_DEFAULT_REGION:=us-east-1}"
export AWS_DEFAULT_REGION
ACCOUNT=${ACCOUNT:-000000000000}
ROLE_ARN=${ROLE_ARN:-arn:aws:iam::$ACCOUNT:role/bee-lambda-role}
ENDPOINT_NAME=${ENDPOINT_NAME:-bees-object-detection}
FUNCTION=${FUNCTION:-bee-detect}
STAGE=${STAGE:-prod}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
python3 -m zipfile -c "$WORK/$FUNCTION.zip" ../../Sources/ctl/Resources/lambda_function.py   # stored as lambda_function.py
aws lambda create-function --function-name "$FUNCTION" --runtime python3.12 \
  --role "$ROLE_ARN" --handler lambda_function.lambda_handler \
  --timeout 30 --memory-size 256 --zip-file "fileb://$WORK/$FUNCTION.zip" \
  --environment "Variables={ENDPOINT_NAME=$ENDPOINT_NAME,MIN_SCORE=${MIN_SCORE:-0.5}}" \
  --query State --output text > /dev/null
API_ID=$(aws apigateway create-rest-api --name "$FUNCTION-api" \
  --binary-media-types image/jpeg image/png --query id --output text)
ROOT_ID=$(aws apigateway get-resources --rest-api-id "$API_ID" \
  --query 'items[?path==`/`].id' --output text)
RES_ID=$(aws apigateway create-resource --rest-api-id "$API_ID" --parent-id "$ROOT_ID" \
  --path-part predict --query id --output text)
aws apigateway put-method --rest-api-id "$API_ID" --resource-id "$RES_ID" \
  --http-method POST --authorization-type NONE > /dev/null
FN_ARN=$(aws lambda get-function --function-name "$FUNCTION" \
  --query Configuration.FunctionArn --output text)
aws apigateway put-integration --rest-api-id "$API_ID" --resource-id "$RES_ID" \
  --http-method POST --type AWS_PROXY --integration-http-method POST \
  --uri "arn:aws:apigateway:$AWS_DEFAULT_REGION:lambda:path/2015-03-31/functions/$FN_ARN/invocations" > /dev/null
aws lambda add-permission --function-name "$FUNCTION" --statement-id apigw-invoke \
  --action lambda:InvokeFunction --principal apigateway.amazonaws.com \
  --source-arn "arn:aws:execute-api:$AWS_DEFAULT_REGION:$ACCOUNT:$API_ID/*/POST/predict" > /dev/null
aws apigateway create-deployment --rest-api-id "$API_ID" --stage-name "$STAGE" > /dev/null
if [ -n "${AWS_ENDPOINT_URL:-}" ]; then
  echo "${AWS_ENDPOINT_URL%/}/_aws/execute-api/$API_ID/$STAGE/predict"
else
  echo "https://$API_ID.execute-api.$AWS_DEFAULT_REGION.amazonaws.com/$STAGE/predict"
fi
