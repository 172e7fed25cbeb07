import Foundation

@testable import AWSProtocol

/// Requests signed by real botocore (Fixtures/sigv4.json, written by scripts/make-sigv4-fixtures.py).
struct SigV4Fixtures: Decodable {
    struct Request: Decodable, Sendable, CustomStringConvertible {
        var name: String
        var method: String
        var rawPath: String
        var rawQuery: String
        var service: String
        var region: String
        var s3: Bool
        var accessKeyId: String
        var sessionToken: String?
        var headersBeforeSigning: [[String]]
        var wireHeaders: [[String]]
        var bodyBase64: String
        var canonicalRequest: String
        var authorization: String

        var description: String { name }
        var pathStyle: SigV4.PathStyle { s3 ? .s3 : .standard }
        var body: [UInt8] { Array(Data(base64Encoded: bodyBase64)!) }

        /// The request as the daemon receives it.
        var wire: SignableRequest {
            SignableRequest(method: method, rawPath: rawPath, rawQuery: rawQuery, headers: wireHeaders.map { ($0[0], $0[1]) }, body: body)
        }

        /// The request as Apiary's client hands it to `SigV4Signer`: what botocore signed, plus the `Host` header
        /// (botocore derives it from the URL) and, for S3, the `X-Amz-Content-SHA256` that `S3SigV4Auth` adds.
        var unsigned: SignableRequest {
            var headers = headersBeforeSigning.map { (name: $0[0], value: $0[1]) }
            headers.append((name: "Host", value: wire.value(of: "Host")!))
            if s3 { headers.append((name: "X-Amz-Content-SHA256", value: wire.value(of: "X-Amz-Content-SHA256")!)) }
            return SignableRequest(method: method, rawPath: rawPath, rawQuery: rawQuery, headers: headers, body: body)
        }
    }

    var signingTime: String
    var credentials: [String: String]
    var requests: [Request]

    static let shared: SigV4Fixtures = {
        let url = Bundle.module.url(forResource: "sigv4", withExtension: "json", subdirectory: "Fixtures")!
        return try! JSONDecoder().decode(SigV4Fixtures.self, from: Data(contentsOf: url))
    }()

    static var signedAt: Date { SigV4.date(fromAmzDate: shared.signingTime)! }
}
