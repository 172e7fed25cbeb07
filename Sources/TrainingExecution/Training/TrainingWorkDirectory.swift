import Foundation
import ModelCore

/// A training job's private directory, where its progress survives a restart of the daemon:
///
/// - `checkpoint.apiary`: the `TrainingCheckpoint` after the last completed epoch (`CheckpointFile` format);
/// - `progress.json`: the metrics of that epoch and whether training had finished (so a job restarted during
///   its upload does not train on, e.g. past an early stop).
///
/// Both are replaced atomically after every epoch, progress first: whenever a checkpoint exists, the progress
/// file is at least as recent. `CheckpointObjects` keeps a copy of both in the object store, written after them.
struct TrainingWorkDirectory {
    let url: URL

    /// What `progress.json` holds.
    struct Progress: Codable, Equatable {
        var completedEpochs: Int
        /// Training ended on its own (all epochs, or early stopping); only the upload remains.
        var finished: Bool
        /// The metrics of the last completed epoch.
        var metrics: [TrainingMetric]
        /// Every completed epoch (nil in progress files written before it was kept).
        var history: [TrainingResults.Row]?
        /// The job these epochs are of (nil in progress files written before it was kept): a checkpoint in the
        /// object store resumes only its own job (`CheckpointObjects`).
        var job: String?

    }

    /// Creates the directory if needed.
    init(url: URL) throws {
        self.url = url
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    var checkpointFile: URL { url.appendingPathComponent("checkpoint.apiary") }
    var progressFile: URL { url.appendingPathComponent("progress.json") }

    /// Records a completed epoch: `checkpoint` is its `CheckpointFile` encoding.
    func save(checkpoint: [UInt8], progress: Progress) throws {
        try save(progress)
        try AtomicFile.save(checkpoint, to: checkpointFile)
    }

    func save(_ progress: Progress) throws {
        try AtomicFile.save(progress.encoded(), to: progressFile)
    }

    /// The saved checkpoint, or nil when no epoch was completed yet.
    /// - Throws: `AlgorithmError` when the file exists but cannot be read.
    func loadCheckpoint() throws -> TrainingCheckpoint? {
        guard let data = try contents(of: checkpointFile) else { return nil }
        do {
            return try CheckpointFile.decode(data)
        } catch {
            throw AlgorithmError("cannot resume from \(checkpointFile.path): \(error)")
        }
    }

    /// The saved progress, or nil.
    func loadProgress() throws -> Progress? {
        guard let data = try contents(of: progressFile) else { return nil }
        return try Progress(encoded: data, source: progressFile.path)
    }

    private func contents(of file: URL) throws -> [UInt8]? {
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        guard let data = FileManager.default.contents(atPath: file.path) else { throw AlgorithmError("cannot read \(file.path)") }
        return Array(data)
    }

    /// Metrics are finite in practice, but JSON has no literal for NaN or infinity, so encode them by name.
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return encoder
    }
    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return decoder
    }
}

extension TrainingWorkDirectory.Progress {
    /// As `progress.json` holds it.
    func encoded() throws -> [UInt8] { Array(try TrainingWorkDirectory.encoder.encode(self)) }

    /// - Throws: `AlgorithmError` naming `source` when `bytes` are not a progress file.
    init(encoded bytes: [UInt8], source: String) throws {
        do {
            self = try TrainingWorkDirectory.decoder.decode(Self.self, from: Data(bytes))
        } catch {
            throw AlgorithmError("cannot read \(source): \(error)")
        }
    }
}
