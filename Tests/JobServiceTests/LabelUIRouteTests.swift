import AWSProtocol
import Foundation
import HTTPTypes
import Hummingbird
import ImageCodec
import LabelStore
import Logging
import NIOCore
import ObjectStore
import Testing

@testable import JobService
@testable import ControlPlane
@testable import EndpointRuntime
@testable import SageMakerAPI

/// The labeling UI's routes without a browser: the page and its token, the guard on writes (token, Origin,
/// Sec-Fetch-Site, Host), id checks, revision conflicts.
@Suite("Labeling UI routes and their guard")
struct LabelUIRouteTests {
    let store: LabelStore
    let ui: LabelUI
    let imageId: Int64
    static let authority = "127.0.0.1:4566"

    init() throws {
        store = try LabelStore.inMemory()
        let dataset = try store.ensureDataset(named: "bees")
        try store.addCategories(["bee"], to: dataset)
        let jpeg = try JPEGCodec.encode(RGBImage(width: 40, height: 30), quality: 90)
        imageId = try store.addImage(bytes: jpeg, fileName: "a.jpg", sourceRef: nil, to: dataset).image.id
        let controlPlane = try ControlPlaneStore.inMemory()
        let objects = ObjectStore(root: FileManager.default.temporaryDirectory)
        let host = EndpointHost(store: controlPlane, objects: objects, logger: Logger(label: "test"))
        ui = LabelUI(
            store: store,
            session: LabelUISession(boundHost: "127.0.0.1", token: "secret"),
            assets: try LabelUIAssets(),
            predictions: LabelUIPredictions(runtime: InvocationHandler(host: host), account: "123456789012", region: "us-east-1"),
            tasks: LabelUITasks(controlPlane: controlPlane, objects: objects),
            responses: LabelingJobResponses(controlPlane: controlPlane, labels: store, objects: objects)
        )
    }

    func call(
        _ method: HTTPRequest.Method,
        _ path: String,
        body: String = "",
        authority: String = authority,
        headers: [(String, String)] = []
    )
        async -> (status: Int, body: String)
    {
        var head = HTTPRequest(method: method, scheme: "http", authority: authority, path: path)
        for (name, value) in headers { head.headerFields[HTTPField.Name(name)!] = value }
        let response = await ui.respond(to: Request(head: head, body: .init(buffer: ByteBuffer(string: body))))
        let sink = BodySink()
        try? await response.body.write(BodyCollector(sink: sink))
        return (response.status.code, String(buffer: sink.buffer))
    }

    func add(headers: [(String, String)], authority: String = authority) async -> Int {
        let body = #"{"revision": 0, "edits": [{"op": "add", "classId": 0, "box": [1, 2, 10, 12]}]}"#
        return await call(.post, "/label/api/images/\(imageId)/edits", body: body, authority: authority, headers: headers).status
    }

    @Test("the page carries the session token; files come from a fixed table")
    func page() async throws {
        let page = await call(.get, "/label/")
        #expect(page.status == 200 && page.body.contains(#"<meta name="apiary-label-token" content="secret">"#))
        #expect(await call(.get, "/label/app.js").status == 200)
        #expect(await call(.get, "/label/../Package.swift").status == 404)
        #expect(await call(.get, "/label/index.html").status == 404)
        #expect(await call(.get, "/label").status == 308)
    }

    @Test("virtual hosts and signed requests under /label stay S3's and API Gateway's")
    func claims() {
        func request(_ authority: String, _ headers: [(String, String)] = []) -> Request {
            var head = HTTPRequest(method: .get, scheme: "http", authority: authority, path: "/label/app.js")
            for (name, value) in headers { head.headerFields[HTTPField.Name(name)!] = value }
            return Request(head: head, body: .init(buffer: ByteBuffer()))
        }
        #expect(LabelUI.claims(request("127.0.0.1:4566")))
        #expect(!LabelUI.claims(request("bees.localhost:4566")))
        #expect(!LabelUI.claims(request("abc123.execute-api.localhost:4566")))
        #expect(!LabelUI.claims(request("127.0.0.1:4566", [("Authorization", "AWS4-HMAC-SHA256 Credential=x/20260101/us-east-1/s3/aws4_request")])))
    }

