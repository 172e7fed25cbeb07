import AWSProtocol
import Foundation
import Testing

@testable import JobService
@testable import ControlPlane
@testable import S3API

/// Single requests that once crashed the daemon (issue 23), each answered now in its protocol's own error shape:
/// GetLogEvents tokens at the ends of Int64, aws-chunked sizes with a sign or beyond the body, JSON nested past
/// any AWS shape. The image bomb is in ImageCodecTests; the live versions of these are Tests/ClientSuites/compat/test_hostile_requests.py.
@Suite struct HostileInputTests {
    let context = AWSRequestContext(region: "us-east-1", account: "123456789012")

    @Test func logTokensAtTheEndsOfInt64AreAnsweredNotTrapped() throws {
        let store = try ControlPlaneStore.inMemory()
        try store.appendLogEvents(group: "/g", stream: "s", [(timestamp: 1, message: "one"), (timestamp: 2, message: "two")], now: 3)
        let logs = LogsService(store: store)
        for token in ["f/9223372036854775807", "b/0", "f/0"] {
            let output = try logs.handle("GetLogEvents", ["logGroupName": "/g", "logStreamName": "s", "nextToken": .string(token)], context)
            #expect(output["events"]?.arrayValue?.count == (token == "f/0" ? 2 : 0), "\(token)")
        }
        for token in ["b/-9223372036854775808", "f/-1", "f/99999999999999999999", "x/1"] {
            #expect(throws: AWSError.self, "\(token)") {
                try logs.handle("GetLogEvents", ["logGroupName": "/g", "logStreamName": "s", "nextToken": .string(token)], context)
            }
        }
        let streams = try logs.handle("DescribeLogStreams", ["logGroupName": "/g", "nextToken": "9223372036854775807"], context)
        #expect(streams["logStreams"]?.arrayValue == [] && streams["nextToken"] == nil)
    }

    @Test func signedOrOversizedChunkSizesAreIncompleteBody() {
        // Sizes with a sign once became a negative slice length; a size beyond the declared length is refused at its
        // header instead of being waited for.
        for (body, declared) in [
            ("-5\r\nabc\r\n0\r\n\r\n", nil), ("-8000000000000\r\n", nil), ("+3\r\nabc\r\n0\r\n\r\n", nil), ("fffffffffffffff\r\n", 3),
        ] {
            var decoder = AWSChunkedDecoder(decodedLength: declared)
            do {
                try Array(body.utf8).withUnsafeBytes { bytes in try decoder.feed(bytes) { _ in } }
                try decoder.finish()
                Issue.record("\(body.debugDescription) was accepted")
            } catch let error as S3Error {
                #expect(error.code == "IncompleteBody", "\(body.debugDescription)")
            } catch {
                Issue.record("\(error)")
            }
        }
    }

    @Test func deeplyNestedJSONIsASerializationError() throws {
        let depth = 100_000
        let body = Array(("{\"a\":" + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}").utf8)
        do {
            _ = try JSONValue.requestObject(body)
            Issue.record("a JSON body \(depth) levels deep was parsed")
        } catch let error as AWSError {
            #expect(error.code == "SerializationException" && error.message.contains("deeper than"), "\(error)")
        }
        // Brackets inside strings do not count, and a body at the limit parses.
        let limit = JSONNestingLimit.maximumDepth
        let atLimit = String(repeating: "[", count: limit - 1) + "\"[[[[{{{{\"" + String(repeating: "]", count: limit - 1)
        #expect(try JSONValue.requestObject(Array("{\"a\":\(atLimit)}".utf8))["a"] != nil)
    }
}
