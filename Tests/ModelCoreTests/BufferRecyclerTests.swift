import CDNNL
import Testing

@testable import ModelCore

@Suite("Recycled buffers: backward's gradients live while read, then serve the next step")
struct BufferRecyclerTests {
    @Test("a buffer is lent to one memory at a time and taken again once that memory is gone")
    func lendsOneAtATime() throws {
        let engine = try CPUEngine()
        let descriptor = try DNNLMemory.descriptor([2, 16, 5, 5], dnnl_nchw)
        var first: DNNLMemory? = try DNNLMemory.recycled(descriptor, engine: engine)
        let firstBuffer = first!.pointer
        let second = try DNNLMemory.recycled(descriptor, engine: engine)
        #expect(second.pointer != firstBuffer)
        #expect(engine.recycler.idleCount == 0)
        first = nil
        #expect(engine.recycler.idleCount == 1)
        let third = try DNNLMemory.recycled(descriptor, engine: engine)
        #expect(third.pointer == firstBuffer)
        #expect(engine.recycler.idleCount == 0)
    }

    @Test("a blocked layout's padding is zero in a buffer a previous user filled")
    func paddingIsZeroed() throws {
        let engine = try CPUEngine()
        // 3 channels in blocks of 16: 13 padded channels at every position, 4× the logical bytes.
        let blocked = try DNNLMemory.descriptor([1, 3, 4, 4], dnnl_nChw16c)
        var previous: DNNLMemory? = try DNNLMemory.recycled(blocked, engine: engine)
        let byteCount = previous!.byteCount
        #expect(byteCount == 16 * 4 * 4 * 4)
        previous!.pointer.initializeMemory(as: UInt8.self, repeating: 0xFF, count: byteCount)
        previous = nil
        let memory = try DNNLMemory.recycled(blocked, engine: engine)
        let floats = memory.floats
        for position in 0..<16 {
            for channel in 3..<16 { #expect(floats[position * 16 + channel] == 0) }
        }
    }

    @Test("a training step's gradients go back to the recycler, and the next step allocates none")
    func stepsReuseGradients() throws {
        let engine = try CPUEngine()
        var random = TestRandom(seed: 21)
        let conv1 = Conv2D(name: "c1", inputChannels: 16, outputChannels: 16, kernelSize: 3, padding: 1, bias: false, engine: engine)
        let conv2 = Conv2D(name: "c2", inputChannels: 16, outputChannels: 16, kernelSize: 3, padding: 1, bias: false, engine: engine)
        for conv in [conv1, conv2] { conv.weight.assign(random.uniform(conv.weight.count).map { $0 * 0.1 }) }
        let network = Sequential([
            conv1, BatchNorm(name: "bn1", channels: 16, fusesReLU: true, engine: engine),
            Residual(branch: Sequential([conv2]), shortcut: nil, engine: engine),
        ])
        let dims = [2, 16, 8, 8]
        let input = try Tensor(plain: random.uniform(dims.reduce(1, *)), dims: dims, engine: engine)
        let outputGradient = try Tensor(plain: random.uniform(dims.reduce(1, *)), dims: dims, engine: engine)
        func step() throws -> [Float] {
            _ = try network.forward(input, mode: .training)
            return try network.backward(outputGradient)!.plainValues()
        }
        let firstGradient = try step()
        let idleAfterFirst = engine.recycler.idleCount
        #expect(idleAfterFirst > 0)
        let secondGradient = try step()
        #expect(engine.recycler.idleCount == idleAfterFirst)
        // Same weights, same input: a buffer left over from the first step must not leak into the second's result.
        #expect(secondGradient == firstGradient)
    }
}
