import AWSProtocol
import Foundation
import Hummingbird
import ObjectStore

/// Streams a PutObject or UploadPart body into an `ObjectUpload` (s3-api.md §5): raw, or `aws-chunked` (decoded,
/// only the payload stored), while the upload computes the MD5 and the flexible checksum. Then checks what the client
/// claimed: `X-Amz-Decoded-Content-Length`, `Content-MD5`, an `x-amz-checksum-*` header or trailer, and (with
/// `--auth verify`) a hex `X-Amz-Content-SHA256`.
struct UploadBody {
    let request: S3Request
    /// Whether a hex `X-Amz-Content-SHA256` is checked against the body (it is signed, so `verify` mode checks it).
    let verifiesPayloadHash: Bool

    /// The payload hash to check: the header's, when it is 64 hex digits and checking is on.
    private var expectedPayloadHash: String? {
        guard verifiesPayloadHash, let value = request.header("x-amz-content-sha256")?.lowercased(), value.utf8.count == 64,
            value.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
        else { return nil }
        return value
    }

    /// The checksum the client sends or announces (header, `X-Amz-Trailer`, `x-amz-sdk-checksum-algorithm`).
    var checksumAlgorithm: ChecksumAlgorithm? {
        if let named = ChecksumAlgorithm.allCases.first(where: { request.header($0.headerName) != nil }) { return named }
        if let trailer = request.header("x-amz-trailer"),
            let named = ChecksumAlgorithm.allCases.first(where: { trailer.lowercased().contains($0.headerName) })
        {
            return named
        }
        return request.header("x-amz-sdk-checksum-algorithm").flatMap(ChecksumAlgorithm.init(name:))
    }

    /// True when the body is aws-chunked: a `STREAMING-…` payload hash or an `aws-chunked` content coding.
    var isAWSChunked: Bool {
        request.header("x-amz-content-sha256")?.hasPrefix("STREAMING-") == true
            || (request.header("content-encoding") ?? "").split(separator: ",").contains { $0.trimmingWhitespace().lowercased() == "aws-chunked" }
    }

    /// The stored `Content-Encoding`: the request's without `aws-chunked`; nil when nothing remains.
    var storedContentEncoding: String? {
        let codings = (request.header("content-encoding") ?? "").split(separator: ",").map { $0.trimmingWhitespace() }
            .filter { !$0.isEmpty && $0.lowercased() != "aws-chunked" }
        return codings.isEmpty ? nil : codings.joined(separator: ",")
    }

    /// Reads `body` to its end into `upload`, then verifies it against what the client claimed.
    /// - Throws: `IncompleteBody`, `BadDigest`, `InvalidRequest` (an announced trailer missing), `InvalidDigest`.
    func receive(_ body: RequestBody, into upload: ObjectUpload) async throws {
        let decodedLength = request.header("x-amz-decoded-content-length").flatMap { Int($0) }.flatMap { $0 >= 0 ? $0 : nil }
        var decoder = isAWSChunked ? AWSChunkedDecoder(decodedLength: decodedLength) : nil
        let expectedHash = decoder == nil ? expectedPayloadHash : nil
        var payloadHash = expectedHash.map { _ in LibcryptoDigest(.sha256) }
        for try await buffer in body {
            try buffer.withUnsafeReadableBytes { bytes in
                if decoder != nil {
                    try decoder!.feed(bytes) { try upload.write($0) }
                } else {
                    try upload.write(bytes)
                    payloadHash?.update(bytes)
                }
            }
        }
        if let expectedHash, let computed = payloadHash.map({ Digest.hex($0.finalize()) }), computed != expectedHash {
            throw S3Error(
                "XAmzContentSHA256Mismatch",
                "The provided 'x-amz-content-sha256' header does not match what was computed.",
                details: [("ClientComputedContentSHA256", expectedHash), ("S3ComputedContentSHA256", computed)]
            )
        }
        try decoder?.finish()
        if decoder != nil, let declared = request.header("x-amz-decoded-content-length") {
            guard Int64(declared) == upload.size else {
                throw S3Error.incompleteBody("The decoded body has \(upload.size) bytes; X-Amz-Decoded-Content-Length says \(declared).")
            }
        }
        try verifyContentMD5(upload)
        try verifyChecksum(upload, trailers: decoder?.trailers ?? [:])
    }

    private func verifyContentMD5(_ upload: ObjectUpload) throws {
        guard let header = request.header("content-md5") else { return }
        guard let expected = Data(base64Encoded: header), expected.count == 16 else {
            throw S3Error("InvalidDigest", "The Content-MD5 you specified was invalid.")
        }
        guard Array(expected) == upload.md5Digest else { throw S3Error.badDigest("The Content-MD5 you specified did not match what we received.") }
    }

    private func verifyChecksum(_ upload: ObjectUpload, trailers: [String: String]) throws {
        guard let algorithm = upload.checksumAlgorithm, let computed = upload.checksumValue else { return }
        let announced = request.header("x-amz-trailer")?.lowercased().contains(algorithm.headerName) == true
        guard let sent = request.header(algorithm.headerName) ?? trailers[algorithm.headerName] else {
            if announced { throw S3Error.invalidRequest("The trailer \(algorithm.headerName) was announced in x-amz-trailer but not sent.") }
            return
        }
        guard sent == computed else {
            throw S3Error.badDigest("The \(algorithm.rawValue) you specified did not match the calculated checksum.")
        }
    }
}
