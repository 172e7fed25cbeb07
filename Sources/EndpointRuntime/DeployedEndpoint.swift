import AWSProtocol
import ControlPlane
import Foundation
import ModelCore
import ObjectStore

/// An endpoint's loaded models, ready to answer: one micro-batched detector per production variant, chosen per
/// request by `TargetVariant` or at random by weight. Built from the snapshot of the endpoint configuration and
/// its models taken when the endpoint was created or updated (later changes to those resources do not touch it).
package final class DeployedEndpoint: Sendable {
    struct Variant: Sendable {
        let name: String
        let weight: Double
        let image: String
        let batcher: MicroBatcher
    }

    package let configName: String
    let variants: [Variant]
    /// Which deployment this is: the snapshot it was loaded from, as `source(of:)` names it.
    let source: String

    private init(configName: String, variants: [Variant], source: String) {
        self.configName = configName
        self.variants = variants
        self.source = source
    }

    /// The name of the deployment `snapshot` describes: its compact rendering (keys sorted, a whole number written one
    /// way whether it is held as an integer or a double), so that a snapshot read back from a database names the same
    /// deployment as the one that was loaded.
    static func source(of snapshot: JSONValue) -> String { snapshot.rendered() }

    /// The variant to serve a request: the one named, or a weighted random pick. nil when the name is unknown.
    func variant(named target: String?) -> Variant? {
        if let target { return variants.first { $0.name == target } }
        let total = variants.reduce(0) { $0 + max(0, $1.weight) }
        guard total > 0 else { return variants.first }
        var pick = Double.random(in: 0..<total)
        for variant in variants {
            pick -= max(0, variant.weight)
            if pick < 0 { return variant }
        }
        return variants.last
    }

    /// DescribeEndpoint's `ProductionVariants`.
    package func describeVariants(resolvedAt time: Double) -> JSONValue {
        .array(
            variants.map { variant in
                [
                    "VariantName": .string(variant.name),
                    "DeployedImages": [["SpecifiedImage": .string(variant.image), "ResolvedImage": .string(variant.image), "ResolutionTime": .double(time)]],
                    "CurrentWeight": .double(variant.weight), "DesiredWeight": .double(variant.weight),
                    "CurrentInstanceCount": 1, "DesiredInstanceCount": 1,
                ]
            })
    }

    /// The snapshot an endpoint keeps: its configuration and the models its variants name, as described then.
    package static func snapshot(config: ResourceRecord, models: [ResourceRecord]) -> JSONValue {
        ["EndpointConfig": config.document, "Models": .object(Dictionary(uniqueKeysWithValues: models.map { ($0.name, $0.document) }))]
    }

    /// Loads every variant's `model.tar.gz` from the object store.
    /// - Throws: `DeploymentFailure` with the FailureReason SageMaker would give.
    static func load(snapshot: JSONValue, objects: ObjectStore, endpoint: String, metrics: EndpointMetrics) throws -> DeployedEndpoint {
        let config = snapshot["EndpointConfig"] ?? [:]
        var variants: [Variant] = []
        for variant in config["ProductionVariants"]?.arrayValue ?? [] {
            let variantName = variant["VariantName"]?.stringValue ?? "AllTraffic"
            let modelName = variant["ModelName"]?.stringValue ?? ""
            guard let model = snapshot["Models"]?[modelName] else { throw DeploymentFailure("Model \(modelName) of variant \(variantName) is missing.") }
            let container = model["PrimaryContainer"] ?? model["Containers"]?.arrayValue?.first ?? [:]
            let image = container["Image"]?.stringValue ?? ""
            let detector = try Self.detector(container: container, modelName: modelName, objects: objects)
            let environment = (container["Environment"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
            let batcher = MicroBatcher(
                detector: detector, settings: MicroBatcher.Settings(environment: environment), name: "\(endpoint)-\(variantName)"
            ) { size in metrics.recordBatch(size: size) }
            variants.append(Variant(name: variantName, weight: variant["InitialVariantWeight"]?.doubleValue ?? 1, image: image, batcher: batcher))
        }
        guard !variants.isEmpty else { throw DeploymentFailure("The endpoint configuration has no production variants.") }
        return DeployedEndpoint(configName: config["EndpointConfigName"]?.stringValue ?? "", variants: variants, source: source(of: snapshot))
    }
}

extension DeployedEndpoint {
    /// The built-in algorithm's detector for a model's container, from its `model.tar.gz` (endpoints and batch transform).
    /// - Throws: `DeploymentFailure` with the FailureReason SageMaker would give.
    package static func detector(container: JSONValue, modelName: String, objects: any ObjectStorage) throws -> ObjectDetector {
        let image = container["Image"]?.stringValue ?? ""
        guard BuiltInAlgorithm.isObjectDetection(image: image) else {
            throw DeploymentFailure(
                "The image '\(image)' of model \(modelName) is not supported: Apiary serves the built-in object-detection image (…/object-detection:1).")
        }
        guard let url = container["ModelDataUrl"]?.stringValue else {
            throw DeploymentFailure("Model \(modelName) has no ModelDataUrl: the built-in algorithm needs the model.tar.gz of a training job.")
        }
        guard let uri = S3URI(url) else { throw DeploymentFailure("Could not access model data at \(url). Please ensure that it is an s3:// URI.") }
        let archive: Data
        do {
            archive = try objects.get(uri)
        } catch {
            throw DeploymentFailure(
                "Could not access model data at \(url). Please ensure that the object exists and that the role has access to it (\(error)).")
        }
        do {
            return try ObjectDetector(archive: Array(archive), engine: CPUEngine())
        } catch {
            throw DeploymentFailure(
                "Failed to extract model data archive from URL \"\(url)\". Please ensure that the object located at the URL is a valid tar.gz archive of the object-detection algorithm (\(error)).")
        }
    }
}

/// Why an endpoint could not be deployed: its `FailureReason`.
package struct DeploymentFailure: Error, CustomStringConvertible {
    package var description: String
    init(_ description: String) { self.description = description }
}
