#!/usr/bin/env python3
"""The bee course notebook as a plain boto3 script.

"Amazon SageMaker: Build an Object Detection Model Using Images Labeled with Ground Truth" (DIG-TF-200-MLBEES-10-EN):
upload the bee photos, label a 2% random sample with a Ground Truth bounding-box job, split the labeled 500-image
manifest 80/20, train the built-in Object Detection algorithm on AugmentedManifestFile channels, deploy an endpoint,
invoke it on the held-out test images, and (the bonus) put a Lambda function behind an API Gateway REST API.

Everything is ordinary boto3, as on AWS; against Apiary only the endpoint URL changes:

    ctl serve &                                   # the daemon, 127.0.0.1:4566
    ctl datasets generate-sample ./bees           # or unzip the course's dataset.zip into ./bees
    python3 examples/bee_course.py --data ./bees --endpoint-url http://127.0.0.1:4566

The labeling job waits for a person (`ctl labels open bees-sample` opens the labeling UI); like the course, the
script goes on with the supplied, fully labeled output.manifest, or waits for the job with --wait-for-labels.
Training uses the course's hyperparameters except three, which a CPU cannot afford at the course's values
(resnet-50, 100 epochs, mini_batch_size 1): --base-network, --epochs and --mini-batch-size (defaults apiary-mobile,
10, 16); --course-hyperparameters uses exactly the course's.
"""
import argparse
import io
import json
import os
import random
import sys
import time
import urllib.request
import zipfile

import boto3

REGION = os.environ.get("AWS_DEFAULT_REGION", "us-east-1")
ROLE = "arn:aws:iam::123456789012:role/service-role/AmazonSageMaker-ExecutionRole"
# The built-in algorithm's image in us-east-1, as the notebook's get_image_uri(region, "object-detection") gives it.
TRAINING_IMAGE = "811284229777.dkr.ecr.us-east-1.amazonaws.com/object-detection:1"
HERE = os.path.dirname(os.path.abspath(__file__))


def log(message):
    print(f"\n==> {message}", flush=True)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True, help="the bee dataset: output.manifest, the images, test/")
    parser.add_argument("--endpoint-url", default=os.environ.get("AWS_ENDPOINT_URL"), help="Apiary's URL; unset on AWS")
    parser.add_argument("--bucket", default="bees-course")
    parser.add_argument("--prefix", default="bees", help="key prefix in the bucket")
    parser.add_argument("--name", default="bees", help="base name of the jobs, model, endpoint and function")
    parser.add_argument("--sample-percent", type=float, default=2.0)
    parser.add_argument("--seed", type=int, default=2, help="the course shuffles without a seed; a seed makes runs repeatable")
    parser.add_argument("--wait-for-labels", action="store_true", help="wait until the labeling job is Completed")
    parser.add_argument("--base-network", default="apiary-mobile")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--mini-batch-size", type=int, default=16)
    parser.add_argument("--course-hyperparameters", action="store_true", help="resnet-50, 100 epochs, mini_batch_size 1")
    parser.add_argument("--skip-bonus", action="store_true", help="no Lambda + API Gateway")
    parser.add_argument("--cleanup", action="store_true", help="delete the endpoint at the end, as the course does")
    return parser.parse_args()


def find_image(data, source_ref):
    name = source_ref.rsplit("/", 1)[-1]
    for folder in (data, os.path.join(data, "images")):
        path = os.path.join(folder, name)
        if os.path.exists(path):
            return path
    raise SystemExit(f"{name} (from source-ref {source_ref}) is neither in {data} nor in {data}/images")


