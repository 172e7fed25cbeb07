extension SSDNetwork {
    /// Every tensor that defines the network's behaviour: trainable parameters, then batch norm statistics.
    public var stateTensors: [Parameter] { parameters + buffers }

    /// A copy of the current weights, for checkpoints and artifacts.
    public func weights() -> [NamedTensor] { stateTensors.map(NamedTensor.init) }

    /// Loads weights strictly (every tensor present, same shapes, nothing extra).
    public func load(weights: [NamedTensor]) throws { try ParameterFile.load(weights, into: stateTensors) }

    /// The network description stored as `model_algo_1-symbol.json`.
    public func symbol(imageShape: Int) -> ModelSymbol {
        ModelSymbol(
            format: ModelSymbol.currentFormat,
            baseNetwork: architecture.name,
            numClasses: head.classes,
            imageShape: imageShape,
            anchorsPerCell: architecture.anchorsPerCell,
            anchorSizes: anchorSizes,
            anchorRatios: architecture.anchorRatios,
            tensors: stateTensors.map { ModelSymbol.TensorSpec(name: $0.name, shape: $0.dims) }
        )
    }
}
