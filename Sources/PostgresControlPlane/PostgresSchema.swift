import PostgresNIO

/// The shared database's tables — the same as `ControlPlaneStore`'s SQLite schema, plus the leases on queue entries,
/// which must outlive any one daemon; the label store's (`+Labels`); the gangs of multi-instance jobs (`+Gangs`) — and the migrations that make them. Several
/// daemons may start at once: each migrates under one session-level advisory lock, so the migrations run once,
/// recorded in `apiary_schema_migration`, and a database migrated by a newer Apiary (a version this one does not know)
/// is refused.
package enum PostgresSchema {
    /// Each version's statements, oldest first: version N is `migrations[N - 1]`. Never edit a shipped one; append.
    static let migrations: [[PostgresQuery]] = [
        [
            // One row per resource; `document` is its Describe answer as JSON, kept current.
            """
            CREATE TABLE resource (
                kind text NOT NULL, name text NOT NULL, arn text NOT NULL UNIQUE,
                creation_time double precision NOT NULL, last_modified_time double precision NOT NULL,
                status text, document text NOT NULL,
                PRIMARY KEY (kind, name))
            """,
            "CREATE TABLE tag (arn text NOT NULL, key text NOT NULL, value text NOT NULL, PRIMARY KEY (arn, key))",
            // Training and transform jobs waiting or running, in arrival order (`QueueEntry` names); a row leaves when
            // its job ends. A lease (worker, token, expiry on the daemons' clock) marks a claimed row; `stop_requested`
            // carries StopTrainingJob to a worker of another daemon through its heartbeat.
            """
            CREATE TABLE training_queue (
                seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                name text NOT NULL UNIQUE,
                lease_worker text, lease_token text, lease_expires_at double precision,
                stop_requested boolean NOT NULL DEFAULT false,
                CHECK ((lease_token IS NULL) = (lease_worker IS NULL) AND (lease_token IS NULL) = (lease_expires_at IS NULL)))
            """,
            "CREATE INDEX training_queue_unleased ON training_queue (seq) WHERE lease_token IS NULL",
            """
            CREATE TABLE log_stream (
                group_name text NOT NULL, stream_name text NOT NULL, creation_time bigint NOT NULL,
                PRIMARY KEY (group_name, stream_name))
            """,
            """
            CREATE TABLE log_event (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                group_name text NOT NULL, stream_name text NOT NULL,
                event_time bigint NOT NULL, ingestion_time bigint NOT NULL, message text NOT NULL,
                FOREIGN KEY (group_name, stream_name) REFERENCES log_stream ON DELETE CASCADE)
            """,
            "CREATE INDEX log_event_by_stream ON log_event (group_name, stream_name, id)",
        ],
        labelTables,
        gangTables,
    ]

    /// The newest schema version this Apiary knows.
    package static var version: Int { migrations.count }

    /// The advisory lock key every Apiary migrates under ("Apiary" in ASCII).
    static let migrationLock: Int64 = 0x4170_6961_7279

    /// Brings the database up to `version`, once across every daemon starting at the same moment.
    /// - Throws: `PostgresDatabaseError.schemaTooNew` when a newer Apiary has migrated it.
    package static func migrate(_ connections: PostgresConnections) throws {
        try connections.withSession { session in
            try session.query("SELECT pg_advisory_lock(\(migrationLock))")
            defer { _ = try? session.query("SELECT pg_advisory_unlock(\(migrationLock))") }
            try session.query(
                "CREATE TABLE IF NOT EXISTS apiary_schema_migration (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
            )
            let current = try currentVersion(session)
            guard current <= version else { throw PostgresDatabaseError.schemaTooNew(connections.url, found: current, known: version) }
            for next in stride(from: current + 1, through: version, by: 1) {
                try session.transaction {
                    for statement in migrations[next - 1] { try session.query(statement) }
                    try session.query("INSERT INTO apiary_schema_migration (version) VALUES (\(next))")
                }
            }
        }
    }

    /// The newest version recorded (0 for a new database).
    package static func currentVersion(_ session: PostgresSession) throws -> Int {
        let rows = try session.query("SELECT COALESCE(MAX(version), 0)::bigint FROM apiary_schema_migration").rows
        return Int(try rows.first?.decode(Int64.self) ?? 0)
    }
}
