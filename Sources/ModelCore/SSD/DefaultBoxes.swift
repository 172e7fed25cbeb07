/// SSD's default boxes ("anchors", MXNet's "priors"), in normalised corner form, in the order the network's
/// prediction heads emit them.
///
/// ## Order
/// Map by map (in `featureMaps` order), then row `y`, then column `x`, then the box index `a` within the cell.
/// That is the order NHWC flattening gives a head's `A·4` (or `A·(C+1)`) output channels after concatenating the
/// maps, so anchor `p` of the flat `[P]` list is the one whose offsets sit at `locations[b][p][0..<4]`.
///
/// ## Boxes in one cell (MXNet `MultiBoxPrior`)
/// With `sizes = [s0, s1, …]` and `ratios = [1, r1, r2, …]`, a cell holds `sizes.count + ratios.count - 1`
/// boxes, all centred on `((x + offsetX)·stepX, (y + offsetY)·stepY)`:
/// 1. one square box per size `s`: width `s·H/W`, height `s` (for a square map simply `s × s`);
/// 2. one box per further ratio `r` (the first ratio is implicitly 1 and skipped), at size `s0`:
///    width `s0·H/W·√r`, height `s0/√r`.
///
/// ## Clipping
/// Boxes are **not** clipped to the image, as MXNet's SSD example builds them (`clip=False`): a border box
/// keeps its true centre and size, so encoding a ground-truth box against it is exact. Only decoded
/// predictions are clipped (see `DetectionDecoder`).
public struct DefaultBoxes: Sendable, Hashable {
    /// The default-box layout of one feature map.
    public struct FeatureMap: Sendable, Hashable {
        /// Rows of the feature map.
        public var height: Int
        /// Columns of the feature map.
        public var width: Int
        /// Box sizes as a fraction of the image side; the first is the size the extra aspect ratios use.
        public var sizes: [Float]
        /// Aspect ratios (width / height); the first must be 1 and stands for the square boxes of `sizes`.
        public var ratios: [Float]
        /// Distance between vertically adjacent cell centres, as a fraction of the image height.
        public var stepY: Float
        /// Distance between horizontally adjacent cell centres, as a fraction of the image width.
        public var stepX: Float
        /// Position of a box centre inside its cell, in cells (0.5 = the cell centre).
        public var offsetY: Float
        /// Position of a box centre inside its cell, in cells (0.5 = the cell centre).
        public var offsetX: Float

        /// Creates a layout.
        /// - Parameters:
        ///   - height: rows of the feature map.
        ///   - width: columns of the feature map.
        ///   - sizes: at least one size, fractions of the image side.
        ///   - ratios: aspect ratios, starting with 1.
        ///   - stepY: centre spacing; `nil` means `1 / height` (MXNet's default, `steps=-1`).
        ///   - stepX: centre spacing; `nil` means `1 / width`.
        ///   - offsetY: centre offset within a cell, 0.5 by default.
        ///   - offsetX: centre offset within a cell, 0.5 by default.
        public init(
            height: Int,
            width: Int,
            sizes: [Float],
            ratios: [Float],
            stepY: Float? = nil,
            stepX: Float? = nil,
            offsetY: Float = 0.5,
            offsetX: Float = 0.5
        ) {
            precondition(height > 0 && width > 0, "feature map must be at least 1×1, got \(height)×\(width)")
            precondition(!sizes.isEmpty && sizes.allSatisfy { $0 > 0 }, "sizes must be positive and non-empty: \(sizes)")
            precondition(ratios.first == 1 && ratios.allSatisfy { $0 > 0 }, "ratios must be positive and start with 1: \(ratios)")
            self.height = height
            self.width = width
            self.sizes = sizes
            self.ratios = ratios
            self.stepY = stepY ?? 1 / Float(height)
            self.stepX = stepX ?? 1 / Float(width)
            self.offsetY = offsetY
            self.offsetX = offsetX
        }

        /// Default boxes per cell, `A = sizes.count + ratios.count - 1`: the head's channel count is `A·4` and `A·(C+1)`.
        public var boxesPerCell: Int { sizes.count + ratios.count - 1 }

        /// Default boxes on this map, `height · width · boxesPerCell`.
        public var boxCount: Int { height * width * boxesPerCell }

        /// Half-extents `(w/2, h/2)` of the boxes of one cell, in cell order.
        var halfExtents: [(Float, Float)] {
            let aspect = Float(height) / Float(width)
            var extents = sizes.map { size in (size * aspect / 2, size / 2) }
            for ratio in ratios.dropFirst() {
                let root = ratio.squareRoot()
                extents.append((sizes[0] * aspect * root / 2, sizes[0] / root / 2))
            }
            return extents
        }
    }

