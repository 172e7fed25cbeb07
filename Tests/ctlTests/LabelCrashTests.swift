import Foundation
import ImageCodec
import LabelStore
import Testing

/// Crash safety of label writes (issue 4 §8): `ctl labels apply` is SIGKILLed in the middle of a burst of writes it
/// sends to the daemon; the store, reopened, has every write it acknowledged and no part of any other.
@Suite("label writes survive SIGKILL")
struct LabelCrashTests {
    /// Each write adds three boxes to one image; the boxes' width encodes the line that wrote them.
    static func line(_ number: Int, imageId: Int64) -> String {
        let width = 1 + Double(number) / 1000
        let boxes = (0..<3).map { #"{"op": "add", "image": \#(imageId), "class": "bee", "box": [\#($0 * 20), 0, \#(width), 5]}"# }
        return "[" + boxes.joined(separator: ", ") + "]\n"
    }

    @Test("three bursts of writes, each killed at a random point: every acknowledged write is there, whole; nothing else is, but a whole last one")
    func sigkillMidBurst() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("apiary-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        var imageIds: [Int64] = []
        try LiveDaemon.withLabelStore(home: home) { store in
            let dataset = try store.ensureDataset(named: "bees")
            try store.addCategories(["bee"], to: dataset)
            for index in 0..<20 {
                let image = RGBImage(width: 64, height: 48, fill: (UInt8(index * 10), 100, 50))
                imageIds.append(try store.addImage(bytes: try PNGCodec.encode(image), fileName: "\(index).png", sourceRef: nil, to: dataset).image.id)
            }
        }

        let daemon = try LiveDaemon(home: home)
        defer { daemon.terminate() }
        var acknowledged = Set<Int>()
        var next = 1
        for _ in 0..<3 {
            // A burst of 3,000 writes, fed from a file so the writer never waits for the test.
            let input = home.appendingPathComponent("burst-\(next).jsonl")
            let first = next
            let lines = (first..<(first + 3000)).map { Self.line($0, imageId: imageIds[$0 % imageIds.count]) }
            try Data(lines.joined().utf8).write(to: input)
            next += 3000

            let process = Process()
            process.executableURL = CtlBinary.url
            process.environment = ChildEnvironment.inherited()
            process.arguments = ["labels", "apply", "--endpoint-url", daemon.url]
            process.standardInput = try FileHandle(forReadingFrom: input)
            let output = Pipe()
            process.standardOutput = output
            process.standardError = Pipe()
            try process.run()
            let killAfter = Int.random(in: 20...400)
            var text = ""
            var seen = 0
            while seen < killAfter {
                let data = output.fileHandleForReading.availableData
                if data.isEmpty { break }
                text += String(decoding: data, as: UTF8.self)
                seen = text.filter { $0 == "\n" }.count
            }
            kill(process.processIdentifier, SIGKILL)
            text += String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal, "ctl finished the whole burst before the kill")
            // Acknowledgements are whole lines: {"line": N, ...}; N counts from the burst's first line.
            for ack in text.split(separator: "\n") {
                let object = try JSONSerialization.jsonObject(with: Data(ack.utf8)) as? [String: Any]
                acknowledged.insert(first - 1 + (object?["line"] as? Int ?? -1))
            }
        }

        daemon.terminate()
        let (widths, revisions) = try LiveDaemon.withLabelStore(home: home) { store in
            (
                try imageIds.flatMap { try store.boxes(onImage: $0).map(\.annotation.width) },
                try imageIds.flatMap { try store.history(ofImage: $0).map(\.revisionId) }
            )
        }
        let perRevision = Dictionary(grouping: revisions, by: { $0 }).values.map(\.count)
        var boxesByLine: [Int: Int] = [:]
        for width in widths { boxesByLine[Int(((width - 1) * 1000).rounded()), default: 0] += 1 }
        let stored = Set(boxesByLine.keys)
        #expect(acknowledged.count >= 60)
        #expect(acknowledged.isSubset(of: stored), "acknowledged but lost: \(acknowledged.subtracting(stored).sorted().prefix(10))")
        #expect(boxesByLine.values.allSatisfy { $0 == 3 }, "partial writes: \(boxesByLine.filter { $0.value != 3 })")
        #expect(perRevision.allSatisfy { $0 == 3 })
        // At most one write per burst may have committed without its acknowledgement reaching us.
        #expect(stored.subtracting(acknowledged).count <= 3, "\(stored.subtracting(acknowledged).sorted())")
    }
}
