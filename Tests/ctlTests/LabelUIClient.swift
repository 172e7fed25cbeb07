import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A labeler in one daemon's labeling UI, talking to it as the page does (`/label/api/…`): the session token read from
/// the page, images loaded with their revision, revision-checked edits. Answers are the UI's own JSON, reduced to
/// what a test compares.
struct LabelUIClient: Sendable {
    let base: String
    let token: String

    /// Opens the UI's page on `daemon` and keeps its session token.
    init(daemon: LiveDaemon) async throws {
        base = daemon.url + "/label"
        let (page, _) = try await URLSession.shared.data(from: try #require(URL(string: base + "/")))
        let html = String(decoding: page, as: UTF8.self)
        let marker = try #require(html.range(of: #"<meta name="apiary-label-token" content=""#), "the page carries no session token")
        token = String(html[marker.upperBound...].prefix { $0 != "\"" })
    }

    /// An answer of the UI's API: its status, and an image's revision and boxes (`classId [left, top, width, height]`)
    /// or the error the page would show.
    struct Answer: Sendable {
        let status: Int
        let revision: Int?
        let boxes: [String]
        let error: String?
        /// The ids of a dataset's images (`queue`).
        let imageIds: [Int]
    }

    /// `GET /label/api/<path>`, e.g. `queue?dataset=bees` or `images/7`.
    func get(_ path: String) async throws -> Answer {
        try await send(URLRequest(url: try #require(URL(string: base + "/api/" + path))))
    }

    /// Saves `edits` (the page's edit objects) on an image loaded at `revision`.
    func edit(image id: Int, atRevision revision: Int, _ edits: [[String: any Sendable]]) async throws -> Answer {
        var request = URLRequest(url: try #require(URL(string: base + "/api/images/\(id)/edits")))
        request.httpMethod = "POST"
        request.setValue(token, forHTTPHeaderField: "X-Apiary-Label-Token")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let body: [String: Any] = ["revision": revision, "edits": edits]
        request.httpBody = try JSONSerialization.data(withJSONObject: body)
        return try await send(request)
    }

    private func send(_ request: URLRequest) async throws -> Answer {
        let (data, response) = try await URLSession.shared.data(for: request)
        let body = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        let boxes = (body["boxes"] as? [[String: Any]] ?? []).map { box in
            "\(box["classId"] ?? "?") \((box["box"] as? [Double] ?? []).map { String($0) }.joined(separator: ","))"
        }
        return Answer(
            status: (response as? HTTPURLResponse)?.statusCode ?? 0,
            revision: body["revision"] as? Int,
            boxes: boxes,
            error: body["error"] as? String,
            imageIds: (body["images"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }
        )
    }
}
