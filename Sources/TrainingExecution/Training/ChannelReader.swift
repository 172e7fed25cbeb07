import Foundation
import ModelCore
import ObjectStore

/// Resolves a training job's channels to the algorithm's records, reading every `s3://` URI from the object
/// store. Accepts the forms of object-detection.md §3 that Apiary supports:
///
/// - an augmented manifest (`AugmentedManifestFile`, the bee course's form; any input mode, RecordIO wrapping
///   or not), whose `source-ref` images are read from the store;
/// - the image format: image objects (`image/jpeg`, `image/png`, `application/x-image`; `S3Prefix` or
///   `ManifestFile`) plus a `<channel>_annotation` channel of one JSON file per image.
///
/// - RecordIO `.rec` files of `im2rec` detection records (`application/x-recordio`, `S3Prefix` or `ManifestFile`).
///
/// Every problem is a `TrainingClientError` naming the channel and
/// the URI or line. Objects and manifests are checked up front; images are decoded lazily during training
/// (an unreadable one fails the job with a `ClientError` naming its URI then).
public struct ChannelReader: Sendable {
    public let store: any ObjectStorage

    /// The channels the algorithm reads.
    public static let channelNames = ["train", "validation", "train_annotation", "validation_annotation"]

    public init(store: any ObjectStorage) {
        self.store = store
    }

    /// The `train` and `validation` records of a job.
    /// - Throws: `TrainingClientError` for a missing or unknown channel, unsupported content, or missing data.
    public func read(_ channels: [TrainingChannelSpec]) throws -> (training: [TrainingRecord], validation: [TrainingRecord]) {
        for channel in channels where !Self.channelNames.contains(channel.name) {
            let note = channel.name == "model" ? " Incremental training (the 'model' channel) is not supported by Apiary." : ""
            throw TrainingClientError(
                "Channel '\(channel.name)' is not an input of the object detection algorithm (channels: \(Self.channelNames.joined(separator: ", ")))."
                    + note
            )
        }
        let byName = Dictionary(channels.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        func records(_ name: String) throws -> [TrainingRecord] {
            guard let channel = byName[name] else {
                throw TrainingClientError(
                    "Missing required channel '\(name)'. The object detection algorithm needs the channels 'train' and 'validation'; "
                        + "this job has: \(channels.isEmpty ? "none" : channels.map(\.name).joined(separator: ", "))."
                )
            }
            return try self.records(of: channel, annotations: byName[name + "_annotation"])
        }
        return (try records("train"), try records("validation"))
    }

    /// How a channel's `ContentType` says its objects are encoded.
    enum Content {
        /// `application/x-recordio`: RecordIO files, or an augmented manifest read through RecordIO wrapping.
        case recordIO
        /// `image/jpeg`, `image/png`, `application/x-image`: image files.
        case images
    }

    static let imageContentTypes = ["image/jpeg", "image/png", "application/x-image"]

    /// The records of `train` or `validation`; `annotations` is its `_annotation` channel, if any.
    private func records(of channel: TrainingChannelSpec, annotations: TrainingChannelSpec?) throws -> [TrainingRecord] {
        try Self.checkUncompressed(channel)
        let content = try Self.content(of: channel)
        let records: [TrainingRecord]
        switch (channel.dataType, content) {
        case (.augmentedManifestFile, _):
            records = try augmentedManifestRecords(channel)
        case (_, .recordIO?):
            records = try recordIORecords(channel)
        case (_, .images?):
            records = try imageFormatRecords(channel, annotations: annotations)
        case (_, nil):
            throw TrainingClientError(
                "Channel '\(channel.name)' has no ContentType. Use application/x-recordio with an augmented manifest, or image/jpeg, "
                    + "image/png or application/x-image for image files."
            )
        }
        guard !records.isEmpty else { throw TrainingClientError("Channel '\(channel.name)' (\(channel.uri)) has no records.") }
        return records
    }

    /// The channel's content kind; nil when it has no `ContentType`.
    static func content(of channel: TrainingChannelSpec) throws -> Content? {
        guard let declared = channel.contentType else { return nil }
        let type = declared.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        if type == "application/x-recordio" { return .recordIO }
        if imageContentTypes.contains(type) { return .images }
        throw TrainingClientError(
            "Channel '\(channel.name)' has ContentType '\(declared)', which the object detection algorithm does not accept. Use "
                + "application/x-recordio (augmented manifest) or image/jpeg, image/png or application/x-image (image files with a "
                + "'\(channel.name)_annotation' channel)."
        )
    }

    static func checkUncompressed(_ channel: TrainingChannelSpec) throws {
        guard channel.compression == .none else {
            throw TrainingClientError(
                "Channel '\(channel.name)' has CompressionType \(channel.compression.rawValue), which Apiary does not support: "
                    + "store the data uncompressed and set CompressionType None."
            )
        }
    }

    /// The bytes of an object the job needs; `what` names it in the error ("augmented manifest of channel 'train'").
    func fetch(_ uri: S3URI, _ what: String) throws -> Data {
        do {
            return try store.get(uri)
        } catch {
            throw TrainingClientError("Unable to read the \(what), \(uri): \(error)")
        }
    }
}
