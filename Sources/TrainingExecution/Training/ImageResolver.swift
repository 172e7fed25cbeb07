import ModelCore
import ObjectStore

/// Finds the image an annotation's `"file"` names among a channel's objects: the object at that path relative
/// to the channel, else the one object with that file name (annotations often name just `image.jpg`, or a path
/// on the machine that made them).
struct ImageResolver: Sendable {
    private let channel: String
    private let channelURI: S3URI
    private let byRelativeKey: [String: S3URI]
    private let byFileName: [String: [S3URI]]

    init(_ objects: [ChannelObject], channel: TrainingChannelSpec) {
        self.channel = channel.name
        channelURI = channel.uri
        byRelativeKey = Dictionary(objects.map { ($0.relativeKey, $0.uri) }, uniquingKeysWith: { first, _ in first })
        byFileName = Dictionary(grouping: objects.map(\.uri), by: { Self.fileName($0.key) })
    }

    /// - Throws: `TrainingClientError` when no image, or several, match.
    func uri(for file: String) throws -> S3URI {
        if let uri = byRelativeKey[file] { return uri }
        let candidates = byFileName[Self.fileName(file)] ?? []
        guard candidates.count == 1 else {
            guard candidates.isEmpty else {
                throw TrainingClientError(
                    "image '\(file)' matches several objects of channel '\(channel)' (\(candidates.map(\.description).joined(separator: ", "))); "
                        + "name it by its path relative to \(channelURI)."
                )
            }
            throw TrainingClientError("image '\(file)' is not in channel '\(channel)' (\(channelURI)).")
        }
        return candidates[0]
    }

    private static func fileName(_ path: String) -> String {
        String(path.split(separator: "/", omittingEmptySubsequences: false).last ?? "")
    }
}
