import AWSProtocol
import ArgumentParser

extension Labels {
    /// `ctl labels stats`: progress, per-class counts, class balance, free tier.
    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Labeling progress, boxes and images per class, boxes per image, a class-imbalance warning, and the free tier.",
            discussion: "Example: ctl labels stats --dataset bees"
        )

        @OptionGroup var connection: ConnectionOptions
        @Option(name: .shortAndLong, help: "The dataset.") var dataset: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let (stats, bytes) = try await connection.client().labelsAnswer("stats", ["dataset": .string(dataset)])
            if json { return JSONOutput.print(answer: bytes) }
            let count = { (name: String) in stats[name]?.intValue ?? 0 }
            print(
                "\(stats["dataset"]?.stringValue ?? dataset): \(count("images")) images, \(count("labeledImages")) labeled, \(count("unlabeledImages")) to label, \(count("boxes")) boxes"
            )
            let classes = stats["classes"]?.arrayValue ?? []
            if !classes.isEmpty {
                let rows = classes.map { c in
                    [String(c["classId"]?.intValue ?? 0), c["name"]?.stringValue ?? "", String(c["boxes"]?.intValue ?? 0), String(c["images"]?.intValue ?? 0)]
                }
                print(TextTable(headers: ["ID", "CLASS", "BOXES", "IMAGES"], rows: rows).render())
            }
            let perImage = (stats["boxesPerImage"]?.objectValue ?? [:]).compactMap { key, value in Int(key).map { ($0, value.intValue ?? 0) } }.sorted { $0.0 < $1.0 }
            if !perImage.isEmpty {
                print("boxes per labeled image: " + perImage.map { "\($0.0): \($0.1)" }.joined(separator: ", "))
            }
            let tier = stats["freeTier"] ?? [:]
            let (cap, labeled, beyond) = (tier["cap"]?.intValue ?? 0, tier["labeledImages"]?.intValue ?? 0, tier["beyondFreeTier"]?.intValue ?? 0)
            print(
                "free tier: \(min(labeled, cap)) of \(cap) labeled images used (all datasets)\(beyond > 0 ? ", \(beyond) beyond it" : "")\(tier["optedIn"]?.boolValue == true ? "; opted in to go beyond" : "")"
            )
            if let warning = stats["imbalanceWarning"]?.stringValue { print("warning: \(warning)") }
        }
    }
}
