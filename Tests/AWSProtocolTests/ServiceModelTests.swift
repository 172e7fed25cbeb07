import Foundation
import Testing

@testable import AWSProtocol

@Suite struct ServiceModelTests {
    @Test func coversTheOperationsApiaryServes() {
        #expect(ServiceModel.sageMaker.operationNames.count == 28)
        #expect(ServiceModel.sageMaker.inputShapeName(of: "CreateTransformJob") == "CreateTransformJobRequest")
        #expect(ServiceModel.sageMaker.inputShapeName(of: "CreateTrainingJob") == "CreateTrainingJobRequest")
        #expect(ServiceModel.logs.operationNames == ["DescribeLogGroups", "DescribeLogStreams", "FilterLogEvents", "GetLogEvents"])
        #expect(ServiceModel.sageMaker.inputShapeName(of: "CreateProcessingJob") == nil)
    }

    /// botocore's patterns are Java regular expressions; ICU must compile every one, or its constraint is skipped.
    @Test(arguments: [ServiceModel.sageMaker, ServiceModel.logs])
    func everyPatternCompiles(_ model: ServiceModel) {
        let failing = model.shapes.filter { $0.value.pattern.map { $0.regex == nil } ?? false }.keys.sorted()
        #expect(failing == [])
    }

    @Test func trickyPatternsMatchFully() {
        func pattern(_ shape: String) -> Pattern { ServiceModel.sageMaker.shape(shape).pattern! }
        let role = pattern("RoleArn")
        #expect(role.matches("arn:aws:iam::123456789012:role/service-role/AmazonSageMaker-ExecutionRole-20240101T000000"))
        #expect(role.matches("arn:aws-cn:iam::123456789012:role/bees"))
        #expect(!role.matches("arn:aws:iam::1234:role/bees"))
        #expect(!role.matches("xarn:aws:iam::123456789012:role/bees"))
        let s3Uri = pattern("S3Uri")
        #expect(s3Uri.matches("s3://bees/manifests/train.manifest"))
        #expect(s3Uri.matches("https://bees.s3.amazonaws.com/x"))
        #expect(!s3Uri.matches("file:///tmp/x"))
        let tagKey = pattern("TagKey")
        #expect(tagKey.matches("Prüfung: team=ml/@bees"))
        #expect(!tagKey.matches("no*stars"))
        // Full match: the name pattern must not match a prefix of an invalid name, nor accept a trailing newline.
        let name = pattern("TrainingJobName")
        #expect(!name.matches("bees_1"))
        #expect(!name.matches("bees\n"))
        #expect(name.matches("bees--1"))
    }

    @Test func findsMissingRequiredOutputMembersAtAnyDepth() {
        let describe: JSONValue = [
            "TrainingJobName": "bees", "TrainingJobArn": "arn:aws:sagemaker:us-east-1:000000000000:training-job/bees",
            "TrainingJobStatus": "InProgress", "SecondaryStatus": "Starting", "CreationTime": 1_704_067_200,
            "StoppingCondition": ["MaxRuntimeInSeconds": 3600],
            "ModelArtifacts": [:],
            "InputDataConfig": [["ChannelName": "train", "DataSource": ["S3DataSource": ["S3DataType": "S3Prefix"]]]],
        ]
        #expect(
            ServiceModel.sageMaker.missingRequiredOutputMembers(describe, operation: "DescribeTrainingJob") == [
                "ModelArtifacts.S3ModelArtifacts", "InputDataConfig[0].DataSource.S3DataSource.S3Uri",
            ]
        )
        let list: JSONValue = ["TrainingJobSummaries": [["TrainingJobName": "bees", "CreationTime": 1, "TrainingJobStatus": "Completed"]]]
        #expect(
            ServiceModel.sageMaker.missingRequiredOutputMembers(list, operation: "ListTrainingJobs") == [
                "TrainingJobSummaries[0].TrainingJobArn"
            ]
        )
        #expect(ServiceModel.sageMaker.missingRequiredOutputMembers([:], operation: "ListTrainingJobs") == ["TrainingJobSummaries"])
        #expect(ServiceModel.sageMaker.missingRequiredOutputMembers([:], operation: "StopTrainingJob") == [])
    }
}
