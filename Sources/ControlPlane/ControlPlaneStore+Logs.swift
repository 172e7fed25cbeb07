extension ControlPlaneStore {
    /// Appends events to a stream, creating the stream on first use.
    public func appendLogEvents(group: String, stream: String, _ events: [(timestamp: Int64, message: String)], now: Int64) throws {
        guard !NULCharacterError.isIn(group, stream) else { throw NULCharacterError(field: "log group or stream name") }
        try backend.appendLogEvents(group: group, stream: stream, events, now: now)
    }

    /// The streams of `group` whose names start with `prefix`, by name.
    public func logStreams(group: String, prefix: String = "") throws -> [LogStreamSummary] {
        guard !NULCharacterError.isIn(group, prefix) else { return [] }
        return try backend.logStreams(group: group, prefix: prefix)
    }

    /// Names of the log groups that have streams, sorted.
    public func logGroups() throws -> [String] {
        try backend.logGroups()
    }

    /// Whether the stream exists.
    public func logStreamExists(group: String, stream: String) throws -> Bool {
        guard !NULCharacterError.isIn(group, stream) else { return false }
        return try backend.logStreamExists(group: group, stream: stream)
    }

    /// Events of one stream with `id` in `ids`, timestamps within `[start, end)`, oldest first, at most `limit`.
    /// - Parameter fromEnd: take the newest `limit` matching events instead of the oldest.
    public func logEvents(
        group: String,
        stream: String,
        ids: ClosedRange<Int64>,
        start: Int64?,
        end: Int64?,
        limit: Int,
        fromEnd: Bool
    ) throws -> [LogEvent] {
        guard !NULCharacterError.isIn(group, stream) else { return [] }
        return try backend.logEvents(group: group, stream: stream, ids: ids, start: start, end: end, limit: limit, fromEnd: fromEnd)
    }

    /// Events of `group` with `id` above `after`, in the streams named `streams` (all when nil) whose names start
    /// with `prefix`, timestamps within `[start, end)`, in store order, at most `limit`.
    public func logEvents(
        group: String,
        streams: [String]?,
        prefix: String,
        after: Int64,
        start: Int64?,
        end: Int64?,
        limit: Int
    ) throws -> [(stream: String, event: LogEvent)] {
        guard !NULCharacterError.isIn(group, prefix), !(streams ?? []).contains(where: { NULCharacterError.isIn($0) }) else { return [] }
        return try backend.logEvents(group: group, streams: streams, prefix: prefix, after: after, start: start, end: end, limit: limit)
    }
}
