/// A bounding-box verification job's label for one image, as Ground Truth writes it in the output manifest
/// ("Label verification and adjustment data in the output manifest"): the attribute's value is the index of the
/// worker's verdict as a string (`"0"` good, `"1"` bad), and its `-metadata` names it, with the worker's comment
/// under `worker-feedback` only when one was entered:
///
///     "verify-bees": "1", "verify-bees-metadata": {"class-name": "bad", "confidence": 0.0,
///     "type": "groundtruth/label-verification", "job-name": "labeling-job/verify-bees", "human-annotated": "yes",
///     "creation-date": "2026-12-04T18:00:00.000000", "worker-feedback": [{"comment": "the left bee is cut off"}]}
public struct GroundTruthVerificationLabel: Sendable, Equatable {
    /// The verdicts in index order: the label's value is the verdict's index.
    public static let classNames = ["good", "bad"]
    /// The `type` of a verification label's metadata.
    public static let type = "groundtruth/label-verification"

    public var labelAttributeName: String
    /// `good` or `bad`.
    public var className: String
    public var jobName: String
    public var humanAnnotated: String
    public var creationDate: String
    /// The worker's comments; none when no comment was entered.
    public var comments: [String]

    public init(labelAttributeName: String, className: String, jobName: String, humanAnnotated: String, creationDate: String, comments: [String]) {
        self.labelAttributeName = labelAttributeName
        self.className = className
        self.jobName = jobName
        self.humanAnnotated = humanAnnotated
        self.creationDate = creationDate
        self.comments = comments
    }

    /// The label and its metadata as the members of one JSON object, in Ground Truth's order.
    public func encodeObject() -> String {
        var json = JSONLineWriter()
        json.beginObject()
        json.key(labelAttributeName)
        json.string(String(Self.classNames.firstIndex(of: className) ?? 0))
        json.key(labelAttributeName + "-metadata")
        json.beginObject()
        json.key("class-name")
        json.string(className)
        json.key("confidence")
        try? json.number(0, alwaysFloat: true)
        json.key("type")
        json.string(Self.type)
        json.key("job-name")
        json.string(jobName)
        json.key("human-annotated")
        json.string(humanAnnotated)
        json.key("creation-date")
        json.string(creationDate)
        if !comments.isEmpty {
            json.key("worker-feedback")
            json.array(comments) { json, comment in
                json.beginObject()
                json.key("comment")
                json.string(comment)
                json.endObject()
            }
        }
        json.endObject()
        json.endObject()
        return json.text
    }
}
