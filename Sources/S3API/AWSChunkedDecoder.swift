/// Decodes an `aws-chunked` body (s3-api.md §5.2) as it streams in: `<hex size>[;chunk-signature=…]\r\n<data>\r\n`
/// chunks, a zero-size last chunk, then trailer lines (`x-amz-checksum-crc32:…`) and an empty line. Only the
/// payload is passed on; chunk signatures are read and ignored. Framing errors are `IncompleteBody`.
struct AWSChunkedDecoder {
    private enum State {
        case header
        case data(remaining: Int)
        case dataEnd(seen: Int)
        case trailer
        case done
    }

    /// The longest chunk-header or trailer line accepted.
    static let maximumLineLength = 4096

    /// S3's largest single upload (PutObject, UploadPart): 5 GiB.
    static let maximumPayload = 5 * 1024 * 1024 * 1024

    /// The most payload bytes the chunks may announce in all: `X-Amz-Decoded-Content-Length` when sent, else S3's limit.
    /// A chunk announcing more is refused at its header, before its bytes are awaited.
    private let payloadLimit: Int
    private var announced = 0
    private var state = State.header
    private var line: [UInt8] = []
    /// Trailer fields by lower-cased name.
    private(set) var trailers: [String: String] = [:]

    init(decodedLength: Int? = nil) {
        payloadLimit = min(decodedLength ?? Self.maximumPayload, Self.maximumPayload)
    }

    /// Feeds the next bytes of the body; `payload` receives the decoded bytes as they come.
    mutating func feed(_ bytes: UnsafeRawBufferPointer, payload: (UnsafeRawBufferPointer) throws -> Void) throws {
        var i = 0
        while i < bytes.count {
            switch state {
            case .data(let remaining):
                let n = min(remaining, bytes.count - i)
                try payload(UnsafeRawBufferPointer(rebasing: bytes[i..<(i + n)]))
                i += n
                state = remaining == n ? .dataEnd(seen: 0) : .data(remaining: remaining - n)
            case .dataEnd(let seen):
                guard bytes[i] == (seen == 0 ? 0x0D : 0x0A) else {
                    throw S3Error.incompleteBody("The aws-chunked body has no CRLF after a chunk's data.")
                }
                i += 1
                state = seen == 0 ? .dataEnd(seen: 1) : .header
            case .header, .trailer:
                let byte = bytes[i]
                i += 1
                guard byte == 0x0A else {
                    guard line.count < Self.maximumLineLength else { throw S3Error.incompleteBody("An aws-chunked header line is too long.") }
                    line.append(byte)
                    continue
                }
                if line.last == 0x0D { line.removeLast() }
                try endLine()
                line.removeAll(keepingCapacity: true)
            case .done:
                // Bytes after the final empty line (some encoders end with an extra CRLF): nothing but whitespace.
                guard bytes[i] == 0x0D || bytes[i] == 0x0A else { throw S3Error.incompleteBody("Data follows the end of the aws-chunked body.") }
                i += 1
            }
        }
    }

    /// Checks that the body ended where the framing allows it (after the last chunk, with or without trailers).
    mutating func finish() throws {
        switch state {
        case .done: return
        case .trailer where line.isEmpty || line == [0x0D]: state = .done
        default: throw S3Error.incompleteBody("The aws-chunked body ended early.")
        }
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x46).contains(byte) || (0x61...0x66).contains(byte)
    }

    private mutating func endLine() throws {
        switch state {
        case .header:
            // Hex digits only (`Int(_:radix:)` would also take a sign): at most 15 of them, so the size fits an Int.
            let sizeField = line.prefix { $0 != UInt8(ascii: ";") }
            guard !sizeField.isEmpty, sizeField.count <= 15, sizeField.allSatisfy({ Self.isHexDigit($0) }),
                let size = Int(String(decoding: sizeField, as: UTF8.self), radix: 16)
            else {
                throw S3Error.incompleteBody("An aws-chunked chunk size is not hexadecimal.")
            }
            guard size <= payloadLimit - announced else {
                throw S3Error.incompleteBody("An aws-chunked chunk of \(size) bytes exceeds the \(payloadLimit) bytes the body may carry.")
            }
            announced += size
            state = size == 0 ? .trailer : .data(remaining: size)
        case .trailer:
            guard !line.isEmpty else {
                state = .done
                return
            }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { throw S3Error.incompleteBody("An aws-chunked trailer has no colon.") }
            let name = String(decoding: line[..<colon], as: UTF8.self).trimmingWhitespace().lowercased()
            trailers[name] = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingWhitespace()
        default:
            return
        }
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs.
    func trimmingWhitespace() -> String {
        let isBlank = { (c: Character) in c == " " || c == "\t" }
        return String(String(drop(while: isBlank).reversed()).drop(while: isBlank).reversed())
    }
}
