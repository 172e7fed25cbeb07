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
              ctl invoke bees bee1.jpg --draw bee1-boxes.png
            """)
    @Argument(help: "The endpoint's name.") var endpoint: String
    @Argument(help: "JPEG or PNG files.") var images: [String]
    @Option(help: "Only detections scoring at least this.") var minScore = 0.2
    @Option(help: "Write the (single) image with its detections drawn to this PNG.") var draw: String?
    @OptionGroup var options: ClientOptions

    func validate() throws {
        guard draw == nil || images.count == 1 else { throw ValidationError("--draw takes one image") }
        guard (0...1).contains(minScore) else { throw ValidationError("--min-score must be within 0…1") }
    }

    func run() async throws {
        let client = try options.client()
        var rows: [[String]] = []
        var answers: [JSONValue] = []
        for path in images {
            try InputFiles.requireReadable(path, "image")
            guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("cannot read image '\(path)'", exitCode: 66) }
            let bytes = Array(data)
            let type = (ImageFormat.sniff(bytes) ?? .jpeg).contentType
            let answer = try await client.invoke(endpoint: endpoint, body: bytes, contentType: type)
            let json = try JSONValue.parse(answer.body)
            answers.append(["image": .string(path), "variant": .string(answer.variant), "response": json])
            let kept = PredictedBox.rows(of: json, minScore: minScore)
            for p in kept {
                rows.append([path, String(p.classId), String(format: "%.3f", p.score)] + [p.xmin, p.ymin, p.xmax, p.ymax].map { String(format: "%.3f", $0) })
            }
            if let draw {
                try Data(try DetectionDrawing.png(of: bytes, predictions: kept)).write(to: URL(fileURLWithPath: draw))
            }
        }
        if options.json { return JSONOutput.print(.array(answers)) }
        print(TextTable(headers: ["IMAGE", "CLASS", "SCORE", "XMIN", "YMIN", "XMAX", "YMAX"], rows: rows).render())
        if let draw { print("\ndrew \(rows.count) detection(s) on \(draw) (\(DetectionDrawing.legend))") }
    }
}
