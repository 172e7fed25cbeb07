import AWSProtocol
import Foundation
import GroundTruthFormat
import HTTPTypes
import Hummingbird
import LabelStore
import NIOCore
import S3API
import SageMakerAPI

/// The labeling worker UI at `/label/`: the page and its files, and a small JSON API over the label store —
/// datasets and labeling jobs, a task queue, image bytes, boxes, revision-checked edits, stats, and pre-labels
/// from a deployed endpoint. Every edit is one `LabelStore` write (history, undo, free tier and job counters stay
/// the store's); `LabelUISession` guards it. In a labeling job's queue an image counts as done once its task is
/// submitted (Ground Truth's per-task submission), and the job's title, description and instructions come along.
struct LabelUI: Sendable {
    static let prefix = "/label"
    static let maximumBody = 1024 * 1024

    let store: LabelStore
    let session: LabelUISession
    let assets: LabelUIAssets
    let predictions: LabelUIPredictions
    let tasks: LabelUITasks
    /// Writes Ground Truth's intermediate outputs when the page submits a task.
    let responses: LabelingJobResponses

    /// Whether a request is the UI's: under `/label`, unsigned (a signed one is S3's, for a bucket of that name),
    /// and not addressed to a virtual host (`<bucket>.localhost`, `<api>.execute-api.…`), whose paths are keys.
    static func claims(_ request: Request) -> Bool {
        let path = request.uri.path
        guard path == prefix || path.hasPrefix(prefix + "/") else { return false }
        let authority = request.head.authority ?? ""
        guard S3Request.virtualHostBucket(authority) == nil, !authority.contains(".execute-api.") else { return false }
        return request.headers[.authorization] == nil && !(request.uri.query ?? "").contains("X-Amz-")
    }

    func respond(to request: Request) async -> Response {
        if let problem = session.hostProblem(request) { return Self.error(403, problem) }
        let path = String(request.uri.path.dropFirst(Self.prefix.count))
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        do {
            switch (request.method, parts.first) {
            case (.get, nil):
                guard path == "/" else { return Self.redirect(to: Self.prefix + "/") }
                return Self.response(200, "text/html; charset=utf-8", assets.page(token: session.token))
            case (.get, let name?) where parts.count == 1:
                guard let asset = assets.asset(named: name) else { return Self.error(404, "no such file") }
                return Self.response(200, asset.contentType, asset.bytes)
            case (_, "api"?):
                return try await api(Array(parts.dropFirst()), request: request)
            default:
                return Self.error(404, "nothing at \(request.method) /label\(path)")
            }
        } catch let error as LabelStoreError {
            let status =
                switch error.kind {
                case .notFound: 404
                case .invalid: 400
                case .conflict: 409
                case .freeTierExhausted: 402
                }
            return Self.error(status, error.message)
        } catch let error as LabelUIRequestError {
            return Self.error(error.status, error.message)
        } catch {
            // The page keeps a write that met an outage and sends it again (outbox.js); anything else is refused.
            if let outage = databaseOutageMessage(error) { return Self.error(503, "\(outage).") }
            return Self.error(500, "\(error)")
        }
    }

    /// `/label/api/…`: the body is read here, the store calls run on blocking-I/O threads (`BlockingStoreWork`).
    private func api(_ parts: [String], request: Request) async throws -> Response {
        if request.method == .post, let problem = session.writeProblem(request) { return Self.error(403, problem) }
        // The two POSTs, `images/{id}/edits` and `images/{id}/predictions`, carry a JSON object.
        let body = request.method == .post && parts.count == 3 && parts[0] == "images" ? try await Self.body(request) : nil
        if let body, parts[2] == "predictions" { return try await predict(image: try Self.imageId(parts[1]), body: body) }
        return try await BlockingStoreWork.run { [self] in try storeAnswer(parts, request: request, body: body ?? .object([:])) }
    }

