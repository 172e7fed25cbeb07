import AWSProtocol
import ControlPlane
import Foundation
import Logging
import ModelCore

extension TrainingWorker {
    /// Where a job's ranks run. A multi-instance job on a queue that schedules gangs (a shared database) first waits
    /// for its gang (`GangLeader`), showing `Waiting for …` in Describe and in its algo-1 log stream.
    /// - Returns: the gang's hosts in rank order, this worker's first; [] to run every rank on this host (one instance,
    ///   or a queue of this machine alone); nil when the run is over without ranks — the job was given back to join an
    ///   older gang, the worker is shutting down (both leave it queued), or it was stopped (its end recorded here).
    func gangHosts(_ name: String, instances: Int, control: TrainingJobControl, log: (Int, [String]) -> Void) throws -> [String]? {
        guard instances > 1, let advertisedHost, let gangs = control.gangs else { return [] }
        let formed = GangLeader(control: control, gangs: gangs, host: advertisedHost, logger: logger).form { message in
            logger.info("\(message)", metadata: ["job": "\(name)"])
            log(0, [AlgorithmLog.line(message)])
            _ = try? store.update(.trainingJob, named: name) {
                try TrainingJobLifecycle.apply(.secondary(.starting, message: message), to: &$0, at: AWSTimestamp.seconds(Date()))
            }
        }
        switch formed {
        case .formed(let hosts):
            let line = "Starting \(instances) instances under mpirun on the gang's hosts: \(hosts.joined(separator: ", "))"
            logger.info("\(line)", metadata: ["job": "\(name)"])
            log(0, [AlgorithmLog.line(line)])
            return hosts
        case .gaveBack:
            logger.info("gave a multi-instance training job back to join an older gang", metadata: ["job": "\(name)"])
            return nil
        case .interrupted(.shutdown):
            return nil
        case .interrupted(.userStop):
            let now = AWSTimestamp.seconds(Date())
            try control.complete { try TrainingJobLifecycle.apply(.stopped(maxRuntimeExceeded: false), to: &$0, at: now) }
            return nil
        }
    }
}
