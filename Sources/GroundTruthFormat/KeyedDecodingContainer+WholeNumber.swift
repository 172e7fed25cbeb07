extension KeyedDecodingContainer {
    /// An integer that a manifest may also spell as a float with no fraction (`0.0`).
    func decodeWholeNumber(forKey key: Key) throws -> Int {
        if let value = try? decode(Int.self, forKey: key) { return value }
        let value = try decode(Double.self, forKey: key)
        guard value.rounded() == value, abs(value) < 1e15 else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "expected a whole number, got \(value)")
        }
        return Int(value)
    }
}
