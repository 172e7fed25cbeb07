import AWSProtocol
import ControlPlane

/// A Lambda or API Gateway resource kept as one JSON document in its `resource` row, read and written whole.
protocol StoredDocument {
    init(document: JSONValue)
    var document: JSONValue { get }
}

extension ControlPlaneStore {
    /// Applies `change` to the stored `kind` resource `name` in one transaction, its last-modified time set to `now`.
    /// - Returns: the changed value; nil when there is no such resource.
    func updateDocument<Value: StoredDocument>(
        _ kind: ResourceKind, named name: String, at now: Double, _ change: (inout Value) throws -> Void
    ) throws -> Value? {
        try update(kind, named: name) { record in
            var value = Value(document: record.document)
            try change(&value)
            record.document = value.document
            record.lastModifiedTime = now
        }.map { Value(document: $0.document) }
    }
}
