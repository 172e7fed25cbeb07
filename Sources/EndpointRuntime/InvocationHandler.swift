import AWSProtocol
import Foundation
import ImageCodec
import ModelCore

/// The SageMaker runtime's `InvokeEndpoint` (rest-json, `POST /endpoints/{name}/invocations`): checks the
/// request, decodes the image on the request's task, queues it on the variant's micro-batcher and answers
/// `{"prediction": [[class_id, score, xmin, ymin, xmax, ymax], …]}`. Every failure is a runtime error in
/// the protocol's shape; a bad request never reaches, let alone stops, the model.
package struct InvocationHandler: Sendable {
    /// SageMaker's payload limit.
    static let maximumPayload = 6 * 1024 * 1024
    static let imageTypes: Set<String> = ["image/jpeg", "image/png", "application/x-image", "application/octet-stream"]

    package let host: EndpointHost

    package init(host: EndpointHost) {
        self.host = host
    }

    /// The answer's body, content type and variant. - Throws: `AWSError` (ValidationError, ModelError 424).
    package func invoke(
        endpoint name: String, body: [UInt8], contentType: String?, accept: String?, targetVariant: String?, context: AWSRequestContext
    ) async throws -> (body: [UInt8], contentType: String, variant: String) {
        guard let deployment = try await host.deploymentToInvoke(name) else {
            throw AWSError("ValidationError", "Endpoint \(name) of account \(context.account) not found.")
        }
        let metrics = host.metrics(name)
        let start = Date()
        do {
            let answer = try await answer(deployment, name: name, body: body, contentType: contentType, accept: accept, targetVariant: targetVariant)
            metrics.recordInvocation(seconds: Date().timeIntervalSince(start), errorCode: nil)
            return answer
        } catch var error as AWSError {
            metrics.recordInvocation(seconds: Date().timeIntervalSince(start), errorCode: error.code)
            if error.code == "ModelError" {
                let log = EndpointLog(store: host.store, endpoint: name, variant: deployment.variant(named: targetVariant)?.name ?? "AllTraffic")
                log.append(error.extra["OriginalMessage"]?.stringValue ?? error.message, status: error.extra["OriginalStatusCode"]?.intValue)
                error.extra["LogStreamArn"] = .string(log.arn(context))
            }
            throw error
        }
    }

    private func answer(
        _ deployment: DeployedEndpoint, name: String, body: [UInt8], contentType: String?, accept: String?, targetVariant: String?
    ) async throws -> (body: [UInt8], contentType: String, variant: String) {
        guard body.count <= Self.maximumPayload else {
            throw AWSError("ValidationError", "Request payload is \(body.count) bytes; the limit for InvokeEndpoint is \(Self.maximumPayload) bytes.")
        }
        guard let variant = deployment.variant(named: targetVariant) else {
            throw AWSError("ValidationError", "Variant \(targetVariant ?? "") not found on endpoint \(name).")
        }
        let type = (contentType ?? "application/octet-stream").prefix { $0 != ";" }.trimmingCharacters(in: .whitespaces).lowercased()
        guard Self.imageTypes.contains(type) else {
            throw Self.modelError(415, "Content type \(type) is not supported by this model. Supported: image/jpeg, image/png, application/x-image.", name)
        }
        let acceptable = (accept ?? "application/json").split(separator: ",").map { $0.prefix { $0 != ";" }.trimmingCharacters(in: .whitespaces) }
        guard acceptable.contains(where: { $0 == "application/json" || $0 == "*/*" || $0 == "application/*" }) else {
            throw Self.modelError(406, "Accept \(accept ?? "") is not supported: this model answers application/json.", name)
        }
        let image: RGBImage
        do {
            // Upright by the EXIF orientation, as labels are drawn; large JPEGs (phone photos) decode already shrunk
            // towards the model's input (see JPEGCodec).
            image = try ImageDecoder.decodeUpright(body, minimumSide: variant.batcher.inputSide)
        } catch {
            throw Self.modelError(400, "Unable to decode the request body as an image (\(error)).", name)
        }
        let detections: [Detection]
        do {
            detections = try await variant.batcher.detect(image)
        } catch {
            throw Self.modelError(500, "Inference failed: \(error)", name)
        }
        return (ObjectDetector.predictionJSON(detections), "application/json", variant.name)
    }

    /// SageMaker's `ModelError` (424) with the container's status and message (`invoke` adds the log's ARN).
    static func modelError(_ status: Int, _ message: String, _ endpoint: String) -> AWSError {
        AWSError(
            "ModelError",
            "Received client error (\(status)) from primary with message \"\(message)\". See the log group "
                + "\(EndpointLog.group(endpoint)) for more information.",
            status: 424,
            extra: ["OriginalStatusCode": .int(status), "OriginalMessage": .string(message)])
    }
}
