/// A job the training workers run, as the queue knows it: a training job or a batch transform job (the kind tells
/// them apart, so a transform job and a training job may share a name).
struct QueuedJob: Hashable, Sendable, CustomStringConvertible {
    var kind: ResourceKind
    var name: String

    var description: String { "\(kind.rawValue)/\(name)" }
}
