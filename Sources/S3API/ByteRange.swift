/// A `Range: bytes=…` request header resolved against an object's size, by S3's rules (s3-api.md §3.3):
/// `a-b` (b clamped to the end), `a-`, `-n` (the last n bytes). A malformed header, `b < a` or several ranges are
/// ignored (the whole object is served); a range starting past the end, or `-0`, is `InvalidRange` (416).
struct ByteRange: Equatable {
    var first: Int64
    var last: Int64

    var count: Int64 { last - first + 1 }

    /// The range to serve; nil to serve the whole object. - Throws: `InvalidRange`.
    static func resolve(_ header: String?, size: Int64) throws(S3Error) -> ByteRange? {
        guard let header, header.hasPrefix("bytes="), !header.contains(",") else { return nil }
        let spec = Substring(header.dropFirst("bytes=".count).filter { $0 != " " })
        guard let dash = spec.firstIndex(of: "-") else { return nil }
        let start = spec[..<dash]
        let end = spec[spec.index(after: dash)...]
        let unsatisfiable = S3Error(
            "InvalidRange",
            "The requested range is not satisfiable",
            status: 416,
            details: [("RangeRequested", header), ("ActualObjectSize", "\(size)")]
        )
        if start.isEmpty {
            guard let suffix = Int64(end), suffix >= 0 else { return nil }
            guard suffix > 0, size > 0 else { throw unsatisfiable }
            return ByteRange(first: max(0, size - suffix), last: size - 1)
        }
        guard let first = Int64(start), first >= 0 else { return nil }
        var last = size - 1
        if !end.isEmpty {
            guard let value = Int64(end) else { return nil }
            guard value >= first else { return nil }
            last = min(value, size - 1)
        }
        guard first < size else { throw unsatisfiable }
        return ByteRange(first: first, last: last)
    }

    /// `bytes first-last/size`.
    func contentRange(size: Int64) -> String { "bytes \(first)-\(last)/\(size)" }
}
