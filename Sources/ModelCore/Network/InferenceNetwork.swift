/// A trained `SSDNetwork` rewritten for inference (`InferenceFusion`): batch norms folded into the convolutions,
/// ReLUs and residual sums run as oneDNN post-ops, weights kept in the primitives' layouts.
///
/// Its outputs equal the source network's `forward(_:mode: .inference)` up to float rounding. The weights are a
/// snapshot taken here; parameter-free layers are shared with the source, which may otherwise be dropped.
public final class InferenceNetwork {
    /// The fused stages; stage `i`'s output is feature map `i`.
    public let stages: [Sequential]
    private let head: MultiBoxHead

    /// Fuses `network` as it is now (its running batch-norm statistics included).
    public init(fusing network: SSDNetwork) {
        stages = network.architecture.stages.map { Sequential(InferenceFusion.fuse($0.layers, engine: network.engine)) }
        head = network.head.fusedForInference()
    }

    /// Runs the network on a batch of images.
    /// - Parameter images: `[B, 3, S, S]`, normalised.
    /// - Returns: `locations` `[B, P, 4]` and `classLogits` `[B, P, classes + 1]`, as `SSDNetwork.forward`.
    public func forward(_ images: Tensor) throws -> (locations: [Float], classLogits: [Float]) {
        var features: [Tensor] = []
        var x = images
        for stage in stages {
            x = try stage.forward(x, mode: .inference)
            features.append(x)
        }
        return try head.forward(features, mode: .inference)
    }
}
