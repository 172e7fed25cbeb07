import ControlPlane
import Foundation
import PostgresNIO

/// Gang scheduling over `gang_member`: every change to a gang's slots is made holding its queue entry's row lock
/// (`FOR UPDATE`), so joins and the leader's `gather` never interleave and a gang never holds more than its
/// instances. A slot's lease lives in its row (`expires_at`, on the nodes' clocks, as a job's lease does).
extension PostgresJobQueue: GangScheduling {
    package func join(worker: String, host: String, now: Double) throws -> GangSlot? {
        let token = UUID().uuidString
        let expires = now + leaseDuration
        return try connections.transaction { session -> GangSlot? in
            // Gangs still forming, oldest first: led by a live lease, ranks not started.
            let forming = try session.query(
                """
                SELECT name FROM training_queue
                WHERE instances > 1 AND lease_token IS NOT NULL AND lease_expires_at > \(now) AND NOT gang_started ORDER BY seq
                """
            ).rows.map { try $0.decode(String.self) }
            for entry in forming {
                // Locked, then counted in a statement of its own: it sees the slots of every join that held the lock before.
                guard
                    let locked = try session.query(
                        """
                        SELECT instances, lease_worker FROM training_queue
                        WHERE name = \(entry) AND lease_token IS NOT NULL AND lease_expires_at > \(now) AND NOT gang_started FOR UPDATE
                        """
                    ).rows.first
                else { continue }
                let (instances, leader) = try locked.decode((Int, String).self)
                let members = try session.query(
                    "SELECT count(*) FROM gang_member WHERE job = \(entry) AND worker <> \(leader) AND expires_at > \(now)"
                ).rows.first?.decode(Int.self) ?? 0
                // One slot of the gang is its leader's, whether or not it has gathered yet.
                guard members < instances - 1 else { continue }
                try session.query(
                    """
                    INSERT INTO gang_member (job, worker, host, token, expires_at) VALUES (\(entry), \(worker), \(host), \(token), \(expires))
                    ON CONFLICT (job, worker) DO UPDATE SET host = excluded.host, token = excluded.token, expires_at = excluded.expires_at
                    """
                )
                return GangSlot(job: QueueEntry.job(entry), worker: worker, host: host, token: token, expires: expires)
            }
            return nil
        }
    }

    package func renew(_ slot: GangSlot, now: Double) throws -> GangSlot? {
        let expires = now + leaseDuration
        let renewed = try connections.withSession { session in
            try session.execute(
                """
                UPDATE gang_member SET expires_at = \(expires)
                WHERE job = \(QueueEntry.entry(slot.job.kind, slot.job.name)) AND worker = \(slot.worker) AND token = \(slot.token)
                """
            )
        }
        guard renewed == 1 else { return nil }
        var slot = slot
        slot.expires = expires
        return slot
    }

    package func leave(_ slot: GangSlot) throws {
        try connections.withSession { session in
            _ = try session.execute(
                """
                DELETE FROM gang_member
                WHERE job = \(QueueEntry.entry(slot.job.kind, slot.job.name)) AND worker = \(slot.worker) AND token = \(slot.token)
                """
            )
        }
    }

    package func gather(_ lease: JobLease, host: String, now: Double) throws -> Gang? {
        let entry = QueueEntry.entry(lease.job.kind, lease.job.name)
        return try connections.transaction { session -> Gang? in
            guard
                let held = try session.query(
                    "SELECT instances, gang_started, seq FROM training_queue WHERE name = \(entry) AND lease_token = \(lease.token) FOR UPDATE"
                ).rows.first
            else { return nil }
            let (instances, started, seq) = try held.decode((Int, Bool, Int64).self)
            if !started {
                // A member that died before the start drops out; the leader's own slot is renewed with every look.
                try session.query("DELETE FROM gang_member WHERE job = \(entry) AND worker <> \(lease.worker) AND expires_at <= \(now)")
                try session.query(
                    """
                    INSERT INTO gang_member (job, worker, host, token, expires_at)
                    VALUES (\(entry), \(lease.worker), \(host), \(lease.token), \(now + leaseDuration))
                    ON CONFLICT (job, worker) DO UPDATE SET host = excluded.host, token = excluded.token, expires_at = excluded.expires_at
                    """
                )
            }
            let hosts = try session.query(
                "SELECT host FROM gang_member WHERE job = \(entry) ORDER BY worker = \(lease.worker) DESC, seq"
            ).rows.map { try $0.decode(String.self) }
            var gang = Gang(instances: instances, hosts: hosts, olderGangShort: false)
            if gang.isComplete {
                if !started { try session.query("UPDATE training_queue SET gang_started = true WHERE name = \(entry)") }
                return gang
            }
            gang.olderGangShort = try !session.query(
                """
                SELECT 1 FROM training_queue older
                WHERE older.seq < \(seq) AND older.instances > 1 AND older.lease_token IS NOT NULL AND older.lease_expires_at > \(now)
                    AND NOT older.gang_started
                    AND (SELECT count(*) FROM gang_member m
                         WHERE m.job = older.name AND m.worker <> older.lease_worker AND m.expires_at > \(now)) < older.instances - 1
                LIMIT 1
                """
            ).rows.isEmpty
            return gang
        }
    }
}
