/// Rewrites a trained layer graph into its inference form: every convolution becomes an `InferenceConv2D`
/// with the batch norm that directly follows it folded in and a following ReLU as a post-op, and every residual
/// block whose branch ends in a convolution (plus batch norm) without ReLU becomes an `InferenceResidual`.
///
/// Parameter-free layers (pooling, a ReLU with no convolution before it) and layers it cannot fold (L2
/// normalization, a batch norm after anything but a convolution) are kept as the same objects, so the result
/// must not run concurrently with the source graph. Training graphs are never changed.
public enum InferenceFusion {
    /// The inference form of `layers`, run in order.
    public static func fuse(_ layers: [any Layer], engine: CPUEngine) -> [any Layer] {
        groups(layers).map { fuse($0, engine: engine) }
    }

    private static func fuse(_ group: Group, engine: CPUEngine) -> any Layer {
        switch group {
        case .convolution(let conv, let batchNorm, let relu):
            InferenceConv2D(folding: conv, batchNorm: batchNorm, postOps: relu ? .relu : .none, engine: engine)
        case .other(let residual as Residual):
            fuse(residual, engine: engine)
        case .other(let sequential as Sequential):
            Sequential(fuse(sequential.layers, engine: engine))
        case .other(let layer):
            layer
        }
    }

    /// A residual block with its sum and ReLU fused into the branch's last convolution, when the branch ends in
    /// one without ReLU; otherwise the block itself.
    private static func fuse(_ residual: Residual, engine: CPUEngine) -> any Layer {
        var branch = groups(residual.branch.layers)
        guard case .convolution(let conv, let batchNorm, relu: false) = branch.last else { return residual }
        branch.removeLast()
        return InferenceResidual(
            branch: Sequential(branch.map { fuse($0, engine: engine) }),
            last: InferenceConv2D(folding: conv, batchNorm: batchNorm, postOps: .sumThenReLU, engine: engine),
            shortcut: residual.shortcut.map { Sequential(fuse($0.layers, engine: engine)) }
        )
    }

    /// A convolution with what directly follows it and can be fused, or any other layer.
    private enum Group {
        case convolution(Conv2D, BatchNorm?, relu: Bool)
        case other(any Layer)
    }

    /// Splits `layers` into convolution groups (`Conv2D`, optional `BatchNorm`, optional `ReLU`) and the rest.
    private static func groups(_ layers: [any Layer]) -> [Group] {
        var result: [Group] = []
        var i = 0
        while i < layers.count {
            guard let conv = layers[i] as? Conv2D else {
                result.append(.other(layers[i]))
                i += 1
                continue
            }
            i += 1
            let batchNorm = i < layers.count ? layers[i] as? BatchNorm : nil
            if batchNorm != nil { i += 1 }
            var relu = batchNorm?.fusesReLU ?? false
            if i < layers.count, layers[i] is ReLU {
                relu = true
                i += 1
            }
            result.append(.convolution(conv, batchNorm, relu: relu))
        }
        return result
    }
}
