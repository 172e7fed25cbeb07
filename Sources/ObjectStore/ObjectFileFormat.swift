import Foundation

/// One object on disk is one file: its bytes, then its metadata as JSON, then the JSON's length (8 bytes, little
/// endian) and a magic number. Bytes and metadata therefore change together, with one rename.
enum ObjectFileFormat {
    static let magic = Array("APIARYo1".utf8)
    static let trailerSize = 16

    /// The bytes written after an object's data.
    static func footer(_ metadata: ObjectMetadata) throws -> [UInt8] {
        let json = Array(try encoder.encode(metadata))
        var length = UInt64(json.count).littleEndian
        return json + withUnsafeBytes(of: &length) { Array($0) } + magic
    }

    /// The metadata stored at the end of `file`. - Throws: `ObjectStoreError.io` when the file is not an object.
    static func metadata(of file: OpenFile) throws -> ObjectMetadata {
        let size = try file.size()
        let corrupt = ObjectStoreError.io("\(file.path) is not an object file")
        guard size >= Int64(trailerSize) else { throw corrupt }
        let trailer = try file.read(at: size - Int64(trailerSize), count: trailerSize)
        guard Array(trailer[8...]) == magic else { throw corrupt }
        let length = trailer[..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard length <= UInt64(size) - UInt64(trailerSize) else { throw corrupt }
        let json = try file.read(at: size - Int64(trailerSize) - Int64(length), count: Int(length))
        guard let metadata = try? decoder.decode(ObjectMetadata.self, from: Data(json)),
            metadata.size == size - Int64(trailerSize) - Int64(length)
        else { throw corrupt }
        return metadata
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return decoder
    }()
}
