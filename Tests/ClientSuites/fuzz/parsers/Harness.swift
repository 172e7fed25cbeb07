// libFuzzer entry for Apiary's pure parsers (issue 23): the same source files the daemon compiles — JSONValue +
// JSONNestingLimit, S3XMLElement, AWSChunkedDecoder, ByteRange, SigV4 (Authorization header, presigned query,
// canonical request), RecordIO framing + im2rec detection records, Ground Truth manifest lines, and the image
// decoders (format sniffing, EXIF orientation, the pixel budget, libjpeg-turbo and libpng behind them) — built with
// -sanitize=fuzzer,address by bench/run_parser_fuzz.sh. The first input byte picks the parser; the rest is its input.
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
    switch data[0] % 8 {
    case 0:
        _ = try? JSONValue.parse(bytes)
    case 1:
        _ = try? S3XMLElement.parse(bytes)
    case 2:
        var decoder = AWSChunkedDecoder(decodedLength: bytes.count % 2 == 0 ? nil : bytes.count)
        _ = try? bytes.withUnsafeBytes { try decoder.feed($0) { _ in } }
        _ = try? decoder.finish()
    case 3:
        let text = String(decoding: bytes, as: UTF8.self)
        _ = try? ByteRange.resolve(text, size: Int64(bytes.count % 1000))
    case 4:
        fuzzSigV4(String(decoding: bytes, as: UTF8.self))
    case 5:
        for payload in (try? RecordIO.records(bytes)) ?? [] { _ = try? DetectionRecord(payload) }
    case 6:
        fuzzManifest(String(decoding: bytes, as: UTF8.self))
    default:
        _ = try? ImageDecoder.decodeUpright(bytes, minimumSide: bytes.count % 2 == 0 ? nil : 4)
    }
    return 0
}

/// Lines: the `Authorization` header, `X-Amz-Date`, method, raw path, raw query, then `name:value` headers. A
/// header that parses is verified (under its own access key, at its own date) with both canonical-URI styles, so
/// the canonical request is built from the hostile path, query and headers; the query is also read as a presigned
/// URL's.
func fuzzSigV4(_ text: String) {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    func line(_ index: Int) -> String { index < lines.count ? lines[index] : "" }
    _ = SigV4.presignedParameters(line(4))
    let headers = lines.dropFirst(5).map { header in
        (name: String(header.prefix { $0 != ":" }), value: String(header.drop { $0 != ":" }.dropFirst()))
    }
    let request = SignableRequest(
        method: line(2), rawPath: line(3), rawQuery: line(4),
        headers: [(name: "Authorization", value: line(0)), (name: "X-Amz-Date", value: line(1))] + headers, body: Array(line(5).utf8))
    guard let authorization = try? SigV4Authorization.parse(authorizationHeader: line(0), amzDate: line(1)) else { return }
    for style in [SigV4.PathStyle.standard, .s3] {
        _ = try? SigV4Verifier(credentials: [authorization.accessKeyId: "secret"], pathStyle: style).verify(request, now: authorization.requestTime)
    }
}

/// The text as a manifest (label attribute `bees`), written back out when it parses; and as the input line a
/// labeled line extends.
func fuzzManifest(_ text: String) {
    if let lines = try? GroundTruthManifest.parse(text, labelAttributeName: "bees") { _ = try? GroundTruthManifest.encode(lines) }
    let labeled = GroundTruthManifestLine(
        sourceRef: "s3://b/1.jpg", labelAttributeName: "bees",
        label: GroundTruthBoundingBoxLabel(
            annotations: [GroundTruthAnnotation(classId: 0, left: 1, top: 2, width: 3, height: 4)],
            imageSize: GroundTruthImageSize(width: 8, height: 8)),
        metadata: nil)
    _ = try? GroundTruthManifest.encodeLine(labeled, extending: text)
}
