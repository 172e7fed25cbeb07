/// A base network for SSD: stages whose outputs are the feature maps the detection head reads, and the
/// default-box (anchor) configuration of each map.
///
/// Stage `i` reads stage `i − 1`'s output; every stage output is a feature map. The anchor sizes and aspect
/// ratios follow MXNet's `MultiBoxPrior` convention: a cell has `sizes.count + ratios.count − 1` anchors
/// (every size at ratio 1, then the first size at every other ratio).
public struct BackboneArchitecture {
    /// The `base_network` value users send: `vgg-16`, `resnet-50` or `apiary-mobile`.
    public let name: String
    /// The stages, in order.
    public let stages: [Sequential]
    /// Output channels of each stage.
    public let featureChannels: [Int]
    /// Anchor sizes per feature map, as fractions of the image side.
    public let anchorSizes: [[Float]]
    /// Anchor aspect ratios (width / height) per feature map; the first is 1.
    public let anchorRatios: [[Float]]
    /// Whether the first feature map is L2-normalised before its head (VGG's conv4_3).
    public let normalizesFirstFeatureMap: Bool

    /// Names of the feature maps, used for head parameter names (`multi_feat_0_loc_pred_conv.weight`).
    public var featureNames: [String] { stages.indices.map { "multi_feat_\($0)" } }

    /// Anchors per cell for each feature map.
    public var anchorsPerCell: [Int] { zip(anchorSizes, anchorRatios).map { $0.count + $1.count - 1 } }

    /// The base networks Apiary implements.
    public static let names = ["vgg-16", "resnet-50", "apiary-mobile"]

    /// Builds a base network by its `base_network` name.
    /// - Parameters:
    ///   - name: `vgg-16`, `resnet-50` or `apiary-mobile`.
    ///   - seed: seeds the weight initialisation.
    public static func named(_ name: String, seed: UInt64, engine: CPUEngine) -> BackboneArchitecture? {
        var builder = NetworkBuilder(engine: engine, seed: seed)
        switch name {
        case "vgg-16": return vgg16(&builder)
        case "resnet-50": return resnet50(&builder)
        case "apiary-mobile": return apiaryMobile(&builder)
        default: return nil
        }
    }

    /// The default anchor sizes of the base network `name` (every one uses MXNet's six-map layout), without
    /// building it; `nil` for an unknown name.
    public static func anchorSizes(of name: String) -> [[Float]]? {
        names.contains(name) ? ssdSizes : nil
    }

    /// MXNet SSD's anchor sizes for six feature maps (`sizes=[[.1,.141],[.2,.272],[.37,.447],[.54,.619],[.71,.79],[.88,.961]]`).
    static let ssdSizes: [[Float]] = [[0.1, 0.141], [0.2, 0.272], [0.37, 0.447], [0.54, 0.619], [0.71, 0.79], [0.88, 0.961]]
    /// MXNet SSD's ratios: 4 anchors per cell on the first and last two maps, 6 on the others.
    static let ssdRatios: [[Float]] = [[1, 2, 0.5]] + Array(repeating: [1, 2, 0.5, 3, 1.0 / 3], count: 3) + Array(repeating: [1, 2, 0.5], count: 2)

    /// SSD's extra feature layers: `1×1` to `reduce` channels, then `3×3` (stride 2, or valid padding) to `out`.
    ///
    /// They have biases and no batch norm, as in the original SSD: on maps of 5² down to 1², and with the
    /// course's `mini_batch_size=1`, batch statistics would be computed over a handful of values (over one value
    /// at 1×1, where batch norm outputs a constant and passes no gradient).
    static func extraStage(_ builder: inout NetworkBuilder, _ name: String, reduce: Int, out: Int, stride: Int = 2, padding: Int = 1) -> Sequential {
        Sequential(
            builder.conv("\(name)_1", reduce, kernel: 1, batchNorm: false)
                + builder.conv("\(name)_2", out, kernel: 3, stride: stride, padding: padding, batchNorm: false)
        )
    }
}
