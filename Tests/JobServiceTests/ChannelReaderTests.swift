import Foundation
import JobService
import ModelCore
import ObjectStore
import Testing
@testable import TrainingExecution

@Suite("ChannelReader: channels to records through the object store")
struct ChannelReaderTests {
    /// Checks records against fixture images: identifiers are `uri(fileName)` for the images `indices` (in
    /// any order: the image format follows its annotation files' key order), boxes as labelled, images decode.
    private func expectRecords(_ records: [TrainingRecord], _ indices: Range<Int>, _ uri: (String) -> String) throws {
        #expect(Set(records.map(\.identifier)) == Set(indices.map { uri(BeeFixture.samples[$0].fileName) }))
        #expect(records.count == indices.count)
        for record in records {
            let sample = try #require(BeeFixture.samples.first { uri($0.fileName) == record.identifier })
            #expect(record.boxes.map { Double($0.box.xmin) } == sample.boxes.map(\.left))
            #expect(record.boxes.map { Double($0.box.height) } == sample.boxes.map(\.height))
            let image = try record.loadImage()
            #expect(image.width == sample.image.width && image.height == sample.image.height)
        }
    }

    @Test("an augmented manifest (Pipe, RecordIO wrapping) resolves its source-refs in the store")
    func augmentedManifest() throws {
        let fixture = try TestStore()
        // A blank line is skipped, as Ground Truth's readers do.
        let manifest = try #require(String(data: fixture.store.get(S3URI("s3://bees/manifests/train.manifest")!), encoding: .utf8))
        try fixture.put(manifest + "\n", at: "s3://bees/manifests/train.manifest")
        let data = try ChannelReader(store: fixture.store).read(BeeFixture.augmentedManifestChannels)
        #expect(data.training.map(\.identifier) == BeeFixture.trainIndices.map(BeeFixture.imageURI))
        try expectRecords(data.training, BeeFixture.trainIndices) { "s3://bees/images/\($0)" }
        try expectRecords(data.validation, BeeFixture.validationIndices) { "s3://bees/images/\($0)" }
    }

    @Test("the image format: S3Prefix image channels with _annotation channels of JSON")
    func imageFormat() throws {
        let fixture = try TestStore()
        let data = try ChannelReader(store: fixture.store).read(BeeFixture.imageFormatChannels)
        try expectRecords(data.training, BeeFixture.trainIndices) { "s3://bees/imageformat/train/\($0)" }
        try expectRecords(data.validation, BeeFixture.validationIndices) { "s3://bees/imageformat/validation/\($0)" }
    }

    @Test("an annotation's file may be a path elsewhere: the image with that file name is used")
    func annotationFileByName() throws {
        let fixture = try TestStore()
        let sample = BeeFixture.samples[0]
        let base = sample.fileName.replacingOccurrences(of: ".jpg", with: "")
        let annotation = BeeFixture.annotationJSON(file: "/home/me/bees/\(sample.fileName)", sample)
        try fixture.put(annotation, at: "s3://bees/imageformat/train_annotation/\(base).json")
        let data = try ChannelReader(store: fixture.store).read(BeeFixture.imageFormatChannels)
        #expect(data.training[0].identifier == "s3://bees/imageformat/train/\(sample.fileName)")
    }

    @Test("a ManifestFile lists the image objects under its prefix")
    func manifestFile() throws {
        let fixture = try TestStore()
        for split in ["train", "validation"] {
            let indices = split == "train" ? BeeFixture.trainIndices : BeeFixture.validationIndices
            let keys = indices.map { "\"\(split)/\(BeeFixture.samples[$0].fileName)\"" }
            try fixture.put("[{\"prefix\": \"s3://bees/imageformat/\"}, \(keys.joined(separator: ", "))]", at: "s3://bees/lists/\(split).json")
        }
        var channels = BeeFixture.imageFormatChannels
        channels[0] = TrainingChannelSpec(
            name: "train",
            dataType: .manifestFile,
            uri: S3URI("s3://bees/lists/train.json")!,
            contentType: "image/jpeg"
        )
        channels[1] = TrainingChannelSpec(
            name: "validation",
            dataType: .manifestFile,
            uri: S3URI("s3://bees/lists/validation.json")!,
            contentType: "image/jpeg"
        )
        let data = try ChannelReader(store: fixture.store).read(channels)
        try expectRecords(data.training, BeeFixture.trainIndices) { "s3://bees/imageformat/train/\($0)" }
        try expectRecords(data.validation, BeeFixture.validationIndices) { "s3://bees/imageformat/validation/\($0)" }
    }

