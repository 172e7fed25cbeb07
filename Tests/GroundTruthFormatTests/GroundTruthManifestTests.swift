import Foundation
import Testing

@testable import GroundTruthFormat

@Suite("Ground Truth manifest")
struct GroundTruthManifestTests {
    /// A line as Ground Truth writes it for the course's bee job.
    static let fixture =
        #"{"source-ref": "s3://bucket/input/10006450.jpg", "bees-500": {"annotations": [{"class_id": 0, "width": 95.39999999999998, "top": 256.2, "height": 86.8, "left": 177}], "image_size": [{"width": 500, "depth": 3, "height": 500}]}, "bees-500-metadata": {"job-name": "labeling-job/bees-500", "class-map": {"0": "bee"}, "human-annotated": "no", "objects": [{"confidence": 0.0}], "creation-date": "2019-05-16T00:15:58.914553", "type": "groundtruth/object-detection"}}"#

    @Test("a real Ground Truth line parses, floats preserved exactly")
    func parsesRealLine() throws {
        let line = try GroundTruthManifest.parseLine(Self.fixture, labelAttributeName: "bees-500")
        #expect(line.sourceRef == "s3://bucket/input/10006450.jpg")
        #expect(line.label?.annotations == [GroundTruthAnnotation(classId: 0, left: 177, top: 256.2, width: 95.39999999999998, height: 86.8)])
        #expect(line.label?.annotations.first?.width == 95.39999999999998)
        #expect(line.label?.imageSize == [GroundTruthImageSize(width: 500, height: 500, depth: 3)])
        #expect(line.metadata?.classMap == ["0": "bee"])
        #expect(line.metadata?.objects == [GroundTruthLabelMetadata.Object(confidence: 0)])
        #expect(line.metadata?.humanAnnotated == "no")
        #expect(line.metadata?.jobName == "labeling-job/bees-500")
        #expect(line.metadata?.creationDate == "2019-05-16T00:15:58.914553")
        #expect(line.metadata?.type == "groundtruth/object-detection")
    }

    @Test("encoding a parsed line gives back Ground Truth's exact bytes")
    func encodesLikeGroundTruth() throws {
        let line = try GroundTruthManifest.parseLine(Self.fixture, labelAttributeName: "bees-500")
        #expect(try GroundTruthManifest.encodeLine(line) == Self.fixture)
    }

    @Test("a manifest round-trips, including an image without objects and an unlabelled line")
    func roundTrips() throws {
        let empty = GroundTruthManifestLine(
            sourceRef: "images/2.jpg",
            labelAttributeName: "bees-500",
            label: GroundTruthBoundingBoxLabel(annotations: [], imageSize: GroundTruthImageSize(width: 375, height: 500)),
            metadata: GroundTruthLabelMetadata(
                jobName: "j",
                classMap: ["10": "ten", "2": "two"],
                humanAnnotated: "yes",
                objects: [],
                creationDate: nil
            )
        )
        let bare = GroundTruthManifestLine(sourceRef: "images/\"quoted\"\n.jpg", labelAttributeName: "bees-500", label: nil, metadata: nil)
        let lines = [try GroundTruthManifest.parseLine(Self.fixture, labelAttributeName: "bees-500"), empty, bare]
        let text = try GroundTruthManifest.encode(lines)
        #expect(text.hasSuffix("}\n"))
        #expect(text.contains(#""annotations": [], "image_size""#))
        #expect(text.contains(#""class-map": {"2": "two", "10": "ten"}"#))
        #expect(text.contains(#""objects": []"#))
        #expect(try GroundTruthManifest.parse(text, labelAttributeName: "bees-500") == lines)
    }

    @Test("other label attributes on a line are ignored")
    func readsOnlyTheNamedAttribute() throws {
        let line = try GroundTruthManifest.parseLine(Self.fixture, labelAttributeName: "wasps")
        #expect(line.sourceRef == "s3://bucket/input/10006450.jpg")
        #expect(line.label == nil)
        #expect(line.metadata == nil)
    }

    @Test("errors name the line and the offending value")
    func errorsNameTheLine() throws {
        let bad = Self.fixture.replacingOccurrences(of: #""height": 86.8"#, with: #""height": "tall""#)
        let text = Self.fixture + "\n\n" + bad + "\n"
        let error = #expect(throws: GroundTruthManifestError.self) {
            try GroundTruthManifest.parse(text, labelAttributeName: "bees-500")
        }
        #expect(error?.line == 3)
        #expect(error?.reason.contains("height") == true)
        #expect(error?.description.hasPrefix("manifest line 3:") == true)

        let missing = #expect(throws: GroundTruthManifestError.self) {
            try GroundTruthManifest.parse(#"{"source": "x"}"#, labelAttributeName: "bees-500")
        }
        #expect(missing?.reason.contains("source-ref") == true)

        let broken = #expect(throws: GroundTruthManifestError.self) {
            try GroundTruthManifest.parse("{\"source-ref\": ", labelAttributeName: "bees-500")
        }
        #expect(broken?.line == 1)
    }

    @Test("whole-number fields written as floats are accepted; non-finite numbers are not written")
    func numbers() throws {
        let floaty = Self.fixture.replacingOccurrences(of: #""class_id": 0"#, with: #""class_id": 0.0"#)
        #expect(try GroundTruthManifest.parseLine(floaty, labelAttributeName: "bees-500").label?.annotations.first?.classId == 0)
        var line = try GroundTruthManifest.parseLine(Self.fixture, labelAttributeName: "bees-500")
        line.label?.annotations[0].left = .nan
        #expect(throws: GroundTruthManifestError.self) { try GroundTruthManifest.encode([line]) }
    }

    @Test("a labeled input line keeps its own members byte for byte and gains the label after them")
    func extendsInputLine() throws {
        let label = try GroundTruthManifest.parseLine(Self.fixture, labelAttributeName: "bees-500")
        let input = #"{"source-ref": "s3://bucket/input/10006450.jpg", "site": {"hive": 2, "note": "é"}}"#
        let extended = try GroundTruthManifest.encodeLine(label, extending: "  " + input + "\r")
        let encoded = try GroundTruthManifest.encodeLine(label)
        #expect(extended == input.dropLast() + ", " + encoded.dropFirst(#"{"source-ref": "s3://bucket/input/10006450.jpg", "#.count))
        #expect(try GroundTruthManifest.parseLine(extended, labelAttributeName: "bees-500") == label)
        let bare = GroundTruthManifestLine(sourceRef: "x", labelAttributeName: "bees-500", label: nil, metadata: nil)
        #expect(try GroundTruthManifest.encodeLine(bare, extending: input) == input)
        #expect(throws: GroundTruthManifestError.self) { try GroundTruthManifest.encodeLine(label, extending: "[1]") }
    }
}
