import Testing

@testable import AWSProtocol

@Suite struct JSONValueTests {
    @Test func parsesEveryJSONTypeDistinctly() throws {
        let value = try JSONValue.parse(Array(#"{"b": true, "i": 3, "d": 0.5, "s": "x", "n": null, "a": [1, "2"], "o": {}}"#.utf8))
        #expect(value["b"] == .bool(true))
        #expect(value["i"] == .int(3))
        #expect(value["d"] == .double(0.5))
        #expect(value["s"] == .string("x"))
        #expect(value["n"] == .null)
        #expect(value["a"] == .array([.int(1), .string("2")]))
        #expect(value["o"] == .object([:]))
    }

    @Test func rendersSortedCompactAndEscaped() {
        let value: JSONValue = ["z": 1, "a": ["t": "q\"\n\u{01}"], "m": 1704067200.123, "w": 2.0]
        #expect(value.rendered() == #"{"a":{"t":"q\"\n\u0001"},"m":1704067200.123,"w":2,"z":1}"#)
    }

    @Test func nonFiniteDoublesNeverReachTheWire() {
        #expect(JSONValue.array([.double(.nan), .double(.infinity)]).rendered() == "[null,null]")
    }

    @Test func roundTripsThroughItsOwnRendering() throws {
        let value: JSONValue = ["HyperParameters": ["epochs": "1"], "Count": 2, "Weight": 0.25, "Flag": false, "List": [[:], []]]
        #expect(try JSONValue.parse(value.renderedBytes) == value)
    }

    @Test func rejectsText() {
        #expect(throws: (any Error).self) { try JSONValue.parse(Array("not json".utf8)) }
    }
}
