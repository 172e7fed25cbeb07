import AWSProtocol
import Foundation

/// The daemon's label API (`/_apiary/labels/…`, JobService's `LabelAPI`): every `ctl labels` command goes through
/// it, SigV4-signed like the AWS calls, so the daemon stays the one process that opens the label store.
extension APIClient {
    /// `POST /_apiary/labels/{operation}` with a JSON object. - Throws: `CLIError` with the refusal's exit code.
    func labels(_ operation: String, _ input: JSONValue = [:]) async throws -> JSONValue {
        try await labelsAnswer(operation, input).json
    }

    /// `labels`, with the answer's bytes as the daemon sent them (what `--json` prints).
    func labelsAnswer(_ operation: String, _ input: JSONValue = [:]) async throws -> (json: JSONValue, bytes: Data) {
        let data = try await labelRequest("POST", operation, body: input.renderedBytes)
        return ((try? JSONValue.parse(data)) ?? [:], data)
    }

    /// A label API request with a raw body; the answer's bytes.
    /// - Throws: `CLIError`: exit 64 for something that does not exist, 65 for bad data, 1 for other refusals.
    func labelRequest(_ method: String, _ operation: String, body: [UInt8] = []) async throws -> Data {
        let (data, response) = try await signed(
            method, "/_apiary/labels/" + operation, headers: [("Content-Type", "application/json")], body: body, service: "sagemaker")
        guard !(200..<300).contains(response.statusCode) else { return data }
        let code = response.value(forHTTPHeaderField: "x-amzn-ErrorType") ?? "HTTP \(response.statusCode)"
        let message = ((try? JSONValue.parse(data))?["message"]?.stringValue).map { $0.isEmpty ? code : $0 } ?? code
        switch code {
        case "ResourceNotFoundException": throw CLIError(message, exitCode: 64)
        case "ValidationException", "SerializationException": throw CLIError(message, exitCode: 65)
        case "UnknownOperationException":
            throw CLIError("the daemon at \(endpoint.absoluteString) has no label API (\(message)); run a ctl serve of this version", exitCode: 1)
        default: throw CLIError(code == message ? message : "\(code): \(message)", exitCode: 1)
        }
    }
}
