import Foundation

/// Signs requests the way botocore's `SigV4Auth` does, for Apiary's own client (`ctl`): every header but a few
/// hop-by-hop ones and `User-Agent` is signed, so a control-plane call signs `content-type;host;x-amz-date;x-amz-target`.
public struct SigV4Signer: Sendable {
    public var accessKeyId: String
    public var secretAccessKey: String
    /// Sent (and signed) as `X-Amz-Security-Token` when set.
    public var sessionToken: String?
    public var region: String
    /// The signing name, e.g. `sagemaker`.
    public var service: String
    public var pathStyle: SigV4.PathStyle

    /// Headers botocore never signs (`SIGNED_HEADERS_BLACKLIST`): proxies and HTTP clients may change them.
    static let unsignedHeaders: Set<String> = [
        "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
        "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id",
    ]

    public init(
        accessKeyId: String,
        secretAccessKey: String,
        sessionToken: String? = nil,
        region: String,
        service: String,
        pathStyle: SigV4.PathStyle = .standard
    ) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.region = region
        self.service = service
        self.pathStyle = pathStyle
    }

    /// `request` signed at `date`: any previous `Authorization`, `X-Amz-Date` and `X-Amz-Security-Token` replaced,
    /// then `X-Amz-Date`, the session token if any, and `Authorization` appended. `request` must carry the `Host`
    /// header its HTTP client will send (with the port unless it is the scheme's default), and for S3 the
    /// `X-Amz-Content-SHA256` header.
    public func sign(_ request: SignableRequest, date: Date) -> SignableRequest {
        var signed = request
        for name in ["Authorization", "X-Amz-Date", "X-Amz-Security-Token"] { signed.removeHeaders(named: name) }
        let amzDate = SigV4.amzDate(date)
        signed.headers.append((name: "X-Amz-Date", value: amzDate))
        if let sessionToken { signed.headers.append((name: "X-Amz-Security-Token", value: sessionToken)) }

        let names = Set(signed.headers.map { $0.name.lowercased() }).subtracting(Self.unsignedHeaders).sorted()
        var authorization = SigV4Authorization(
            accessKeyId: accessKeyId,
            date: String(amzDate.prefix(8)),
            region: region,
            service: service,
            signedHeaders: names,
            signature: "",
            amzDate: amzDate
        )
        authorization.signature =
            SigV4.compute(signed, authorization: authorization, secret: secretAccessKey, pathStyle: pathStyle)
            .signature
        signed.headers.append((name: "Authorization", value: authorization.headerValue))
        return signed
    }
}
