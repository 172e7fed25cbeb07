import Foundation
import ModelCore
import Testing

/// Synchronised batch norm (`BatchNorm.synchronizer`): two ranks holding half a batch each normalise and
/// back-propagate as one layer holding the whole batch.
@Suite("Synchronised batch norm over ranks")
struct SynchronizedBatchNormTests {
    struct Pass {
        var output: [Float]
        var inputGradient: [Float]
        var scaleGradient: [Float]
        var shiftGradient: [Float]
        var runningMean: [Float]
        var runningVariance: [Float]
    }

    static let channels = 16

    /// One training forward and backward pass of a fresh layer with seeded scale and shift.
    static func pass(_ input: [Float], _ outputGradient: [Float], dims: [Int], fusesReLU: Bool, synchronizer: (any GradientReducer)?) throws -> Pass {
        let engine = try CPUEngine()
        let layer = BatchNorm(name: "bn", channels: channels, fusesReLU: fusesReLU, engine: engine)
        var random = SeededGenerator(seed: 3)
        layer.scale.assign((0..<channels).map { _ in random.nextUniform() + 0.5 })
        layer.shift.assign((0..<channels).map { _ in random.nextUniform() - 0.5 })
        layer.synchronizer = synchronizer
        let output = try layer.forward(Tensor(plain: input, dims: dims, engine: engine), mode: .training).plainValues()
        let inputGradient = try #require(try layer.backward(Tensor(plain: outputGradient, dims: dims, engine: engine))).plainValues()
        return Pass(
            output: output, inputGradient: inputGradient, scaleGradient: Array(layer.scale.gradient), shiftGradient: Array(layer.shift.gradient),
            runningMean: Array(layer.runningMean.value), runningVariance: Array(layer.runningVariance.value)
        )
    }

    /// The largest `|a − b|` over the largest `|b|`.
    static func relativeDifference(_ a: [Float], _ b: [Float]) -> Float {
        #expect(a.count == b.count)
        return zip(a, b).map { abs($0 - $1) }.max()! / b.map(abs).max()!
    }

    @Test("two ranks of half a batch each equal one layer with the whole batch", arguments: [false, true])
    func ranksEqualWholeBatch(fusesReLU: Bool) throws {
        let dims = [4, Self.channels, 5, 3]
        let count = dims.reduce(1, *)
        var random = SeededGenerator(seed: 11)
        // Means far from zero next to the spread: the case a one-pass variance gets wrong.
        let input = (0..<count).map { i in 20 + Float(i % Self.channels) + random.nextNormal() }
        let outputGradient = (0..<count).map { _ in random.nextNormal() }
        let whole = try Self.pass(input, outputGradient, dims: dims, fusesReLU: fusesReLU, synchronizer: nil)

        let ranks = ThreadRanks(size: 2)
        let half = count / 2
        let passes = PassSlots()
        let done = DispatchGroup()
        for rank in 0..<2 {
            done.enter()
            Thread {
                let slice = rank * half..<(rank + 1) * half
                passes.set(rank, Result {
                    try Self.pass(
                        Array(input[slice]), Array(outputGradient[slice]), dims: [2] + dims.dropFirst(), fusesReLU: fusesReLU,
                        synchronizer: ranks.reducer(rank: rank))
                })
                done.leave()
            }.start()
        }
        done.wait()
        let (first, second) = (try passes.get(0), try passes.get(1))
        #expect(Self.relativeDifference(first.output + second.output, whole.output) < 1e-5)
        #expect(Self.relativeDifference(first.inputGradient + second.inputGradient, whole.inputGradient) < 1e-5)
        #expect(Self.relativeDifference(zip(first.scaleGradient, second.scaleGradient).map(+), whole.scaleGradient) < 1e-5)
        #expect(Self.relativeDifference(zip(first.shiftGradient, second.shiftGradient).map(+), whole.shiftGradient) < 1e-5)
        for rank in [first, second] {
            #expect(Self.relativeDifference(rank.runningMean, whole.runningMean) < 1e-6)
            #expect(Self.relativeDifference(rank.runningVariance, whole.runningVariance) < 1e-5)
        }
        // Per-rank statistics would be far off: the halves hold different images.
        let alone = try Self.pass(Array(input[0..<half]), Array(outputGradient[0..<half]), dims: [2] + dims.dropFirst(), fusesReLU: fusesReLU, synchronizer: nil)
        #expect(Self.relativeDifference(alone.inputGradient, Array(whole.inputGradient[0..<half])) > 1e-3)
    }

