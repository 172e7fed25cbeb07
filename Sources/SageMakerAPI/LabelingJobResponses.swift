import AWSProtocol
import ControlPlane
import Foundation
import GroundTruthFormat
import LabelStore
import ObjectStore
import Synchronization

/// Ground Truth's intermediate outputs, which notebooks' monitoring cells list and parse while a job runs, under
/// `<S3OutputPath>/<job>/annotations/`: for each object a person labeled, `worker-response/iteration-1/<dataObjectId>/
/// <labeled at>.json` (`{"answers": [{"answerContent": {"boundingBox": {"boundingBoxes": […], "inputImageProperties":
/// {…}}}, "submissionTime", "workerId", …}]}`), and per batch of newly labeled objects, under the same time,
/// `consolidated-annotation/consolidation-request/iteration-1/<time>.json` (the post-annotation Lambda's documented
/// payload: `[{"datasetObjectId", "dataObject": {"s3Uri"}, "annotations": [{"workerId", "annotationData": {"content":
/// "<answer as JSON text>"}}]}]`) and `consolidated-annotation/consolidation-response/iteration-1/<time>.json`
/// (`[{"datasetObjectId", "consolidatedAnnotation": {"content": {<label attribute>, <label attribute>-metadata}}}]`).
/// Written as the daemon's label paths submit tasks (`submitted(…)`: the worker UI, the label API's apply and
/// import), and again whenever the control plane brings a job up to date (Describe, List, Stop), which catches up
/// what a failed write or a crash left out. A worker-response object is written once per labeling (a resubmission
/// writes a new one), after the batch that lists it, and all writes take one lock, so no batch lists an object
/// twice. Machine-made labels (`ctl labels apply --machine-labeled`) appear in none: Ground Truth's automated labels
/// have no worker, and Apiary writes nothing under `activelearning/`.
package struct LabelingJobResponses: Sendable {
    /// The private workforce's worker id in answers.
    static let workerID = "private.us-east-1.apiary"
    /// One writer at a time in the daemon, whichever path asks.
    private static let writing = Mutex<Void>(())

    let controlPlane: ControlPlaneStore
    let labels: LabelStore
    let objects: ObjectStore

    package init(controlPlane: ControlPlaneStore, labels: LabelStore, objects: ObjectStore) {
        self.controlPlane = controlPlane
        self.labels = labels
        self.objects = objects
    }

    /// After a write submitted tasks of these images: writes the responses of their jobs (created by
    /// CreateLabelingJob) that are not yet written. A failure is left for the next Describe.
    package func submitted(images: some Sequence<Int64>) {
        guard let datasets = try? labels.datasets() else { return }
        let names = Dictionary(uniqueKeysWithValues: datasets.map { ($0.id, $0.name) })
        submitted(inDatasets: Set(images.compactMap { try? labels.image(id: $0).datasetId }.compactMap { names[$0] }))
    }

    /// After a write (an import) submitted tasks in these datasets: as `submitted(images:)`.
    package func submitted(inDatasets names: Set<String>) {
        let marker = LabelingJob.datasetName(ofJob: "")
        for name in names where name.hasPrefix(marker) {
            let job = String(name.dropFirst(marker.count))
            guard let record = try? controlPlane.resource(.labelingJob, named: job) else { continue }
            try? sync(job: job, outputPath: record.document["OutputConfig"]?["S3OutputPath"]?.stringValue ?? "")
        }
    }

    /// Writes the responses of objects labeled since the last call; a failure to write leaves them for the next call.
    func sync(job name: String, outputPath: String) throws {
        try Self.writing.withLock { _ in try write(job: name, outputPath: outputPath) }
    }

    private func write(job name: String, outputPath: String) throws {
        guard let base = S3URI(outputPath)?.appending("\(name)/annotations") else { return }
        var requests: [JSONValue] = []
        var consolidated: [JSONValue] = []
        var responses: [(S3URI, JSONValue)] = []
        for answer in try labels.submittedTasks(ofLabelingJob: name) where answer.isHumanAnswer {
            let response = base.appending("worker-response/iteration-1/\(answer.dataObjectId)/\(Self.stamp(answer.submittedAt)).json")
            guard !objects.exists(response) else { continue }
            var content = try JSONValue.parse(Array((try answer.verification?.encodeObject() ?? GroundTruthManifest.encodeLine(answer.line)).utf8))
            content["source-ref"] = nil
            let id = JSONValue.string(String(answer.dataObjectId))
            let worker = Self.workerResponse(answer)
            requests.append([
                "datasetObjectId": id, "dataObject": ["s3Uri": .string(answer.line.sourceRef)],
                "annotations": [
                    ["workerId": .string(Self.workerID), "annotationData": ["content": .string(String(decoding: worker.answerContent.renderedBytes, as: UTF8.self))]]
                ],
            ])
            consolidated.append(["datasetObjectId": id, "consolidatedAnnotation": ["content": content]])
            responses.append((response, worker.body))
        }
        guard !consolidated.isEmpty else { return }
        // Named by the time; a second batch within the same second gets a suffix rather than replacing the first.
        let folder = base.appending("consolidated-annotation")
        var batch = "\(Self.stamp(Date())).json"
        var suffix = 1
        while objects.exists(folder.appending("consolidation-response/iteration-1/\(batch)")) {
            suffix += 1
            batch = "\(Self.stamp(Date()))-\(suffix).json"
        }
        for (kind, body) in [("consolidation-request", requests), ("consolidation-response", consolidated)] {
            let uri = folder.appending("\(kind)/iteration-1/\(batch)")
            _ = try objects.put(Data(JSONValue.array(body).renderedBytes), at: uri, attributes: .init(contentType: "application/json"))
        }
        for (uri, body) in responses {
            _ = try objects.put(Data(body.renderedBytes), at: uri, attributes: .init(contentType: "application/json"))
        }
    }

    /// One worker's answer for an object, in its task's answer shape — the bounding-box task's boxes, or a
    /// verification task's `{"verification": {"label": "good"|"bad"}, "comment": "…"}` — and the worker-response
    /// document around it.
    private static func workerResponse(_ answer: SubmittedLabelingTask) -> (answerContent: JSONValue, body: JSONValue) {
        let submitted = ISO8601DateFormatter().string(from: answer.submittedAt)
        let content = answer.verification.map(verificationContent) ?? boundingBoxContent(answer)
        let body: JSONValue = [
            "answers": [
                [
                    "answerContent": content,
                    "acceptanceTime": .string(submitted), "submissionTime": .string(submitted), "workerId": .string(workerID),
                    "workerMetadata": ["identityData": ["identityProviderType": "Cognito", "sub": "apiary"]],
                ]
            ]
        ]
        return (content, body)
    }

    private static func verificationContent(_ label: GroundTruthVerificationLabel) -> JSONValue {
        var content: JSONValue = ["verification": ["label": .string(label.className)]]
        if let comment = label.comments.first { content["comment"] = .string(comment) }
        return content
    }

    private static func boundingBoxContent(_ answer: SubmittedLabelingTask) -> JSONValue {
        let classMap = answer.line.metadata?.classMap ?? [:]
        let size = answer.line.label?.imageSize.first
        let boxes: [JSONValue] = (answer.line.label?.annotations ?? []).map { a in
            [
                "label": .string(classMap[String(a.classId)] ?? String(a.classId)), "left": .double(a.left), "top": .double(a.top),
                "width": .double(a.width), "height": .double(a.height),
            ]
        }
        return [
            "boundingBox": [
                "boundingBoxes": .array(boxes),
                "inputImageProperties": ["width": .int(size?.width ?? 0), "height": .int(size?.height ?? 0)],
            ]
        ]
    }

    /// `2026-12-04_16:30:05`, UTC, as Ground Truth names these objects.
    private static func stamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd_HH:mm:ss"
        return formatter.string(from: date)
    }
}
