import Foundation

/// One stored object opened for reading: its metadata and its bytes as they were when opened, even if the object is
/// replaced or deleted meanwhile (the open file keeps the old version alive).
public final class ObjectReader: Sendable {
    public let metadata: ObjectMetadata
    private let file: OpenFile

    /// - Parameter key: the key of a file placed by hand, which carries none.
    init(file: OpenFile, key: String) throws {
        self.file = file
        metadata = try ObjectFileFormat.metadata(of: file, plainKey: key)
    }

    /// Copies object bytes from `offset` into `buffer`. - Returns: the count copied, short only at the end.
    public func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let available = max(0, metadata.size - offset)
        let count = Int(min(Int64(buffer.count), available))
        guard count > 0 else { return 0 }
        return try file.read(at: offset, into: UnsafeMutableRawBufferPointer(rebasing: buffer[..<count]))
    }

    /// All of the object's bytes.
    public func readAll() throws -> Data {
        var data = Data(count: Int(metadata.size))
        let n = try data.withUnsafeMutableBytes { try read(at: 0, into: $0) }
        guard n == data.count else { throw ObjectStoreError.io("object file shorter than its metadata says") }
        return data
    }
}
