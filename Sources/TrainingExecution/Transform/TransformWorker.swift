import AWSProtocol
import ControlPlane
import EndpointRuntime
import Foundation
import ImageCodec
import Logging
import ModelCore
import ObjectStore

/// What a training worker does with a claimed batch transform job: loads the model's `model.tar.gz`, runs the
/// detector over every input object (`TransformInputs`) and writes `<S3OutputPath>/<relative key>.out` with the
/// same JSON InvokeEndpoint answers, logging each object to `/aws/sagemaker/TransformJobs` (stream
/// `<job>/<instance id>`). An object that is not an image of the job's content type fails the job with a
/// FailureReason naming it, as the built-in algorithm's container does. A stop is honoured between objects; on
/// shutdown the job stays queued and runs again from the start on the next start.
package struct TransformWorker: Sendable {
    static let logGroup = "/aws/sagemaker/TransformJobs"
    static let contentTypes: Set<String> = ["image/jpeg", "image/png", "application/x-image"]

    let store: ControlPlaneStore
    let objects: any ObjectStorage
    let logger: Logger

    package init(store: ControlPlaneStore, objects: any ObjectStorage, logger: Logger) {
        self.store = store
        self.objects = objects
        self.logger = logger
    }

    package func run(_ name: String, control: TrainingJobControl) {
        do {
            guard let job = try store.resource(.transformJob, named: name), job.status(as: TransformJobStatus.self) == .inProgress else {
                // Gone, finished, or being stopped when the daemon last stopped: Stopping ends Stopped.
                return try control.complete { TransformJobLifecycle.ended(&$0, status: .stopped, at: AWSTimestamp.seconds(Date())) }
            }
            try store.update(.transformJob, named: name) { TransformJobLifecycle.started(&$0, at: AWSTimestamp.seconds(Date())) }
            let log = { (line: String) in
                let now = Int64(Date().timeIntervalSince1970 * 1000)
                try? store.appendLogEvents(group: Self.logGroup, stream: "\(name)/\(EndpointLog.instance)", [(now, line)], now: now)
            }
            guard let (status, reason) = transform(job.document, log: log, stopRequested: { control.requested }) else {
                return logger.info("transform job paused for shutdown; it runs again on the next start", metadata: ["job": "\(name)"])
            }
            if let reason { log(reason) }
            let now = AWSTimestamp.seconds(Date())
            let end: TrainingJobQueue.Change = { TransformJobLifecycle.ended(&$0, status: status, failureReason: reason, at: now) }
            try status == .failed ? control.fail(end) : control.complete(end)
            logger.info("transform job ended", metadata: ["job": "\(name)", "status": "\(status.rawValue)"])
        } catch {
            logger.error("transform job bookkeeping failed", metadata: ["job": "\(name)", "error": "\(error)"])
        }
    }

    /// Runs the job: its end status and failure reason; nil when the daemon is shutting down.
    private func transform(_ request: JSONValue, log: (String) -> Void, stopRequested: () -> StopRequest?) -> (TransformJobStatus, String?)? {
        do {
            let contentType = (request["TransformInput"]?["ContentType"]?.stringValue ?? "application/x-image").lowercased()
            guard Self.contentTypes.contains(contentType) else {
                throw TransformFailure("ClientError: ContentType \(contentType) is not supported: use image/jpeg, image/png or application/x-image.")
            }
            let split = request["TransformInput"]?["SplitType"]?.stringValue ?? "None"
            guard split == "None" else { throw TransformFailure("ClientError: SplitType \(split) cannot split images; use None.") }
            let modelName = request["ModelName"]?.stringValue ?? ""
            guard let model = try store.resource(.model, named: modelName) else {
                throw TransformFailure("ClientError: Could not find model \(modelName).")
            }
            let container = model.document["PrimaryContainer"] ?? model.document["Containers"]?.arrayValue?.first ?? [:]
            let detector: ObjectDetector
            do {
                detector = try DeployedEndpoint.detector(container: container, modelName: modelName, objects: objects)
            } catch let failure as DeploymentFailure {
                throw TransformFailure("ClientError: \(failure.description)")
            }
            let outputText = request["TransformOutput"]?["S3OutputPath"]?.stringValue ?? ""
            guard let output = S3URI(outputText) else { throw TransformFailure("ClientError: S3OutputPath '\(outputText)' is not an s3:// URI.") }
            let items = try TransformInputs.items(of: request, objects: objects)
            log("Transforming \(items.count) objects with model \(modelName)")
            for item in items {
                switch stopRequested() {
                case .shutdown?: return nil
                case .userStop?: return (.stopped, nil)
                case nil: break
                }
                let image: RGBImage
                do {
                    image = try ImageDecoder.decodeUpright(Array(try objects.get(item.uri)), minimumSide: detector.symbol.imageShape)
                } catch {
                    throw TransformFailure("ClientError: Unable to decode \(item.uri) as an image (\(error)); the job stopped there.")
                }
                let detections = try detector.detect([image])[0]
                let destination = output.appending(item.relativePath + ".out")
                _ = try objects.put(
                    Data(ObjectDetector.predictionJSON(detections)),
                    at: destination,
                    attributes: .init(contentType: "application/json")
                )
                log("\(item.uri) -> \(destination): \(detections.count) detections")
            }
            return (.completed, nil)
        } catch let failure as TransformFailure {
            return (.failed, failure.description)
        } catch {
            return (.failed, "InternalServerError: \(error)")
        }
    }
}
