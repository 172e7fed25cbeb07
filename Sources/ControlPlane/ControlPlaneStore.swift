import GRDB

/// The daemon's durable control-plane state: SageMaker resources, their tags, the training queue and the
/// CloudWatch log events, kept by a `ControlPlaneBackend` — by default one SQLite file of the daemon's own
/// (`$APIARY_HOME/state.sqlite`), or a PostgreSQL database several daemons share. Every change is one
/// transaction, so a SIGKILL leaves either the state before a request or the state after it, and an acknowledged
/// request is stored. A name or ARN with the NUL character finds nothing and is not stored (`NULCharacterError`).
public struct ControlPlaneStore: Sendable {
    let backend: any ControlPlaneBackend

    package init(backend: any ControlPlaneBackend) {
        self.backend = backend
    }

    /// Opens (creating if needed) the daemon's own SQLite file.
    public static func open(path: String) throws -> ControlPlaneStore {
        ControlPlaneStore(backend: try SQLiteStoreBackend.open(path: path))
    }

    /// An empty SQLite store in memory, for tests.
    public static func inMemory() throws -> ControlPlaneStore {
        ControlPlaneStore(backend: try SQLiteStoreBackend(DatabaseQueue()))
    }

    /// Inserts a new resource. - Returns: false (and changes nothing) when one of that kind and name exists.
    public func insert(_ record: ResourceRecord, tags: [(key: String, value: String)] = []) throws -> Bool {
        guard !NULCharacterError.isIn(record.name, record.arn) else { throw NULCharacterError(field: "name") }
        return try backend.insert(record, tags: tags)
    }

    public func resource(_ kind: ResourceKind, named name: String) throws -> ResourceRecord? {
        guard !NULCharacterError.isIn(name) else { return nil }
        return try backend.resource(kind, named: name)
    }

    public func resources(_ kind: ResourceKind) throws -> [ResourceRecord] {
        try backend.resources(kind)
    }

    public func resource(arn: String) throws -> ResourceRecord? {
        guard !NULCharacterError.isIn(arn) else { return nil }
        return try backend.resource(arn: arn)
    }

    /// Changes a resource in one transaction. - Returns: the record after `change`, or nil if there is none.
    @discardableResult
    public func update(_ kind: ResourceKind, named name: String, _ change: (inout ResourceRecord) throws -> Void) throws -> ResourceRecord? {
        guard !NULCharacterError.isIn(name) else { return nil }
        return try backend.update(kind, named: name, change)
    }

    /// Removes a resource and its tags. - Returns: whether it existed.
    @discardableResult
    public func delete(_ kind: ResourceKind, named name: String) throws -> Bool {
        guard !NULCharacterError.isIn(name) else { return false }
        return try backend.delete(kind, named: name)
    }

    /// Drops every resource, tag, queued job and log event (the test hook's reset).
    public func wipe() throws {
        try backend.wipe()
    }
}
