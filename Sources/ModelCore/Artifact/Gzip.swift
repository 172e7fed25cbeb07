import CZlibShim

/// gzip compression through zlib, for `model.tar.gz` artifacts.
public enum Gzip {
    /// Compresses `data` into a gzip member.
    /// - Parameter level: 1 (fastest) … 9 (smallest); 6 is zlib's default.
    public static func compress(_ data: [UInt8], level: Int32 = 6) throws -> [UInt8] {
        var stream = z_stream()
        guard ck_deflate_init_gzip(&stream, level) == Z_OK else { throw ArtifactError("cannot initialise gzip compression") }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(data.count))) + 32)
        let status = data.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.avail_in = uInt(input.count)
                stream.next_out = out.baseAddress
                stream.avail_out = uInt(out.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { throw ArtifactError("gzip compression failed (zlib status \(status))") }
        return Array(output.prefix(Int(stream.total_out)))
    }

    /// Decompresses a gzip file (concatenated members are not supported: one member, as `tar czf` writes).
    /// - Throws: `ArtifactError` when the data is not gzip or is truncated.
    public static func decompress(_ data: [UInt8]) throws -> [UInt8] {
        guard data.count >= 18, data[0] == 0x1F, data[1] == 0x8B else { throw ArtifactError("not a gzip file") }
        var stream = z_stream()
        guard ck_inflate_init_gzip(&stream) == Z_OK else { throw ArtifactError("cannot initialise gzip decompression") }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var status: Int32 = Z_OK
        try data.withUnsafeBufferPointer { input in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.avail_in = uInt(input.count)
            repeat {
                let produced = chunk.withUnsafeMutableBufferPointer { out -> Int in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(out.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    return out.count - Int(stream.avail_out)
                }
                output.append(contentsOf: chunk.prefix(produced))
                guard status == Z_OK || status == Z_STREAM_END else { throw ArtifactError("corrupt gzip data (zlib status \(status))") }
                if status == Z_OK, stream.avail_in == 0, produced == 0 { throw ArtifactError("truncated gzip data") }
            } while status != Z_STREAM_END
        }
        return output
    }
}