def main():
    args = parse_args()
    clients = dict(region_name=REGION, endpoint_url=args.endpoint_url)
    s3 = boto3.client("s3", **clients)
    sagemaker = boto3.client("sagemaker", **clients)
    runtime = boto3.client("sagemaker-runtime", **clients)
    bucket, prefix, name = args.bucket, args.prefix, args.name
    s3_base = f"s3://{bucket}/{prefix}"

    log(f"uploading the images to {s3_base}/images/")
    if bucket not in [b["Name"] for b in s3.list_buckets()["Buckets"]]:
        s3.create_bucket(Bucket=bucket)
    labeled = [json.loads(line) for line in open(os.path.join(args.data, "output.manifest")) if line.strip()]
    for line in labeled:
        path = find_image(args.data, line["source-ref"])
        key = f"{prefix}/images/{os.path.basename(path)}"
        s3.upload_file(path, bucket, key)
        line["source-ref"] = f"s3://{bucket}/{key}"
    print(f"{len(labeled)} images")

    log(f"Ground Truth: a labeling job over a {args.sample_percent:g}% random sample")
    rng = random.Random(args.seed)
    sample = rng.sample(labeled, max(1, round(len(labeled) * args.sample_percent / 100)))
    input_manifest = "".join(json.dumps({"source-ref": line["source-ref"]}) + "\n" for line in sample)
    s3.put_object(Bucket=bucket, Key=f"{prefix}/labeling/input.manifest", Body=input_manifest.encode())
    categories = {"document-version": "2018-11-28", "labels": [{"label": "bee"}]}
    s3.put_object(Bucket=bucket, Key=f"{prefix}/labeling/class_labels.json", Body=json.dumps(categories).encode())
    labeling_job = f"{name}-sample"
    sagemaker.create_labeling_job(
        LabelingJobName=labeling_job,
        LabelAttributeName=labeling_job,
        InputConfig={
            "DataSource": {"S3DataSource": {"ManifestS3Uri": f"{s3_base}/labeling/input.manifest"}},
            "DataAttributes": {"ContentClassifiers": ["FreeOfPersonallyIdentifiableInformation", "FreeOfAdultContent"]},
        },
        OutputConfig={"S3OutputPath": f"{s3_base}/labeling/output/"},
        RoleArn=ROLE,
        LabelCategoryConfigS3Uri=f"{s3_base}/labeling/class_labels.json",
        StoppingConditions={"MaxPercentageOfInputDatasetLabeled": 100},
        HumanTaskConfig={
            "WorkteamArn": "arn:aws:sagemaker:us-east-1:123456789012:workteam/private-crowd/bees",
            "UiConfig": {"UiTemplateS3Uri": f"{s3_base}/labeling/instructions.template"},
            "PreHumanTaskLambdaArn": "arn:aws:lambda:us-east-1:432418664414:function:PRE-BoundingBox",
            "TaskKeywords": ["Images", "bounding box", "object detection"],
            "TaskTitle": "Bees",
            "TaskDescription": "Draw a bounding box around the bee in this image.",
            "NumberOfHumanWorkersPerDataObject": 1,
            "TaskTimeLimitInSeconds": 300,
            "TaskAvailabilityLifetimeInSeconds": 864000,
            "MaxConcurrentTaskCount": 1000,
            "AnnotationConsolidationConfig": {
                "AnnotationConsolidationLambdaArn": "arn:aws:lambda:us-east-1:432418664414:function:ACS-BoundingBox"
            },
        },
    )
    job = sagemaker.describe_labeling_job(LabelingJobName=labeling_job)
    print(f"{labeling_job}: {job['LabelingJobStatus']}, {job['LabelCounters']}")
    print(f"label it in the browser: ctl labels open {labeling_job}")
    if args.wait_for_labels:
        while job["LabelingJobStatus"] not in ("Completed", "Stopped", "Failed"):
            time.sleep(5)
            job = sagemaker.describe_labeling_job(LabelingJobName=labeling_job)
            print(f"  {job['LabelingJobStatus']}: {job['LabelCounters']}", flush=True)
        print(f"output manifest: {job.get('LabelingJobOutput', {}).get('OutputDatasetS3Uri')}")

    log("splitting the fully labeled manifest 80/20 into train and validation")
    rng.shuffle(labeled)
    cut = int(len(labeled) * 0.8)
    channels = {"train": labeled[:cut], "validation": labeled[cut:]}
    for channel, lines in channels.items():
        body = "".join(json.dumps(line) + "\n" for line in lines)
        s3.put_object(Bucket=bucket, Key=f"{prefix}/{channel}.manifest", Body=body.encode())
        print(f"{channel}: {len(lines)} images")

    training_job = f"{name}-{time.strftime('%Y-%m-%d-%H-%M-%S', time.gmtime())}"
    log(f"training job {training_job}")
    hyperparameters = {
        "base_network": "resnet-50", "use_pretrained_model": "1", "num_classes": "1", "mini_batch_size": "1",
        "epochs": "100", "learning_rate": "0.001", "lr_scheduler_step": "", "lr_scheduler_factor": "0.1",
        "optimizer": "sgd", "momentum": "0.9", "weight_decay": "0.0005", "overlap_threshold": "0.5",
        "nms_threshold": "0.45", "image_shape": "300", "label_width": "350",
        "num_training_samples": str(len(channels["train"])),
    }
    if not args.course_hyperparameters:
        hyperparameters.update(
            base_network=args.base_network, epochs=str(args.epochs), mini_batch_size=str(args.mini_batch_size),
            optimizer="adam", use_pretrained_model="0")

    def channel(channel_name):
        return {
            "ChannelName": channel_name,
            "DataSource": {"S3DataSource": {
                "S3DataType": "AugmentedManifestFile", "S3Uri": f"{s3_base}/{channel_name}.manifest",
                "S3DataDistributionType": "FullyReplicated", "AttributeNames": ["source-ref", "bees-500"]}},
            "ContentType": "application/x-recordio", "RecordWrapperType": "RecordIO", "CompressionType": "None",
        }

    sagemaker.create_training_job(
        TrainingJobName=training_job,
        AlgorithmSpecification={"TrainingImage": TRAINING_IMAGE, "TrainingInputMode": "Pipe"},
        RoleArn=ROLE,
        OutputDataConfig={"S3OutputPath": f"{s3_base}/output"},
        ResourceConfig={"InstanceCount": 1, "InstanceType": "ml.p3.2xlarge", "VolumeSizeInGB": 50},
        HyperParameters=hyperparameters,
        StoppingCondition={"MaxRuntimeInSeconds": 86400},
        InputDataConfig=[channel("train"), channel("validation")],
    )
    status = None
    while status not in ("Completed", "Failed", "Stopped"):
        time.sleep(10)
        job = sagemaker.describe_training_job(TrainingJobName=training_job)
        status, secondary = job["TrainingJobStatus"], job["SecondaryStatus"]
        metrics = {m["MetricName"]: round(m["Value"], 3) for m in job.get("FinalMetricDataList", [])}
        print(f"  {status} / {secondary} {metrics}", flush=True)
    if status != "Completed":
        raise SystemExit(f"training {status}: {job.get('FailureReason')}")
    sagemaker.get_waiter("training_job_completed_or_stopped").wait(TrainingJobName=training_job)

    log("hosting: model, endpoint configuration, endpoint")
    model_data = job["ModelArtifacts"]["S3ModelArtifacts"]
    sagemaker.create_model(
        ModelName=training_job, ExecutionRoleArn=ROLE,
        PrimaryContainer={"Image": TRAINING_IMAGE, "ModelDataUrl": model_data})
    sagemaker.create_endpoint_config(
        EndpointConfigName=training_job,
        ProductionVariants=[{"InstanceType": "ml.t2.medium", "InitialInstanceCount": 1, "ModelName": training_job,
                             "VariantName": "AllTraffic"}])
    endpoint = name
    sagemaker.create_endpoint(EndpointName=endpoint, EndpointConfigName=training_job)
    sagemaker.get_waiter("endpoint_in_service").wait(EndpointName=endpoint)
    print(f"endpoint {endpoint}: {sagemaker.describe_endpoint(EndpointName=endpoint)['EndpointStatus']}")

    log("inference on the held-out test images")
    test_folder = os.path.join(args.data, "test")
    test_images = sorted(f for f in os.listdir(test_folder) if f.lower().endswith((".jpg", ".jpeg", ".png")))
    for file_name in test_images:
        with open(os.path.join(test_folder, file_name), "rb") as image:
            response = runtime.invoke_endpoint(EndpointName=endpoint, ContentType="application/x-image", Body=image.read())
        detections = json.loads(response["Body"].read())["prediction"]
        confident = [d for d in detections if d[1] >= 0.5]
        best = f", best score {detections[0][1]:.2f}" if detections else ""
        print(f"{file_name}: {len(confident)} bee(s) with score >= 0.5{best}")

    if not args.skip_bonus:
        log("the bonus: a Lambda function calling the endpoint, behind an API Gateway REST API")
        url = bonus(clients, endpoint, f"{name}-detect")
        print("POST images to", url)
        with open(os.path.join(test_folder, test_images[0]), "rb") as image:
            request = urllib.request.Request(url, data=image.read(), headers={"Content-Type": "image/jpeg"})
        with urllib.request.urlopen(request) as answer:
            print(answer.status, answer.read().decode()[:300])

    if args.cleanup:
        sagemaker.delete_endpoint(EndpointName=endpoint)
        sagemaker.get_waiter("endpoint_deleted").wait(EndpointName=endpoint)
        print(f"deleted endpoint {endpoint}")


