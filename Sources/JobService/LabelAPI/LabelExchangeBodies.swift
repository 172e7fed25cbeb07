import Foundation
import LabelStore

/// `POST /_apiary/labels/export`'s answer: the dataset's labels, and the id of each item's image (fetched with
/// `GET /_apiary/labels/images/{id}`) so the client writes the format's files on its own machine.
public struct LabelExportAnswer: Codable, Sendable {
    /// For a manifest: the label attribute (and job) name asked for, or the dataset's.
    public var labelAttributeName: String
    public var set: LabelSet
    /// The stored image of `set.items[i]`.
    public var imageIds: [Int64]

    public init(labelAttributeName: String, set: LabelSet, imageIds: [Int64]) {
        self.labelAttributeName = labelAttributeName
        self.set = set
        self.imageIds = imageIds
    }
}

/// `POST /_apiary/labels/import`'s body: labels read on the client's machine, with the bytes of every image it
/// could read there (by the item's `reference`); `s3://` references are read from the daemon's object store.
public struct LabelImportBody: Codable, Sendable {
    public var dataset: String
    /// nil: as the file says (see `LabelStore.importLabels`).
    public var origin: LabelOrigin?
    public var set: LabelSet
    public var images: [String: Data]

    public init(dataset: String, origin: LabelOrigin?, set: LabelSet, images: [String: Data]) {
        self.dataset = dataset
        self.origin = origin
        self.set = set
        self.images = images
    }
}
