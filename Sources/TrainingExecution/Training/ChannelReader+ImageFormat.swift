import ModelCore
import ObjectStore

extension ChannelReader {
    /// The records of the image format: one per `.json` file of the annotation channel, its `"file"` member
    /// resolved to an image of `channel` (see `ImageResolver`). Record identifiers are the images' URIs.
    func imageFormatRecords(_ channel: TrainingChannelSpec, annotations: TrainingChannelSpec?) throws -> [TrainingRecord] {
        guard let annotations else {
            throw TrainingClientError(
                "Channel '\(channel.name)' holds image files (ContentType \(channel.contentType ?? "")), so the job needs a "
                    + "'\(channel.name)_annotation' channel with one JSON annotation file per image."
            )
        }
        try Self.checkUncompressed(annotations)
        let resolver = ImageResolver(try objects(of: channel), channel: channel)
        let annotationURIs = try objects(of: annotations).map(\.uri).filter { $0.key.lowercased().hasSuffix(".json") }
        guard !annotationURIs.isEmpty else {
            throw TrainingClientError("Channel '\(annotations.name)' (\(annotations.uri)) has no .json annotation files.")
        }
        let files = try annotationURIs.map { uri in
            (name: uri.description, contents: Array(try fetch(uri, "annotation file of channel '\(annotations.name)'")))
        }
        let store = self.store
        var records = try TrainingChannel.imageAnnotations(files) { file in Array(try store.get(try resolver.uri(for: file))) }
        for index in records.indices {
            do {
                records[index].identifier = try resolver.uri(for: records[index].identifier).description
            } catch let error as TrainingClientError {
                throw TrainingClientError("Annotation \(annotationURIs[index]): \(error.reason)")
            }
        }
        return records
    }
}
