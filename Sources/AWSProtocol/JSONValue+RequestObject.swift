extension JSONValue {
    /// A JSON protocol request's body as a JSON object (every JSON 1.0/1.1 and rest-json surface reads it the same
    /// way); an empty body counts as `{}`.
    /// - Throws: `AWSError.serialization` for anything but an object, nesting past `JSONNestingLimit` included.
    public static func requestObject(_ body: [UInt8]) throws -> JSONValue {
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return [:] }
        let value: JSONValue
        do {
            value = try JSONValue.parse(body)
        } catch let limit as JSONNestingLimit {
            throw AWSError.serialization(limit.description)
        } catch {
            throw AWSError.serialization("The request body is not a JSON object.")
        }
        guard case .object = value else { throw AWSError.serialization("The request body is not a JSON object.") }
        return value
    }
}
