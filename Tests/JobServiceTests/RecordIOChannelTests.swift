import Foundation
import LabelStore
import ModelCore
import ObjectStore
import Testing

@testable import JobService
@testable import TrainingExecution

/// RecordIO channels built here the way MXNet's `im2rec` writes them (RecordIO framing, IRHeader, detection labels
/// `[2, 5, class, xmin, ymin, xmax, ymax, …]`), read through `ChannelReader` as a training job does.
@Suite struct RecordIOChannelTests {
    static func word(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value.littleEndian, Array.init) }

    /// One RecordIO frame (flag 0 unless given) with its padding.
    static func frame(_ payload: [UInt8], flag: UInt32 = 0) -> [UInt8] {
        let head: [UInt8] = word(RecordIO.magic) + word(flag << 29 | UInt32(payload.count))
        return head + payload + [UInt8](repeating: 0, count: (4 - payload.count % 4) % 4)
    }

    /// An im2rec detection record: IRHeader (flag = label count, label 0, id, id2 0), labels, image bytes.
    static func record(id: UInt64, labels: [Float], image: [UInt8]) -> [UInt8] {
        let header: [UInt8] = word(UInt32(labels.count)) + word(0) + word(UInt32(id & 0xffff_ffff)) + word(UInt32(id >> 32)) + word(0) + word(0)
        let values: [UInt8] = labels.flatMap { word($0.bitPattern) }
        return header + values + image
    }

    /// The sample's boxes as normalised detection labels.
    static func labels(_ sample: SampleBeeDataset.Sample) -> [Float] {
        let w = Double(sample.image.width)
        let h = Double(sample.image.height)
        var labels: [Float] = [2, 5]
        for b in sample.boxes {
            let corners: [Double] = [b.left / w, b.top / h, (b.left + b.width) / w, (b.top + b.height) / h]
            labels += [0] + corners.map { Float($0) }
        }
        return labels
    }

    static func channels(_ uri: (String) -> String) -> [TrainingChannelSpec] {
        ["train", "validation"].map {
            TrainingChannelSpec(name: $0, dataType: .s3Prefix, uri: S3URI(uri($0))!, contentType: "application/x-recordio")
        }
    }

    @Test("a .rec file per channel: one record per image, boxes back in pixels, images decode; .idx files are skipped")
    func readsIm2recFiles() throws {
        let fixture = try TestStore()
        for (split, indices) in [("train", BeeFixture.trainIndices), ("validation", BeeFixture.validationIndices)] {
            // Each record padded with one empty object (class -1), as im2rec's label_pad_width does.
            let rec: [UInt8] = indices.flatMap { index -> [UInt8] in
                let sample = BeeFixture.samples[index]
                return Self.frame(Self.record(id: UInt64(index), labels: Self.labels(sample) + [-1, -1, -1, -1, -1], image: sample.jpeg))
            }
            try fixture.store.put(Data(rec), at: S3URI("s3://bees/rec/\(split)/\(split).rec")!)
            try fixture.put("0\t0\n", at: "s3://bees/rec/\(split)/\(split).idx")
        }
        let data = try ChannelReader(store: fixture.store).read(Self.channels { "s3://bees/rec/\($0)/" })
        #expect(data.training.count == 4 && data.validation.count == 2)
        for (record, index) in zip(data.training + data.validation, Array(BeeFixture.trainIndices) + Array(BeeFixture.validationIndices)) {
            let sample = BeeFixture.samples[index]
            #expect(record.identifier.hasSuffix("record \(index < 4 ? index : index - 4) (id \(index))"), "\(record.identifier)")
            #expect(record.boxes.count == sample.boxes.count)
            for (box, truth) in zip(record.boxes, sample.boxes) {
                #expect(abs(Double(box.box.xmin) - truth.left) < 0.01 && abs(Double(box.box.height) - truth.height) < 0.01)
            }
            #expect(try record.loadImage().width == sample.image.width)
        }
    }

    @Test("a payload holding the magic number is split into parts and joined again")
    func splitRecords() throws {
        let payload: [UInt8] = [1, 2, 3] + Self.word(RecordIO.magic) + [4, 5] + Self.word(RecordIO.magic) + [6]
        let framed = Self.frame([1, 2, 3], flag: 1) + Self.frame([4, 5], flag: 2) + Self.frame([6], flag: 3) + Self.frame([9])
        #expect(try RecordIO.records(framed).map(Array.init) == [payload, [9]])
        #expect(throws: RecordIO.FramingError.self) { try RecordIO.records(Self.frame([1], flag: 2)) }
        #expect(throws: RecordIO.FramingError.self) { try RecordIO.records(Self.frame([1], flag: 1)) }
    }

    @Test("malformed files and records fail with a ClientError naming the file and the record")
    func malformed() throws {
        let fixture = try TestStore()
        let sample = BeeFixture.samples[0]
        let good = Self.frame(Self.record(id: 7, labels: Self.labels(sample), image: sample.jpeg))
        let reader = ChannelReader(store: fixture.store)
        func read(_ train: [UInt8]) throws {
            try fixture.store.put(Data(train), at: S3URI("s3://bees/bad/train/a.rec")!)
            try fixture.store.put(Data(good), at: S3URI("s3://bees/bad/validation/a.rec")!)
            _ = try reader.read(Self.channels { "s3://bees/bad/\($0)/" })
        }
        expectClientError("Unable to parse record", "correct recordio format", "s3://bees/bad/train/a.rec", "record 1 at byte") {
            try read(good + [1, 2, 3, 4, 5, 6, 7, 8])
        }
        expectClientError("s3://bees/bad/train/a.rec record 1", "label width 4") {
            try read(good + Self.frame(Self.record(id: 8, labels: [2, 4, 0, 0.1, 0.1, 0.5], image: sample.jpeg)))
        }
        expectClientError("s3://bees/bad/train/a.rec record 0", "not a box with corners in 0…1") {
            try read(Self.frame(Self.record(id: 8, labels: [2, 5, 0, 0.5, 0.1, 0.2, 1.5], image: sample.jpeg)))
        }
        expectClientError("Unable to decode the image of s3://bees/bad/train/a.rec record 0 (id 9)") {
            try read(Self.frame(Self.record(id: 9, labels: [2, 5, 0, 0.1, 0.1, 0.5, 0.5], image: [0xFF, 0xD8, 1, 2])))
        }
    }

    /// Found by bench/run_parser_fuzz.sh (issue 23): a header width of 7.55e31 (the bytes `00 49 6E 74`) trapped
    /// converting Float to Int and took the daemon's training down; NaN, infinite and huge widths and class ids now
    /// fail the job like any malformed record.
    @Test("label values that are not whole numbers in Int's range fail the record, they do not trap")
    func hugeLabelValues() throws {
        let fixture = try TestStore()
        let sample = BeeFixture.samples[0]
        let reader = ChannelReader(store: fixture.store)
        let box: [Float] = [0.1, 0.1, 0.5, 0.5]
        let cases: [(labels: [Float], reason: String)] = [
            ([Float(bitPattern: 0x746e_4900), 5, 0] + box, "header width 7.5"),
            ([.nan, 5, 0] + box, "header width nan"),
            ([2, .infinity, 0] + box, "label width inf"),
            ([2, -.infinity, 0] + box, "label width -inf"),
            ([2, 5, 1e30] + box, "class id 1e+30 is out of range"),
            ([2, 5, .infinity] + box, "class id inf is out of range"),
        ]
        for (labels, reason) in cases {
            try fixture.store.put(Data(Self.frame(Self.record(id: 3, labels: labels, image: sample.jpeg))), at: S3URI("s3://bees/huge/train/a.rec")!)
            try fixture.store.put(Data(Self.frame(Self.record(id: 4, labels: Self.labels(sample), image: sample.jpeg))), at: S3URI("s3://bees/huge/validation/a.rec")!)
            expectClientError("s3://bees/huge/train/a.rec record 0", reason) { _ = try reader.read(Self.channels { "s3://bees/huge/\($0)/" }) }
        }
    }
}
