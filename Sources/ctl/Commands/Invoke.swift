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
            guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("cannot read \(path)", exitCode: 66) }
            let bytes = Array(data)
            let type = ImageFormat.sniff(bytes) == .png ? "image/png" : "image/jpeg"
            let answer = try await client.invoke(endpoint: endpoint, body: bytes, contentType: type)
            let json = try JSONValue.parse(answer.body)
            answers.append(["image": .string(path), "variant": .string(answer.variant), "response": json])
            let kept = (json["prediction"]?.arrayValue ?? []).compactMap { row -> [Double]? in
                let values = (row.arrayValue ?? []).compactMap(\.doubleValue)
                return values.count == 6 && values[1] >= minScore ? values : nil
            }
            for values in kept {
                rows.append([path, String(Int(values[0])), String(format: "%.3f", values[1])] + values[2...].map { String(format: "%.3f", $0) })
            }
            if let draw {
                var image = try ImageDecoder.decode(bytes)
                let boxes = kept.map { v in
                    BoxDrawing.Box(
                        left: v[2] * Double(image.width), top: v[3] * Double(image.height), width: (v[4] - v[2]) * Double(image.width),
                        height: (v[5] - v[3]) * Double(image.height), color: v[1] >= 0.5 ? (0, 230, 0) : (255, 200, 0))
                }
                BoxDrawing.draw(boxes: boxes, on: &image, thickness: max(2, image.width / 200))
                try Data(PNGCodec.encode(image)).write(to: URL(fileURLWithPath: draw))
            }
        }
        if options.json { return JSONOutput.print(.array(answers)) }
        print(TextTable(headers: ["IMAGE", "CLASS", "SCORE", "XMIN", "YMIN", "XMAX", "YMAX"], rows: rows).render())
        if let draw { print("\ndrew \(rows.count) detection(s) on \(draw) (green: score ≥ 0.5, yellow: below)") }
    }
}
