/// One CloudWatch Logs event as stored.
public struct LogEvent: Sendable, Equatable {
    /// Position in the store, the basis of GetLogEvents' tokens.
    public var id: Int64
    /// Milliseconds since the epoch.
    public var timestamp: Int64
    public var ingestionTime: Int64
    public var message: String

    package init(id: Int64, timestamp: Int64, ingestionTime: Int64, message: String) {
        self.id = id
        self.timestamp = timestamp
        self.ingestionTime = ingestionTime
        self.message = message
    }
}

/// One CloudWatch Logs stream as stored, with the figures DescribeLogStreams reports.
public struct LogStreamSummary: Sendable, Equatable {
    public var groupName: String
    public var streamName: String
    public var creationTime: Int64
    public var firstEventTimestamp: Int64?
    public var lastEventTimestamp: Int64?
    public var lastIngestionTime: Int64?
    public var storedBytes: Int64

    package init(
        groupName: String,
        streamName: String,
        creationTime: Int64,
        firstEventTimestamp: Int64?,
        lastEventTimestamp: Int64?,
        lastIngestionTime: Int64?,
        storedBytes: Int64
    ) {
        self.groupName = groupName
        self.streamName = streamName
        self.creationTime = creationTime
        self.firstEventTimestamp = firstEventTimestamp
        self.lastEventTimestamp = lastEventTimestamp
        self.lastIngestionTime = lastIngestionTime
        self.storedBytes = storedBytes
    }
}