    @Test("every unusable channel set is a ClientError naming the channel and the URI or line")
    func clientErrors() throws {
        let fixture = try TestStore()
        let reader = ChannelReader(store: fixture.store)
        let manifests = BeeFixture.augmentedManifestChannels
        let images = BeeFixture.imageFormatChannels
        func with(_ channels: [TrainingChannelSpec], _ index: Int, _ edit: (inout TrainingChannelSpec) -> Void) -> [TrainingChannelSpec] {
            var channels = channels
            edit(&channels[index])
            return channels
        }

        expectClientError("Missing required channel 'train'", "this job has: validation") { _ = try reader.read([manifests[1]]) }
        expectClientError("Missing required channel 'validation'", "this job has: train") { _ = try reader.read([manifests[0]]) }
        expectClientError("Missing required channel 'train'", "this job has: none") { _ = try reader.read([]) }
        expectClientError("Channel 'test' is not an input") { _ = try reader.read(manifests + [with(manifests, 0) { $0.name = "test" }[0]]) }
        expectClientError("Incremental training (the 'model' channel) is not supported") {
            _ = try reader.read(manifests + [with(manifests, 0) { $0.name = "model" }[0]])
        }

        // Augmented manifests: missing, empty, a missing image, a source-ref that is no s3:// URI, wrong AttributeNames.
        expectClientError("augmented manifest of channel 'train'", "s3://bees/manifests/nope.manifest", "does not exist") {
            _ = try reader.read(with(manifests, 0) { $0.uri = S3URI("s3://bees/manifests/nope.manifest")! })
        }
        try fixture.put("\n  \n", at: "s3://bees/manifests/empty.manifest")
        expectClientError("s3://bees/manifests/empty.manifest", "is empty") {
            _ = try reader.read(with(manifests, 1) { $0.uri = S3URI("s3://bees/manifests/empty.manifest")! })
        }
        let good = BeeFixture.manifestLine(sourceRef: BeeFixture.imageURI(0), BeeFixture.samples[0])
        let missing = BeeFixture.manifestLine(sourceRef: "s3://bees/images/gone.jpg", BeeFixture.samples[1])
        try fixture.put(good + "\n\n" + missing + "\n", at: "s3://bees/manifests/missing.manifest")
        expectClientError("Line 3 of s3://bees/manifests/missing.manifest", "s3://bees/images/gone.jpg does not exist") {
            _ = try reader.read(with(manifests, 0) { $0.uri = S3URI("s3://bees/manifests/missing.manifest")! })
        }
        try fixture.put(BeeFixture.manifestLine(sourceRef: "images/local.jpg", BeeFixture.samples[1]), at: "s3://bees/manifests/local.manifest")
        expectClientError("Line 1 of s3://bees/manifests/local.manifest", "'images/local.jpg' is not an s3:// URI") {
            _ = try reader.read(with(manifests, 0) { $0.uri = S3URI("s3://bees/manifests/local.manifest")! })
        }
        expectClientError("Channel 'train' (s3://bees/manifests/train.manifest)", "AttributeNames must be") {
            _ = try reader.read(with(manifests, 0) { $0.attributeNames = ["bees-500", "source-ref"] })
        }
        try fixture.put("{\"source-ref\": \"s3://bees/images/x.jpg\"", at: "s3://bees/manifests/broken.manifest")
        expectClientError("Channel 'train' (s3://bees/manifests/broken.manifest)", "manifest line 1") {
            _ = try reader.read(with(manifests, 0) { $0.uri = S3URI("s3://bees/manifests/broken.manifest")! })
        }

        // The image format: no annotation channel, an empty prefix, a missing bucket, an annotation naming no image.
        expectClientError("needs a 'validation_annotation' channel") { _ = try reader.read(Array(images.prefix(3))) }
        expectClientError("No objects under s3://bees/imageformat/none/ (channel 'train')") {
            _ = try reader.read(with(images, 0) { $0.uri = S3URI("s3://bees/imageformat/none/")! })
        }
        expectClientError("The bucket 'no-such-bucket' of channel 'validation'") {
            _ = try reader.read(with(images, 1) { $0.uri = S3URI("s3://no-such-bucket/validation/")! })
        }
        try fixture.put(BeeFixture.annotationJSON(file: "elsewhere.jpg", BeeFixture.samples[0]), at: "s3://bees/imageformat/train_annotation/zz.json")
        expectClientError("Annotation s3://bees/imageformat/train_annotation/zz.json", "image 'elsewhere.jpg' is not in channel 'train'") {
            _ = try reader.read(images)
        }
        try fixture.store.delete(S3URI("s3://bees/imageformat/train_annotation/zz.json")!)
        try fixture.put("{\"annotations\": []}", at: "s3://bees/imageformat/validation_annotation/bad.json")
        expectClientError("Unable to parse annotation file 's3://bees/imageformat/validation_annotation/bad.json'") { _ = try reader.read(images) }
        try fixture.store.delete(S3URI("s3://bees/imageformat/validation_annotation/bad.json")!)

        // ManifestFile: not a list, a missing object.
        try fixture.put("{\"prefix\": \"s3://bees/\"}", at: "s3://bees/lists/object.json")
        expectClientError("The ManifestFile of channel 'train', s3://bees/lists/object.json, is not a JSON list") {
            _ = try reader.read(
                with(images, 0) {
                    $0.dataType = .manifestFile
                    $0.uri = S3URI("s3://bees/lists/object.json")!
                }
            )
        }
        try fixture.put("[{\"prefix\": \"s3://bees/imageformat/train/\"}, \"gone.jpg\"]", at: "s3://bees/lists/gone.json")
        expectClientError("lists s3://bees/imageformat/train/gone.jpg, which does not exist") {
            _ = try reader.read(
                with(images, 0) {
                    $0.dataType = .manifestFile
                    $0.uri = S3URI("s3://bees/lists/gone.json")!
                }
            )
        }

        // Compression and content types.
        expectClientError("Channel 'train' has CompressionType Gzip", "set CompressionType None") {
            _ = try reader.read(with(manifests, 0) { $0.compression = .gzip })
        }
        expectClientError("Channel 'validation' has ContentType 'text/csv'") {
            _ = try reader.read(with(manifests, 1) { $0.contentType = "text/csv" })
        }
        expectClientError("Channel 'train' has no ContentType") { _ = try reader.read(with(images, 0) { $0.contentType = nil }) }
    }
}
