import ControlPlane
import Foundation
import Logging

/// The leader's side of gang scheduling (`GangScheduling`): the worker that claimed a multi-instance job on a shared
/// queue waits — its lease renewed by its control meanwhile — until as many workers hold slots in the job's gang as
/// the job has instances, looking once a second (`gather`, which also drops members that died). While the gang is
/// short the job shows `Waiting for N more instances (k of n leased)`; a leader whose gang is short while an older
/// job's gang is short too gives its job back (it stays queued) so that its worker joins that one: two incomplete
/// gangs never hold each other's workers for ever.
struct GangLeader {
    /// How the wait ended.
    enum Outcome: Equatable {
        /// Every slot is held: the hosts in rank order, the leader's first.
        case formed(hosts: [String])
        /// An older gang was short too: the job is to be given back (released, still queued).
        case gaveBack
        /// A stop was asked for (or the lease was lost: `shutdown`).
        case interrupted(StopRequest)
    }

    let control: TrainingJobControl
    let gangs: any GangScheduling
    /// The name the leader's node is reachable at (`--advertise-host`).
    let host: String
    let logger: Logger

    /// Seconds between looks at the gang.
    static let interval = 1.0

    /// Waits for the gang; `waiting` gets the status message each time the count changes.
    func form(waiting: (String) -> Void) -> Outcome {
        var shown: String?
        while true {
            if let request = control.requested { return .interrupted(request) }
            do {
                guard let gang = try gangs.gather(control.currentLease, host: host, now: control.clock()) else { return .interrupted(.shutdown) }
                if gang.isComplete { return .formed(hosts: gang.hosts) }
                if gang.olderGangShort { return .gaveBack }
                if gang.waitingMessage != shown {
                    shown = gang.waitingMessage
                    waiting(gang.waitingMessage)
                }
            } catch {
                // The database may be away for a while; the control's heartbeats decide when the lease is given up.
                logger.warning("cannot look at a training job's gang; trying again", metadata: ["job": "\(control.job)", "error": "\(error)"])
            }
            if let request = control.wait(upTo: Self.interval) { return .interrupted(request) }
        }
    }
}
