import AWSProtocol
import ArgumentParser
import Foundation
import LabelStore

/// `ctl datasets …`: image datasets on this machine.
struct Datasets: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "datasets",
        abstract: "Work with image datasets: generate the sample bees, import folders into the label store, take random samples.",
        discussion: """
            Examples:
              ctl datasets generate-sample ./bees
              ctl datasets import ./bees/images --dataset bees \\
                  --source-ref-prefix s3://bees/images/
              ctl datasets sample --dataset bees -o sample.manifest   # 2% of 500: 10
            """,
        subcommands: [GenerateSample.self, Import.self, List.self, Sample.self]
    )
}

extension Datasets {
    /// `ctl datasets generate-sample DIR`: the built-in bee dataset.
    struct GenerateSample: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "generate-sample",
            abstract: "Write the built-in sample bee dataset: 500 labelled images, 10 held-out test images, Ground Truth manifests.",
            discussion: """
                The images are generated, not downloaded: photo-like bees among flowers, leaves and other insects, \
                with tight boxes, as a Ground Truth output manifest (label attribute bees-500, class 0 = bee). \
                The same seed always writes the same bytes.

                Examples:
                  ctl datasets generate-sample ./bees
                  ctl datasets generate-sample ./bees --count 50 --test-count 5 --seed 7
                  ctl datasets generate-sample ./field --style field --count 1500 \\
                      --test-count 500 --seed 4242
                  ctl datasets generate-sample ./bees --source-ref-prefix s3://bees/images/
                """
        )

        @Argument(help: "The folder to write into (created if missing).")
        var directory: String

        @Option(help: "Number of labelled images.")
        var count = 500

        @Option(help: "Number of held-out test images.")
        var testCount = 10

        @Option(help: "Seed: the same seed writes the same bytes.")
        var seed = SampleBeeDataset.defaultSeed

        @Option(
            help: ArgumentHelp(
                "The population: course (the built-in sample) or field (smaller, more numerous bees, more clutter, other settings).",
                valueName: "name"
            )
        )
        var style = SampleStyle.course.name

        @Option(help: "Prefix of each image's source-ref in output.manifest (default: relative paths).")
        var sourceRefPrefix = "images/"

        @Flag(help: "Print the summary as JSON.")
        var json = false

        func validate() throws {
            guard count >= 1, count <= 100_000 else { throw ValidationError("--count must be between 1 and 100000, got \(count)") }
            guard testCount >= 0, testCount <= 10_000 else { throw ValidationError("--test-count must be between 0 and 10000, got \(testCount)") }
            guard SampleStyle.named(style) != nil else {
                throw ValidationError("--style must be one of \(SampleStyle.all.map(\.name).joined(separator: ", ")), got '\(style)'")
            }
        }

        func run() throws {
            let folder = URL(fileURLWithPath: directory, isDirectory: true)
            let start = Date()
            let progress = ProgressBar("generating")
            let summary = try SampleBeeDataset.generate(
                seed: seed,
                style: SampleStyle.named(style) ?? .course,
                count: count,
                testCount: testCount,
                into: folder,
                sourceRefPrefix: sourceRefPrefix
            ) { progress.show($0, of: $1) }
            progress.finish()
            let seconds = Date().timeIntervalSince(start)
            if json {
                let object: [String: Any] = [
                    "images": summary.imageCount, "boxes": summary.boxCount, "testImages": summary.testImageCount,
                    "testBoxes": summary.testBoxCount, "manifest": summary.manifest.path, "testManifest": summary.testManifest.path,
                    "labelAttributeName": SampleBeeDataset.labelAttributeName, "seed": seed, "style": style,
                ]
                print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
            } else {
                print(
                    "Wrote \(summary.imageCount) images with \(summary.boxCount) bees and \(summary.testImageCount) test images with \(summary.testBoxCount) bees in \(String(format: "%.1f", seconds)) s"
                )
                print("  manifest:       \(summary.manifest.path)  (label attribute \(SampleBeeDataset.labelAttributeName))")
                print("  test manifest:  \(summary.testManifest.path)")
            }
        }
    }
}

