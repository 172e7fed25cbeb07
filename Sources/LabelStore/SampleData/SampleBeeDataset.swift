import Dispatch
import Foundation
import GroundTruthFormat
import ImageCodec
import Synchronization

/// The built-in sample dataset: photo-like pictures of bees, generated deterministically from a seed, shaped
/// like the course's 500 iNaturalist bee photos (JPEG, 300–640 px sides, mostly one bee, some with up to four)
/// plus 10 held-out test images, with their ground truth as Ground Truth output manifests.
///
/// Bees vary in species colouring, size, rotation, viewpoint, wing spread, blur, occlusion by petals and leaves,
/// and truncation at the border; they sit among flowers (some with yellow centres), leaves, flies, ladybirds
/// and butterflies on foliage, grass, sky, soil or wood. Boxes are the tight bounds of each bee's visible
/// pixels. The same seed gives byte-identical files on every run.
public enum SampleBeeDataset {
    /// The label attribute of the manifests (`bees-500`, as in the course).
    public static let labelAttributeName = "bees-500"
    /// The one class.
    public static let classMap = ["0": "bee"]
    /// The seed the demo uses.
    public static let defaultSeed: UInt64 = 500

    /// Which part of the dataset an image belongs to.
    public enum Split: UInt64, Sendable {
        /// The labelled images (`images/`, `output.manifest`).
        case train = 0
        /// The held-out images (`test/`, `test.manifest`).
        case test = 1
    }

    /// One generated image.
    public struct Sample: Sendable {
        /// e.g. `10006450.jpg`.
        public let fileName: String
        /// The pixels before JPEG compression.
        public let image: RGBImage
        /// The JPEG file's bytes.
        public let jpeg: [UInt8]
        /// Ground truth, class 0, integer pixel coordinates.
        public let boxes: [GroundTruthAnnotation]
    }

    /// What `generate` wrote.
    public struct Summary: Sendable {
        public let imageCount: Int
        public let testImageCount: Int
        /// Bees labelled in the training images and in the test images.
        public let boxCount: Int
        public let testBoxCount: Int
        /// `<directory>/output.manifest` and `<directory>/test.manifest`: source-refs relative to `directory`.
        public let manifest: URL
        public let testManifest: URL
    }

    /// Writes the dataset into `directory` (created if needed; existing files of the same names are replaced):
    ///
    ///     images/<id>.jpg … (count)     output.manifest   (one line per image, in index order)
    ///     test/<id>.jpg …   (testCount) test.manifest
    ///
    /// Images are rendered in parallel, each from a generator seeded by `(seed, split, index)`, so the output
    /// does not depend on scheduling.
    /// - Parameters:
    ///   - sourceRefPrefix: prepended to each training file name to make its `source-ref`, e.g.
    ///     `s3://bucket/bees/images/`; the default is relative to `directory`.
    ///   - testSourceRefPrefix: the same for test images.
    ///   - style: the population the images are drawn from (`course` by default; `field` for held-out figures).
    ///   - progress: called after each image is written with how many are done and the total, one call at a time.
    @discardableResult
    public static func generate(
        seed: UInt64 = defaultSeed,
        style: SampleStyle = .course,
        count: Int = 500,
        testCount: Int = 10,
        into directory: URL,
        sourceRefPrefix: String = "images/",
        testSourceRefPrefix: String = "test/",
        progress: @Sendable (_ done: Int, _ total: Int) -> Void = { _, _ in }
    ) throws -> Summary {
        precondition(count >= 0 && testCount >= 0, "image counts must not be negative")
        let files = FileManager.default
        let imagesDirectory = directory.appendingPathComponent("images", isDirectory: true)
        let testDirectory = directory.appendingPathComponent("test", isDirectory: true)
        try files.createDirectory(at: imagesDirectory, withIntermediateDirectories: true)
        try files.createDirectory(at: testDirectory, withIntermediateDirectories: true)

        let jobs =
            fileNames(seed: seed, split: .train, count: count).enumerated().map { (Split.train, $0.offset, $0.element) }
            + fileNames(seed: seed, split: .test, count: testCount).enumerated().map { (Split.test, $0.offset, $0.element) }
        let results = Mutex((samples: [Result<Sample, any Error>?](repeating: nil, count: jobs.count), done: 0))
        DispatchQueue.concurrentPerform(iterations: jobs.count) { job in
            let (split, index, name) = jobs[job]
            let result = Result {
                let sample = try makeSample(seed: seed, style: style, split: split, index: index, fileName: name)
                let folder = split == .train ? imagesDirectory : testDirectory
                try Data(sample.jpeg).write(to: folder.appendingPathComponent(name))
                return sample
            }
            results.withLock {
                $0.samples[job] = result
                $0.done += 1
                progress($0.done, jobs.count)
            }
        }
        let samples = try results.withLock { try $0.samples.map { try $0!.get() } }
        let train = Array(samples.prefix(count))
        let test = Array(samples.dropFirst(count))

        let manifest = directory.appendingPathComponent("output.manifest")
        let testManifest = directory.appendingPathComponent("test.manifest")
        try Data(try manifestText(train, split: .train, prefix: sourceRefPrefix).utf8).write(to: manifest)
        try Data(try manifestText(test, split: .test, prefix: testSourceRefPrefix).utf8).write(to: testManifest)
        return Summary(
            imageCount: train.count,
            testImageCount: test.count,
            boxCount: train.reduce(0) { $0 + $1.boxes.count },
            testBoxCount: test.reduce(0) { $0 + $1.boxes.count },
            manifest: manifest,
            testManifest: testManifest
        )
    }

