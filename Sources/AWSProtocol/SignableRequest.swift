/// An HTTP request as SigV4 sees it: the request target exactly as received (still percent-encoded), every header
/// in arrival order (names case-insensitive, repeats allowed), and the whole body.
public struct SignableRequest: Sendable {
    /// The HTTP method, e.g. `POST`.
    public var method: String
    /// The path of the request target as received, percent-encoded, e.g. `/endpoints/bees/invocations`.
    public var rawPath: String
    /// The query of the request target as received (after `?`, percent-encoded), or `""`.
    public var rawQuery: String
    /// The headers in arrival order.
    public var headers: [(name: String, value: String)]
    /// The body, read fully.
    public var body: [UInt8]

    public init(method: String, rawPath: String, rawQuery: String = "", headers: [(name: String, value: String)], body: [UInt8] = []) {
        self.method = method
        self.rawPath = rawPath
        self.rawQuery = rawQuery
        self.headers = headers
        self.body = body
    }

    /// Every value of the header `name` (case-insensitive), in arrival order.
    public func values(of name: String) -> [String] {
        headers.filter { $0.name.caseInsensitiveEquals(name) }.map(\.value)
    }

    /// The first value of the header `name` (case-insensitive), or nil.
    public func value(of name: String) -> String? {
        headers.first { $0.name.caseInsensitiveEquals(name) }?.value
    }

    /// Removes every header named `name` (case-insensitive).
    public mutating func removeHeaders(named name: String) {
        headers.removeAll { $0.name.caseInsensitiveEquals(name) }
    }
}

extension String {
    /// ASCII case-insensitive equality, as HTTP header names compare.
    func caseInsensitiveEquals(_ other: String) -> Bool {
        lowercased() == other.lowercased()
    }
}
