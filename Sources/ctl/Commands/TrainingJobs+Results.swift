import AWSProtocol
import ArgumentParser
import Foundation

extension TrainingJobs {
    /// `ctl training-jobs results JOB`: the job's results.csv as a table, its results.png saved (and opened).
    struct Results: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Show a training job's results: a table of its epochs (losses, mAP, learning rate, images/s, time) and its loss and mAP curves.",
            discussion: """
                Reads results.csv and results.png from where the job wrote them, next to its model \
                (<output>/<job>/output/), through the daemon's S3 API; saves the picture to --png (default \
                ./<job>-results.png) and with --open shows it (xdg-open).

                Example: ctl training-jobs results bees-1 --open
                """
        )
        @Argument(help: "The job's name.") var name: String
        @Option(help: "Where to save results.png (default ./<job>-results.png).") var png: String?
        @Flag(help: "Open the picture with the desktop's viewer (xdg-open).") var open = false
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let client = try options.client()
            let job = try await client.call("SageMaker.DescribeTrainingJob", ["TrainingJobName": .string(name)])
            guard let artifact = job["ModelArtifacts"]?["S3ModelArtifacts"]?.stringValue,
                let (bucket, key) = TrainingJobCheck.split(artifact)
            else { throw CLIError("training job \(name) records no output location") }
            let folder = String(key.hasSuffix("/") ? key.dropLast() : Substring(key)).split(separator: "/").dropLast().joined(separator: "/") + "/"
            let csv: Data
            do {
                csv = try await client.object(bucket: bucket, key: folder + "results.csv")
            } catch let error as APICallError where error.code == "NoSuchKey" {
                throw CLIError(
                    "training job \(name) has no results yet (s3://\(bucket)/\(folder)results.csv): they are written when it ends with at least one epoch; "
                        + "it is \(job["TrainingJobStatus"]?.stringValue ?? "?")"
                )
            }
            let path = png ?? "\(name)-results.png"
            try await client.object(bucket: bucket, key: folder + "results.png").write(to: URL(fileURLWithPath: path))
            let lines = String(decoding: csv, as: UTF8.self).split(separator: "\n").map {
                $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            }
            if options.json {
                let header = lines.first ?? []
                let rows: [JSONValue] = lines.dropFirst().map { row in
                    .object(Dictionary(uniqueKeysWithValues: zip(header, row).map { ($0, Double($1).map(JSONValue.double) ?? .string($1)) }))
                }
                JSONOutput.print(["epochs": .array(rows), "csv": .string("s3://\(bucket)/\(folder)results.csv"), "png": .string(path)])
            } else {
                let rows = lines.dropFirst().map { row in
                    row.enumerated().map { index, value in
                        guard index > 0, let number = Double(value) else { return value }
                        return index == 4 ? String(format: "%g", number) : String(format: index >= 5 ? "%.1f" : "%.4f", number)
                    }
                }
                print(TextTable(headers: ["EPOCH", "CLS LOSS", "BOX LOSS", "VAL mAP", "LR", "IMG/S", "SECONDS"], rows: rows).render())
                print("\ncurves: \(path)  (s3://\(bucket)/\(folder)results.png; table: results.csv)")
            }
            if open { try Self.open(path) }
        }

        /// Shows `path` with the desktop's viewer.
        static func open(_ path: String) throws {
            let viewer = Process()
            viewer.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            viewer.arguments = ["xdg-open", path]
            do {
                try viewer.run()
            } catch {
                throw CLIError("cannot open \(path) with xdg-open (\(error.localizedDescription)); open the file yourself")
            }
        }
    }
}
