/// The image container formats Apiary reads and writes, recognised by their magic bytes
/// (never by file name or Content-Type, which users get wrong).
public enum ImageFormat: String, Sendable, CaseIterable {
    case jpeg
    case png

    /// The format of an encoded image, or `nil` when the bytes are neither JPEG nor PNG.
    public static func sniff(_ bytes: some Collection<UInt8>) -> ImageFormat? {
        let head = Array(bytes.prefix(8))
        if head.count >= 3, head[0] == 0xFF, head[1] == 0xD8, head[2] == 0xFF { return .jpeg }
        if head == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] { return .png }
        return nil
    }

    /// The MIME type SageMaker uses for this format.
    public var contentType: String {
        switch self {
        case .jpeg: "image/jpeg"
        case .png: "image/png"
        }
    }
}