    /// Every parameter gradient of one training pass of a fresh apiary-mobile network (seed 7) on `images`,
    /// back-propagating `locationGradient` and `classGradient`.
    static func networkGradients(
        _ images: [Float], _ locationGradient: [Float], _ classGradient: [Float], batch: Int, synchronizer: (any GradientReducer)?
    ) throws -> [String: [Float]] {
        let engine = try CPUEngine()
        let network = try SSDNetwork(baseNetwork: "apiary-mobile", classes: 1, seed: 7, engine: engine)
        if let synchronizer { network.synchronizeBatchNorm(over: synchronizer) }
        _ = try network.forward(Tensor(plain: images, dims: [batch, 3, 300, 300], engine: engine), mode: .training)
        try network.backward(locationGradient: locationGradient, classGradient: classGradient)
        return Dictionary(uniqueKeysWithValues: network.parameters.map { ($0.name, Array($0.gradient)) })
    }

    /// The one pass over four images runs the synchronised batch norm too, as a single rank: its statistics are then
    /// the same sums in `Double`, so both passes put every fused ReLU's input on the same side of zero. Against
    /// oneDNN's own statistics (the layer test above) a value within rounding of zero may fall on the other side,
    /// and one such element moves its channel's shift gradient by a whole output gradient, a jump no precision
    /// removes: on an AVX2 machine one channel of conv4_3_bn.beta differed by 3.1e-4 while its 127 others agreed
    /// to 2e-8, and 5.8e-2 reached conv4_3.weight upstream.
    @Test("a whole network's gradients over two ranks of two images sum to those of one pass over four")
    func networkGradientsSum() throws {
        let engine = try CPUEngine()
        let probe = try SSDNetwork(baseNetwork: "apiary-mobile", classes: 1, seed: 7, engine: engine)
        let anchors = probe.defaultBoxes(imageShape: 300).count
        var random = SeededGenerator(seed: 5)
        let images = (0..<4 * 3 * 300 * 300).map { _ in random.nextNormal() }
        let locations = (0..<4 * anchors * 4).map { _ in random.nextNormal() * 1e-3 }
        let classes = (0..<4 * anchors * 2).map { _ in random.nextNormal() * 1e-3 }
        let whole = try Self.networkGradients(images, locations, classes, batch: 4, synchronizer: ThreadRanks(size: 1).reducer(rank: 0))
        let ranks = ThreadRanks(size: 2)
        let slots = GradientSlots()
        let done = DispatchGroup()
        for rank in 0..<2 {
            done.enter()
            Thread {
                func half(_ values: [Float]) -> [Float] { Array(values[rank * values.count / 2..<(rank + 1) * values.count / 2]) }
                slots.set(rank, Result {
                    try Self.networkGradients(half(images), half(locations), half(classes), batch: 2, synchronizer: ranks.reducer(rank: rank))
                })
                done.leave()
            }.start()
        }
        done.wait()
        let (first, second) = (try slots.get(0), try slots.get(1))
        var worst = (name: "", value: Float(0))
        for (name, gradient) in whole {
            let difference = Self.relativeDifference(zip(first[name]!, second[name]!).map(+), gradient)
            if difference > worst.value { worst = (name, difference) }
        }
        print("network gradients: largest relative difference \(worst.value) (\(worst.name))")
        #expect(worst.value < 1e-4, "\(worst.name)")
    }

    final class GradientSlots: @unchecked Sendable {
        private let lock = NSLock()
        private var results: [Int: Result<[String: [Float]], any Error>] = [:]
        func set(_ rank: Int, _ result: Result<[String: [Float]], any Error>) { lock.withLock { results[rank] = result } }
        func get(_ rank: Int) throws -> [String: [Float]] { try lock.withLock { results[rank]! }.get() }
    }

    /// Each rank's pass, written from its own thread.
    final class PassSlots: @unchecked Sendable {
        private let lock = NSLock()
        private var results: [Int: Result<Pass, any Error>] = [:]
        func set(_ rank: Int, _ result: Result<Pass, any Error>) { lock.withLock { results[rank] = result } }
        func get(_ rank: Int) throws -> Pass { try lock.withLock { results[rank]! }.get() }
    }
}
