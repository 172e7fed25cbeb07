import AWSProtocol
import Foundation
import JobService
import LabelStore
import ModelCore
import ObjectStore
import Testing
@testable import TrainingExecution

/// A fresh object store in a temporary directory (removed on deinit), with the bee fixture of `BeeFixture`
/// and an empty output bucket `models`.
final class TestStore {
    let root: URL
    let store: ObjectStore

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("apiary-jobservice-\(UUID().uuidString)")
        store = ObjectStore(root: root.appendingPathComponent("store"))
        try BeeFixture.populate(store)
        try store.ensureBucket("models")
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    /// A work directory for a training job (not created).
    func workDirectory(_ name: String) -> URL { root.appendingPathComponent("work/\(name)") }

    func put(_ text: String, at uri: String) throws {
        try store.put(Data(text.utf8), at: S3URI(uri)!)
    }
}

/// Six images of LabelStore's sample bee dataset, 0…3 for training and 4…5 for validation, stored in bucket
/// `bees` in the three channel layouts:
///
///     images/<id>.jpg                         every image
///     manifests/{train,validation}.manifest   augmented manifests (label attribute bees-500) of images/
///     imageformat/{train,validation}/<id>.jpg the image format's images…
///     imageformat/{train,validation}_annotation/<id>.json   …and annotations
enum BeeFixture {
    static let samples: [SampleBeeDataset.Sample] = (0..<6).map { try! SampleBeeDataset.sample(index: $0) }
    static let trainIndices = 0..<4
    static let validationIndices = 4..<6

    static func imageURI(_ index: Int) -> String { "s3://bees/images/\(samples[index].fileName)" }

    static func populate(_ store: ObjectStore) throws {
        try store.ensureBucket("bees")
        for (split, indices) in [("train", trainIndices), ("validation", validationIndices)] {
            var manifest = ""
            for index in indices {
                let sample = samples[index]
                try store.put(Data(sample.jpeg), at: S3URI(imageURI(index))!)
                manifest += manifestLine(sourceRef: imageURI(index), sample) + "\n"
                let base = sample.fileName.replacingOccurrences(of: ".jpg", with: "")
                try store.put(Data(sample.jpeg), at: S3URI("s3://bees/imageformat/\(split)/\(sample.fileName)")!)
                let annotation = annotationJSON(file: sample.fileName, sample)
                try store.put(Data(annotation.utf8), at: S3URI("s3://bees/imageformat/\(split)_annotation/\(base).json")!)
            }
            try store.put(Data(manifest.utf8), at: S3URI("s3://bees/manifests/\(split).manifest")!)
        }
    }

    /// An augmented-manifest line as Ground Truth writes it (without the metadata, which is ignored).
    static func manifestLine(sourceRef: String, _ sample: SampleBeeDataset.Sample) -> String {
        JSONValue.object(["source-ref": .string(sourceRef), "bees-500": label(sample)]).rendered()
    }

    /// An annotation file of the image format.
    static func annotationJSON(file: String, _ sample: SampleBeeDataset.Sample) -> String {
        var json = label(sample)
        json["file"] = .string(file)
        json["categories"] = [["class_id": 0, "name": "bee"]]
        return json.rendered()
    }

    private static func label(_ sample: SampleBeeDataset.Sample) -> JSONValue {
        let annotations = sample.boxes.map { box -> JSONValue in
            ["class_id": 0, "left": .double(box.left), "top": .double(box.top), "width": .double(box.width), "height": .double(box.height)]
        }
        return [
            "annotations": .array(annotations),
            "image_size": [["width": .int(sample.image.width), "height": .int(sample.image.height), "depth": 3]],
        ]
    }

    /// The bee course's channels: augmented manifests in Pipe mode with RecordIO wrapping.
    static var augmentedManifestChannels: [TrainingChannelSpec] {
        ["train", "validation"].map { name in
            TrainingChannelSpec(
                name: name,
                dataType: .augmentedManifestFile,
                uri: S3URI("s3://bees/manifests/\(name).manifest")!,
                attributeNames: ["source-ref", "bees-500"],
                contentType: "application/x-recordio",
                recordWrapper: .recordIO,
                inputMode: .pipe
            )
        }
    }

    /// The image format's four channels, all S3Prefix.
    static var imageFormatChannels: [TrainingChannelSpec] {
        ["train", "validation", "train_annotation", "validation_annotation"].map { name in
            TrainingChannelSpec(name: name, dataType: .s3Prefix, uri: S3URI("s3://bees/imageformat/\(name)/")!, contentType: "application/x-image")
        }
    }
}

