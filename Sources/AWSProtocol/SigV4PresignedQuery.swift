extension SigV4 {
    /// The presigned-URL parameters of a raw query (`X-Amz-Credential`, `X-Amz-Signature`, … percent-decoded), or
    /// nil when it has no `X-Amz-Credential`: query-string SigV4, as S3 presigned URLs carry it.
    public static func presignedParameters(_ rawQuery: String) -> [String: String]? {
        var parameters: [String: String] = [:]
        for pair in rawQuery.split(separator: "&") where pair.hasPrefix("X-Amz-") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            parameters[String(parts[0])] = parts.count > 1 ? String(decoding: percentDecode(parts[1]), as: UTF8.self) : ""
        }
        return parameters["X-Amz-Credential"] == nil ? nil : parameters
    }
}
