# Sourced by the data-parallel bench scripts: prints the CreateTrainingJob request one `ctl training-rank` reads — a
# two-instance object-detection job over augmented-manifest channels in one bucket, one epoch of SGD at 300 px.
# Usage: rank_request NAME NETWORK BATCH SAMPLES BUCKET TRAIN_MANIFEST VALIDATION_MANIFEST [EXTRA_JSON_MEMBERS]
rank_request() {
    local name=$1 network=$2 batch=$3 samples=$4 bucket=$5 train=$6 validation=$7 extra=${8:-}
cat <<JSON
{"TrainingJobName": "$name", "RoleArn": "arn:aws:iam::123456789012:role/R",
 "AlgorithmSpecification": {"TrainingImage": "811284229777.dkr.ecr.us-east-1.amazonaws.com/object-detection:1", "TrainingInputMode": "Pipe"},
 "HyperParameters": {"base_network": "$network", "num_classes": "1", "mini_batch_size": "$batch", "epochs": "1", "image_shape": "300",
   "optimizer": "sgd", "learning_rate": "0.001", "num_training_samples": "$samples"},
 "InputDataConfig": [{"ChannelName": "train", "DataSource": {"S3DataSource": {"S3DataType": "AugmentedManifestFile",
   "S3Uri": "s3://$bucket/$train", "S3DataDistributionType": "FullyReplicated", "AttributeNames": ["source-ref", "bees-500"]}},
   "ContentType": "application/x-recordio", "RecordWrapperType": "RecordIO"},
  {"ChannelName": "validation", "DataSource": {"S3DataSource": {"S3DataType": "AugmentedManifestFile",
   "S3Uri": "s3://$bucket/$validation", "S3DataDistributionType": "FullyReplicated", "AttributeNames": ["source-ref", "bees-500"]}},
   "ContentType": "application/x-recordio", "RecordWrapperType": "RecordIO"}],
 "OutputDataConfig": {"S3OutputPath": "s3://$bucket/output"},
 "ResourceConfig": {"InstanceType": "ml.p3.2xlarge", "InstanceCount": 2, "VolumeSizeInGB": 50},
 "StoppingCondition": {"MaxRuntimeInSeconds": 3600}$extra}
JSON
}
