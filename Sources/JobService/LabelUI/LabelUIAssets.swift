import Foundation

/// The labeling UI's static files (`Resources/`: plain HTML, CSS and JavaScript, no build step), read from the
/// package's resource bundle once. Requests pick a file by name from this fixed table; no request path ever
/// reaches the file system.
struct LabelUIAssets: Sendable {
    struct Asset: Sendable {
        let contentType: String
        let bytes: [UInt8]
    }

    /// Placeholder in `index.html` for the session token.
    static let tokenPlaceholder = "{{APIARY_LABEL_TOKEN}}"
    private static let files: [String: (name: String, ext: String, type: String)] = [
        "app.js": ("app", "js", "text/javascript; charset=utf-8"),
        "outbox.js": ("outbox", "js", "text/javascript; charset=utf-8"),
        "verify.js": ("verify", "js", "text/javascript; charset=utf-8"),
        "app.css": ("app", "css", "text/css; charset=utf-8"),
    ]

    let index: String
    private let assets: [String: Asset]

    /// Loads every file. - Throws: when the bundle lacks one (a broken install).
    init() throws {
        func load(_ name: String, _ ext: String) throws -> [UInt8] {
            guard let url = Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Resources") else {
                throw LabelUIAssetError(file: "\(name).\(ext)")
            }
            return Array(try Data(contentsOf: url))
        }
        index = String(decoding: try load("index", "html"), as: UTF8.self)
        assets = try Self.files.mapValues { Asset(contentType: $0.type, bytes: try load($0.name, $0.ext)) }
    }

    /// The page, with the session's token in its `<meta name="apiary-label-token">`.
    func page(token: String) -> [UInt8] { Array(index.replacingOccurrences(of: Self.tokenPlaceholder, with: token).utf8) }

    /// A file by its name under `/label/` (`app.js`), or nil.
    func asset(named name: String) -> Asset? { assets[name] }
}

struct LabelUIAssetError: Error, CustomStringConvertible {
    let file: String
    var description: String { "the labeling UI's \(file) is missing from the JobService resource bundle; reinstall ctl" }
}
