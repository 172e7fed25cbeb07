@testable import EndpointRuntime
@testable import TrainingExecution
import AWSHTTP
import AWSProtocol
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOEmbedded
import PostgresTestSupport
import Testing

@testable import JobService

/// The edge at the router level, the way Hummingbird's own tests drive a router: the responder `ctl serve` serves
/// (`DaemonParts.makeResponder`) is handed requests in memory — no socket, no HTTP client — and its answers are read back.
/// The live suites (Tests/ClientSuites/compat, driven by boto3 and the aws CLI) cover the same surfaces over a real port.
@Suite("The edge's router, without a socket")
struct EdgeRouterTests {
    static let authority = "127.0.0.1:4566"
    static let credentials = ["AKIDAPIARYROUTER": "router-secret"]

    /// A daemon on a temporary home (removed at the end, with the Lambda work directory), and its responder.
    final class Edge {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("apiary-router-\(UUID().uuidString)")
        let daemon: DaemonParts
        let responder: EdgeResponder

        /// - Parameter database: a PostgreSQL database to share, as `--database` gives it.
        init(authMode: AuthMode = .parse, database: String? = nil) throws {
            var configuration = DaemonConfiguration(home: home)
            configuration.authMode = authMode
            configuration.database = database
            configuration.credentials = EdgeRouterTests.credentials
            var logger = Logger(label: "edge-router-tests")
            logger.logLevel = .critical
            daemon = try DaemonParts(configuration: configuration, logger: logger)
            responder = try daemon.makeResponder()
        }

        deinit {
            daemon.lambdaRuntimes.close()  // its work directory under /tmp
            try? FileManager.default.removeItem(at: home)
        }

        /// `method path` with `headers` and `body`, signed for `service` with `secret` unless `service` is nil.
        func send(
            _ method: HTTPRequest.Method, _ path: String, headers: [(String, String)] = [], body: [UInt8] = [], service: String? = nil,
            secret: String = EdgeRouterTests.credentials.values.first!
        ) async throws -> (status: Int, headers: HTTPFields, body: [UInt8]) {
            var fields = headers
            if let service {
                let style: SigV4.PathStyle = service == "s3" ? .s3 : .standard
                let hash = service == "s3" ? [("X-Amz-Content-SHA256", Digest.hex(Digest.sha256(body)))] : []
                let signer = SigV4Signer(
                    accessKeyId: EdgeRouterTests.credentials.keys.first!, secretAccessKey: secret, region: "us-east-1", service: service, pathStyle: style)
                let request = SignableRequest(method: method.rawValue, rawPath: path, headers: headers + hash + [("Host", EdgeRouterTests.authority)], body: body)
                fields = signer.sign(request, date: Date()).headers.filter { $0.name != "Host" }.map { ($0.name, $0.value) }
            }
            var head = HTTPRequest(method: method, scheme: "http", authority: EdgeRouterTests.authority, path: path)
            for (name, value) in fields { head.headerFields.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
            let channel = NIOAsyncTestingChannel()
            channel.remoteAddress = try SocketAddress(ipAddress: "127.0.0.1", port: 50_000)
            let context = EdgeRequestContext(source: ApplicationRequestContextSource(channel: channel, logger: daemon.logger))
            let response = try await responder.respond(to: Request(head: head, body: .init(buffer: ByteBuffer(bytes: body))), context: context)
            let sink = BodySink()
            try await response.body.write(BodyCollector(sink: sink))
            return (response.status.code, response.headers, Array(buffer: sink.buffer))
        }
    }

