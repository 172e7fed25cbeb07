import Foundation
import Testing

/// Runs the built `ctl` binary, as a user would.
enum CtlBinary {
    static var url: URL {
        // The test bundle and the ctl executable are built into the same products folder.
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("ctl")
    }

    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String, error: String) {
        try runProcess(url.path, arguments, environment: environment)
    }

    /// Runs any program (found on `PATH` when `program` has no slash) and waits for it.
    /// - Parameter environment: variables set (or replaced) in the inherited environment.
    static func runProcess(_ program: String, _ arguments: [String], environment: [String: String] = [:]) throws -> (
        status: Int32, output: String, error: String
    ) {
        let process = Process()
        process.environment = ChildEnvironment.inherited(adding: environment)
        process.executableURL = program.contains("/") ? URL(fileURLWithPath: program) : URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = program.contains("/") ? arguments : [program] + arguments
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }
}

@Suite("ctl, the binary")
struct CtlTests {
    @Test("--version and --help work")
    func versionAndHelp() throws {
        let version = try CtlBinary.run(["--version"])
        #expect(version.status == 0)
        #expect(version.output == "0.1.0\n")
        let help = try CtlBinary.run(["--help"])
        #expect(help.status == 0)
        #expect(help.output.contains("datasets"))
    }

    @Test("every command's --help shows an example (the whole command tree, walked from ctl --help)")
    func helpExamples() throws {
        var missing: [String] = []
        var pending: [[String]] = [[]]
        var seen = 0
        while let command = pending.popLast() {
            let help = try CtlBinary.run(command + ["--help"])
            #expect(help.status == 0, "ctl \(command.joined(separator: " ")) --help: \(help.error)")
            seen += 1
            if !command.isEmpty, !help.output.contains("ctl \(command.first!)") { missing.append(command.joined(separator: " ")) }
            let lines = help.output.split(separator: "\n", omittingEmptySubsequences: false)
            guard let start = lines.firstIndex(of: "SUBCOMMANDS:") else { continue }
            for line in lines[(start + 1)...].prefix(while: { !$0.isEmpty }) where line.hasPrefix("  ") && !line.hasPrefix("   ") {
                guard let name = line.split(separator: " ").first, name != "help" else { continue }
                pending.append(command + [String(name)])
            }
        }
        #expect(seen > 40, "walked only \(seen) commands")
        #expect(missing.isEmpty, "no example in --help: \(missing)")
    }

    @Test("datasets generate-sample writes images and a Ground Truth manifest; bad flags exit 64 with the fix")
    func generateSample() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ctl-sample-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try CtlBinary.run(["datasets", "generate-sample", directory.path, "--count", "3", "--test-count", "1", "--json"])
        #expect(result.status == 0, "\(result.error)")
        let summary = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
        #expect(summary?["images"] as? Int == 3)
        let manifest = try String(contentsOf: directory.appendingPathComponent("output.manifest"), encoding: .utf8)
        let lines = manifest.split(separator: "\n")
        #expect(lines.count == 3)
        let first = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any]
        let sourceRef = try #require(first?["source-ref"] as? String)
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent(sourceRef).path))
        #expect(first?["bees-500-metadata"] != nil)

        let bad = try CtlBinary.run(["datasets", "generate-sample", directory.path, "--count", "0"])
        #expect(bad.status == 64)
        #expect(bad.error.contains("--count must be between 1 and 100000, got 0"))
    }
}

@Suite("ctl datasets sample")
struct CtlSampleTests {
    @Test("2% of the sample manifest is 10 lines, the same for the same seed; a missing file says so")
    func sample() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ctl-random-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let manifest = directory.appendingPathComponent("input.manifest")
        try Data((0..<500).map { #"{"source-ref": "s3://bees/\#($0).jpg"}"# + "\n" }.joined().utf8).write(to: manifest)
        let first = try CtlBinary.run(["datasets", "sample", manifest.path, "--seed", "5"])
        #expect(first.status == 0)
        #expect(first.output.split(separator: "\n").count == 10)
        #expect(try CtlBinary.run(["datasets", "sample", manifest.path, "--seed", "5"]).output == first.output)
        let written = directory.appendingPathComponent("sample.manifest")
        let toFile = try CtlBinary.run(["datasets", "sample", manifest.path, "--seed", "5", "--output", written.path])
        #expect(toFile.output == "Sampled 10 of 500 lines (2.0%, seed 5) into \(written.path)\n")
        #expect(try String(contentsOf: written, encoding: .utf8) == first.output)
        let missing = try CtlBinary.run(["datasets", "sample", directory.appendingPathComponent("nope.manifest").path])
        #expect(missing.status == 66)
        #expect(missing.error.contains("cannot read manifest '\(directory.path)/nope.manifest': no such file"))
    }
}