    /// Every answer but predictions: the store's alone.
    private func storeAnswer(_ parts: [String], request: Request, body: JSONValue) throws -> Response {
        let query = request.uri.queryParameters
        // Once a request, before anything reports a job: a job whose tasks expired shows Completed, as Describe does.
        if request.method == .get { try? store.expireLabelingJobs() }
        switch (request.method, parts.count, parts.first) {
        case (.get, 1, "sources"?):
            let datasets = try store.datasets().map { dataset -> JSONValue in
                let stats = try store.stats(of: dataset)
                return ["name": .string(dataset.name), "images": .int(stats.images), "labeled": .int(stats.labeledImages)]
            }
            return Self.json([
                "datasets": .array(datasets), "jobs": .array(try store.labelingJobs().map(LabelUIJSON.job)),
                "freeTier": LabelUIJSON.freeTier(try store.freeTier()), "endpoints": .array(predictions.endpointNames().map(JSONValue.string)),
            ])
        case (.get, 1, "queue"?):
            let dataset = try store.dataset(named: try Self.datasetName(request))
            var images = try store.images(in: dataset)
            if let percent = query["sample"].flatMap({ Double($0) }) {
                guard percent > 0, percent <= 100 else { throw LabelUIRequestError(400, "sample must be a percentage in (0, 100]") }
                let seed = query["seed"].flatMap { UInt64($0) } ?? 0
                images = RandomSample.indices(count: images.count, percent: percent, seed: seed).map { images[$0] }
            }
            let job = try job(of: dataset)
            // A job's image is done when its task is submitted; a dataset's when it is labeled.
            let labeled = try job.map { try store.submittedImages(ofLabelingJob: $0.name) } ?? Set(try store.images(in: dataset, .labeled).map(\.id))
            var jobValue = job.map(LabelUIJSON.job) ?? .null
            if let job { jobValue["task"] = tasks.task(ofJob: job.name) }
            return Self.json([
                "dataset": .string(dataset.name), "categories": LabelUIJSON.categories(try store.categories(of: dataset)),
                "images": .array(
                    images.map { image -> JSONValue in
                        ["id": .int(Int(image.id)), "name": .string(image.fileName), "labeled": .bool(labeled.contains(image.id))]
                    }
                ),
                "job": jobValue,
                "freeTier": LabelUIJSON.freeTier(try store.freeTier()),
            ])
        case (.get, 1, "stats"?):
            let dataset = try store.dataset(named: try Self.datasetName(request))
            let areas = try store.labelSet(of: dataset).items.flatMap { item in
                item.boxes.map { $0.width * $0.height / Double(max(1, (item.width ?? 1) * (item.height ?? 1))) }
            }
            var stats = LabelUIJSON.stats(try store.stats(of: dataset), boxAreas: areas)
            stats["job"] = try job(of: dataset).map(LabelUIJSON.job) ?? .null
            return Self.json(stats)
        case (.get, 2, "images"?):
            let labels = try store.labels(ofImage: try Self.imageId(parts[1]))
            var answer = LabelUIJSON.image(labels)
            answer["submitted"] = try submitted(labels.image)
            answer["verification"] = LabelUIJSON.verification(try store.verificationAnswer(ofImage: labels.image.id))
            return Self.json(answer)
        case (.get, 3, "images"?) where parts[2] == "file":
            let id = try Self.imageId(parts[1])
            let image = try store.image(id: id)
            var response = Self.response(200, image.format == .png ? "image/png" : "image/jpeg", try store.imageBytes(id: id))
            response.headers[.cacheControl] = "private, max-age=86400, immutable"
            return response
        case (.post, 3, "images"?) where parts[2] == "edits":
            let id = try Self.imageId(parts[1])
            guard let revision = body["revision"]?.intValue, let edits = body["edits"]?.arrayValue else {
                throw LabelUIRequestError(400, "the body must be {\"revision\": N, \"edits\": [...]}")
            }
            let applied = try edits.map { try Self.edit($0, imageId: id) }
            let result = try store.apply(applied, toImage: id, atRevision: Int64(revision))
            responses.submitted(images: applied.compactMap(\.submittedImageId))
            var answer = LabelUIJSON.image(result.labels)
            answer["changes"] = .array(result.changes.map(LabelUIJSON.change))
            answer["submitted"] = try submitted(result.labels.image)
            answer["freeTier"] = LabelUIJSON.freeTier(try store.freeTier())
            return Self.json(answer)
        default:
            return Self.error(404, "no labeling API at \(request.method) /label/api/\(parts.joined(separator: "/"))")
        }
    }

    /// `POST /label/api/images/{id}/predictions`: the boxes an endpoint finds on the image.
    private func predict(image id: Int64, body: JSONValue) async throws -> Response {
        guard let endpoint = body["endpoint"]?.stringValue else { throw LabelUIRequestError(400, "name an endpoint") }
        let (image, bytes, classes) = try await BlockingStoreWork.run { [self] in
            let image = try store.image(id: id)
            return (image, try store.imageBytes(id: id), try store.categories(of: try dataset(of: image)).count)
        }
        let boxes = try await predictions.boxes(
            endpoint: endpoint, image: image, bytes: bytes, classes: classes, threshold: body["threshold"]?.doubleValue ?? 0.5)
        return Self.json(["boxes": .array(boxes.map(LabelUIJSON.annotation))])
    }

    /// The labeling job whose dataset this is (`labeling-job/<name>`), if any.
    private func job(of dataset: Dataset) throws -> LabelingJob? {
        let marker = LabelingJob.datasetName(ofJob: "")
        guard dataset.name.hasPrefix(marker) else { return nil }
        return try? store.labelingJob(named: String(dataset.name.dropFirst(marker.count)))
    }

