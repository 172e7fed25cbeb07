/// Builds the layers of a backbone with consistent names and seeded initialisation, tracking the channel count.
///
/// Convolutions get He (Kaiming) normal weights, `std = √(2 / (k²·out))` — the fan-out variant, suited to
/// ReLU networks trained from scratch — and zero biases. Names follow the MXNet symbol names users know
/// (`conv1_1`, `stage3_unit2_conv1`) so `freeze_layer_pattern` regexes read naturally.
struct NetworkBuilder {
    let engine: CPUEngine
    var random: SeededGenerator
    /// Channels of the tensor the next layer reads.
    var channels: Int

    init(engine: CPUEngine, seed: UInt64, inputChannels: Int = 3) {
        self.engine = engine
        random = SeededGenerator(seed: seed)
        channels = inputChannels
    }

    /// A convolution (bias only without batch norm), optionally followed by batch norm, and a ReLU unless `relu` is false.
    mutating func conv(
        _ name: String,
        _ outputChannels: Int,
        kernel: Int,
        stride: Int = 1,
        padding: Int? = nil,
        dilation: Int = 1,
        batchNorm: Bool = true,
        relu: Bool = true
    ) -> [any Layer] {
        let conv = Conv2D(
            name: name,
            inputChannels: channels,
            outputChannels: outputChannels,
            kernelSize: kernel,
            stride: stride,
            padding: padding ?? (kernel / 2) * dilation,
            dilation: dilation,
            bias: !batchNorm,
            engine: engine
        )
        initialize(conv)
        channels = outputChannels
        // Batch norm followed by ReLU runs as one fused oneDNN pass.
        if batchNorm { return [conv, BatchNorm(name: "\(name)_bn", channels: outputChannels, fusesReLU: relu, engine: engine)] }
        return relu ? [conv, ReLU(engine: engine)] : [conv]
    }

    /// A max pooling layer (channels unchanged).
    func maxPool(kernel: Int, stride: Int, padding: Int = 0, ceilMode: Bool = false) -> MaxPool2D {
        MaxPool2D(kernelSize: kernel, stride: stride, padding: padding, ceilMode: ceilMode, engine: engine)
    }

    /// He-normal weights, zero bias.
    mutating func initialize(_ conv: Conv2D) {
        let std = (2 / Float(conv.kernelSize * conv.kernelSize * conv.outputChannels)).squareRoot()
        for i in 0..<conv.weight.count { conv.weight.value[i] = random.nextNormal() * std }
    }

    /// A detection-head convolution: small normal weights (std 0.01) so initial predictions are near-uniform.
    mutating func headConv(_ name: String, inputChannels: Int, outputChannels: Int) -> Conv2D {
        let conv = Conv2D(
            name: name,
            inputChannels: inputChannels,
            outputChannels: outputChannels,
            kernelSize: 3,
            padding: 1,
            engine: engine
        )
        for i in 0..<conv.weight.count { conv.weight.value[i] = random.nextNormal() * 0.01 }
        return conv
    }
}
