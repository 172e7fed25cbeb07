import AWSProtocol
import ArgumentParser
import Foundation

extension TrainingJobs {
    struct Logs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a training job's log (the algorithm's lines, from CloudWatch Logs).",
            discussion: "With --follow, keeps printing until the job ends, with a progress bar on a terminal.\n\nExample: ctl training-jobs logs bees-1 --follow")
        @Argument(help: "The job's name.") var name: String
        @Flag(help: "Keep printing new lines until the job ends.") var follow = false
        @Option(help: "Seconds between polls with --follow.") var interval = 2.0
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let client = try options.client()
            var reader = TrainingLogReader(client: client, job: name)
            guard follow else {
                _ = try await client.call("SageMaker.DescribeTrainingJob", ["TrainingJobName": .string(name)])
                for line in try await reader.poll() { print(line) }
                return
            }
            let status = try await JobWatcher(client: client, name: name, interval: interval).watch(reader: &reader, printLines: true)
            throw ExitCode(JobWatcher.exitCode(status))
        }
    }

    struct Wait: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Wait until a training job ends, with a live progress bar (epoch, loss, mAP).",
            discussion: "Exit code: 0 Completed, 1 Failed, 3 Stopped — so scripts can chain on success.\n\nExample: ctl training-jobs wait bees-1 && ctl deploy bees-1")
        @Argument(help: "The job's name.") var name: String
        @Option(help: "Seconds between polls.") var interval = 2.0
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let client = try options.client()
            var reader = TrainingLogReader(client: client, job: name)
            let status = try await JobWatcher(client: client, name: name, interval: interval).watch(reader: &reader, printLines: false)
            if options.json {
                JSONOutput.print(try await client.call("SageMaker.DescribeTrainingJob", ["TrainingJobName": .string(name)]))
            }
            throw ExitCode(JobWatcher.exitCode(status))
        }
    }
}

/// Polls a job until it ends, feeding its log lines to a progress bar (redrawn in place on a terminal, one line
/// per change otherwise, on standard error) and optionally printing them.
struct JobWatcher {
    let client: APIClient
    let name: String
    let interval: Double

    static func exitCode(_ status: String) -> Int32 {
        switch status {
        case "Completed": 0
        case "Stopped": 3
        default: 1
        }
    }

    /// - Returns: the job's final TrainingJobStatus.
    func watch(reader: inout TrainingLogReader, printLines: Bool) async throws -> String {
        let terminal = isatty(STDERR_FILENO) == 1
        var progress = TrainingProgress()
        var lastBar = ""
        while true {
            let job = try await client.call("SageMaker.DescribeTrainingJob", ["TrainingJobName": .string(name)])
            let status = job["TrainingJobStatus"]?.stringValue ?? "?"
            for line in try await reader.poll() {
                progress.read(line)
                if printLines {
                    if terminal && !lastBar.isEmpty { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
                    FileHandle.standardOutput.write(Data((line + "\n").utf8))
                    lastBar = ""
                }
            }
            let bar = progress.bar(status: job["SecondaryStatus"]?.stringValue ?? status)
            if bar != lastBar {
                FileHandle.standardError.write(Data((terminal ? "\r\u{1B}[2K" + bar : bar + "\n").utf8))
                lastBar = bar
            }
            if ["Completed", "Failed", "Stopped"].contains(status) {
                if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
                if let reason = job["FailureReason"]?.stringValue { FileHandle.standardError.write(Data("failure: \(reason)\n".utf8)) }
                return status
            }
            try await Task.sleep(nanoseconds: UInt64(interval * 1e9))
        }
    }
}
