import Foundation
import GRDB
import GroundTruthFormat

/// One labeled data object of a labeling job, what Ground Truth's intermediate outputs
/// (`annotations/worker-response/…`, `annotations/consolidated-annotation/…`) are written from.
public struct LabelingJobAnswer: Sendable {
    /// The object's 0-based position among the input manifest's data objects (Ground Truth's `datasetObjectId`).
    public let dataObjectId: Int
    /// The output manifest line: `source-ref`, the label attribute (boxes, image size) and its `-metadata`.
    public let line: GroundTruthManifestLine
    public let labeledAt: Date
}

extension LabelStore {
    /// The labeled objects of a job, in input order.
    public func answers(ofLabelingJob name: String) throws -> [LabelingJobAnswer] {
        try dbWriter.read { db in
            try Self.jobLines(name, db).enumerated().compactMap { index, item in
                item.labeled.map { LabelingJobAnswer(dataObjectId: index, line: $0.line, labeledAt: $0.at) }
            }
        }
    }
}
