import Foundation

/// Apiary's training checkpoint format: a `TrainingCheckpoint` as bytes, restored bit for bit (weights with
/// batch norm statistics, optimizer state, early-stopping state, best weights, epochs completed).
///
/// Layout, all integers little-endian:
/// ```
/// "APIARYC2"                     8 bytes magic ("APIARYC1": the same without the last three fields)
/// completedEpochs: u64
/// stateLength: u32, state        the EarlyStopping state as UTF-8 JSON (sorted keys, round-trip doubles)
/// weightsLength: u64, weights    a ParameterFile
/// bestLength: u64, best weights  a ParameterFile
/// optimizerLength: u64, state    a ParameterFile: each optimizer key as a 1-D tensor, keys sorted
/// averageDecay: u32              the weight average's decay as Float bits; 0 when there is no average
/// averageUpdates: u64
/// averageLength: u64, average    a ParameterFile (empty when there is no average)
/// ```
/// Nothing else depends on the byte layout: it only has to be read back by an Apiary at least as new as the one
/// that wrote it (checkpoints of version 1 still load, without an average).
public enum CheckpointFile {
    static let magic = Array("APIARYC2".utf8)
    static let version1Magic = Array("APIARYC1".utf8)

    /// Serialises a checkpoint; the same checkpoint always gives the same bytes.
    public static func encode(_ checkpoint: TrainingCheckpoint) throws -> [UInt8] {
        var output = magic
        func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { output += $0 } }
        func appendSection(_ bytes: [UInt8]) {
            append(UInt64(bytes.count))
            output += bytes
        }
        append(UInt64(checkpoint.completedEpochs))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let state = Array(try encoder.encode(checkpoint.earlyStopping))
        append(UInt32(state.count))
        output += state
        appendSection(ParameterFile.encode(checkpoint.weights))
        appendSection(ParameterFile.encode(checkpoint.bestWeights))
        let optimizer = checkpoint.optimizerState.keys.sorted().map { key in
            let values = checkpoint.optimizerState[key]!
            return NamedTensor(name: key, dims: [values.count], values: values)
        }
        appendSection(ParameterFile.encode(optimizer))
        append(checkpoint.weightAverage?.decay.bitPattern ?? 0)
        append(UInt64(checkpoint.weightAverage?.updates ?? 0))
        appendSection(ParameterFile.encode(checkpoint.weightAverage?.tensors ?? []))
        return output
    }

    /// Parses a checkpoint file.
    /// - Throws: `ArtifactError` naming what is wrong (magic, truncation, a malformed section).
    public static func decode(_ data: [UInt8]) throws -> TrainingCheckpoint {
        var offset = 0
        func take(_ count: Int) throws -> [UInt8] {
            guard count >= 0, count <= data.count - offset else { throw ArtifactError("truncated checkpoint file at byte \(offset)") }
            defer { offset += count }
            return Array(data[offset..<(offset + count)])
        }
        func integer<T: FixedWidthInteger>(_: T.Type) throws -> T {
            try take(MemoryLayout<T>.size).reversed().reduce(T(0)) { $0 << 8 | T($1) }
        }
        func section(_ what: String) throws -> [NamedTensor] {
            let length = try integer(UInt64.self)
            guard length <= UInt64(data.count - offset) else { throw ArtifactError("truncated checkpoint file: \(what) needs \(length) bytes") }
            do {
                return try ParameterFile.decode(take(Int(length)))
            } catch let error as ArtifactError {
                throw ArtifactError("checkpoint \(what): \(error.reason)")
            }
        }
        let fileMagic = try take(magic.count)
        guard fileMagic == magic || fileMagic == version1Magic else { throw ArtifactError("not an Apiary checkpoint file (bad magic)") }
        let completedEpochs = try integer(UInt64.self)
        guard completedEpochs <= UInt64(Int.max) else { throw ArtifactError("checkpoint has \(completedEpochs) completed epochs") }
        let stateBytes = try take(Int(try integer(UInt32.self)))
        let earlyStopping: EarlyStopping
        do {
            earlyStopping = try JSONDecoder().decode(EarlyStopping.self, from: Data(stateBytes))
        } catch {
            throw ArtifactError("checkpoint early-stopping state is not valid: \(error)")
        }
        let weights = try section("weights")
        let bestWeights = try section("best weights")
        let optimizer = try section("optimizer state")
        var weightAverage: WeightAverage? = nil
        if fileMagic == magic {
            let decay = Float(bitPattern: try integer(UInt32.self))
            let updates = try integer(UInt64.self)
            let tensors = try section("weight average")
            if decay != 0 {
                guard decay > 0, decay < 1, updates <= UInt64(Int.max) else {
                    throw ArtifactError("checkpoint weight average has decay \(decay) after \(updates) updates")
                }
                weightAverage = WeightAverage(decay: decay, updates: Int(updates), tensors: tensors)
            }
        }
        guard offset == data.count else { throw ArtifactError("checkpoint file has \(data.count - offset) unexpected trailing bytes") }
        return TrainingCheckpoint(
            completedEpochs: Int(completedEpochs),
            weights: weights,
            optimizerState: Dictionary(optimizer.map { ($0.name, $0.values) }, uniquingKeysWith: { first, _ in first }),
            earlyStopping: earlyStopping,
            bestWeights: bestWeights,
            weightAverage: weightAverage
        )
    }
}
