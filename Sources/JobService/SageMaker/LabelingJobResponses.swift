import AWSProtocol
import Foundation
import GroundTruthFormat
import LabelStore
import ObjectStore

/// Ground Truth's intermediate outputs, which notebooks' monitoring cells list and parse while a job runs, under
/// `<S3OutputPath>/<job>/annotations/`: for each object a person labeled, `worker-response/iteration-1/<dataObjectId>/
/// <labeled at>.json` (`{"answers": [{"answerContent": {"boundingBox": {"boundingBoxes": […], "inputImageProperties":
/// {…}}}, "submissionTime", "workerId", …}]}`), and per batch of newly labeled objects
/// `consolidated-annotation/consolidation-response/iteration-1/<time>.json` (`[{"datasetObjectId", "consolidatedAnnotation":
/// {"content": {<label attribute>, <label attribute>-metadata}}}]`). Written whenever the control plane brings a job
/// up to date (Describe, List, Stop), for the objects labeled since; a worker-response object is written once per
/// labeling (an edit writes a new one), after the consolidation batch that lists it. Machine-made labels (`ctl labels
/// apply --machine-labeled`) appear in neither: Ground Truth's automated labels have no worker, and Apiary writes
/// nothing under `activelearning/`.
struct LabelingJobResponses {
    /// The private workforce's worker id in answers.
    static let workerID = "private.us-east-1.apiary"

    let labels: LabelStore
    let objects: ObjectStore

    /// Writes the responses of objects labeled since the last call; a failure to write leaves them for the next call.
    func sync(job name: String, outputPath: String) throws {
        guard let base = S3URI(outputPath)?.appending("\(name)/annotations") else { return }
        var consolidated: [JSONValue] = []
        var responses: [(S3URI, JSONValue)] = []
        for answer in try labels.submittedTasks(ofLabelingJob: name) where answer.line.metadata?.humanAnnotated == "yes" {
            let response = base.appending("worker-response/iteration-1/\(answer.dataObjectId)/\(Self.stamp(answer.submittedAt)).json")
            guard !objects.exists(response) else { continue }
            var content = try JSONValue.parse(Array(try GroundTruthManifest.encodeLine(answer.line).utf8))
            content["source-ref"] = nil
            consolidated.append([
                "datasetObjectId": .string(String(answer.dataObjectId)), "consolidatedAnnotation": ["content": content],
            ])
            responses.append((response, Self.workerResponse(answer)))
        }
        guard !consolidated.isEmpty else { return }
        // Named by the time; a second batch within the same second gets a suffix rather than replacing the first.
        let folder = base.appending("consolidated-annotation/consolidation-response/iteration-1")
        var batch = folder.appending("\(Self.stamp(Date())).json")
        var suffix = 1
        while objects.exists(batch) {
            suffix += 1
            batch = folder.appending("\(Self.stamp(Date()))-\(suffix).json")
        }
        _ = try objects.put(Data(JSONValue.array(consolidated).renderedBytes), at: batch, attributes: .init(contentType: "application/json"))
        for (uri, body) in responses {
            _ = try objects.put(Data(body.renderedBytes), at: uri, attributes: .init(contentType: "application/json"))
        }
    }

    /// One worker's answer for an object, in the bounding-box task's answer shape.
    private static func workerResponse(_ answer: SubmittedLabelingTask) -> JSONValue {
        let classMap = answer.line.metadata?.classMap ?? [:]
        let size = answer.line.label?.imageSize.first
        let boxes: [JSONValue] = (answer.line.label?.annotations ?? []).map { a in
            [
                "label": .string(classMap[String(a.classId)] ?? String(a.classId)), "left": .double(a.left), "top": .double(a.top),
                "width": .double(a.width), "height": .double(a.height),
            ]
        }
        let submitted = ISO8601DateFormatter().string(from: answer.submittedAt)
        return [
            "answers": [
                [
                    "answerContent": [
                        "boundingBox": [
                            "boundingBoxes": .array(boxes),
                            "inputImageProperties": ["width": .int(size?.width ?? 0), "height": .int(size?.height ?? 0)],
                        ]
                    ],
                    "acceptanceTime": .string(submitted), "submissionTime": .string(submitted), "workerId": .string(workerID),
                    "workerMetadata": ["identityData": ["identityProviderType": "Cognito", "sub": "apiary"]],
                ]
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
