import Foundation

/// AWS Signature Version 4: the canonical request, the string to sign and the signature, shared by
/// `SigV4Verifier` (the daemon's side) and `SigV4Signer` (Apiary's own client). Spec: sagemaker-api.md §3.2.
public enum SigV4 {
    /// The one algorithm Apiary signs and verifies.
    public static let algorithm = "AWS4-HMAC-SHA256"

    /// How the canonical URI is formed from the raw (percent-encoded) request path.
    public enum PathStyle: Sendable {
        /// Every service but S3 (botocore's `SigV4Auth`): dot segments and empty segments are removed, then the
        /// path is percent-encoded a second time, keeping only `A-Z a-z 0-9 - _ . ~ /`.
        case standard
        /// S3 (botocore's `S3SigV4Auth`): the path exactly as received, neither normalised nor encoded again.
        case s3
    }

    /// The canonical request of a request, the string to sign derived from it, and the signature.
    struct Computation {
        var canonicalRequest: String
        var stringToSign: String
        var signature: String
    }

    static func compute(
        _ request: SignableRequest,
        authorization: SigV4Authorization,
        secret: String,
        pathStyle: PathStyle
    )
        -> Computation
    {
        let canonical = canonicalRequest(request, signedHeaders: authorization.signedHeaders, pathStyle: pathStyle)
        let stringToSign = [algorithm, authorization.amzDate, authorization.credentialScope, Digest.hex(Digest.sha256(canonical.utf8))]
            .joined(separator: "\n")
        var key = Array("AWS4\(secret)".utf8)
        for part in [authorization.date, authorization.region, authorization.service, "aws4_request"] {
            key = Digest.hmacSHA256(key: key, data: part.utf8)
        }
        let signature = Digest.hex(Digest.hmacSHA256(key: key, data: stringToSign.utf8))
        return Computation(canonicalRequest: canonical, stringToSign: stringToSign, signature: signature)
    }

    /// The canonical request: method, canonical URI, canonical query, the signed headers' canonical block, the
    /// signed header list, and the payload hash (`X-Amz-Content-SHA256` when sent, else the body's SHA-256).
    static func canonicalRequest(_ request: SignableRequest, signedHeaders: [String], pathStyle: PathStyle) -> String {
        let headerBlock = signedHeaders.map { name in
            "\(name):" + request.values(of: name).map(trimAll).joined(separator: ",") + "\n"
        }.joined()
        let payloadHash = request.value(of: "X-Amz-Content-SHA256") ?? Digest.hex(Digest.sha256(request.body))
        return [
            request.method.uppercased(),
            canonicalURI(request.rawPath, pathStyle: pathStyle),
            canonicalQuery(request.rawQuery),
            headerBlock,
            signedHeaders.joined(separator: ";"),
            payloadHash,
        ].joined(separator: "\n")
    }

    static func canonicalURI(_ rawPath: String, pathStyle: PathStyle) -> String {
        if rawPath.isEmpty { return "/" }
        switch pathStyle {
        case .s3: return rawPath
        case .standard: return percentEncode(Array(removeDotSegments(rawPath).utf8), keeping: "/")
        }
    }

    /// Query pairs percent-decoded, encoded again the AWS way, sorted by key then value. A bare `+` stays a `+`
    /// (it is encoded as `%2B`), as AWS canonicalises it.
    static func canonicalQuery(_ rawQuery: String) -> String {
        rawQuery.split(separator: "&").map { pair -> (String, String) in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = percentEncode(percentDecode(parts[0]), keeping: "")
            let value = parts.count > 1 ? percentEncode(percentDecode(parts[1]), keeping: "") : ""
            return (key, value)
        }
        .sorted { $0 < $1 }
        .map { "\($0)=\($1)" }
        .joined(separator: "&")
    }

    /// RFC 3986 §5.2.4 dot-segment removal that, like botocore's `remove_dot_segments`, also drops empty segments.
    static func removeDotSegments(_ path: String) -> String {
        var segments: [Substring] = []
        for segment in path.split(separator: "/") where segment != "." {
            if segment == ".." {
                _ = segments.popLast()
            } else {
                segments.append(segment)
            }
        }
        let leading = path.hasPrefix("/") ? "/" : ""
        let trailing = path.hasSuffix("/") && !segments.isEmpty ? "/" : ""
        return leading + segments.joined(separator: "/") + trailing
    }

    /// A header value trimmed, with inner runs of whitespace collapsed to one space.
    static func trimAll(_ value: String) -> String {
        value.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// `bytes` with every byte but `A-Z a-z 0-9 - _ . ~` and those in `extra` written as `%XX` (uppercase hex).
    public static func percentEncode(_ bytes: [UInt8], keeping extra: String) -> String {
        let kept = Set(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~".utf8) + Array(extra.utf8))
        let hex = Array("0123456789ABCDEF".utf8)
        var out = [UInt8]()
        for byte in bytes {
            if kept.contains(byte) {
                out.append(byte)
            } else {
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of `text` with each well-formed `%XX` replaced by its byte; anything else is kept literally.
    public static func percentDecode(_ text: Substring) -> [UInt8] {
        let bytes = Array(text.utf8)
        var out = [UInt8]()
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count, let high = hexValue(bytes[i + 1]), let low = hexValue(bytes[i + 2]) {
                out.append(high << 4 | low)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    // MARK: - X-Amz-Date

    private static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// `date` in ISO-8601 basic format, as `X-Amz-Date` carries it: `20261129T144317Z`.
    static func amzDate(_ date: Date) -> String {
        let c = utc.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    /// The instant an `X-Amz-Date` value (`yyyyMMdd'T'HHmmss'Z'`) names, or nil when it is not of that form.
    public static func date(fromAmzDate text: String) -> Date? {
        let chars = Array(text.utf8)
        guard chars.count == 16, chars[8] == UInt8(ascii: "T"), chars[15] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            chars[range].allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
                ? Int(String(decoding: chars[range], as: UTF8.self)) : nil
        }
        guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8),
            let hour = number(9..<11), let minute = number(11..<13), let second = number(13..<15)
        else { return nil }
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard components.isValidDate(in: utc), let date = utc.date(from: components) else { return nil }
        return date
    }
}
