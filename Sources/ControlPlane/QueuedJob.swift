/// A job the training workers run, as the queue knows it: a training job or a batch transform job (the kind tells
/// them apart, so a transform job and a training job may share a name).
package struct QueuedJob: Hashable, Sendable, CustomStringConvertible {
    package var kind: ResourceKind
    package var name: String

    package init(kind: ResourceKind, name: String) {
        self.kind = kind
        self.name = name
    }

    package var description: String { "\(kind.rawValue)/\(name)" }
}
