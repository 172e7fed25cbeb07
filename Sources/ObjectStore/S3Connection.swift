import AWSProtocol
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Path-style S3 requests (`/<bucket>/<key>`) to one endpoint, signed with SigV4 as botocore signs S3 and sent
/// synchronously: the caller is a job's worker thread, never Swift's cooperative pool. A request that gets no answer,
/// or a 5xx one, is sent again (each is idempotent) before it fails.
final class S3Connection: @unchecked Sendable {  // URLSession is thread-safe; everything else is immutable
    let endpoint: S3Endpoint
    private let session: URLSession

    /// Attempts per request, the pause before the second doubling after each.
    static let attempts = 4
    static let firstPause = 0.5

    /// One HTTP answer: status, headers (names lowercased) and body (empty for a download that succeeded).
    struct Answer {
        var status: Int
        var headers: [String: String]
        var body: Data

        var isSuccess: Bool { (200..<300).contains(status) }
    }

    init(endpoint: S3Endpoint) {
        self.endpoint = endpoint
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 300
        session = URLSession(configuration: configuration)
    }

    /// Sends a request with `body`.
    /// - Parameters:
    ///   - bucket: nil for the service (`GET /`, ListBuckets).
    ///   - query: unencoded names and values; a name alone (`uploads`) has the value "".
    /// - Throws: `S3ClientError.unreachable` when no answer came.
    func send(
        _ method: String, bucket: String? = nil, key: String? = nil, query: [(String, String)] = [], headers: [(String, String)] = [],
        body: Data = Data()
    ) throws -> Answer {
        try withRetries {
            let request = self.request(method, bucket: bucket, key: key, query: query, headers: headers, body: body)
            return try self.wait { done in
                let handler: @Sendable (Data?, URLResponse?, (any Error)?) -> Void = { data, response, error in
                    done(Self.answer(response, error: error) { data ?? Data() })
                }
                // PUT and POST carry their body (even an empty one, with its Content-Length); the others none.
                if ["GET", "HEAD", "DELETE"].contains(method) { return self.session.dataTask(with: request, completionHandler: handler) }
                return self.session.uploadTask(with: request, from: body, completionHandler: handler)
            }
        }
    }

    /// GETs an object straight into `file` (streamed to disk, never whole in memory), replacing it atomically: a
    /// temporary file beside it renamed over it. An error answer leaves `file` alone and carries its body.
    func download(bucket: String, key: String, to file: URL) throws -> Answer {
        try withRetries {
            let request = self.request("GET", bucket: bucket, key: key, query: [], headers: [], body: Data())
            return try self.wait { done in
                self.session.downloadTask(with: request) { location, response, error in
                    // An error answer's body is a small XML document; a success stays on disk.
                    let failed = (response as? HTTPURLResponse).map { !(200..<300).contains($0.statusCode) } ?? true
                    let result = Self.answer(response, error: error) { failed ? location.flatMap { try? Data(contentsOf: $0) } ?? Data() : Data() }
                    guard case .success(var answer) = result, answer.isSuccess, let location else {
                        // FoundationNetworking leaves the downloaded body in its temporary directory: remove it.
                        if let location { try? FileManager.default.removeItem(at: location) }
                        return done(result)
                    }
                    let temporary = file.deletingLastPathComponent().appendingPathComponent(".\(file.lastPathComponent).tmp-\(UUID().uuidString)")
                    do {
                        try FileManager.default.moveItem(at: location, to: temporary)
                        guard rename(temporary.path, file.path) == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.path]) }
                        answer.body = Data()
                        done(.success(answer))
                    } catch {
                        try? FileManager.default.removeItem(at: temporary)
                        done(.failure(error))
                    }
                }
            }
        }
    }

    /// The signed request. Keys keep their `/` when percent-encoded, query names and values do not.
    private func request(_ method: String, bucket: String?, key: String?, query: [(String, String)], headers: [(String, String)], body: Data)
        -> URLRequest
    {
        var path = "/"
        if let bucket { path += Self.encoded(bucket, keeping: "") }
        if let key { path += "/" + Self.encoded(key, keeping: "/") }
        let rawQuery = query.sorted { $0.0 < $1.0 }.map { Self.encoded($0.0, keeping: "") + "=" + Self.encoded($0.1, keeping: "") }
            .joined(separator: "&")
        let credentials = endpoint.credentials
        let signer = SigV4Signer(
            accessKeyId: credentials.accessKeyID, secretAccessKey: credentials.secretAccessKey, region: credentials.region, service: "s3",
            pathStyle: .s3)
        let unsigned = SignableRequest(
            method: method, rawPath: path, rawQuery: rawQuery,
            headers: headers + [("X-Amz-Content-SHA256", Digest.hex(Digest.sha256(body))), ("Host", endpoint.hostHeader)])
        let signed = signer.sign(unsigned, date: Date())
        var base = endpoint.url.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        var request = URLRequest(url: URL(string: base + path + (rawQuery.isEmpty ? "" : "?" + rawQuery))!)
        request.httpMethod = method
        for (name, value) in signed.headers where name != "Host" { request.setValue(value, forHTTPHeaderField: name) }
        return request
    }

    /// Runs one task to its end on this thread.
    private func wait(_ start: (@escaping @Sendable (Result<Answer, any Error>) -> Void) -> URLSessionTask) throws -> Answer {
        let box = ResultBox()
        let task = start { result in
            box.result = result
            box.done.signal()
        }
        task.resume()
        box.done.wait()
        return try box.result!.get()
    }

    /// `body` read for the answer, or the transport error.
    private static func answer(_ response: URLResponse?, error: (any Error)?, body: () -> Data) -> Result<Answer, any Error> {
        guard let http = response as? HTTPURLResponse, error == nil else {
            return .failure(TransportError(reason: error.map { "\($0.localizedDescription)" } ?? "no HTTP answer"))
        }
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
        }
        return .success(Answer(status: http.statusCode, headers: headers, body: body()))
    }

    /// Sends again after no answer or a 5xx one, pausing longer each time.
    private func withRetries(_ attempt: () throws -> Answer) throws -> Answer {
        var pause = Self.firstPause
        for remaining in (0..<Self.attempts).reversed() {
            do {
                let answer = try attempt()
                if answer.status < 500 || remaining == 0 { return answer }
            } catch let error as TransportError {
                if remaining == 0 { throw S3ClientError.unreachable(url: endpoint.url.absoluteString, reason: error.reason) }
            }
            Thread.sleep(forTimeInterval: pause)
            pause *= 2
        }
        preconditionFailure("the last attempt returns or throws")
    }

    private static func encoded(_ text: String, keeping extra: String) -> String {
        SigV4.percentEncode(Array(text.utf8), keeping: extra)
    }

    /// A request that got no HTTP answer.
    private struct TransportError: Error {
        var reason: String
    }

    /// Where a task's completion handler leaves its result for the waiting thread.
    private final class ResultBox: @unchecked Sendable {  // written once before `done` is signalled, read after
        var result: Result<Answer, any Error>?
        let done = DispatchSemaphore(value: 0)
    }
}
