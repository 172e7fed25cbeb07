import AWSProtocol
import ArgumentParser
import Foundation

extension Labels {
    /// `ctl labels show IMAGE`: one image's boxes.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show an image's boxes; --render draws them onto the image as a PNG.",
            discussion: """
                  ctl labels show 12
                  ctl labels show 15879308.jpg --dataset bees --render 15879308-boxes.png
                """
        )

        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The image: its id, or its file name.") var image: String
        @Option(name: .shortAndLong, help: "The dataset, when the image is given by file name.") var dataset: String?
        @Option(help: "Write the image with its boxes drawn (one colour per class) to this PNG file.") var render: String?
        @Flag(help: "Print the API's answer (with --render, without the PNG it carries).") var json = false

        func run() async throws {
            let (shown, bytes) = try await connection.client().labelsAnswer(
                "show", ["image": .string(image), "dataset": dataset.map(JSONValue.string) ?? .null, "render": .bool(render != nil)])
            if json && render == nil { return JSONOutput.print(answer: bytes) }
            var answer = shown
            let boxes = answer["boxes"]?.arrayValue ?? []
            if let render {
                guard let png = answer["png"]?.stringValue.flatMap({ Data(base64Encoded: $0) }) else { throw CLIError("the daemon sent no rendering") }
                try png.write(to: URL(fileURLWithPath: render))
                answer["png"] = nil
            }
            if json { return JSONOutput.print(answer) }
            let image = answer["image"] ?? [:]
            let orientation = image["orientation"]?.intValue ?? 1
            let turned = orientation == 1 ? "" : "  (EXIF orientation \(orientation) applied)"
            print(
                "image \(image["id"]?.intValue ?? 0)  \(answer["dataset"]?.stringValue ?? "")/\(image["fileName"]?.stringValue ?? "")  "
                    + "\(image["width"]?.intValue ?? 0)×\(image["height"]?.intValue ?? 0)\(turned)  \(image["labeled"]?.boolValue == true ? "labeled" : "to label")"
            )
            if !boxes.isEmpty {
                let rows = boxes.map { box in
                    [String(box["id"]?.intValue ?? 0), box["class"]?.stringValue ?? "?"]
                        + ["left", "top", "width", "height"].map { LabelText.number(box[$0]?.doubleValue ?? 0) }
                }
                print(TextTable(headers: ["BOX", "CLASS", "LEFT", "TOP", "WIDTH", "HEIGHT"], rows: rows).render())
            }
            if let render { print("Drew \(boxes.count) boxes into \(render)") }
        }
    }
}