    /// Whether the image's labeling-job task is submitted; null for an image of a plain dataset.
    private func submitted(_ image: StoredImage) throws -> JSONValue {
        guard let job = try job(of: try dataset(of: image)) else { return .null }
        return .bool(try store.submittedImages(ofLabelingJob: job.name).contains(image.id))
    }

    private func dataset(of image: StoredImage) throws -> Dataset {
        guard let dataset = try store.datasets().first(where: { $0.id == image.datasetId }) else {
            throw LabelUIRequestError(404, "the image's dataset is gone")
        }
        return dataset
    }

    // MARK: Request parts, each validated

    /// `?dataset=NAME` or `?job=NAME` (the job's dataset).
    private static func datasetName(_ request: Request) throws -> String {
        let query = request.uri.queryParameters
        if let job = query["job"], !job.isEmpty { return LabelingJob.datasetName(ofJob: String(job)) }
        guard let name = query["dataset"], !name.isEmpty, name.count <= 300 else {
            throw LabelUIRequestError(400, "name a dataset (?dataset=NAME) or a job (?job=NAME)")
        }
        return String(name)
    }

    /// An image id: decimal digits only.
    static func imageId(_ text: String) throws -> Int64 {
        guard (1...18).contains(text.count), text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber), let id = Int64(text) else {
            throw LabelUIRequestError(400, "'\(text.prefix(40))' is not an image id")
        }
        return id
    }

    private static func body(_ request: Request) async throws -> JSONValue {
        guard let buffer = try? await request.body.collect(upTo: maximumBody) else { throw LabelUIRequestError(413, "the body is too large") }
        guard let value = try? JSONValue.parse(Array(buffer: buffer)), case .object = value else {
            throw LabelUIRequestError(400, "the body is not a JSON object")
        }
        return value
    }

    /// One edit as the page sends it: `{"op": "add", "classId": 0, "box": [l, t, w, h]}`, `{"op": "update", "id":
    /// 7, "classId": 0, "box": […]}`, `{"op": "delete", "id": 7}`, `{"op": "submit"}`, `{"op": "undo"}`, and a
    /// verification task's `{"op": "verify", "answer": "good"|"bad", "comment": "…"}`.
    static func edit(_ value: JSONValue, imageId: Int64) throws -> LabelEdit {
        func annotation() throws -> GroundTruthAnnotation {
            guard let classId = value["classId"]?.intValue, let numbers = value["box"]?.arrayValue?.compactMap(\.doubleValue), numbers.count == 4,
                numbers.allSatisfy(\.isFinite)
            else { throw LabelUIRequestError(400, "an edit needs classId and box [left, top, width, height]") }
            return GroundTruthAnnotation(classId: classId, left: numbers[0], top: numbers[1], width: numbers[2], height: numbers[3])
        }
        func boxId() throws -> Int64 {
            guard let id = value["id"]?.intValue else { throw LabelUIRequestError(400, "an edit of a box needs its id") }
            return Int64(id)
        }
        switch value["op"]?.stringValue {
        case "add": return .add(imageId: imageId, try annotation())
        case "update": return .update(boxId: try boxId(), try annotation())
        case "delete": return .delete(boxId: try boxId())
        case "submit": return .submit(imageId: imageId)
        case "undo": return .undo(imageId: imageId)
        case "verify": return .verify(imageId: imageId, try LabelEditLine.verification(value.objectValue ?? [:]))
        default: throw LabelUIRequestError(400, "op must be add, update, delete, submit, verify or undo")
        }
    }

    // MARK: Responses

    static func json(_ value: JSONValue) -> Response { response(200, "application/json", value.renderedBytes) }

    static func error(_ status: Int, _ message: String) -> Response {
        response(status, "application/json", JSONValue.object(["error": .string(message)]).renderedBytes)
    }

    static func redirect(to location: String) -> Response {
        var response = response(308, "text/plain", [])
        response.headers[.location] = location
        return response
    }

    /// Every answer: never cached unless said otherwise, never framed, never sniffed, and no script but our own.
    static func response(_ status: Int, _ contentType: String, _ body: [UInt8]) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.contentLength] = String(body.count)
        headers[.cacheControl] = "no-store"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        headers[.contentSecurityPolicy] =
            "default-src 'self'; img-src 'self' blob:; script-src 'self'; style-src 'self'; connect-src 'self'; frame-ancestors 'none'"
        headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        return Response(status: .init(code: status), headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}

/// A request the UI's API refuses, with its HTTP status.
struct LabelUIRequestError: Error {
    let status: Int
    let message: String
    init(_ status: Int, _ message: String) {
        self.status = status
        self.message = message
    }
}
