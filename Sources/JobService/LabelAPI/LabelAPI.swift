import AWSHTTP
import AWSProtocol
import Foundation
import HTTPTypes
import Hummingbird
import LabelStore
import NIOCore
import ObjectStore
import SageMakerAPI

/// The label commands' API under the daemon's reserved `/_apiary/labels/`: what `ctl labels …` asks for instead
/// of opening `labels.sqlite` itself, so the daemon is the one process that owns the label store, whatever
/// `APIARY_HOME` the shell has and on whichever machine it runs. Requests are SigV4-signed and pass the same door
/// as the AWS surfaces (`EdgeAuthenticator`, so `--auth verify` guards them); answers are JSON, errors rest-json
/// (`x-amzn-ErrorType`: `ResourceNotFoundException`, `ValidationException`, `ConflictException`,
/// `FreeTierExhausted`). `POST /_apiary/labels/{operation}` with a JSON object; `GET …/images/{id}` the bytes.
struct LabelAPI: Sendable {
    static let prefix = "/_apiary/labels/"
    /// An import carries its images: room for a few hundred phone photos.
    static let maximumBody = 1024 * 1024 * 1024

    let store: LabelStore
    let objects: ObjectStore
    /// Writes Ground Truth's intermediate outputs for the tasks an apply or import submits.
    let responses: LabelingJobResponses

    func respond(to request: Request, authenticator: EdgeAuthenticator, requestID: String) async -> Response {
        let operation = String(request.uri.path.dropFirst(Self.prefix.count))
        guard let buffer = try? await request.body.collect(upTo: Self.maximumBody) else {
            return AWSResponses.restJSON(AWSError("RequestEntityTooLarge", "The request body is larger than \(Self.maximumBody) bytes.", status: 413), requestID: requestID)
        }
        let body = Array(buffer: buffer)
        return await BlockingStoreWork.run { [self] in answer(operation, request: request, body: body, authenticator: authenticator, requestID: requestID) }
    }

    /// The answer to a request whose body has been read; its store calls block.
    private func answer(_ operation: String, request: Request, body: [UInt8], authenticator: EdgeAuthenticator, requestID: String) -> Response {
        do {
            _ = try authenticator.authenticate(request, body: body)
            if request.method == .get, operation.hasPrefix("images/"), let id = Int64(operation.dropFirst("images/".count)) {
                return AWSResponses.response(status: 200, contentType: "application/octet-stream", body: try store.imageBytes(id: id), requestID: requestID)
            }
            guard request.method == .post else { throw AWSError("UnknownOperationException", "No label operation at \(request.method) \(request.uri.path).", status: 404) }
            let answer = try perform(operation, body: body)
            return AWSResponses.response(status: 200, contentType: "application/json", body: answer, requestID: requestID)
        } catch let error as AWSError {
            return AWSResponses.restJSON(error, requestID: requestID)
        } catch let error as LabelStoreError {
            return AWSResponses.restJSON(Self.awsError(error), requestID: requestID)
        } catch is DecodingError {
            return AWSResponses.restJSON(AWSError.serialization("The request body is not what /_apiary/labels/\(operation) takes."), requestID: requestID)
        } catch {
            return AWSResponses.restJSON(AWSError.unexpected(error), requestID: requestID)
        }
    }

    /// The store's refusals in the API's codes (ctl turns them into exit codes 64, 65 and 1).
    static func awsError(_ error: LabelStoreError) -> AWSError {
        switch error.kind {
        case .notFound: AWSError("ResourceNotFoundException", error.message, status: 404)
        case .invalid: AWSError("ValidationException", error.message, status: 400)
        case .conflict: AWSError("ConflictException", error.message, status: 409)
        case .freeTierExhausted: AWSError("FreeTierExhausted", error.message, status: 402)
        }
    }
}
