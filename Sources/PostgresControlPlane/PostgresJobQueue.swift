import ControlPlane
import Foundation
import Logging
import PostgresNIO

/// The `TrainingJobQueue` several daemons share: entries in the `training_queue` table of one PostgreSQL database,
/// records in `resource`, and the leases in the entries' own columns (worker, token, expiry), so a lease holds
/// across daemons and outlives the one that took it until `recoverExpiredLeases` — which any daemon may run — ends
/// it. Every method is one transaction; a claim locks the oldest unleased entry with `FOR UPDATE SKIP LOCKED`, so
/// concurrent claimers never wait for each other nor take the same job. Holds no lock of its own. It also schedules the
/// gangs of multi-instance jobs across nodes (`+Gangs`).
package final class PostgresJobQueue: TrainingJobQueue, Sendable {
    let connections: PostgresConnections
    package let leaseDuration: Double

    /// Brings the database's schema up to date (once across daemons starting together) and opens the queue on it.
    package init(connections: PostgresConnections, leaseDuration: Double = 60) throws {
        try PostgresSchema.migrate(connections)
        self.connections = connections
        self.leaseDuration = leaseDuration
    }

    /// A job's record as the database holds it.
    package func record(_ job: QueuedJob) throws -> ResourceRecord? {
        try connections.withSession { try $0.resource(job.kind, job.name) }
    }

    package func enqueue(_ record: ResourceRecord, tags: [(key: String, value: String)]) throws -> Bool {
        try connections.transaction { try $0.insertQueued(record, tags: tags) }
    }

    package func claim(worker: String, now: Double) throws -> JobLease? {
        let token = UUID().uuidString
        let expires = now + leaseDuration
        // An expired lease is not taken over here (`lease_token IS NULL`): only recovery ends it.
        let rows = try connections.transaction { session in
            try session.query(
                """
                UPDATE training_queue SET lease_worker = \(worker), lease_token = \(token), lease_expires_at = \(expires)
                WHERE seq = (SELECT seq FROM training_queue WHERE lease_token IS NULL ORDER BY seq FOR UPDATE SKIP LOCKED LIMIT 1)
                RETURNING name, stop_requested
                """
            ).rows
        }
        guard let row = rows.first else { return nil }
        let (entry, stopRequested) = try row.decode((String, Bool).self)
        return JobLease(job: QueueEntry.job(entry), worker: worker, token: token, expires: expires, stopRequested: stopRequested)
    }

    package func heartbeat(_ lease: JobLease, now: Double) throws -> JobLease? {
        let expires = now + leaseDuration
        let rows = try connections.withSession { session in
            try session.query(
                """
                UPDATE training_queue SET lease_expires_at = \(expires)
                WHERE name = \(Self.entry(lease.job)) AND lease_token = \(lease.token)
                RETURNING stop_requested
                """
            ).rows
        }
        guard let row = rows.first else { return nil }
        var renewed = lease
        renewed.expires = expires
        renewed.stopRequested = try row.decode(Bool.self)
        return renewed
    }

    package func complete(_ lease: JobLease, _ change: Change) throws { try end(lease, change) }

    package func fail(_ lease: JobLease, _ change: Change) throws { try end(lease, change) }

    /// The entry leaves through the lease (else `JobLeaseLost`, nothing changed) and the end state is written, in
    /// one transaction.
    private func end(_ lease: JobLease, _ change: Change) throws {
        try connections.transaction { session in
            let removed = try session.execute(
                "DELETE FROM training_queue WHERE name = \(Self.entry(lease.job)) AND lease_token = \(lease.token)"
            )
            guard removed == 1 else { throw JobLeaseLost(lease: lease) }
            try session.change(lease.job, change)
        }
    }

    package func release(_ lease: JobLease) throws {
        try connections.transaction { session in
            guard try session.execute(
                """
                UPDATE training_queue SET lease_worker = NULL, lease_token = NULL, lease_expires_at = NULL, gang_started = false
                WHERE name = \(Self.entry(lease.job)) AND lease_token = \(lease.token)
                """
            ) == 1 else { return }
            try Self.disband(lease.job, session)
        }
    }

    /// A job's lease ended without an end state: its gang (`GangScheduling`), if any, is let go with it, its members free.
    private static func disband(_ job: QueuedJob, _ session: PostgresSession) throws {
        try session.query("DELETE FROM gang_member WHERE job = \(entry(job))")
    }

    package func stop(_ job: QueuedJob, ifQueued: Change, ifClaimed: Change) throws -> String? {
        try connections.transaction { session in
            // The entry's row lock orders this stop against claims (which skip it meanwhile) and other stops.
            let holder = try session.query(
                "SELECT lease_worker FROM training_queue WHERE name = \(Self.entry(job)) FOR UPDATE"
            ).rows.first?.decode(String?.self)
            if let holder {
                // Its worker, in whichever daemon, sees the stop in its next heartbeat.
                try session.query("UPDATE training_queue SET stop_requested = true WHERE name = \(Self.entry(job))")
                try session.change(job, ifClaimed)
                return holder
            }
            try session.query("DELETE FROM training_queue WHERE name = \(Self.entry(job))")
            try session.change(job, ifQueued)
            return nil
        }
    }

    package func recoverExpiredLeases(now: Double, _ recover: (inout ResourceRecord) throws -> JobRecovery) throws -> [QueuedJob] {
        try connections.transaction { session in
            // Entries another daemon is recovering at this moment are skipped, not waited for.
            let expired = try session.query(
                """
                SELECT name FROM training_queue WHERE lease_expires_at <= \(now) ORDER BY seq FOR UPDATE SKIP LOCKED
                """
            ).rows.map { QueueEntry.job(try $0.decode(String.self)) }
            for job in expired {
                var recovery = JobRecovery.requeue
                try session.change(job) { recovery = try recover(&$0) }
                try session.query(
                    recovery == .remove
                        ? "DELETE FROM training_queue WHERE name = \(Self.entry(job))"
                        : """
                        UPDATE training_queue SET lease_worker = NULL, lease_token = NULL, lease_expires_at = NULL, gang_started = false
                        WHERE name = \(Self.entry(job))
                        """
                )
                if recovery == .requeue { try Self.disband(job, session) }
            }
            return expired
        }
    }

    package func queuedJobs() throws -> [QueuedJob] {
        try connections.withSession { session in
            try session.query("SELECT name FROM training_queue ORDER BY seq").rows.map { QueueEntry.job(try $0.decode(String.self)) }
        }
    }

    private static func entry(_ job: QueuedJob) -> String { QueueEntry.entry(job.kind, job.name) }
}