/// A `CreateTrainingJob` request as the bee course sends it, shrunk to a fast run: apiary-mobile at 300²,
/// four training images in batches of two.
func beeRequest(
    name: String,
    hyperparameters: [String: String] = [:],
    image: String = "811284229777.dkr.ecr.us-east-1.amazonaws.com/object-detection:1",
    seed: UInt64? = 7,
    outputPath: String = "s3://models/output",
    compression: String? = nil
) -> JSONValue {
    let fast = [
        "num_classes": "1", "num_training_samples": "4", "base_network": "apiary-mobile", "mini_batch_size": "2", "epochs": "2",
        "optimizer": "adam", "learning_rate": "0.001", "image_shape": "300",
    ]
    let channels = ["train", "validation"].map { channel -> JSONValue in
        [
            "ChannelName": .string(channel),
            "DataSource": [
                "S3DataSource": [
                    "S3DataType": "AugmentedManifestFile", "S3Uri": .string("s3://bees/manifests/\(channel).manifest"),
                    "S3DataDistributionType": "FullyReplicated", "AttributeNames": ["source-ref", "bees-500"],
                ]
            ],
            "ContentType": "application/x-recordio", "RecordWrapperType": "RecordIO", "CompressionType": "None",
        ]
    }
    var request: JSONValue = [
        "TrainingJobName": .string(name),
        "RoleArn": "arn:aws:iam::123456789012:role/SageMakerRole",
        "AlgorithmSpecification": ["TrainingImage": .string(image), "TrainingInputMode": "Pipe"],
        "HyperParameters": .object(fast.merging(hyperparameters) { $1 }.mapValues { .string($0) }),
        "InputDataConfig": .array(channels),
        "OutputDataConfig": ["S3OutputPath": .string(outputPath)],
        "ResourceConfig": ["InstanceType": "ml.p3.2xlarge", "InstanceCount": 1, "VolumeSizeInGB": 50],
        "StoppingCondition": ["MaxRuntimeInSeconds": 86400],
    ]
    if let seed { request["Environment"] = ["APIARY_SEED": .string(String(seed))] }
    if let compression { request["OutputDataConfig"]?["CompressionType"] = .string(compression) }
    return request
}

/// Expects `body` to throw a `TrainingClientError` whose description starts `ClientError: ` and contains
/// every one of `fragments`.
func expectClientError(
    _ fragments: String...,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Void
) {
    do {
        try body()
        Issue.record("no error; expected ClientError containing \(fragments)", sourceLocation: sourceLocation)
    } catch let error as TrainingClientError {
        #expect(error.description.hasPrefix("ClientError: "), sourceLocation: sourceLocation)
        for fragment in fragments {
            #expect(error.description.contains(fragment), "\(error.description) lacks \(fragment)", sourceLocation: sourceLocation)
        }
    } catch {
        Issue.record("expected a TrainingClientError, got \(error)", sourceLocation: sourceLocation)
    }
}

/// A `CreateLabelingJob` request as the bee course sends it (bounding boxes, one private worker), over BeeFixture's
/// `images`; its input manifest and label category config (`bee`) are put under `s3://bees/labeling/<name>/`, the
/// output goes to `s3://models/labels/`.
func labelingRequest(name: String, images: Range<Int> = 0..<4, in store: ObjectStore) throws -> JSONValue {
    let manifest = images.map { JSONValue.object(["source-ref": .string(BeeFixture.imageURI($0))]).rendered() + "\n" }.joined()
    try store.put(Data(manifest.utf8), at: S3URI("s3://bees/labeling/\(name)/input.manifest")!)
    try store.put(Data(#"{"document-version": "2018-11-28", "labels": [{"label": "bee"}]}"#.utf8), at: S3URI("s3://bees/labeling/\(name)/class_labels.json")!)
    return [
        "LabelingJobName": .string(name),
        "LabelAttributeName": "bees",
        "InputConfig": [
            "DataSource": ["S3DataSource": ["ManifestS3Uri": .string("s3://bees/labeling/\(name)/input.manifest")]],
            "DataAttributes": ["ContentClassifiers": ["FreeOfPersonallyIdentifiableInformation", "FreeOfAdultContent"]],
        ],
        "OutputConfig": ["S3OutputPath": "s3://models/labels/"],
        "RoleArn": "arn:aws:iam::123456789012:role/service-role/AmazonSageMaker-ExecutionRole",
        "LabelCategoryConfigS3Uri": .string("s3://bees/labeling/\(name)/class_labels.json"),
        "StoppingConditions": ["MaxPercentageOfInputDatasetLabeled": 100],
        "HumanTaskConfig": [
            "WorkteamArn": "arn:aws:sagemaker:us-east-1:123456789012:workteam/private-crowd/bees",
            "UiConfig": ["UiTemplateS3Uri": "s3://bees/labeling/template.liquid"],
            "PreHumanTaskLambdaArn": "arn:aws:lambda:us-east-1:432418664414:function:PRE-BoundingBox",
            "TaskKeywords": ["Images", "bounding boxes", "object detection"],
            "TaskTitle": "Bees", "TaskDescription": "Draw a box around each bee",
            "NumberOfHumanWorkersPerDataObject": 1, "TaskTimeLimitInSeconds": 300, "TaskAvailabilityLifetimeInSeconds": 21600,
            "MaxConcurrentTaskCount": 1000,
            "AnnotationConsolidationConfig": [
                "AnnotationConsolidationLambdaArn": "arn:aws:lambda:us-east-1:432418664414:function:ACS-BoundingBox"
            ],
        ],
        "Tags": [["Key": "course", "Value": "bees"]],
    ]
}
