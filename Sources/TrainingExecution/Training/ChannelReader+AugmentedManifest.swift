import ModelCore
import ObjectStore

extension ChannelReader {
    /// The records of an augmented manifest channel: one per non-blank line, the image read from its
    /// `source-ref` (which must name an existing object), the label from the second attribute name.
    func augmentedManifestRecords(_ channel: TrainingChannelSpec) throws -> [TrainingRecord] {
        let what = "augmented manifest of channel '\(channel.name)'"
        guard let text = String(validating: try fetch(channel.uri, what), as: UTF8.self) else {
            throw TrainingClientError("The \(what), \(channel.uri), is not UTF-8 text.")
        }
        // The lines `GroundTruthManifest.parse` reads, numbered as an editor shows them.
        let lineNumbers = text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .filter { !$0.element.allSatisfy { $0 == " " || $0 == "\t" || $0 == "\r" } }
            .map { $0.offset + 1 }
        guard !lineNumbers.isEmpty else {
            throw TrainingClientError("The \(what), \(channel.uri), is empty: it needs one JSON line per image.")
        }
        let store = self.store
        let records: [TrainingRecord]
        do {
            records = try TrainingChannel.augmentedManifest(text, attributeNames: channel.attributeNames) { sourceRef in
                // Checked below before training starts.
                guard let uri = S3URI(sourceRef) else { throw TrainingClientError("source-ref '\(sourceRef)' is not an s3:// URI") }
                return Array(try store.get(uri))
            }
        } catch let error as TrainingClientError {
            throw TrainingClientError("Channel '\(channel.name)' (\(channel.uri)): \(error.reason)")
        }
        for (record, line) in zip(records, lineNumbers) {
            guard let uri = S3URI(record.identifier) else {
                throw TrainingClientError("Line \(line) of \(channel.uri): source-ref '\(record.identifier)' is not an s3:// URI.")
            }
            guard try store.exists(uri) else {
                throw TrainingClientError("Line \(line) of \(channel.uri): the image \(uri) does not exist.")
            }
        }
        return records
    }
}
