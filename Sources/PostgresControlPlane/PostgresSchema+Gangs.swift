import PostgresNIO

/// Version 3: gang scheduling (`GangScheduling`). A queue entry says how many instances its job asks for
/// (`instances`, filled in for the entries already queued) and whether its gang is fixed (`gang_started`); a
/// `gang_member` row is one worker's slot in it — the leader's and each member's, with the host the worker is
/// reachable at and its own lease — and goes with the entry.
extension PostgresSchema {
    static let gangTables: [PostgresQuery] = [
        "ALTER TABLE training_queue ADD COLUMN instances integer NOT NULL DEFAULT 1 CHECK (instances >= 1)",
        "ALTER TABLE training_queue ADD COLUMN gang_started boolean NOT NULL DEFAULT false",
        """
        UPDATE training_queue q SET instances = GREATEST(1, COALESCE((r.document::jsonb #>> '{ResourceConfig,InstanceCount}')::integer, 1))
        FROM resource r WHERE r.kind = 'training-job' AND r.name = q.name
        """,
        """
        CREATE TABLE gang_member (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            job text NOT NULL REFERENCES training_queue (name) ON DELETE CASCADE,
            worker text NOT NULL, host text NOT NULL, token text NOT NULL, expires_at double precision NOT NULL,
            UNIQUE (job, worker))
        """,
    ]
}
