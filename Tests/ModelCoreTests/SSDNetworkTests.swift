import ModelCore
import Testing

@Suite("SSD networks: shapes of the three base networks and end-to-end gradients")
struct SSDNetworkTests {
    struct Expected: Sendable, CustomTestStringConvertible {
        let baseNetwork: String
        let mapSizes: [Int]
        let anchors: Int
        var testDescription: String { baseNetwork }
    }

    static let expectations: [Expected] = [
        Expected(baseNetwork: "apiary-mobile", mapSizes: [38, 19, 10, 5, 3, 1], anchors: 8_732),
        Expected(baseNetwork: "resnet-50", mapSizes: [19, 10, 5, 3, 2, 1], anchors: 2_268),
        Expected(baseNetwork: "vgg-16", mapSizes: [38, 19, 10, 5, 3, 1], anchors: 8_732),
    ]

    @Test("a 300×300 image yields SSD's feature maps and anchor count", arguments: expectations)
    func shapes(_ expected: Expected) throws {
        let engine = try CPUEngine()
        let network = try SSDNetwork(baseNetwork: expected.baseNetwork, classes: 2, seed: 1, engine: engine)
        let image = try Tensor(plain: [Float](repeating: 0.5, count: 3 * 300 * 300), dims: [1, 3, 300, 300], engine: engine)
        let (locations, logits) = try network.forward(image, mode: .inference)
        #expect(network.head.mapSizes.map(\.height) == expected.mapSizes)
        #expect(network.head.anchorCount == expected.anchors)
        #expect(locations.count == expected.anchors * 4)
        #expect(logits.count == expected.anchors * 3)
        #expect(locations.allSatisfy(\.isFinite) && logits.allSatisfy(\.isFinite))
    }

    @Test("unknown base networks are refused with the valid choices")
    func unknownBaseNetwork() throws {
        let error = #expect(throws: NetworkError.self) { try SSDNetwork(baseNetwork: "vgg-19", classes: 1, seed: 1, engine: CPUEngine()) }
        #expect(error?.description == "unknown base_network 'vgg-19'; expected one of vgg-16, resnet-50, apiary-mobile")
    }

    /// L = Σ locations·r₁ + Σ logits·r₂ through the whole apiary-mobile network (training mode, batch 2).
    /// Head weights enter L linearly (ε = 1e-2 is exact up to rounding); trunk weights pass through batch norm and
    /// ReLUs, so they use ε = 1e-3 and a 5% + 0.05 tolerance — a missing gradient path (say, a feature map's head
    /// gradient not added to the next stage's) is off by far more.
    @Test("parameter gradients of the whole network match finite differences")
    func endToEndGradients() throws {
        let engine = try CPUEngine()
        let network = try SSDNetwork(baseNetwork: "apiary-mobile", classes: 1, seed: 3, engine: engine)
        var rng = TestRandom(seed: 21)
        let pixels = rng.uniform(2 * 3 * 300 * 300)
        func loss(_ r1: [Float], _ r2: [Float]) throws -> Double {
            let (locations, logits) = try network.forward(Tensor(plain: pixels, dims: [2, 3, 300, 300], engine: engine), mode: .training)
            return dot(locations, r1) + dot(logits, r2)
        }
        let (locations, logits) = try network.forward(Tensor(plain: pixels, dims: [2, 3, 300, 300], engine: engine), mode: .training)
        let r1 = rng.uniform(locations.count)
        let r2 = rng.uniform(logits.count)
        try network.backward(locationGradient: r1, classGradient: r2)
        let byName = Dictionary(uniqueKeysWithValues: network.parameters.map { ($0.name, $0) })
        let probes: [(String, Int, Float)] = [
            ("multi_feat_0_loc_pred_conv.weight", 5, 1e-2), ("multi_feat_5_cls_pred_conv.bias", 1, 1e-2),
            ("multi_feat_2_cls_pred_conv.weight", 100, 1e-2), ("conv8_1.weight", 7, 1e-3), ("conv4_3.weight", 11, 1e-3),
            ("conv3_3_bn.gamma", 3, 1e-3),
        ]
        for (name, index, epsilon) in probes {
            let parameter = try #require(byName[name], "no parameter \(name)")
            let analytic = parameter.gradient[index]
            let saved = parameter.value[index]
            parameter.value[index] = saved + epsilon
            let plus = try loss(r1, r2)
            parameter.value[index] = saved - epsilon
            let minus = try loss(r1, r2)
            parameter.value[index] = saved
            let numeric = Float((plus - minus) / Double(2 * epsilon))
            #expect(abs(numeric - analytic) <= 0.05 + 0.05 * abs(numeric), "\(name)[\(index)]: numeric \(numeric), analytic \(analytic)")
        }
    }
}
