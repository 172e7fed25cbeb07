import Foundation
import GroundTruthFormat
import ImageCodec

/// Reads the algorithm's input channels into `TrainingRecord`s, in the two forms SageMaker's object-detection
/// algorithm accepts besides RecordIO: a Ground Truth **augmented manifest** (`S3DataType: AugmentedManifestFile`,
/// `AttributeNames: ["source-ref", "<label attribute>"]`, image first) and the **image + JSON** format (one
/// `.json` annotation per image). Errors are `ClientError`s that name the line or file.
public enum TrainingChannel {
    /// Records from an augmented manifest.
    /// - Parameters:
    ///   - manifest: the manifest's text (JSON Lines).
    ///   - attributeNames: the channel's `AttributeNames`: the image's `-ref` attribute, then the label attribute.
    ///   - readImage: the bytes of an image given its `source-ref` (an `s3://` URI resolved by the caller).
    public static func augmentedManifest(
        _ manifest: String,
        attributeNames: [String],
        readImage: @escaping @Sendable (String) throws -> [UInt8]
    ) throws -> [TrainingRecord] {
        guard attributeNames.count == 2, attributeNames[0] == "source-ref", !attributeNames[1].hasSuffix("-ref") else {
            throw TrainingClientError(
                "AttributeNames must be [\"source-ref\", \"<label attribute>\"] in that order (image first, annotation second); got \(attributeNames)."
            )
        }
        let label = attributeNames[1]
        let lines: [GroundTruthManifestLine]
        do {
            lines = try GroundTruthManifest.parse(manifest, labelAttributeName: label)
        } catch {
            throw TrainingClientError("Unable to parse record. Please make sure the augmented manifest is valid JSON Lines: \(error)")
        }
        var records: [TrainingRecord] = []
        for (index, line) in lines.enumerated() {
            guard let annotations = line.label?.annotations else {
                throw TrainingClientError(
                    "Record \(index + 1) (\(line.sourceRef)) has no attribute '\(label)'. Please check that the value of training job "
                        + "parameter AttributeNames matches attribute names in the augmented manifest."
                )
            }
            let sourceRef = line.sourceRef
            records.append(
                TrainingRecord(identifier: sourceRef, boxes: annotations.map(Self.box)) { try ImageDecoder.decodeUpright(try readImage(sourceRef)) }
            )
        }
        return records
    }

    /// One annotation file of the image + JSON format:
    /// `{"file": "...", "image_size": [{"width", "height", "depth"}], "annotations": [{"class_id", "left", "top", "width", "height"}], "categories": [...]}`.
    struct ImageAnnotation: Decodable {
        var file: String
        var annotations: [GroundTruthAnnotation]
    }

    /// Records from the image + JSON format.
    /// - Parameters:
    ///   - annotationFiles: `(name, contents)` of each `.json` file of the `train_annotation` channel.
    ///   - readImage: the bytes of the image a file's `"file"` member names.
    public static func imageAnnotations(
        _ annotationFiles: [(name: String, contents: [UInt8])],
        readImage: @escaping @Sendable (String) throws -> [UInt8]
    ) throws -> [TrainingRecord] {
        try annotationFiles.map { name, contents in
            let annotation: ImageAnnotation
            do {
                annotation = try JSONDecoder().decode(ImageAnnotation.self, from: Data(contents))
            } catch {
                throw TrainingClientError(
                    "Unable to parse annotation file '\(name)': expected {\"file\", \"image_size\", \"annotations\": [{\"class_id\", \"left\", \"top\", \"width\", \"height\"}]}."
                )
            }
            let file = annotation.file
            return TrainingRecord(identifier: file, boxes: annotation.annotations.map(Self.box)) { try ImageDecoder.decodeUpright(try readImage(file)) }
        }
    }

    private static func box(_ a: GroundTruthAnnotation) -> GroundTruthBox {
        GroundTruthBox(classID: a.classId, box: BoundingBox(x: Float(a.left), y: Float(a.top), width: Float(a.width), height: Float(a.height)))
    }
}
