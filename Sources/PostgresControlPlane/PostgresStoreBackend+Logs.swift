import ControlPlane
import PostgresNIO

/// CloudWatch Logs in `log_stream` and `log_event`: names compare and sort bytewise (`COLLATE "C"`), as in SQLite,
/// and an event's `id` (the tokens' basis) grows with every insert across all daemons.
extension PostgresStoreBackend {
    package func appendLogEvents(group: String, stream: String, _ events: [(timestamp: Int64, message: String)], now: Int64) throws {
        try connections.transaction { session in
            try session.query(
                "INSERT INTO log_stream (group_name, stream_name, creation_time) VALUES (\(group), \(stream), \(now)) ON CONFLICT DO NOTHING"
            )
            guard !events.isEmpty else { return }
            try session.query(
                """
                INSERT INTO log_event (group_name, stream_name, event_time, ingestion_time, message)
                SELECT \(group), \(stream), event.ts, \(now), event.msg
                FROM unnest(\(events.map(\.timestamp))::bigint[], \(events.map(\.message))::text[]) WITH ORDINALITY AS event(ts, msg, n)
                ORDER BY event.n
                """
            )
        }
    }

    package func logStreams(group: String, prefix: String) throws -> [LogStreamSummary] {
        try connections.withSession { session in
            try session.query(
                """
                SELECT s.group_name, s.stream_name, s.creation_time, MIN(e.event_time), MAX(e.event_time), MAX(e.ingestion_time),
                       COALESCE(SUM(octet_length(e.message)), 0)::bigint
                FROM log_stream s LEFT JOIN log_event e ON e.group_name = s.group_name AND e.stream_name = s.stream_name
                WHERE s.group_name = \(group) AND starts_with(s.stream_name, \(prefix))
                GROUP BY s.group_name, s.stream_name ORDER BY s.stream_name COLLATE "C"
                """
            ).rows.map { row in
                let (groupName, streamName, created, first, last, ingested, bytes) = try row.decode(
                    (String, String, Int64, Int64?, Int64?, Int64?, Int64).self
                )
                return LogStreamSummary(
                    groupName: groupName,
                    streamName: streamName,
                    creationTime: created,
                    firstEventTimestamp: first,
                    lastEventTimestamp: last,
                    lastIngestionTime: ingested,
                    storedBytes: bytes
                )
            }
        }
    }

    package func logGroups() throws -> [String] {
        try connections.withSession { session in
            try session.query("SELECT DISTINCT group_name COLLATE \"C\" AS name FROM log_stream ORDER BY name").rows.map {
                try $0.decode(String.self)
            }
        }
    }

    package func logStreamExists(group: String, stream: String) throws -> Bool {
        try connections.withSession { session in
            !(try session.query("SELECT 1 FROM log_stream WHERE group_name = \(group) AND stream_name = \(stream)").rows.isEmpty)
        }
    }

    package func logEvents(
        group: String,
        stream: String,
        ids: ClosedRange<Int64>,
        start: Int64?,
        end: Int64?,
        limit: Int,
        fromEnd: Bool
    ) throws -> [LogEvent] {
        let events = try connections.withSession { session in
            try session.query(
                """
                SELECT id, event_time, ingestion_time, message FROM log_event
                WHERE group_name = \(group) AND stream_name = \(stream) AND id BETWEEN \(ids.lowerBound) AND \(ids.upperBound)
                  AND (\(start)::bigint IS NULL OR event_time >= \(start)) AND (\(end)::bigint IS NULL OR event_time < \(end))
                ORDER BY id \(unescaped: fromEnd ? "DESC" : "ASC") LIMIT \(Int64(limit))
                """
            ).rows.map(Self.event)
        }
        return fromEnd ? events.reversed() : events
    }

    package func logEvents(
        group: String,
        streams: [String]?,
        prefix: String,
        after: Int64,
        start: Int64?,
        end: Int64?,
        limit: Int
    ) throws -> [(stream: String, event: LogEvent)] {
        try connections.withSession { session in
            try session.query(
                """
                SELECT id, event_time, ingestion_time, message, stream_name FROM log_event
                WHERE group_name = \(group) AND id > \(after) AND starts_with(stream_name, \(prefix))
                  AND (\(streams == nil) OR stream_name = ANY(\(streams ?? [])))
                  AND (\(start)::bigint IS NULL OR event_time >= \(start)) AND (\(end)::bigint IS NULL OR event_time < \(end))
                ORDER BY id LIMIT \(Int64(limit))
                """
            ).rows.map { row in (try row.decode((Int64, Int64, Int64, String, String).self).4, try Self.event(row)) }
        }
    }

    private static func event(_ row: PostgresRow) throws -> LogEvent {
        let (id, time, ingested, message) = try row.decode((Int64, Int64, Int64, String).self)
        return LogEvent(id: id, timestamp: time, ingestionTime: ingested, message: message)
    }
}
