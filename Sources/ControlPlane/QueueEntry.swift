/// The training workers run training jobs and batch transform jobs from one queue. An entry is a training job's
/// name, or `transform-job/<name>` for a transform job (training jobs' names cannot hold a `/`).
package enum QueueEntry {
    static let transformPrefix = "transform-job/"

    package static func entry(_ kind: ResourceKind, _ name: String) -> String {
        kind == .transformJob ? transformPrefix + name : name
    }

    /// The job an entry stands for.
    package static func job(_ entry: String) -> QueuedJob {
        entry.hasPrefix(transformPrefix)
            ? QueuedJob(kind: .transformJob, name: String(entry.dropFirst(transformPrefix.count))) : QueuedJob(kind: .trainingJob, name: entry)
    }
}
