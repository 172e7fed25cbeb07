import AWSProtocol
import ControlPlane
import Foundation
import ObjectStore

/// What a labeling job asks its workers, for the UI to show above the image: the `HumanTaskConfig`'s `TaskTitle`
/// and `TaskDescription`, and the `instructions` (`shortInstruction`, `fullInstruction`) of its label category
/// config file, as Ground Truth's bounding-box task shows them. A job made in the label store directly (not by
/// CreateLabelingJob) has none; the UI then shows its own short instructions.
struct LabelUITasks: Sendable {
    let controlPlane: ControlPlaneStore
    let objects: ObjectStore

    /// `{"title", "description", "shortInstruction", "fullInstruction"}` (each a string or null), or null.
    func task(ofJob name: String) -> JSONValue {
        guard let record = try? controlPlane.resource(.labelingJob, named: name) else { return .null }
        let document = record.document
        var task: JSONValue = [
            "title": document["HumanTaskConfig"]?["TaskTitle"] ?? .null,
            "description": document["HumanTaskConfig"]?["TaskDescription"] ?? .null,
        ]
        var instructions: JSONValue?
        if let uri = document["LabelCategoryConfigS3Uri"]?.stringValue, let location = S3URI(uri), let data = try? objects.get(location) {
            instructions = (try? JSONValue.parse(Array(data)))?["instructions"]
        }
        task["shortInstruction"] = instructions?["shortInstruction"]?.stringValue.map(JSONValue.string) ?? .null
        task["fullInstruction"] = instructions?["fullInstruction"]?.stringValue.map(JSONValue.string) ?? .null
        return task
    }
}
