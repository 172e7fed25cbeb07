import AWSProtocol
import ArgumentParser
import Foundation
import ImageCodec

/// `ctl invoke ENDPOINT IMAGE…`: send images to an endpoint and show what it found.
struct Invoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Send images to an endpoint; print the detections, or draw them.",
        discussion: """
            Examples:
              ctl invoke bees bee1.jpg bee2.png --min-score 0.3
              ctl invoke bees bee1.jpg --draw bee1-boxes.png --class-names bee \\
                  --max-detections 20
            """)
    @Argument(help: "The endpoint's name.") var endpoint: String
    @Argument(help: "JPEG or PNG files.") var images: [String]
    @Option(help: "Only detections scoring at least this.") var minScore = 0.2
    @Option(help: "At most this many detections per image, best first.") var maxDetections = 100
    @Option(help: "Write the (single) image with its detections drawn to this PNG.") var draw: String?
    @Option(help: "Class names by class id, comma-separated, for the drawing and the table (e.g. bee).") var classNames: String?
    @OptionGroup var options: ClientOptions

    func validate() throws {
        guard draw == nil || images.count == 1 else { throw ValidationError("--draw takes one image") }
        guard (0...1).contains(minScore) else { throw ValidationError("--min-score must be within 0…1") }
        guard maxDetections >= 1 else { throw ValidationError("--max-detections must be at least 1") }
    }

    func run() async throws {
        let client = try options.client()
        let names = classNames?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } ?? []
        var rows: [[String]] = []
        var answers: [JSONValue] = []
        var drawn: [PredictedBox] = []
        for path in images {
            try InputFiles.requireReadable(path, "image")
            guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("cannot read image '\(path)'", exitCode: 66) }
            let bytes = Array(data)
            let type = (ImageFormat.sniff(bytes) ?? .jpeg).contentType
            let answer = try await client.invoke(endpoint: endpoint, body: bytes, contentType: type)
            let json = try JSONValue.parse(answer.body)
            answers.append(["image": .string(path), "variant": .string(answer.variant), "response": json])
            let kept = PredictedBox.rows(of: json, minScore: minScore, maxDetections: maxDetections)
            for p in kept {
                let name = names.indices.contains(p.classId) ? "\(p.classId) \(names[p.classId])" : String(p.classId)
                rows.append([path, name, String(format: "%.3f", p.score)] + [p.xmin, p.ymin, p.xmax, p.ymax].map { String(format: "%.3f", $0) })
            }
            if let draw {
                try Data(try DetectionDrawing.png(of: bytes, predictions: kept, classNames: names)).write(to: URL(fileURLWithPath: draw))
                drawn = kept
            }
        }
        if options.json { return JSONOutput.print(.array(answers)) }
        print(TextTable(headers: ["IMAGE", "CLASS", "SCORE", "XMIN", "YMIN", "XMAX", "YMAX"], rows: rows).render())
        if let draw { print("\ndrew \(drawn.count) detection(s) on \(draw) (\(DetectionDrawing.legend(drawn, truth: false)))") }
    }
}
