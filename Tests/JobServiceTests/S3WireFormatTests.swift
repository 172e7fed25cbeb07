import Foundation
import Testing

@testable import JobService
@testable import S3API

/// The pure parts of the S3 API: aws-chunked decoding, listing pages, ranges, XML in and out.
@Suite struct S3WireFormatTests {
    private func decode(_ body: String, pieceSize: Int = 1) throws -> (payload: String, trailers: [String: String]) {
        var decoder = AWSChunkedDecoder()
        var payload = [UInt8]()
        let bytes = Array(body.utf8)
        for start in stride(from: 0, to: bytes.count, by: pieceSize) {
            try bytes[start..<min(start + pieceSize, bytes.count)].withUnsafeBytes { piece in
                try decoder.feed(piece) { payload += $0 }
            }
        }
        try decoder.finish()
        return (String(decoding: payload, as: UTF8.self), decoder.trailers)
    }

    @Test func awsChunkedBodiesDecodeToThePayload() throws {
        // botocore's unsigned trailer form (s3-api.md §5.2), fed a byte at a time and all at once.
        let unsigned = "b\r\nhello world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n"
        for size in [1, 3, 1000] {
            let decoded = try decode(unsigned, pieceSize: size)
            #expect(decoded.payload == "hello world")
            #expect(decoded.trailers == ["x-amz-checksum-crc32": "DUoRhQ=="])
        }
        let signature = String(repeating: "a", count: 64)
        let signed = "5;chunk-signature=\(signature)\r\nhello\r\n6;chunk-signature=\(signature)\r\n world\r\n0;chunk-signature=\(signature)\r\n\r\n"
        #expect(try decode(signed, pieceSize: 7).payload == "hello world")
        #expect(try decode("0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n").payload == "")
        // No final empty line: the stream may end after the trailers.
        #expect(try decode("3\r\nabc\r\n0\r\n").payload == "abc")
    }

    @Test func malformedAWSChunkedBodiesAreIncompleteBody() {
        for body in ["zz\r\nabc\r\n0\r\n\r\n", "3\r\nabcX\r\n0\r\n\r\n", "5\r\nabc", "3\r\nabc\r\n", String(repeating: "1", count: 5000)] {
            #expect(throws: S3Error.self, "\(body.prefix(20).debugDescription)") { try decode(body) }
            do { _ = try decode(body) } catch let error as S3Error { #expect(error.code == "IncompleteBody") } catch { Issue.record("\(error)") }
        }
    }

    @Test func listingPagesNeverRepeatOrLoseACommonPrefix() {
        let keys = ["a/1", "a/2", "b", "c/1", "c/2", "d"]
        var seen: [ObjectListing.Entry] = []
        var resume: String?
        repeat {
            let page = ObjectListing(keys: keys.filter { resume == nil || $0 >= resume! }, prefix: "", delimiter: "/", maxKeys: 2)
            seen += page.entries
            resume = page.nextKey
        } while resume != nil
        #expect(seen == [.commonPrefix("a/"), .key("b"), .commonPrefix("c/"), .key("d")])
        let withPrefix = ObjectListing(keys: ["p/x/1", "p/x/2", "p/y"], prefix: "p/", delimiter: "/", maxKeys: 1000)
        #expect(withPrefix.entries == [.commonPrefix("p/x/"), .key("p/y")])
        #expect(!withPrefix.isTruncated)
    }

    @Test func rangesFollowS3sRules() throws {
        #expect(try ByteRange.resolve("bytes=0-4", size: 10) == ByteRange(first: 0, last: 4))
        #expect(try ByteRange.resolve("bytes=5-", size: 10) == ByteRange(first: 5, last: 9))
        #expect(try ByteRange.resolve("bytes=-3", size: 10) == ByteRange(first: 7, last: 9))
        #expect(try ByteRange.resolve("bytes=-30", size: 10) == ByteRange(first: 0, last: 9))
        #expect(try ByteRange.resolve("bytes=8-100", size: 10) == ByteRange(first: 8, last: 9))
        // Ignored: the whole object is served.
        for ignored in ["bytes=5-2", "bytes=0-1,3-4", "items=0-1", "bytes=x-y", nil] {
            #expect(try ByteRange.resolve(ignored, size: 10) == nil)
        }
        for unsatisfiable in ["bytes=10-", "bytes=-0", "bytes=0-"] {
            #expect(throws: S3Error.self) { try ByteRange.resolve(unsatisfiable, size: unsatisfiable == "bytes=0-" ? 0 : 10) }
        }
        #expect(ByteRange(first: 2, last: 5).contentRange(size: 10) == "bytes 2-5/10")
    }

    @Test func xmlBodiesParseWithEntitiesAndNamespaces() throws {
        let body = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><!-- c -->
              <Object><Key>a&amp;b &lt;c&gt; &#233;&#x41;</Key></Object>
              <Object><Key><![CDATA[x<y]]></Key><VersionId/></Object>
              <Quiet>true</Quiet>
            </Delete>
            """
        let document = try S3XMLElement.parse(Array(body.utf8))
        #expect(document.name == "Delete")
        #expect(document.children("Object").compactMap { $0.childText("Key") } == ["a&b <c> éA", "x<y"])
        #expect(document.childText("Quiet") == "true")
        for bad in ["<a>", "<a></b>", "<a>&bogus;</a>", "", "<a/><b/>", String(repeating: "<a>", count: 100) + String(repeating: "</a>", count: 100)]
        {
            #expect(throws: S3Error.malformedXML()) { try S3XMLElement.parse(Array(bad.utf8)) }
        }
    }

    @Test func xmlOutputEscapes() {
        let document = S3XMLWriter(root: "R") { $0.element("Key", "a&b<\"'>\u{1}") }
        #expect(document.document.hasSuffix(#"<R xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Key>a&amp;b&lt;&quot;&apos;&gt;&#x1;</Key></R>"#))
    }

    @Test func continuationTokensRoundTrip() throws {
        for key in ["a", "train/b?c", "ü/+ /x"] { #expect(try S3Service.decodeToken(S3Service.encodeToken(key)) == key) }
        #expect(throws: S3Error.self) { try S3Service.decodeToken("") }
        #expect(throws: S3Error.self) { try S3Service.decodeToken("!!!") }
    }

    @Test func virtualHostsNameBucketsUnderLocalNamesOnly() {
        #expect(S3Request.virtualHostBucket("bees.localhost:4566") == "bees")
        #expect(S3Request.virtualHostBucket("bees.s3.localhost") == "bees")
        #expect(S3Request.virtualHostBucket("my.bees.s3.localhost.localstack.cloud:4566") == "my.bees")
        for host in ["localhost:4566", "s3.localhost", "127.0.0.1:4566", "Bad_Name.localhost", "[::1]:4566", "bees.example.com", nil] {
            #expect(S3Request.virtualHostBucket(host) == nil, "\(host ?? "nil")")
        }
    }

    @Test func httpDatesRoundTrip() {
        let date = Date(timeIntervalSince1970: 1_796_000_603)
        #expect(S3Date.parseHTTP(S3Date.http(date)) == date)
        #expect(S3Date.http(Date(timeIntervalSince1970: 0)) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(S3Date.iso8601(Date(timeIntervalSince1970: 0.25)) == "1970-01-01T00:00:00.250Z")
        #expect(S3Date.parseHTTP("yesterday") == nil)
    }
}
