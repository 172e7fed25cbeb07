/// The SSD detector's network: a base network whose stage outputs feed the multibox heads.
///
/// Forward returns the raw predictions (box offsets and class logits per anchor); backward takes the loss's
/// gradients with respect to them. Where a feature map feeds both its head and the next stage, the two
/// gradients are added before flowing into the stage that produced it.
public final class SSDNetwork {
    public let architecture: BackboneArchitecture
    public let head: MultiBoxHead
    /// Default-box sizes per feature map, as fractions of the image side: the architecture's (MXNet's) unless
    /// fitted to a training set (`AnchorFitting`) or read from an artifact's symbol. Same count per map either way.
    public let anchorSizes: [[Float]]
    let engine: CPUEngine
    private var gradientSums: [TensorSum] = []

    /// Builds a network with seeded initial weights.
    /// - Parameters:
    ///   - baseNetwork: `vgg-16`, `resnet-50` or `apiary-mobile`.
    ///   - classes: object classes, background excluded (`num_classes`).
    ///   - seed: seeds the initialisation.
    ///   - anchorSizes: default-box sizes per map; `nil` takes the architecture's.
    /// - Throws: `NetworkError` for an unknown network or anchor sizes that do not fit its maps.
    public init(baseNetwork: String, classes: Int, seed: UInt64, engine: CPUEngine, anchorSizes: [[Float]]? = nil) throws {
        guard let architecture = BackboneArchitecture.named(baseNetwork, seed: seed, engine: engine) else {
            throw NetworkError.unknownBaseNetwork(baseNetwork)
        }
        if let anchorSizes {
            guard anchorSizes.map(\.count) == architecture.anchorSizes.map(\.count), anchorSizes.allSatisfy({ $0.allSatisfy { $0 > 0 && $0.isFinite } })
            else { throw NetworkError.anchorSizesDoNotFit(anchorSizes, expected: architecture.anchorSizes) }
        }
        self.architecture = architecture
        self.anchorSizes = anchorSizes ?? architecture.anchorSizes
        self.engine = engine
        var headBuilder = NetworkBuilder(engine: engine, seed: seed &+ 1)
        head = MultiBoxHead(architecture: architecture, classes: classes, builder: &headBuilder)
        (architecture.stages.first?.layers.first as? Conv2D)?.computesInputGradient = false
        gradientSums = architecture.stages.map { _ in TensorSum(engine: engine) }
    }

    /// Trainable parameters: base network first, then heads, in a stable order.
    public var parameters: [Parameter] { architecture.stages.flatMap(\.parameters) + head.parameters }
    /// Non-trainable state (batch norm running statistics).
    public var buffers: [Parameter] { architecture.stages.flatMap(\.buffers) }

    /// Makes every batch norm of the base network normalise over the batches of all `reducer`'s ranks in
    /// training (synchronised batch norm, `BatchNorm.synchronizer`); every rank must call it.
    public func synchronizeBatchNorm(over reducer: any CrossRankSum) {
        func walk(_ layer: any Layer) {
            (layer as? BatchNorm)?.synchronizer = reducer
            layer.sublayers.forEach(walk)
        }
        architecture.stages.forEach(walk)
    }

    /// Feature map sizes `(height, width)` for square `imageShape` inputs, computed without running the network.
    public func featureMapSizes(imageShape: Int) -> [(height: Int, width: Int)] {
        var dims = [1, 3, imageShape, imageShape]
        return architecture.stages.map { stage in
            dims = stage.outputDims(for: dims)
            return (dims[2], dims[3])
        }
    }

    /// The default boxes matching this network's feature maps for square `imageShape` inputs.
    public func defaultBoxes(imageShape: Int) -> DefaultBoxes {
        let maps = featureMapSizes(imageShape: imageShape)
        return DefaultBoxes(
            featureMaps: maps.indices.map { i in
                DefaultBoxes.FeatureMap(height: maps[i].height, width: maps[i].width, sizes: anchorSizes[i], ratios: architecture.anchorRatios[i])
            }
        )
    }

    /// Runs the network on a batch of images.
    /// - Parameter images: `[B, 3, S, S]`, normalised.
    /// - Returns: `locations` `[B, P, 4]` and `classLogits` `[B, P, classes + 1]`.
    public func forward(_ images: Tensor, mode: ForwardMode) throws -> (locations: [Float], classLogits: [Float]) {
        var features: [Tensor] = []
        var x = images
        for stage in architecture.stages {
            x = try stage.forward(x, mode: mode)
            features.append(x)
        }
        return try head.forward(features, mode: mode)
    }

    /// Back-propagates the loss gradients, writing every parameter's gradient.
    public func backward(locationGradient: [Float], classGradient: [Float]) throws {
        let headGradients = try head.backward(locationGradient: locationGradient, classGradient: classGradient)
        var fromDeeper: Tensor? = nil
        for i in architecture.stages.indices.reversed() {
            let gradient = try fromDeeper.map { try gradientSums[i].add(headGradients[i], $0) } ?? headGradients[i]
            fromDeeper = try architecture.stages[i].backward(gradient)
        }
    }
}

/// Why a network could not be built.
public enum NetworkError: Error, Equatable, CustomStringConvertible {
    case unknownBaseNetwork(String)
    case anchorSizesDoNotFit([[Float]], expected: [[Float]])

    public var description: String {
        switch self {
        case .unknownBaseNetwork(let name):
            "unknown base_network '\(name)'; expected one of \(BackboneArchitecture.names.joined(separator: ", "))"
        case .anchorSizesDoNotFit(let sizes, let expected):
            "anchor sizes \(sizes) do not fit the network: expected positive sizes shaped like \(expected)"
        }
    }
}
