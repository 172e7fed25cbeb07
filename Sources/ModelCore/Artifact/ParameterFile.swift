/// Apiary's weight file format (`model_algo_1-0000.params`): a flat list of named float32 tensors.
///
/// Layout, all integers little-endian:
/// ```
/// "APIARYW1"                     8 bytes magic
/// count: u32                     number of tensors
/// repeated count times:
///   nameLength: u32, name: UTF-8
///   rank: u32, dims: rank × u64
///   values: product(dims) × f32 (IEEE 754, little-endian)
/// ```
/// Chosen over MXNet's NDArray format (which nothing here can read any more) for being trivially parseable
/// from any language; `docs/model.md` documents it for users.
public enum ParameterFile {
    static let magic = Array("APIARYW1".utf8)

    /// Serialises tensors in the given order.
    public static func encode(_ tensors: [NamedTensor]) -> [UInt8] {
        var output = magic
        output.reserveCapacity(tensors.reduce(16) { $0 + $1.values.count * 4 + $1.name.utf8.count + 8 * $1.dims.count + 8 })
        func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { output += $0 } }
        append(UInt32(tensors.count))
        for tensor in tensors {
            let name = Array(tensor.name.utf8)
            append(UInt32(name.count))
            output += name
            append(UInt32(tensor.dims.count))
            for dim in tensor.dims { append(UInt64(dim)) }
            for value in tensor.values { append(value.bitPattern) }
        }
        return output
    }

    /// Parses a weight file.
    /// - Throws: `ArtifactError` naming what is wrong (magic, truncation, absurd sizes).
    public static func decode(_ data: [UInt8]) throws -> [NamedTensor] {
        var offset = 0
        func take(_ count: Int) throws -> ArraySlice<UInt8> {
            guard count >= 0, offset + count <= data.count else { throw ArtifactError("truncated weight file at byte \(offset)") }
            defer { offset += count }
            return data[offset..<(offset + count)]
        }
        func integer<T: FixedWidthInteger>(_: T.Type) throws -> T {
            let bytes = try take(MemoryLayout<T>.size)
            return bytes.reversed().reduce(T(0)) { $0 << 8 | T($1) }
        }
        guard Array(try take(8)) == magic else { throw ArtifactError("not an Apiary weight file (bad magic)") }
        let count = Int(try integer(UInt32.self))
        var tensors: [NamedTensor] = []
        for _ in 0..<count {
            let nameLength = Int(try integer(UInt32.self))
            let name = String(decoding: try take(nameLength), as: UTF8.self)
            let rank = Int(try integer(UInt32.self))
            guard rank <= 8 else { throw ArtifactError("tensor '\(name)' has rank \(rank)") }
            let dims = try (0..<rank).map { _ in Int(try integer(UInt64.self)) }
            let elements = dims.reduce(1, *)
            guard elements >= 0, elements <= (data.count - offset) / 4 else { throw ArtifactError("truncated weight file: tensor '\(name)' \(dims)") }
            let bytes = try take(elements * 4)
            let values = [Float](unsafeUninitializedCapacity: elements) { buffer, initialized in
                bytes.withUnsafeBytes { raw in
                    for i in 0..<elements {
                        buffer[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)))
                    }
                }
                initialized = elements
            }
            tensors.append(NamedTensor(name: name, dims: dims, values: values))
        }
        guard offset == data.count else { throw ArtifactError("weight file has \(data.count - offset) unexpected trailing bytes") }
        return tensors
    }

    /// Copies tensors into parameters, strictly: every parameter must be present with the same dims, and no
    /// tensor may be left over.
    /// - Throws: `ArtifactError` listing missing, unexpected and mis-shaped names.
    public static func load(_ tensors: [NamedTensor], into parameters: [Parameter]) throws {
        let byName = Dictionary(tensors.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let missing = parameters.map(\.name).filter { byName[$0] == nil }
        let expected = Set(parameters.map(\.name))
        let unexpected = tensors.map(\.name).filter { !expected.contains($0) }
        let misshaped = parameters.compactMap { p in
            byName[p.name].flatMap { $0.dims == p.dims ? nil : "\(p.name) is \($0.dims), expected \(p.dims)" }
        }
        var problems: [String] = []
        if !missing.isEmpty {
            problems.append("missing \(missing.prefix(5).joined(separator: ", "))\(missing.count > 5 ? " and \(missing.count - 5) more" : "")")
        }
        if !unexpected.isEmpty { problems.append("unexpected \(unexpected.prefix(5).joined(separator: ", "))") }
        problems += misshaped.prefix(5)
        guard problems.isEmpty else { throw ArtifactError("weights do not match the network: " + problems.joined(separator: "; ")) }
        for parameter in parameters { _ = parameter.value.update(fromContentsOf: byName[parameter.name]!.values) }
    }
}
