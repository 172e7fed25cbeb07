/// An error as AWS services answer it: a code botocore keys on (`ValidationException`, `ResourceInUse`, …), a
/// message, an HTTP status, and for some protocols extra body members. Rendering into a protocol's own envelope
/// (JSON 1.1 `__type`, rest-json `x-amzn-ErrorType`, S3 XML) is the edge's job.
public struct AWSError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: String
    public var message: String
    public var status: Int
    /// Extra body members (e.g. `OriginalStatusCode` of the runtime's `ModelError`).
    public var extra: [String: JSONValue]

    public init(_ code: String, _ message: String, status: Int = 400, extra: [String: JSONValue] = [:]) {
        self.code = code
        self.message = message
        self.status = status
        self.extra = extra
    }

    public var description: String { "\(code): \(message)" }

    /// Constraint violations, bad enums, and "not found" for SageMaker's training jobs, models, configs, endpoints.
    public static func validation(_ message: String) -> AWSError { AWSError("ValidationException", message) }
    /// A duplicate training or labeling job name.
    public static func resourceInUse(_ message: String) -> AWSError { AWSError("ResourceInUse", message) }
    /// A capacity limit of this daemon.
    public static func resourceLimitExceeded(_ message: String) -> AWSError { AWSError("ResourceLimitExceeded", message) }
    /// An operation this daemon does not implement.
    public static func unknownOperation(_ operation: String) -> AWSError {
        AWSError("UnknownOperationException", "The operation \(operation) is not supported by Apiary (see docs/api.md).")
    }
    /// A body that is not the JSON object the operation needs.
    public static func serialization(_ message: String) -> AWSError { AWSError("SerializationException", message) }
    /// A bug in the daemon (botocore retries 5xx; never use it for deterministic errors).
    public static func internalFailure(_ message: String) -> AWSError { AWSError("InternalFailure", message, status: 500) }
}
