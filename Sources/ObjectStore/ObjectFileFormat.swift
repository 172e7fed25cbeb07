import AWSProtocol
import Foundation

/// One object on disk is one file: its bytes, then its metadata as JSON, then the JSON's length (8 bytes, little
/// endian) and a magic number. Bytes and metadata therefore change together, with one rename. A file without that
/// trailer (copied into a bucket directory by hand, as Apiary's docs once suggested) is an object of its own bytes.
enum ObjectFileFormat {
    static let magic = Array("APIARYo1".utf8)
    static let trailerSize = 16

    /// The bytes written after an object's data.
    static func footer(_ metadata: ObjectMetadata) throws -> [UInt8] {
        let json = Array(try encoder.encode(metadata))
        var length = UInt64(json.count).littleEndian
        return json + withUnsafeBytes(of: &length) { Array($0) } + magic
    }

    /// The metadata stored at the end of `file`; for a file without a trailer, its size, the MD5 of its bytes and its
    /// modification time, under `plainKey`. - Throws: `ObjectStoreError.io` when the trailer is damaged.
    static func metadata(of file: OpenFile, plainKey: String) throws -> ObjectMetadata {
        let (size, modified) = try file.status()
        let corrupt = ObjectStoreError.io("\(file.path) has a damaged metadata trailer")
        let trailer = size >= Int64(trailerSize) ? try file.read(at: size - Int64(trailerSize), count: trailerSize) : []
        guard trailer.count == trailerSize, Array(trailer[8...]) == magic else {
            return ObjectMetadata(key: plainKey, size: size, etag: Digest.hex(try md5(of: file, size: size)), lastModified: modified)
        }
        let length = trailer[..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard length <= UInt64(size) - UInt64(trailerSize) else { throw corrupt }
        let json = try file.read(at: size - Int64(trailerSize) - Int64(length), count: Int(length))
        guard let metadata = try? decoder.decode(ObjectMetadata.self, from: Data(json)),
            metadata.size == size - Int64(trailerSize) - Int64(length)
        else { throw corrupt }
        return metadata
    }

    private static func md5(of file: OpenFile, size: Int64) throws -> [UInt8] {
        var digest = LibcryptoDigest(.md5)
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var offset: Int64 = 0
        while offset < size {
            let n = try buffer.withUnsafeMutableBytes { try file.read(at: offset, into: $0) }
            guard n > 0 else { break }
            buffer.withUnsafeBytes { digest.update(UnsafeRawBufferPointer(rebasing: $0[..<n])) }
            offset += Int64(n)
        }
        return digest.finalize()
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(ObjectMetadata.milliseconds(date))
        }
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            ObjectMetadata.date(milliseconds: try decoder.singleValueContainer().decode(Int64.self))
        }
        return decoder
    }()
}
