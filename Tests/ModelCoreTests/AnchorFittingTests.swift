import ImageCodec
import ModelCore
import Testing

@Suite("Anchor sizes fitted to the training boxes")
struct AnchorFittingTests {
    static func squares(_ sides: [Float]) -> [BoundingBox] {
        sides.map { BoundingBox(xmin: 0.5 - $0 / 2, ymin: 0.5 - $0 / 2, xmax: 0.5 + $0 / 2, ymax: 0.5 + $0 / 2) }
    }

    @Test("small objects pull the smallest anchors down, geometrically to the top; two sizes per map as before")
    func smallObjects() throws {
        // 5th percentile 0.04, 98th 0.3.
        let sides = (0..<100).map { Float(0.03) + Float($0) * 0.0028 }
        let sizes = try #require(AnchorFitting.sizes(for: Self.squares(sides), sizesPerMap: [2, 2, 2, 2, 2, 2]))
        #expect(sizes.count == 6 && sizes.allSatisfy { $0.count == 2 })
        let low = 0.9 * sides[4]
        #expect(abs(sizes[0][0] - low) < 1e-6)
        #expect(abs(sizes[5][0] - 0.5) < 1e-6)  // 1.2 × q98 = 0.36 is raised to the 0.5 floor
        for k in 0..<5 {
            #expect(sizes[k][0] < sizes[k + 1][0])
            #expect(abs(sizes[k][1] - (sizes[k][0] * sizes[k + 1][0]).squareRoot()) < 1e-6)
        }
    }

    @Test("course-like objects keep MXNet's ends; too few boxes keep the defaults")
    func courseLike() throws {
        let sides = (0..<100).map { Float(0.12) + Float($0) * 0.008 }
        let sizes = try #require(AnchorFitting.sizes(for: Self.squares(sides), sizesPerMap: [2, 2, 2, 2, 2, 2]))
        #expect(sizes[0][0] == 0.1)
        #expect(abs(sizes[5][0] - min(0.88, 1.2 * sides[97])) < 1e-6)
        #expect(AnchorFitting.sizes(for: Self.squares(Array(sides.prefix(19))), sizesPerMap: [2, 2, 2, 2, 2, 2]) == nil)
    }

    @Test("fitted sizes travel in the artifact's symbol: the endpoint decodes with the trained anchors")
    func artifactRoundTrip() throws {
        let engine = try CPUEngine()
        let fitted: [[Float]] = [[0.05, 0.07], [0.1, 0.14], [0.2, 0.26], [0.33, 0.4], [0.5, 0.6], [0.7, 0.8]]
        let network = try SSDNetwork(baseNetwork: "apiary-mobile", classes: 1, seed: 2, engine: engine, anchorSizes: fitted)
        let symbol = network.symbol(imageShape: 300)
        #expect(symbol.anchorSizes == fitted)
        let artifact = ModelArtifact(hyperparameters: [:], symbol: symbol, weights: network.weights())
        let loaded = try ObjectDetector(artifact: ModelArtifact(archive: artifact.archive()), engine: engine)
        var random = TestRandom(seed: 4)
        let image = RGBImage(width: 320, height: 240, pixels: (0..<(320 * 240 * 3)).map { _ in UInt8(truncatingIfNeeded: random.next()) })
        let served = try loaded.detect([image])[0]
        #expect(!served.isEmpty)
        #expect(served == (try ObjectDetector(network: network, imageShape: 300, hyperparameters: [:]).detect([image])[0]))
        // The same weights decoded with MXNet's default sizes give other boxes: the sizes really travel.
        let defaults = try SSDNetwork(baseNetwork: "apiary-mobile", classes: 1, seed: 2, engine: engine)
        #expect(served != (try ObjectDetector(network: defaults, imageShape: 300, hyperparameters: [:]).detect([image])[0]))
        #expect(throws: NetworkError.self) {
            try SSDNetwork(baseNetwork: "apiary-mobile", classes: 1, seed: 2, engine: engine, anchorSizes: [[0.1]])
        }
    }
}
