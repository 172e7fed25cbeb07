/// Where `ControlPlaneStore` keeps its rows: the daemon's own SQLite file (`SQLiteStoreBackend`) or the PostgreSQL
/// database several daemons share (PostgresControlPlane's `PostgresStoreBackend`). Every method is one transaction;
/// a resource's kind and name (and its ARN) are its primary keys, so a name is unique wherever the rows are shared.
package protocol ControlPlaneBackend: Sendable {
    /// - Returns: false (changing nothing) when a resource of that kind and name exists.
    func insert(_ record: ResourceRecord, tags: [(key: String, value: String)]) throws -> Bool
    func resource(_ kind: ResourceKind, named name: String) throws -> ResourceRecord?
    func resources(_ kind: ResourceKind) throws -> [ResourceRecord]
    func resource(arn: String) throws -> ResourceRecord?
    /// - Returns: the record after `change`, or nil if there is none.
    func update(_ kind: ResourceKind, named name: String, _ change: (inout ResourceRecord) throws -> Void) throws -> ResourceRecord?
    /// Removes a resource and its tags. - Returns: whether it existed.
    func delete(_ kind: ResourceKind, named name: String) throws -> Bool

    /// The tags on `arn`, sorted by key.
    func tags(of arn: String) throws -> [(key: String, value: String)]
    /// - Returns: false (changing nothing) when the total would exceed `limit`.
    func addTags(_ tags: [(key: String, value: String)], to arn: String, limit: Int) throws -> Bool
    func deleteTags(_ keys: [String], from arn: String) throws

    func appendLogEvents(group: String, stream: String, _ events: [(timestamp: Int64, message: String)], now: Int64) throws
    func logStreams(group: String, prefix: String) throws -> [LogStreamSummary]
    func logGroups() throws -> [String]
    func logStreamExists(group: String, stream: String) throws -> Bool
    func logEvents(
        group: String,
        stream: String,
        ids: ClosedRange<Int64>,
        start: Int64?,
        end: Int64?,
        limit: Int,
        fromEnd: Bool
    ) throws -> [LogEvent]
    func logEvents(
        group: String,
        streams: [String]?,
        prefix: String,
        after: Int64,
        start: Int64?,
        end: Int64?,
        limit: Int
    ) throws -> [(stream: String, event: LogEvent)]

    /// Records a new job and queues its `QueueEntry`. - Returns: false (changing nothing) when it exists.
    func insertQueued(_ job: ResourceRecord, tags: [(key: String, value: String)]) throws -> Bool
    /// The queue's entries, oldest first.
    func trainingQueue() throws -> [String]
    func isQueued(_ entry: String) throws -> Bool
    /// Takes an entry off the queue, changing its job's record in the same transaction.
    func dequeue(_ entry: String, _ change: (inout ResourceRecord) throws -> Void) throws
    /// Applies `recover` to a queued job's record and keeps or drops its entry; a job without a record stays queued.
    func recoverQueued(_ job: QueuedJob, _ recover: (inout ResourceRecord) throws -> JobRecovery) throws

    /// Drops every resource, tag, queued job and log event.
    func wipe() throws
}
