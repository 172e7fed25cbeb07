extension ControlPlaneStore {
    /// The tags on `arn`, sorted by key.
    public func tags(of arn: String) throws -> [(key: String, value: String)] {
        guard !NULCharacterError.isIn(arn) else { return [] }
        return try backend.tags(of: arn)
    }

    /// Adds or overwrites tags on `arn`. - Returns: false (changing nothing) when the total would exceed `limit`.
    public func addTags(_ tags: [(key: String, value: String)], to arn: String, limit: Int) throws -> Bool {
        guard !NULCharacterError.isIn(arn) else { throw NULCharacterError(field: "ARN") }
        return try backend.addTags(tags, to: arn, limit: limit)
    }

    public func deleteTags(_ keys: [String], from arn: String) throws {
        guard !NULCharacterError.isIn(arn) else { return }
        try backend.deleteTags(keys, from: arn)
    }
}
