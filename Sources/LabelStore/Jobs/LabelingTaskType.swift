/// The built-in bounding-box task types a labeling job runs, named as Ground Truth's pre-annotation Lambda
/// functions name them (`arn:aws:lambda:<region>:<account>:function:PRE-<type>`).
public enum LabelingTaskType: String, Sendable, Equatable, CaseIterable {
    /// Draw boxes from scratch.
    case boundingBox = "BoundingBox"
    /// Adjust the boxes a previous job made: they are pre-drawn from the input manifest, and the output records
    /// the worker's boxes under the new label attribute with `adjustment-status` (`adjusted` or `unadjusted`).
    case adjustment = "AdjustmentBoundingBox"
    /// Judge a previous job's boxes: they are drawn read-only from the input manifest, and the worker answers
    /// each image `good` or `bad` with an optional comment (`VerificationAnswer`); the output records the verdict
    /// under the new label attribute (type `groundtruth/label-verification`).
    case verification = "VerificationBoundingBox"

    /// Adjustment and verification jobs start from a previous job's boxes, which the input lines carry.
    var reviewsPreviousBoxes: Bool { self != .boundingBox }

    /// The type of a `PreHumanTaskLambdaArn` of Ground Truth's (`…:function:PRE-AdjustmentBoundingBox`); nil for
    /// other functions (custom workflows).
    public init?(preHumanTaskLambdaArn arn: String) {
        guard let range = arn.range(of: ":function:PRE-") else { return nil }
        self.init(rawValue: String(arn[range.upperBound...]))
    }
}