    @Test("S3: CreateBucket, PutObject, then GetObject answers the same bytes and ETag")
    func s3PutGet() async throws {
        let edge = try Edge()
        #expect(try await edge.send(.put, "/router-bees", service: "s3").status == 200)
        let bytes = Array("a bee, in bytes".utf8)
        let put = try await edge.send(.put, "/router-bees/photos/bee.txt", headers: [("Content-Type", "text/plain")], body: bytes, service: "s3")
        #expect(put.status == 200)
        let get = try await edge.send(.get, "/router-bees/photos/bee.txt", service: "s3")
        #expect(get.status == 200 && get.body == bytes)
        #expect(get.headers[.eTag] == put.headers[.eTag] && get.headers[.eTag] == "\"\(Digest.hex(Digest.md5(bytes)))\"")
        let missing = try await edge.send(.get, "/router-bees/photos/wasp.txt", service: "s3")
        #expect(missing.status == 404 && String(decoding: missing.body, as: UTF8.self).contains("<Code>NoSuchKey</Code>"))
    }

    @Test("SageMaker JSON 1.1: ListTrainingJobs answers, DescribeTrainingJob of a missing job is SageMaker's ValidationException")
    func sageMakerJSON() async throws {
        let edge = try Edge()
        let json = [("Content-Type", "application/x-amz-json-1.1")]
        let list = try await edge.send(
            .post, "/", headers: json + [("X-Amz-Target", "SageMaker.ListTrainingJobs")], body: Array("{}".utf8), service: "sagemaker")
        #expect(list.status == 200)
        #expect(try JSONValue.parse(list.body)["TrainingJobSummaries"] == .array([]))
        let describe = try await edge.send(
            .post, "/", headers: json + [("X-Amz-Target", "SageMaker.DescribeTrainingJob")], body: Array(#"{"TrainingJobName": "nope"}"#.utf8),
            service: "sagemaker")
        #expect(describe.status == 400)
        let error = try JSONValue.parse(describe.body)
        #expect(error["__type"]?.stringValue == "ValidationException" && error["message"]?.stringValue == "Requested resource not found.")
    }

    @Test(
        "a shared database that does not answer: SageMaker's and the label API's ServiceUnavailable, API Gateway's ServiceUnavailableException (503), Lambda's ServiceException (500), execute-api's and the labeling UI's 503",
        .enabled(if: TestDatabase.isConfigured, "needs APIARY_TEST_DATABASE (scripts/test.sh)"))
    func anUnansweringDatabaseIsEachServicesRetryableError() async throws {
        let database = try TestDatabase()
        defer { database.drop() }
        let edge = try Edge(database: database.connectionString)
        #expect(try await edge.send(.get, "/2015-03-31/functions/", service: "lambda").status == 200)
        #expect(try await edge.send(.get, "/restapis", service: "apigateway").status == 200)
        // The database goes away under the daemon (its connections are ended, and a new one finds no database).
        database.drop()

        let sageMaker = try await edge.send(
            .post, "/", headers: [("Content-Type", "application/x-amz-json-1.1"), ("X-Amz-Target", "SageMaker.ListTrainingJobs")],
            body: Array("{}".utf8), service: "sagemaker")
        #expect(sageMaker.status == 503 && sageMaker.headers[AWSResponses.errorTypeHeader] == "ServiceUnavailable")
        let outage = "Apiary's PostgreSQL database did not answer ("
        for (path, service, status, code) in [
            ("/restapis", "apigateway", 503, "ServiceUnavailableException"), ("/2015-03-31/functions/", "lambda", 500, "ServiceException"),
            ("/2015-03-31/functions/bee/invocations", "lambda", 500, "ServiceException"),
        ] {
            let answer = try await edge.send(path.hasSuffix("invocations") ? .post : .get, path, service: service)
            let body = try JSONValue.parse(answer.body)
            #expect(answer.status == status && answer.headers[AWSResponses.errorTypeHeader] == code, "\(path): \(answer.status) \(body)")
            #expect(body["message"]?.stringValue?.hasPrefix(outage) == true && body["message"]?.stringValue?.hasSuffix("retry the call once it is back.") == true)
            if service == "lambda" { #expect(body["Type"] == "Service") }
        }
        // A deployed API's invocation: 503, not the 403 of an API that is not there.
        let executed = try await edge.send(.get, "/restapis/abcdef1234/prod/_user_request_/bees")
        #expect(executed.status == 503 && executed.headers[AWSResponses.errorTypeHeader] == "ServiceUnavailableException")
        #expect(try JSONValue.parse(executed.body)["message"] == "Service Unavailable")
        // `ctl labels`' API answers as SageMaker does; the labeling UI's 503 tells its page to keep the write and retry.
        let labels = try await edge.send(.post, "/_apiary/labels/datasets", body: Array("{}".utf8), service: "sagemaker")
        #expect(labels.status == 503 && labels.headers[AWSResponses.errorTypeHeader] == "ServiceUnavailable", "\(labels.status)")
        #expect(try JSONValue.parse(labels.body)["message"]?.stringValue?.hasPrefix(outage) == true)
        let page = try await edge.send(.get, "/label/api/sources")
        #expect(page.status == 503, "\(page.status) \(String(decoding: page.body, as: UTF8.self))")
        #expect(try JSONValue.parse(page.body)["error"]?.stringValue?.hasPrefix(outage) == true)
    }

    @Test("--auth verify: a wrong secret is InvalidSignatureException; unsigned /metrics is refused; the right secret answers")
    func authFailure() async throws {
        let edge = try Edge(authMode: .verify)
        let target = [("Content-Type", "application/x-amz-json-1.1"), ("X-Amz-Target", "SageMaker.ListTrainingJobs")]
        let wrong = try await edge.send(.post, "/", headers: target, body: Array("{}".utf8), service: "sagemaker", secret: "not-the-secret")
        #expect(wrong.status == 403)
        #expect(try JSONValue.parse(wrong.body)["__type"]?.stringValue == "InvalidSignatureException")
        let unsigned = try await edge.send(.get, "/metrics")
        #expect(unsigned.status == 401 && String(decoding: unsigned.body, as: UTF8.self).contains("--auth verify"))
        #expect(try await edge.send(.post, "/", headers: target, body: Array("{}".utf8), service: "sagemaker").status == 200)
        #expect(try await edge.send(.get, "/metrics", service: "sagemaker").status == 200)
    }

    @Test("GET /_apiary/endpoints/{name}/metrics is signed JSON; /metrics text parses as one family per name")
    func endpointFigures() async throws {
        let edge = try Edge()
        let metrics = edge.daemon.endpoints.metrics("bees")
        metrics.recordInvocation(seconds: 0.02, errorCode: nil)
        metrics.recordInvocation(seconds: 0.3, errorCode: "ModelError")
        metrics.recordBatch(size: 3)
        let figures = try await edge.send(.get, "/_apiary/endpoints/bees/metrics", service: "sagemaker")
        #expect(figures.status == 200)
        let decoded = try JSONDecoder().decode(EndpointFigures.self, from: Data(figures.body))
        #expect(decoded.invocations == 2 && decoded.errors == ["ModelError": 1] && decoded.batchSize.mean == 3)
        #expect(decoded.latencySeconds.upperBound(atQuantile: 0.5) == 0.025 && decoded.latencySeconds.upperBound(atQuantile: 0.99) == 0.5)
        #expect(try await edge.send(.get, "/_apiary/endpoints/bees/metrics").status == 403, "unsigned")
        let text = String(decoding: try await edge.send(.get, "/metrics").body, as: UTF8.self)
        let typeLines = text.split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }
        #expect(Set(typeLines).count == typeLines.count && typeLines.count == 4, "\(text)")
        let open = try await edge.send(.get, "/metrics", headers: [("Accept", "application/openmetrics-text; version=1.0.0")])
        let openText = String(decoding: open.body, as: UTF8.self)
        #expect(open.headers[.contentType]?.hasPrefix("application/openmetrics-text") == true && openText.hasSuffix("# EOF\n"))
        #expect(openText.contains("# TYPE apiary_endpoint_invocations counter\n") && openText.contains("apiary_endpoint_invocations_total{endpoint=\"bees\"} 2\n"))
        edge.daemon.endpoints.remove("bees")
        #expect(try await edge.send(.get, "/metrics").body.isEmpty, "a removed endpoint's series leave /metrics")
    }
}