    @Test("a write without the token, with another origin or site, or to a foreign host, is refused and changes nothing")
    func refusedWrites() async throws {
        let token = ("X-Apiary-Label-Token", "secret")
        #expect(await add(headers: []) == 403)
        #expect(await add(headers: [("X-Apiary-Label-Token", "secreT")]) == 403)
        #expect(await add(headers: [token, ("Origin", "http://evil.example")]) == 403)
        #expect(await add(headers: [token, ("Origin", "http://127.0.0.1:4567")]) == 403)
        #expect(await add(headers: [token, ("Origin", "null")]) == 403)
        #expect(await add(headers: [token, ("Sec-Fetch-Site", "cross-site")]) == 403)
        #expect(await add(headers: [token, ("Sec-Fetch-Site", "same-site")]) == 403)
        #expect(await add(headers: [token], authority: "evil.example:4566") == 403)
        #expect(await call(.get, "/label/", authority: "rebound.example:4566").status == 403)
        #expect(try store.labels(ofImage: imageId).boxes.isEmpty)

        #expect(await add(headers: [token, ("Origin", "http://127.0.0.1:4566"), ("Sec-Fetch-Site", "same-origin")]) == 200)
        #expect(try store.labels(ofImage: imageId).boxes.map(\.annotation.left) == [1])
        #expect(await add(headers: [token], authority: "localhost:4566") == 409)  // still at revision 0: stale
        #expect(try store.labels(ofImage: imageId).boxes.count == 1)
    }

    @Test("ids and edits are checked before anything reaches the store")
    func validation() async throws {
        let token = [("X-Apiary-Label-Token", "secret")]
        #expect(await call(.get, "/label/api/images/1x").status == 400)
        #expect(await call(.get, "/label/api/images/-1").status == 400)
        #expect(await call(.get, "/label/api/images/99999999999999999999").status == 400)
        #expect(await call(.get, "/label/api/images/999").status == 404)
        #expect(await call(.get, "/label/api/images/\(imageId)/file").status == 200)
        #expect(await call(.get, "/label/api/queue?dataset=nope").status == 404)
        #expect(await call(.post, "/label/api/images/\(imageId)/edits", body: "{", headers: token).status == 400)
        let outside = #"{"revision": 0, "edits": [{"op": "add", "classId": 0, "box": [35, 0, 10, 10]}]}"#
        #expect(await call(.post, "/label/api/images/\(imageId)/edits", body: outside, headers: token).status == 400)
        let queue = await call(.get, "/label/api/queue?dataset=bees")
        #expect(queue.status == 200 && queue.body.contains(#""name":"a.jpg""#), "\(queue.body)")
        #expect(await call(.get, "/label/api/queue?dataset=bees&sample=100&seed=3").body.contains(#""name":"a.jpg""#))
        #expect(await call(.get, "/label/api/queue?dataset=bees&sample=0").status == 400)
    }

    @Test("an endpoint's normalised corners become whole-pixel boxes inside the image; low scores and unknown classes are dropped")
    func predictionBoxes() throws {
        let image = try store.image(id: imageId)  // 40×30
        #expect(
            LabelUIPredictions.box([0, 0.9, 0.1, 0.2, 0.55, 1.2], image: image, classes: 1, threshold: 0.5)
                == .init(classId: 0, left: 4, top: 6, width: 18, height: 24)
        )
        #expect(LabelUIPredictions.box([0, 0.4, 0.1, 0.2, 0.5, 0.9], image: image, classes: 1, threshold: 0.5) == nil)
        #expect(LabelUIPredictions.box([1, 0.9, 0.1, 0.2, 0.5, 0.9], image: image, classes: 1, threshold: 0.5) == nil)
        #expect(LabelUIPredictions.box([0, 0.9, 1.1, 0.2, 1.5, 0.9], image: image, classes: 1, threshold: 0.5) == nil)
    }
}

/// Collects a response body.
final class BodySink: @unchecked Sendable {
    var buffer = ByteBuffer()
}

struct BodyCollector: ResponseBodyWriter {
    let sink: BodySink
    mutating func write(_ buffer: ByteBuffer) async throws {
        var buffer = buffer
        sink.buffer.writeBuffer(&buffer)
    }
    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