    /// The maps, in head concatenation order.
    public let featureMaps: [FeatureMap]
    /// Every default box, `P = Σ height·width·boxesPerCell`, in the documented order.
    public let boxes: [BoundingBox]

    /// Generates the boxes of `featureMaps`.
    public init(featureMaps: [FeatureMap]) {
        precondition(!featureMaps.isEmpty, "at least one feature map")
        self.featureMaps = featureMaps
        var boxes: [BoundingBox] = []
        boxes.reserveCapacity(featureMaps.reduce(0) { $0 + $1.boxCount })
        for map in featureMaps {
            let extents = map.halfExtents
            for y in 0..<map.height {
                let centerY = (Float(y) + map.offsetY) * map.stepY
                for x in 0..<map.width {
                    let centerX = (Float(x) + map.offsetX) * map.stepX
                    for (halfWidth, halfHeight) in extents {
                        boxes.append(
                            BoundingBox(xmin: centerX - halfWidth, ymin: centerY - halfHeight, xmax: centerX + halfWidth, ymax: centerY + halfHeight)
                        )
                    }
                }
            }
        }
        self.boxes = boxes
    }

    /// Number of default boxes, `P`.
    public var count: Int { boxes.count }

    /// The range of flat anchor indices that belongs to map `index`.
    public func anchorRange(ofMap index: Int) -> Range<Int> {
        let start = featureMaps[..<index].reduce(0) { $0 + $1.boxCount }
        return start..<(start + featureMaps[index].boxCount)
    }
}

extension DefaultBoxes {
    /// Per-map `[min, max]` sizes of MXNet's SSD example for six maps (VGG16-reduced at 300, ResNet-50, …);
    /// the second size is `√(s_k · s_{k+1})`, the paper's extra square box.
    public static let mxnetSizes: [[Float]] = [[0.1, 0.141], [0.2, 0.272], [0.37, 0.447], [0.54, 0.619], [0.71, 0.79], [0.88, 0.961]]

    /// Per-map aspect ratios of MXNet's SSD example for six maps: 4, 6, 6, 6, 4, 4 boxes per cell.
    public static let mxnetRatios: [[Float]] = [
        [1, 2, 0.5], [1, 2, 0.5, 3, 1.0 / 3], [1, 2, 0.5, 3, 1.0 / 3], [1, 2, 0.5, 3, 1.0 / 3], [1, 2, 0.5], [1, 2, 0.5],
    ]

    /// Feature-map sides of SSD300 on VGG16-reduced: `conv4_3`, `fc7` and four extra layers.
    public static let vgg16SSD300MapSizes = [38, 19, 10, 5, 3, 1]

    /// Centre spacings of SSD300 on VGG16-reduced, `[8, 16, 32, 64, 100, 300] / 300` (MXNet's `steps`).
    public static let vgg16SSD300Steps: [Float] = [8, 16, 32, 64, 100, 300].map { Float($0) / 300 }

    /// Six square maps with MXNet's standard sizes and ratios, for any backbone.
    /// - Parameters:
    ///   - mapSizes: the side of each of the six maps, e.g. `[19, 10, 5, 3, 2, 1]` for ResNet-50 at 300.
    ///   - steps: per-map centre spacing as a fraction of the image; `nil` means `1 / side` (MXNet's default
    ///     when its config leaves `steps` empty, as it does for every backbone but VGG16 at 300 and 512).
    public static func mxnet(mapSizes: [Int], steps: [Float]? = nil) -> DefaultBoxes {
        precondition(mapSizes.count == mxnetSizes.count, "MXNet's standard layout has \(mxnetSizes.count) maps, got \(mapSizes.count)")
        precondition(steps == nil || steps!.count == mapSizes.count, "one step per map")
        let maps = mapSizes.indices.map { i in
            FeatureMap(
                height: mapSizes[i],
                width: mapSizes[i],
                sizes: mxnetSizes[i],
                ratios: mxnetRatios[i],
                stepY: steps?[i],
                stepX: steps?[i]
            )
        }
        return DefaultBoxes(featureMaps: maps)
    }

    /// SSD300 on VGG16-reduced as MXNet's example configures it: 8,732 boxes.
    public static let ssd300VGG16 = mxnet(mapSizes: vgg16SSD300MapSizes, steps: vgg16SSD300Steps)
}
