/// `model_algo_1-symbol.json`: Apiary's description of the trained network, enough to rebuild it before
/// loading the weights — the role MXNet's symbol file plays in SageMaker's artifact.
public struct ModelSymbol: Codable, Sendable, Equatable {
    /// Identifies this file format; bumped on incompatible changes.
    public var format: String
    /// `base_network`: `vgg-16`, `resnet-50` or `apiary-mobile`.
    public var baseNetwork: String
    /// Object classes, background excluded (`num_classes`).
    public var numClasses: Int
    /// Input side in pixels (`image_shape`).
    public var imageShape: Int
    /// Anchors per feature-map cell, map by map.
    public var anchorsPerCell: [Int]
    /// Anchor sizes and ratios per feature map (MXNet `MultiBoxPrior` convention).
    public var anchorSizes: [[Float]]
    public var anchorRatios: [[Float]]
    /// Every weight tensor the network expects, in order.
    public var tensors: [TensorSpec]

    /// A tensor's name and shape.
    public struct TensorSpec: Codable, Sendable, Equatable {
        public var name: String
        public var shape: [Int]
    }

    public static let currentFormat = "apiary-ssd-1"

    enum CodingKeys: String, CodingKey {
        case format
        case baseNetwork = "base_network"
        case numClasses = "num_classes"
        case imageShape = "image_shape"
        case anchorsPerCell = "anchors_per_cell"
        case anchorSizes = "anchor_sizes"
        case anchorRatios = "anchor_ratios"
        case tensors
    }
}