def bonus(clients, endpoint, function):
    """Deploys the bee detector handler (Sources/ctl/Resources/lambda_function.py) behind POST /predict; returns the URL."""
    lambda_client = boto3.client("lambda", **clients)
    apigateway = boto3.client("apigateway", **clients)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zip_file:
        zip_file.write(os.path.join(HERE, "..", "Sources", "ctl", "Resources", "lambda_function.py"), "lambda_function.py")
    function_arn = lambda_client.create_function(
        FunctionName=function, Runtime="python3.12", Role=ROLE.replace("service-role/AmazonSageMaker-ExecutionRole", "bee-lambda"),
        Handler="lambda_function.lambda_handler", Code={"ZipFile": archive.getvalue()}, Timeout=30, MemorySize=256,
        Environment={"Variables": {"ENDPOINT_NAME": endpoint, "MIN_SCORE": "0.5"}})["FunctionArn"]
    api = apigateway.create_rest_api(name=f"{function}-api", binaryMediaTypes=["image/jpeg", "image/png"])["id"]
    root = next(item["id"] for item in apigateway.get_resources(restApiId=api)["items"] if item["path"] == "/")
    resource = apigateway.create_resource(restApiId=api, parentId=root, pathPart="predict")["id"]
    apigateway.put_method(restApiId=api, resourceId=resource, httpMethod="POST", authorizationType="NONE")
    apigateway.put_integration(
        restApiId=api, resourceId=resource, httpMethod="POST", type="AWS_PROXY", integrationHttpMethod="POST",
        uri=f"arn:aws:apigateway:{REGION}:lambda:path/2015-03-31/functions/{function_arn}/invocations")
    lambda_client.add_permission(
        FunctionName=function, StatementId="apigw-invoke", Action="lambda:InvokeFunction",
        Principal="apigateway.amazonaws.com", SourceArn=f"arn:aws:execute-api:{REGION}:*:{api}/*/POST/predict")
    apigateway.create_deployment(restApiId=api, stageName="prod")
    endpoint_url = clients["endpoint_url"]
    if endpoint_url:
        return f"{endpoint_url.rstrip('/')}/_aws/execute-api/{api}/prod/predict"
    return f"https://{api}.execute-api.{REGION}.amazonaws.com/prod/predict"


if __name__ == "__main__":
    sys.exit(main())
