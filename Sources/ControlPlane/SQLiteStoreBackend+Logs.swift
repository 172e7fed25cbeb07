import GRDB

extension SQLiteStoreBackend {
    /// Appends events to a stream, creating the stream on first use.
    package func appendLogEvents(group: String, stream: String, _ events: [(timestamp: Int64, message: String)], now: Int64) throws {
        try dbWriter.write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO logStream (groupName, streamName, creationTime) VALUES (?, ?, ?)",
                arguments: [group, stream, now]
            )
            for event in events {
                try db.execute(
                    sql: "INSERT INTO logEvent (groupName, streamName, timestamp, ingestionTime, message) VALUES (?, ?, ?, ?, ?)",
                    arguments: [group, stream, event.timestamp, now, event.message]
                )
            }
        }
    }

    /// The streams of `group` whose names start with `prefix`, by name.
    package func logStreams(group: String, prefix: String) throws -> [LogStreamSummary] {
        try dbWriter.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT s.groupName, s.streamName, s.creationTime, MIN(e.timestamp) AS first, MAX(e.timestamp) AS last,
                           MAX(e.ingestionTime) AS ingested, COALESCE(SUM(LENGTH(CAST(e.message AS BLOB))), 0) AS bytes
                    FROM logStream s LEFT JOIN logEvent e ON e.groupName = s.groupName AND e.streamName = s.streamName
                    WHERE s.groupName = ? AND substr(s.streamName, 1, ?) = ?
                    GROUP BY s.groupName, s.streamName ORDER BY s.streamName
                    """,
                arguments: [group, prefix.count, prefix]
            ).map {
                LogStreamSummary(
                    groupName: $0["groupName"], streamName: $0["streamName"], creationTime: $0["creationTime"],
                    firstEventTimestamp: $0["first"], lastEventTimestamp: $0["last"], lastIngestionTime: $0["ingested"],
                    storedBytes: $0["bytes"])
            }
        }
    }

    /// Names of the log groups that have streams, sorted.
    package func logGroups() throws -> [String] {
        try dbWriter.read { db in try String.fetchAll(db, sql: "SELECT DISTINCT groupName FROM logStream ORDER BY groupName") }
    }

    /// Whether the stream exists.
    package func logStreamExists(group: String, stream: String) throws -> Bool {
        try dbWriter.read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM logStream WHERE groupName = ? AND streamName = ?", arguments: [group, stream]) ?? false
        }
    }

    /// Events of one stream with `id` in `ids`, timestamps within `[start, end)`, oldest first, at most `limit`.
    /// - Parameter fromEnd: take the newest `limit` matching events instead of the oldest.
    package func logEvents(
        group: String, stream: String, ids: ClosedRange<Int64>, start: Int64?, end: Int64?, limit: Int, fromEnd: Bool
    ) throws -> [LogEvent] {
        try dbWriter.read { db in
            var sql = "SELECT id, timestamp, ingestionTime, message FROM logEvent WHERE groupName = ? AND streamName = ? AND id BETWEEN ? AND ?"
            var arguments: StatementArguments = [group, stream, ids.lowerBound, ids.upperBound]
            if let start { sql += " AND timestamp >= ?"; arguments += [start] }
            if let end { sql += " AND timestamp < ?"; arguments += [end] }
            sql += " ORDER BY id \(fromEnd ? "DESC" : "ASC") LIMIT ?"
            arguments += [limit]
            let events = try Row.fetchAll(db, sql: sql, arguments: arguments).map {
                LogEvent(id: $0["id"], timestamp: $0["timestamp"], ingestionTime: $0["ingestionTime"], message: $0["message"])
            }
            return fromEnd ? events.reversed() : events
        }
    }

    /// Events of `group` with `id` above `after`, in the streams named `streams` (all when nil) whose names start
    /// with `prefix`, timestamps within `[start, end)`, in store order, at most `limit`.
    package func logEvents(
        group: String, streams: [String]?, prefix: String, after: Int64, start: Int64?, end: Int64?, limit: Int
    ) throws -> [(stream: String, event: LogEvent)] {
        try dbWriter.read { db in
            var sql = """
                SELECT id, streamName, timestamp, ingestionTime, message FROM logEvent
                WHERE groupName = ? AND id > ? AND substr(streamName, 1, ?) = ?
                """
            var arguments: StatementArguments = [group, after, prefix.count, prefix]
            if let streams {
                sql += " AND streamName IN (\(streams.map { _ in "?" }.joined(separator: ", ")))"
                arguments += StatementArguments(streams)
            }
            if let start { sql += " AND timestamp >= ?"; arguments += [start] }
            if let end { sql += " AND timestamp < ?"; arguments += [end] }
            sql += " ORDER BY id LIMIT ?"
            arguments += [limit]
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map {
                ($0["streamName"], LogEvent(id: $0["id"], timestamp: $0["timestamp"], ingestionTime: $0["ingestionTime"], message: $0["message"]))
            }
        }
    }
}
