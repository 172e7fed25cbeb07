import CZlibShim

/// CRC-32 (IEEE 802.3, the one zlib and `x-amz-checksum-crc32` use), computed by zlib.
public struct CRC32: StreamingDigest {
    private var value: UInt = 0

    public init() {}

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        var offset = 0
        while offset < bytes.count {
            // zlib takes a 32-bit length.
            let count = min(bytes.count - offset, Int(UInt32.max))
            value = crc32(value, base + offset, UInt32(count))
            offset += count
        }
    }

    public func finalize() -> [UInt8] { ReflectedCRC.bigEndian(UInt64(value), width: 4) }
}

/// A reflected, table-driven CRC of up to 64 bits with initial value and final XOR all ones: CRC-32C (Castagnoli,
/// `x-amz-checksum-crc32c`) and CRC-64/NVME (`x-amz-checksum-crc64nvme`).
public struct ReflectedCRC: StreamingDigest {
    private let table: [UInt64]
    private let mask: UInt64
    private let width: Int
    private var state: UInt64

    /// CRC-32C: reflected polynomial 0x82F63B78.
    public static func crc32c() -> ReflectedCRC { ReflectedCRC(table: crc32cTable, width: 4) }
    /// CRC-64/NVME: reflected polynomial 0x9A6C9329AC4BC9B5.
    public static func crc64nvme() -> ReflectedCRC { ReflectedCRC(table: crc64nvmeTable, width: 8) }

    private static let crc32cTable = makeTable(polynomial: 0x82F6_3B78)
    private static let crc64nvmeTable = makeTable(polynomial: 0x9A6C_9329_AC4B_C9B5)

    private init(table: [UInt64], width: Int) {
        self.table = table
        self.width = width
        mask = width == 8 ? .max : (1 << (width * 8)) - 1
        state = mask
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        var crc = state
        table.withUnsafeBufferPointer { table in
            for byte in bytes {
                crc = table[Int(UInt8(truncatingIfNeeded: crc) ^ byte)] ^ (crc >> 8)
            }
        }
        state = crc
    }

    public func finalize() -> [UInt8] { Self.bigEndian(state ^ mask, width: width) }

    static func bigEndian(_ value: UInt64, width: Int) -> [UInt8] {
        (0..<width).map { UInt8(truncatingIfNeeded: value >> UInt64(8 * (width - 1 - $0))) }
    }

    private static func makeTable(polynomial: UInt64) -> [UInt64] {
        (0..<256).map { index in
            var crc = UInt64(index)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ polynomial : crc >> 1 }
            return crc
        }
    }
}
