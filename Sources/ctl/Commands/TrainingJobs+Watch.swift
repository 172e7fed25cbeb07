import AWSProtocol
import ArgumentParser
import Foundation
import TrainingExecution

extension TrainingJobs {
    struct Logs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a training job's log (the algorithm's lines, from CloudWatch Logs).",
            discussion: """
                With --follow, keeps printing until the job ends, with the progress bar of `wait` on a terminal and its \
                summary at the end. --json prints GetLogEvents' events (timestamp, message, ingestionTime): one array, \
                or with --follow one event per line (JSON Lines) as they come.

                Example: ctl training-jobs logs bees-1 --follow
                """)
        @Argument(help: "The job's name.") var name: String
        @Flag(help: "Keep printing new lines until the job ends.") var follow = false
        @Option(help: "Seconds between polls with --follow.") var interval = 1.0
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let client = try options.client()
            var reader = TrainingLogReader(client: client, job: name)
            guard follow else {
                _ = try await client.call("SageMaker.DescribeTrainingJob", ["TrainingJobName": .string(name)])
                let events = try await reader.pollEvents()
                if options.json { return JSONOutput.print(["events": .array(events)]) }
                for event in events { print(event["message"]?.stringValue ?? "") }
                return
            }
            let status = try await JobWatcher(client: client, name: name, interval: interval).watch(
                reader: &reader, printEvent: { event in options.json ? event.rendered() : event["message"]?.stringValue ?? "" })
            throw ExitCode(JobWatcher.exitCode(status))
        }
    }

    struct Wait: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Wait until a training job ends, with a live progress bar: epoch, batch, images/s, losses, mAP, ETA.",
            discussion: """
                The bar (on standard error, redrawn per batch on a terminal, a line per change otherwise) reads the job's \
                log lines from CloudWatch Logs, as any client could: epoch n/N, batch n/N, images/s, the running cls \
                (cross-entropy) and box (smooth L1) losses, the last validation mAP, elapsed time and ETA for the epoch \
                and the job. At the end: how long it took, the best mAP and where the model is.
                Exit code: 0 Completed, 1 Failed, 3 Stopped — so scripts can chain on success.

                Example: ctl training-jobs wait bees-1 && ctl deploy bees-1
                """)
        @Argument(help: "The job's name.") var name: String
        @Option(help: "Seconds between polls.") var interval = 1.0
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let client = try options.client()
            var reader = TrainingLogReader(client: client, job: name)
            let status = try await JobWatcher(client: client, name: name, interval: interval).watch(reader: &reader, printEvent: nil)
            if options.json {
                JSONOutput.print(answer: try await client.answer("SageMaker.DescribeTrainingJob", ["TrainingJobName": .string(name)]).bytes)
            }
            throw ExitCode(JobWatcher.exitCode(status))
        }
    }
}

/// Polls a job until it ends, feeding its log events to a progress bar (redrawn in place on a terminal, one line
/// per change otherwise, on standard error), optionally printing each event, and closing with the job's summary.
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

    /// - Parameter printEvent: how to print each log event on standard output (nil: not at all).
    /// - Returns: the job's final TrainingJobStatus.
    func watch(reader: inout TrainingLogReader, printEvent: ((JSONValue) -> String)?) async throws -> String {
        let terminal = isatty(STDERR_FILENO) == 1
        var progress = TrainingProgress()
        var lastBar = ""
        var lastState = ""
        while true {
            let job = try await client.call("SageMaker.DescribeTrainingJob", ["TrainingJobName": .string(name)])
            progress.read(job: job)
            let status = job["TrainingJobStatus"]?.stringValue ?? "?"
            for event in try await reader.pollEvents() {
                progress.read(event: event)
                if let printEvent {
                    if terminal && !lastBar.isEmpty { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
                    FileHandle.standardOutput.write(Data((printEvent(event) + "\n").utf8))
                    lastBar = ""
                }
            }
            let ended = ["Completed", "Failed", "Stopped"].contains(status)
            let secondary = job["SecondaryStatus"]?.stringValue ?? status
            // In a log or pipe: a line per epoch and status change, not per poll.
            let state = "\(progress.completedEpochs) \(secondary)"
            if !ended, terminal || state != lastState {
                let bar = progress.bar(status: secondary, nowMillis: Date().timeIntervalSince1970 * 1000)
                FileHandle.standardError.write(Data((terminal ? "\r\u{1B}[2K" + bar : bar + "\n").utf8))
                (lastBar, lastState) = (bar, state)
            } else if ended {
                if terminal && !lastBar.isEmpty { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
                FileHandle.standardError.write(Data((progress.summary(job: job) + "\n").utf8))
                return status
            }
            try await Task.sleep(nanoseconds: UInt64(interval * 1e9))
        }
    }
}
