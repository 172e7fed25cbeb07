import Foundation

/// MXNet's RecordIO framing, as `im2rec` writes `.rec` files: each record is a little-endian `uint32` magic
/// `0xced7230a`, a `uint32` whose upper 3 bits are the continuation flag and lower 29 bits the length, the bytes,
/// then zero padding to a multiple of 4. A payload holding the magic number is split at it into parts flagged
/// 1 (first), 2 (middle), 3 (last), which the reader joins with the magic number in between.
enum RecordIO {
    static let magic: UInt32 = 0xced7_230a

    /// Why a file is not RecordIO: the byte offset where the framing breaks.
    struct FramingError: Error, CustomStringConvertible {
        var record: Int
        var offset: Int
        var reason: String
        var description: String { "record \(record) at byte \(offset): \(reason)" }
    }

    /// The payloads of a RecordIO file, in order.
    static func records(_ bytes: [UInt8]) throws -> [ArraySlice<UInt8>] {
        var records: [ArraySlice<UInt8>] = []
        var pending: [UInt8]?
        var offset = 0
        while offset < bytes.count {
            let record = records.count
            guard offset + 8 <= bytes.count else { throw FramingError(record: record, offset: offset, reason: "truncated record header") }
            guard word(bytes, offset) == magic else {
                throw FramingError(record: record, offset: offset, reason: "no RecordIO magic number (0xced7230a)")
            }
            let header = word(bytes, offset + 4)
            let flag = header >> 29
            let length = Int(header & (1 << 29 - 1))
            let start = offset + 8
            guard start + length <= bytes.count else {
                throw FramingError(record: record, offset: offset, reason: "length \(length) runs past the end of the file")
            }
            let payload = bytes[start..<start + length]
            offset = start + (length + 3) / 4 * 4
            switch (flag, pending) {
            case (0, nil): records.append(payload)
            case (1, nil): pending = Array(payload)
            case (2, var parts?):
                parts += withUnsafeBytes(of: magic.littleEndian, Array.init) + payload
                pending = parts
            case (3, var parts?):
                parts += withUnsafeBytes(of: magic.littleEndian, Array.init) + payload
                records.append(parts[...])
                pending = nil
            default:
                throw FramingError(record: record, offset: offset, reason: "continuation flag \(flag) out of sequence")
            }
        }
        guard pending == nil else { throw FramingError(record: records.count, offset: offset, reason: "the file ends inside a split record") }
        return records
    }

    /// The little-endian `uint32` at `offset`.
    static func word(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
    }
}

/// One `im2rec` record of an object-detection dataset: MXNet's `IRHeader` (`uint32 flag`, `float32 label`,
/// `uint64 id`, `uint64 id2`), `flag` float32 labels when `flag > 0`, then the encoded image. The detection label
/// layout is `[A, B, <A-2 more header values>, then objects of B values: class_id, xmin, ymin, xmax, ymax, …]`,
/// corners normalised to the image; objects with a negative class are padding.
struct DetectionRecord {
    static let headerSize = 24

    var id: UInt64
    /// (class id, xmin, ymin, xmax, ymax), normalised.
    var objects: [(classID: Int, xmin: Float, ymin: Float, xmax: Float, ymax: Float)]
    var image: ArraySlice<UInt8>

    /// - Throws: a message saying what is malformed.
    init(_ payload: ArraySlice<UInt8>) throws {
        let bytes = Array(payload)
        guard bytes.count >= Self.headerSize else { throw RecordError("shorter than MXNet's 24-byte IRHeader") }
        let flag = Int(RecordIO.word(bytes, 0))
        id = UInt64(RecordIO.word(bytes, 8)) | UInt64(RecordIO.word(bytes, 12)) << 32
        guard flag >= 2 else {
            throw RecordError("its header holds \(flag) label values; a detection record needs [header width, label width, objects…]")
        }
        let labelsEnd = Self.headerSize + 4 * flag
        guard labelsEnd <= bytes.count else { throw RecordError("its \(flag) label values run past the record") }
        let labels = (0..<flag).map { Float(bitPattern: RecordIO.word(bytes, Self.headerSize + 4 * $0)) }
        // Float → Int traps on NaN, infinities and values past Int's range: only whole numbers convert.
        guard let headerWidth = Int(exactly: labels[0]), headerWidth >= 2, headerWidth <= flag else {
            throw RecordError("header width \(labels[0]) is not a whole number from 2 to \(flag)")
        }
        guard let labelWidth = Int(exactly: labels[1]), labelWidth >= 5, (flag - headerWidth) % labelWidth == 0 else {
            throw RecordError(
                "label width \(labels[1]) must be a whole number of at least 5 that divides the \(flag - headerWidth) object values"
            )
        }
        objects = []
        for start in stride(from: headerWidth, to: flag, by: labelWidth) {
            let o = Array(labels[start..<start + 5])
            guard o[0] >= 0 else { continue }
            guard let classID = Int(exactly: o[0].rounded(.towardZero)) else { throw RecordError("class id \(o[0]) is out of range") }
            objects.append((classID, o[1], o[2], o[3], o[4]))
        }
        for o in objects where !(0 <= o.xmin && o.xmin < o.xmax && o.xmax <= 1 && 0 <= o.ymin && o.ymin < o.ymax && o.ymax <= 1) {
            throw RecordError("object [\(o.classID), \(o.xmin), \(o.ymin), \(o.xmax), \(o.ymax)] is not a box with corners in 0…1")
        }
        image = payload[(payload.startIndex + labelsEnd)...]
        guard !image.isEmpty else { throw RecordError("it holds no image") }
    }

    struct RecordError: Error {
        var reason: String
        init(_ reason: String) { self.reason = reason }
    }
}
