import Foundation

/// SageMaker's `model.tar.gz` for the object-detection algorithm: `hyperparams.json` (every resolved
/// hyperparameter as a string), `model_algo_1-symbol.json` (the network description) and
/// `model_algo_1-0000.params` (the weights) — the three file names real artifacts use.
public struct ModelArtifact: Sendable, Equatable {
    public static let hyperparametersFile = "hyperparams.json"
    public static let symbolFile = "model_algo_1-symbol.json"
    public static let weightsFile = "model_algo_1-0000.params"

    public var hyperparameters: [String: String]
    public var symbol: ModelSymbol
    public var weights: [NamedTensor]

    public init(hyperparameters: [String: String], symbol: ModelSymbol, weights: [NamedTensor]) {
        self.hyperparameters = hyperparameters
        self.symbol = symbol
        self.weights = weights
    }

    /// The gzip-compressed tar archive.
    public func archive() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let entries = [
            TarArchive.Entry(name: Self.hyperparametersFile, contents: Array(try encoder.encode(hyperparameters))),
            TarArchive.Entry(name: Self.symbolFile, contents: Array(try encoder.encode(symbol))),
            TarArchive.Entry(name: Self.weightsFile, contents: ParameterFile.encode(weights)),
        ]
        return try Gzip.compress(TarArchive.write(entries))
    }

    /// Reads an archive strictly.
    /// - Throws: `ArtifactError` saying which file is missing or malformed ("not a gzip file", "model.tar.gz
    ///   has no model_algo_1-symbol.json", a tensor whose shape disagrees with the symbol, …).
    public init(archive: [UInt8]) throws {
        let entries = try TarArchive.read(Gzip.decompress(archive))
        func file(_ name: String) throws -> [UInt8] {
            guard let entry = entries.first(where: { $0.name == name }) else {
                throw ArtifactError("model.tar.gz has no \(name) (found: \(entries.map(\.name).joined(separator: ", ")))")
            }
            return entry.contents
        }
        /// Decodes one JSON member of the archive; a missing file keeps its own message, bad JSON gets `what`.
        func decode<T: Decodable>(_ type: T.Type, _ name: String, _ what: String) throws -> T {
            let contents = try file(name)
            do {
                return try JSONDecoder().decode(type, from: Data(contents))
            } catch {
                throw ArtifactError("\(name) is not \(what): \(error)")
            }
        }
        hyperparameters = try decode([String: String].self, Self.hyperparametersFile, "a JSON object of strings")
        symbol = try decode(ModelSymbol.self, Self.symbolFile, "an Apiary network description")
        guard symbol.format == ModelSymbol.currentFormat else {
            throw ArtifactError("\(Self.symbolFile) has format '\(symbol.format)', this Apiary reads '\(ModelSymbol.currentFormat)'")
        }
        weights = try ParameterFile.decode(file(Self.weightsFile))
        let declared = symbol.tensors.map { "\($0.name)\($0.shape)" }
        let stored = weights.map { "\($0.name)\($0.dims)" }
        guard declared == stored else {
            let mismatch = zip(declared, stored).first { $0 != $1 }.map { "\($0.1) where the symbol declares \($0.0)" }
            throw ArtifactError("weights do not match \(Self.symbolFile): \(mismatch ?? "\(stored.count) tensors, \(declared.count) declared")")
        }
    }
}
