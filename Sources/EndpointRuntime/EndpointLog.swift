import AWSProtocol
import ControlPlane
import Foundation

/// An endpoint's CloudWatch log, where SageMaker's ModelError message sends people: group
/// `/aws/sagemaker/Endpoints/<endpoint>`, one stream `<variant>/<instance id>` per variant (Apiary runs one
/// instance per variant). Each failed invocation writes the container's status and message there.
package struct EndpointLog: Sendable {
    /// The instance id in stream names.
    package static let instance = "i-apiary0000000000"

    let store: ControlPlaneStore
    let endpoint: String
    let variant: String

    static func group(_ endpoint: String) -> String { "/aws/sagemaker/Endpoints/\(endpoint)" }

    var stream: String { "\(variant)/\(Self.instance)" }

    /// `LogStreamArn` of the ModelError answer.
    func arn(_ context: AWSRequestContext) -> String {
        "arn:aws:logs:\(context.region):\(context.account):log-group:\(Self.group(endpoint)):log-stream:\(stream)"
    }

    /// Appends one line for a failed invocation; a log that cannot be written never fails the call.
    func append(_ message: String, status: Int?) {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let line = "ERROR - invocation failed with status \(status.map(String.init) ?? "unknown"): \(message)"
        try? store.appendLogEvents(group: Self.group(endpoint), stream: stream, [(now, line)], now: now)
    }
}
