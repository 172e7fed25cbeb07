import Foundation
import ModelCore
import Testing

@Suite("model.tar.gz: gzip, tar, weight file, strict loading")
struct ModelArtifactTests {
    @Test("gzip round trip, and garbage is refused")
    func gzip() throws {
        let data = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 * 7 / 13) }
        let compressed = try Gzip.compress(data)
        #expect(compressed.count < data.count / 4)
        #expect(try Gzip.decompress(compressed) == data)
        #expect(throws: ArtifactError("not a gzip file")) { try Gzip.decompress(Array("hello world, not gzip".utf8)) }
        #expect(throws: ArtifactError.self) { try Gzip.decompress(Array(compressed.prefix(compressed.count / 2))) }
    }

    @Test("the archive is a real tar.gz: GNU tar lists and extracts it")
    func readableBySystemTar() throws {
        let entries = [
            TarArchive.Entry(name: "hyperparams.json", contents: Array(#"{"epochs":"2"}"#.utf8)),
            TarArchive.Entry(name: "weights.bin", contents: (0..<1_000).map { UInt8($0 % 251) }),
        ]
        let archive = try Gzip.compress(TarArchive.write(entries))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("apiary-tar-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(archive).write(to: directory.appendingPathComponent("model.tar.gz"))
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/bin/tar")
        tar.arguments = ["-xzf", "model.tar.gz"]
        tar.currentDirectoryURL = directory
        try tar.run()
        tar.waitUntilExit()
        #expect(tar.terminationStatus == 0)
        #expect(try Data(contentsOf: directory.appendingPathComponent("weights.bin")) == Data(entries[1].contents))
        #expect(try TarArchive.read(Gzip.decompress(archive)) == entries)
    }

    @Test("an artifact round trip gives identical predictions")
    func roundTripPredictions() throws {
        let engine = try CPUEngine()
        let trained = try SSDNetwork(baseNetwork: "apiary-mobile", classes: 2, seed: 5, engine: engine)
        let artifact = ModelArtifact(hyperparameters: ["num_classes": "2"], symbol: trained.symbol(imageShape: 300), weights: trained.weights())
        let bytes = try artifact.archive()
        let loaded = try ModelArtifact(archive: bytes)
        #expect(loaded == artifact)

        // A network built with another seed predicts differently until the weights are loaded.
        let restored = try SSDNetwork(baseNetwork: loaded.symbol.baseNetwork, classes: loaded.symbol.numClasses, seed: 99, engine: engine)
        var rng = TestRandom(seed: 8)
        let image = rng.uniform(3 * 300 * 300)
        let before = try restored.forward(Tensor(plain: image, dims: [1, 3, 300, 300], engine: engine), mode: .inference)
        try restored.load(weights: loaded.weights)
        let after = try restored.forward(Tensor(plain: image, dims: [1, 3, 300, 300], engine: engine), mode: .inference)
        let expected = try trained.forward(Tensor(plain: image, dims: [1, 3, 300, 300], engine: engine), mode: .inference)
        #expect(before.classLogits != expected.classLogits)
        #expect(after.locations == expected.locations)
        #expect(after.classLogits == expected.classLogits)
    }

    @Test("loading is strict: wrong network, missing file, corrupt weights")
    func strictLoading() throws {
        let engine = try CPUEngine()
        let mobile = try SSDNetwork(baseNetwork: "apiary-mobile", classes: 1, seed: 1, engine: engine)
        let twoClasses = try SSDNetwork(baseNetwork: "apiary-mobile", classes: 2, seed: 1, engine: engine)
        let error = #expect(throws: ArtifactError.self) { try twoClasses.load(weights: mobile.weights()) }
        #expect(error?.reason.contains("multi_feat_0_cls_pred_conv.weight is [8, 64, 3, 3], expected [12, 64, 3, 3]") == true)

        let tarWithoutSymbol = try Gzip.compress(TarArchive.write([TarArchive.Entry(name: "hyperparams.json", contents: Array("{}".utf8))]))
        let missing = #expect(throws: ArtifactError.self) { try ModelArtifact(archive: tarWithoutSymbol) }
        #expect(missing?.reason == "model.tar.gz has no model_algo_1-symbol.json (found: hyperparams.json)")

        var weights = ParameterFile.encode(mobile.weights())
        weights.removeLast(10)
        #expect(throws: ArtifactError.self) { try ParameterFile.decode(weights) }
        #expect(throws: ArtifactError("not a gzip file")) { try ModelArtifact(archive: Array("PK\u{3}\u{4} a zip file".utf8)) }
    }
}
