import AWSProtocol
import Testing

@testable import JobService

@Suite("LogFilterPattern: FilterLogEvents' term and phrase patterns")
struct LogFilterPatternTests {
    private let lines = [
        "START RequestId: 1 Version: $LATEST", "[ERROR] RuntimeError: the hive is empty", "[WARNING] low on honey",
        "2026-11-29T14:46:57Z 1 Task timed out after 3.00 seconds", "REPORT RequestId: 1\tDuration: 1.90 ms",
    ]

    private func matching(_ pattern: String) throws -> [String] {
        let filter = try LogFilterPattern(pattern)
        return lines.filter(filter.matches)
    }

    @Test("empty matches everything; terms are case-sensitive substrings that must all appear")
    func terms() throws {
        #expect(try matching("") == lines)
        #expect(try matching("ERROR") == ["[ERROR] RuntimeError: the hive is empty"])
        #expect(try matching("error").isEmpty)
        #expect(try matching("RequestId: 1") == [lines[0], lines[4]])
    }

    @Test("quoted phrases, -exclusions and ?alternatives")
    func operators() throws {
        #expect(try matching("\"Task timed out\"") == [lines[3]])
        #expect(try matching("RequestId -REPORT") == [lines[0]])
        #expect(try matching("?ERROR ?WARNING") == [lines[1], lines[2]])
        #expect(try matching("\"the hive\" -\"low on\"") == [lines[1]])
    }

    @Test("JSON, space-delimited and unbalanced patterns are InvalidParameterException")
    func refused() {
        for pattern in ["{ $.level = \"ERROR\" }", "[ip, user]", "\"open"] {
            #expect(throws: AWSError.self) { try LogFilterPattern(pattern) }
        }
    }
}
