// libFuzzer entry for Apiary's pure parsers (issue 23): the same source files the daemon compiles
// (JSONValue + JSONNestingLimit, S3XMLElement, AWSChunkedDecoder, ByteRange) built with -sanitize=fuzzer,address by
// bench/run_parser_fuzz.sh. The first input byte picks the parser; the rest is its input.
import Foundation

/// The parsers' error type, reduced to what they throw (the daemon's S3Error also renders itself, which needs the
/// HTTP layer).
struct S3Error: Error {
    var code: String
    init(_ code: String, _ message: String, status: Int = 400, details: [(name: String, value: String)] = []) { self.code = code }
    static func incompleteBody(_ message: String = "") -> S3Error { S3Error("IncompleteBody", message) }
    static func malformedXML() -> S3Error { S3Error("MalformedXML", "") }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    switch data[0] % 4 {
    case 0:
        _ = try? JSONValue.parse(bytes)
    case 1:
        _ = try? S3XMLElement.parse(bytes)
    case 2:
        var decoder = AWSChunkedDecoder(decodedLength: bytes.count % 2 == 0 ? nil : bytes.count)
        _ = try? bytes.withUnsafeBytes { try decoder.feed($0) { _ in } }
        _ = try? decoder.finish()
    default:
        let text = String(decoding: bytes, as: UTF8.self)
        _ = try? ByteRange.resolve(text, size: Int64(bytes.count % 1000))
    }
    return 0
}