    /// Renders one image of the dataset without writing anything; `index` counts from 0 within `split`.
    public static func sample(seed: UInt64 = defaultSeed, style: SampleStyle = .course, split: Split = .train, index: Int) throws -> Sample {
        try makeSample(seed: seed, style: style, split: split, index: index, fileName: fileNames(seed: seed, split: split, count: index + 1)[index])
    }

    /// The manifest line Ground Truth would have written for `sample`.
    public static func manifestLine(for sample: Sample, split: Split = .train, index: Int, sourceRefPrefix: String) -> GroundTruthManifestLine {
        GroundTruthManifestLine(
            sourceRef: sourceRefPrefix + sample.fileName,
            labelAttributeName: labelAttributeName,
            label: GroundTruthBoundingBoxLabel(
                annotations: sample.boxes,
                imageSize: GroundTruthImageSize(width: sample.image.width, height: sample.image.height)
            ),
            metadata: GroundTruthLabelMetadata(
                jobName: "labeling-job/" + labelAttributeName,
                classMap: classMap,
                humanAnnotated: "no",
                objects: sample.boxes.map { _ in GroundTruthLabelMetadata.Object(confidence: 1) },
                creationDate: creationDate(split: split, index: index)
            )
        )
    }

    /// Every bee drawn in one image, with its mask (for tests of box tightness).
    static func render(seed: UInt64, style: SampleStyle = .course, split: Split, index: Int) -> RenderedSample {
        SampleComposer.render(seed: seed, split: split.rawValue, index: index, style: style)
    }

    private static func makeSample(seed: UInt64, style: SampleStyle, split: Split, index: Int, fileName: String) throws -> Sample {
        let rendered = render(seed: seed, style: style, split: split, index: index)
        let boxes = rendered.boxes.map {
            GroundTruthAnnotation(classId: 0, left: Double($0.left), top: Double($0.top), width: Double($0.width), height: Double($0.height))
        }
        let jpeg = try JPEGCodec.encode(rendered.image, quality: rendered.jpegQuality)
        return Sample(fileName: fileName, image: rendered.image, jpeg: jpeg, boxes: boxes)
    }

    private static func manifestText(_ samples: [Sample], split: Split, prefix: String) throws -> String {
        try GroundTruthManifest.encode(
            samples.enumerated().map { manifestLine(for: $0.element, split: split, index: $0.offset, sourceRefPrefix: prefix) }
        )
    }

    /// Eight-digit numeric names like the course's (`10006450.jpg`), unique within the dataset: training ids
    /// lie in 10000000…59999999 and test ids in 60000000…99999999. A name depends only on the seed, the split
    /// and the names before it, so the first `n` names never change when more images are asked for.
    static func fileNames(seed: UInt64, split: Split, count: Int) -> [String] {
        let (low, span): (UInt64, UInt64) = split == .train ? (10_000_000, 50_000_000) : (60_000_000, 40_000_000)
        var used = Set<UInt64>()
        var names: [String] = []
        var random = SeededRandom(seed: seed, stream: 0x4E41_4D45, split.rawValue)
        while names.count < count {
            let id = low + random.next() % span
            if used.insert(id).inserted { names.append("\(id).jpg") }
        }
        return names
    }

    /// A fixed, plausible labeling time per image: 2019-05-16T00:15:58 plus 13 s per image (test images an
    /// hour later), with microseconds from the index — ISO 8601 without a zone, as Ground Truth writes it.
    static func creationDate(split: Split, index: Int) -> String {
        let start = 1_557_965_758 + (split == .test ? 3600 : 0) + index * 13
        let microseconds = Int(SeededRandom.mix(UInt64(index) &+ split.rawValue << 32) % 1_000_000)
        let days = start / 86_400
        let seconds = start % 86_400
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        let z = days + 719_468
        let era = z / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(year)-\(pad(month, 2))-\(pad(day, 2))T\(pad(seconds / 3600, 2)):\(pad(seconds / 60 % 60, 2)):\(pad(seconds % 60, 2))"
            + ".\(pad(microseconds, 6))"
    }
}