extension Datasets {
    /// `ctl datasets sample MANIFEST` or `ctl datasets sample --dataset NAME`: Ground Truth's "Random sample".
    struct Sample: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sample",
            abstract: "Take a seeded random sample of a manifest or a stored dataset (Ground Truth's \"Random sample\"; 2% by default).",
            discussion: """
                Of a manifest, lines are kept verbatim and in order; of a stored dataset, the sample is a new input \
                manifest, one {"source-ref": …} line per image in import order. The same seed always picks the same \
                lines. Without --output the sampled manifest goes to standard output. A manifest is sampled here, with \
                no daemon; a dataset is sampled by the daemon at $APIARY_URL (or --endpoint-url), which owns the label \
                store.

                Examples:
                  ctl datasets sample bees/output.manifest -o bees/sample.manifest  # 10 of 500
                  ctl datasets sample bees/output.manifest --percent 10 --seed 7 > s.manifest
                  ctl datasets sample --dataset bees --source-ref-prefix s3://bees/images/ \\
                      -o sample.manifest
                  ctl datasets sample bees/output.manifest --percent 80 --seed 7 \\
                      -o train.manifest --rest validation.manifest
                """
        )

        @Argument(help: "The manifest to sample (JSON Lines); or give --dataset.")
        var manifest: String?

        @Option(name: .shortAndLong, help: "Sample this dataset of the daemon's label store instead of a manifest.")
        var dataset: String?

        @Option(help: "Percentage of lines to keep, in (0, 100].")
        var percent = RandomSample.defaultPercent

        @Option(help: "Seed: the same seed picks the same lines.")
        var seed: UInt64 = 1

        @Option(help: "With --dataset: each source-ref is this prefix + the image's name (default: its source-ref at import).")
        var sourceRefPrefix: String?

        @Option(name: .shortAndLong, help: "Where to write the sampled manifest (default: standard output).")
        var output: String?

        @Option(help: "Of a manifest: also write the lines not sampled here (--percent 80 --rest validation.manifest is an 80/20 split).")
        var rest: String?

        @Flag(help: "With --output: print what was written as JSON (kept, total, percent, seed, output, rest).") var json = false

        @OptionGroup var connection: ConnectionOptions

        func validate() throws {
            guard !json || output != nil else { throw ValidationError("--json needs --output: without it the sampled manifest itself goes to standard output") }
            guard percent > 0, percent <= 100 else { throw ValidationError("--percent must be greater than 0 and at most 100, got \(percent)") }
            guard (manifest == nil) != (dataset == nil) else { throw ValidationError("give a manifest file or --dataset NAME (one of them)") }
            guard rest == nil || manifest != nil else { throw ValidationError("--rest splits a manifest file; sample the dataset's manifest for a split") }
        }

        func run() async throws {
            let sample: (text: String, kept: Int, total: Int)
            var remainder: String?
            if let dataset {
                var request: JSONValue = ["dataset": .string(dataset), "percent": .double(percent), "seed": .string(String(seed))]
                if let sourceRefPrefix { request["sourceRefPrefix"] = .string(sourceRefPrefix) }
                let answer = try await connection.client().labels("datasets/sample", request)
                sample = (answer["manifest"]?.stringValue ?? "", answer["kept"]?.intValue ?? 0, answer["total"]?.intValue ?? 0)
            } else {
                let path = manifest ?? ""
                try InputFiles.requireReadable(path, "manifest")
                guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                    throw CLIError("cannot read manifest '\(path)': it is not UTF-8 text (a manifest is JSON Lines)", exitCode: 65)
                }
                let split = RandomSample.split(text, percent: percent, seed: seed)
                sample = (split.sample, split.kept, split.total)
                remainder = split.rest
            }
            if let rest, let remainder {
                try Data(remainder.utf8).write(to: URL(fileURLWithPath: rest))
                FileHandle.standardError.write(Data("Wrote the other \(sample.total - sample.kept) lines into \(rest)\n".utf8))
            }
            guard let output else {
                print(sample.text, terminator: "")
                return
            }
            try Data(sample.text.utf8).write(to: URL(fileURLWithPath: output))
            if json {
                return JSONOutput.print([
                    "kept": .int(sample.kept), "total": .int(sample.total), "percent": .double(percent), "seed": .int(Int(seed)),
                    "output": .string(output), "rest": rest.map(JSONValue.string) ?? .null,
                ])
            }
            print("Sampled \(sample.kept) of \(sample.total) lines (\(percent)%, seed \(seed)) into \(output)")
        }
    }
}
