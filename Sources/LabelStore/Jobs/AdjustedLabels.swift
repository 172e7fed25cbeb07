import Foundation
import GroundTruthFormat

/// The previous job's boxes a bounding-box adjustment or verification job starts from: in each input manifest line, under the one
/// bounding-box label attribute the lines carry (`<attribute>` with a `<attribute>-metadata` of type
/// `groundtruth/object-detection`), classes matched to the job's by name through its `class-map`.
enum AdjustedLabels {
    /// The label attribute whose boxes the job adjusts or verifies.
    /// - Throws: `LabelStoreError.invalid` when the lines carry no bounding-box label, or several.
    static func sourceAttribute(of lines: [String], labelAttributeName: String, taskType: LabelingTaskType) throws -> String {
        let (kind, purpose) = taskType == .verification ? ("a verification", "verify") : ("an adjustment", "adjust")
        var found = Set<String>()
        for line in lines {
            guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else { continue }
            for (key, value) in object where key != labelAttributeName && value is [String: Any] {
                if ((object[key + "-metadata"] as? [String: Any])?["type"] as? String) == GroundTruthLabelMetadata.objectDetectionType {
                    found.insert(key)
                }
            }
        }
        guard found.count == 1, let attribute = found.first else {
            throw LabelStoreError(
                .invalid,
                found.isEmpty
                    ? "\(kind) job's input manifest lines carry the boxes to \(purpose) (a label attribute with a -metadata of type groundtruth/object-detection); these have none"
                    : "the input manifest carries several bounding-box labels (\(found.sorted().joined(separator: ", "))); \(kind) job reviews one"
            )
        }
        return attribute
    }

    /// The boxes of `attribute` in `line` (none when the line has no such label), with the job's class ids.
    /// - Throws: `LabelStoreError.invalid` for a malformed label or a class the job does not have.
    static func boxes(in line: String, attribute: String, categories: [String]) throws -> [GroundTruthAnnotation] {
        let parsed: GroundTruthManifestLine
        do {
            parsed = try GroundTruthManifest.parseLine(line, labelAttributeName: attribute)
        } catch let error as GroundTruthManifestError {
            throw LabelStoreError(.invalid, "\(attribute): \(error.reason)")
        }
        return try (parsed.label?.annotations ?? []).map { box in
            var box = box
            let name = parsed.metadata?.classMap?[String(box.classId)]
            guard let classId = name.map({ categories.firstIndex(of: $0) }) ?? (categories.indices.contains(box.classId) ? box.classId : nil) else {
                throw LabelStoreError(
                    .invalid, "\(attribute): class \(name.map { "'\($0)'" } ?? String(box.classId)) is not one of the job's label categories")
            }
            box.classId = classId
            return box
        }
    }

    /// `adjusted` when the submitted boxes differ from the pre-drawn ones (in any order), else `unadjusted`.
    static func status(submitted: [GroundTruthAnnotation], previous: [GroundTruthAnnotation]) -> String {
        var left = previous
        for box in submitted {
            guard let index = left.firstIndex(of: box) else { return "adjusted" }
            left.remove(at: index)
        }
        return left.isEmpty ? "unadjusted" : "adjusted"
    }
}
