import Foundation
import GroundTruthFormat
import Testing

@testable import LabelStore

@Suite("Stats and random samples of stored datasets")
struct DatasetStatsTests {
    @Test("per-class counts, boxes per image, and a warning when one class dominates", arguments: LabelBackend.available)
    func stats(_ backend: LabelBackend) throws {
        try backend.withStore { store in
            let dataset = try store.ensureDataset(named: "bees")
            try store.addCategories(["bee", "wasp"], to: dataset)
            let images = try (0..<4).map {
                try store.addImage(bytes: try TestImages.jpeg(seed: $0), fileName: "\($0).jpg", sourceRef: nil, to: dataset).image
            }
            func box(_ classId: Int) -> GroundTruthAnnotation { .init(classId: classId, left: 1, top: 1, width: 4, height: 4) }
            try store.apply(
                (0..<12).map { .add(imageId: images[$0 % 2].id, box(0)) } + [.add(imageId: images[2].id, box(1)), .submit(imageId: images[3].id)]
            )
            var stats = try store.stats(of: dataset)
            #expect((stats.images, stats.labeledImages, stats.unlabeledImages, stats.boxes) == (4, 4, 0, 13))
            #expect(stats.classes.map(\.boxes) == [12, 1] && stats.classes.map(\.images) == [2, 1])
            #expect(stats.boxesPerImage == [6: 2, 1: 1, 0: 1])
            #expect(stats.imbalanceWarning?.contains("'bee' has 12 boxes but 'wasp' only 1 (12×)") == true, "\(stats.imbalanceWarning ?? "none")")
            try store.apply((0..<2).map { _ in .add(imageId: images[2].id, box(1)) })
            stats = try store.stats(of: dataset)
            #expect(stats.imbalanceWarning == nil)
        }
    }

    @Test("a 2% sample of a stored 500-image dataset is 10 images, the same for the same seed")
    func sample() throws {
        let store = try LabelStore.inMemory()
        let dataset = try store.ensureDataset(named: "bees")
        for index in 0..<500 {
            _ = try store.addImage(
                bytes: try TestImages.png(width: 20, height: 17, seed: index),
                fileName: "\(index).png",
                sourceRef: "/data/bees/\(index).png",
                to: dataset
            )
        }
        let sample = try store.sampleManifest(of: dataset, seed: 7)
        #expect(sample.kept == 10 && sample.total == 500)
        #expect(try store.sampleManifest(of: dataset, seed: 7).text == sample.text)
        #expect(try store.sampleManifest(of: dataset, seed: 8).text != sample.text)
        let lines = sample.text.split(separator: "\n")
        #expect(lines.count == 10 && lines.allSatisfy { $0.hasPrefix(#"{"source-ref": "/data/bees/"#) && $0.hasSuffix(#".png"}"#) })
        // The same images as sampling the equivalent manifest.
        let manifest = (0..<500).map { #"{"source-ref": "/data/bees/\#($0).png"}"# + "\n" }.joined()
        #expect(RandomSample.manifest(manifest, seed: 7).text == sample.text)
        let prefixed = try store.sampleManifest(of: dataset, percent: 1, seed: 7, sourceRefPrefix: "s3://bees/images/")
        #expect(prefixed.kept == 5 && prefixed.text.hasPrefix(#"{"source-ref": "s3://bees/images/"#))
    }
}
