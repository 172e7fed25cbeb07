/// One page of a bucket listing, by S3's algorithm (s3-api.md §3.7, LocalStack's): walk the keys in UTF-8 order;
/// a key whose remainder after `prefix` contains the delimiter becomes a common prefix, emitted once (its other keys
/// are consumed without counting); the page ends before the first entry past `maxKeys`, and `nextKey` names that
/// entry's key — resuming at `key >= nextKey` never repeats or loses a common prefix.
struct ObjectListing: Equatable {
    enum Entry: Equatable {
        case key(String)
        case commonPrefix(String)
    }

    var entries: [Entry]
    /// The first key not returned, when the page is truncated.
    var nextKey: String?

    var isTruncated: Bool { nextKey != nil }

    /// - Parameter keys: the bucket's keys that start with `prefix` and are at or past the resume point, sorted.
    init(keys: some Sequence<String>, prefix: String, delimiter: String?, maxKeys: Int) {
        entries = []
        nextKey = nil
        var lastPrefix: String?
        for key in keys {
            var entry = Entry.key(key)
            if let delimiter, let end = Self.end(of: delimiter, in: key, after: prefix) {
                let commonPrefix = String(decoding: key.utf8.prefix(end), as: UTF8.self)
                if commonPrefix == lastPrefix { continue }
                lastPrefix = commonPrefix
                entry = .commonPrefix(commonPrefix)
            }
            guard entries.count < maxKeys else {
                nextKey = key
                return
            }
            entries.append(entry)
        }
    }

    /// The UTF-8 offset just past the first `delimiter` in `key` after `prefix` (byte-wise, as S3 compares).
    static func end(of delimiter: String, in key: String, after prefix: String) -> Int? {
        let bytes = Array(key.utf8)
        let pattern = Array(delimiter.utf8)
        guard !pattern.isEmpty, bytes.count >= pattern.count else { return nil }
        var i = prefix.utf8.count
        while i + pattern.count <= bytes.count {
            if bytes[i..<(i + pattern.count)].elementsEqual(pattern) { return i + pattern.count }
            i += 1
        }
        return nil
    }

    /// The last key or common prefix returned (ListObjects v1's `NextMarker`).
    var lastEntry: String? {
        switch entries.last {
        case .key(let key): key
        case .commonPrefix(let prefix): prefix
        case nil: nil
        }
    }
}
