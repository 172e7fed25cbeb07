import ImageCodec

/// An image file checked and made ready for a dataset: decoded (so corrupt files are caught before anything is
/// stored), turned upright once according to its EXIF orientation, and hashed.
struct PreparedImage: Sendable {
    /// Ground Truth's input limits: 40 MB per image file, 100 megapixels.
    static let maxFileBytes = 40 * 1024 * 1024
    static let maxPixels = 100_000_000
    /// The JPEG quality of an image re-encoded after turning it upright.
    static let uprightJPEGQuality = 95

    let fileName: String
    let format: ImageFormat
    /// SHA-256 of the file as given.
    let sha256: String
    let orientation: ImageOrientation
    /// The bytes to store: the file itself when already upright, otherwise the upright pixels re-encoded
    /// (EXIF dropped, so no reader can turn them a second time).
    let storedBytes: [UInt8]
    /// SHA-256 of `storedBytes` when they differ from the file's.
    let uprightSha256: String?
    /// Upright size.
    let width: Int
    let height: Int

    /// Checks and prepares `bytes`.
    /// - Throws: `LabelStoreError` (`.invalid`) saying why the file cannot be used: not an image, corrupt, too big.
    init(fileName: String, bytes: [UInt8]) throws {
        guard !fileName.contains("\0") else { throw LabelStoreError(.invalid, "a file name cannot carry the NUL character (U+0000)") }
        guard bytes.count <= Self.maxFileBytes else {
            throw LabelStoreError(.invalid, "\(bytes.count / 1_048_576) MB is over the 40 MB image limit")
        }
        let decoded: RGBImage
        do {
            decoded = try ImageDecoder.decode(bytes)  // names the problem: not a JPEG or PNG file, corrupt, truncated
        } catch {
            throw LabelStoreError(.invalid, "\(error)")
        }
        guard let format = ImageFormat.sniff(bytes) else { throw LabelStoreError(.invalid, "not a JPEG or PNG file") }
        guard decoded.width * decoded.height <= Self.maxPixels else {
            throw LabelStoreError(.invalid, "\(decoded.width)×\(decoded.height) is over the 100-megapixel image limit")
        }
        let orientation = ImageOrientation.of(jpeg: bytes)
        self.fileName = fileName
        self.format = format
        self.sha256 = ContentHash.sha256(bytes)
        self.orientation = orientation
        if orientation == .up {
            storedBytes = bytes
            uprightSha256 = nil
            (width, height) = (decoded.width, decoded.height)
        } else {
            let upright = orientation.apply(to: decoded)
            storedBytes = try JPEGCodec.encode(upright, quality: Self.uprightJPEGQuality)
            uprightSha256 = ContentHash.sha256(storedBytes)
            (width, height) = (upright.width, upright.height)
        }
    }
}
