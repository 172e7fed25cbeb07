import Foundation

/// Reads the image a label file or manifest names, when it is on this machine: an absolute path or a `file://`
/// URL. The daemon, which owns the object store, passes its own reader for `s3://` URIs instead.
public enum LocalImageFiles {
    /// The bytes of the image at `reference`.
    /// - Throws: `LabelStoreError` (`.notFound`) for a missing file, and for an `s3://` URI, which needs the
    ///   daemon's object store.
    public static func load(_ reference: String) throws -> [UInt8] {
        if reference.hasPrefix("s3://") {
            throw LabelStoreError(
                .notFound,
                "\(reference): reading s3:// images needs the daemon's object store; "
                    + "copy the images next to the manifest and use relative source-refs (images/<name>)"
            )
        }
        let path = reference.hasPrefix("file://") ? (URL(string: reference)?.path ?? reference) : reference
        return [UInt8](try LabelFiles.read(URL(fileURLWithPath: path)))
    }
}
