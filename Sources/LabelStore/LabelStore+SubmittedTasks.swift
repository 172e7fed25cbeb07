import Foundation
import GroundTruthFormat

/// One submitted data object of a labeling job, what Ground Truth's intermediate outputs
/// (`annotations/worker-response/…`, `annotations/consolidated-annotation/…`) are written from.
public struct SubmittedLabelingTask: Sendable {
    /// The object's 0-based position among the input manifest's data objects (Ground Truth's `datasetObjectId`).
    public let dataObjectId: Int
    /// The output manifest line: `source-ref`, the label attribute (boxes, image size) and its `-metadata`; for a
    /// verification task only `source-ref` (the label is `verification`).
    public let line: GroundTruthManifestLine
    /// A verification task's label: the verdict and the worker's comment.
    public let verification: GroundTruthVerificationLabel?
    public let submittedAt: Date

    /// Whether a person answered (Ground Truth's `human-annotated`).
    public var isHumanAnswer: Bool { (verification?.humanAnnotated ?? line.metadata?.humanAnnotated) == "yes" }
}

extension LabelStore {
    /// The submitted tasks of a job, in input order.
    public func submittedTasks(ofLabelingJob name: String) throws -> [SubmittedLabelingTask] {
        try database.read { db in
            try Self.jobLines(name, db).enumerated().compactMap { index, item in
                item.answered.map { SubmittedLabelingTask(dataObjectId: index, line: $0.line, verification: $0.verification, submittedAt: $0.at) }
            }
        }
    }
}
