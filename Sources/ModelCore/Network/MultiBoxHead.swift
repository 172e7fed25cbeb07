/// SSD's prediction heads: for every feature map, a 3×3 convolution predicting 4 box offsets per anchor and
/// one predicting `classes + 1` logits per anchor (class 0 is background).
///
/// Outputs are gathered into two row-major arrays ordered map by map, then row, column and anchor — the
/// order of `DefaultBoxes`: `locations [B, P, 4]` and `classLogits [B, P, classes + 1]`. Each head's output is
/// reordered to NHWC, where that order is simply contiguous memory.
public final class MultiBoxHead {
    public let classes: Int
    public let anchorsPerCell: [Int]
    let normalization: L2Normalization?
    /// The head convolutions: `Conv2D` when built for training, `InferenceConv2D` in `fusedForInference()`.
    let locationConvs: [any Layer]
    let classConvs: [any Layer]
    private let engine: CPUEngine
    private var outputAdapters: [LayoutAdapter] = []
    private var gradientSums: [TensorSum] = []
    /// One NHWC gradient buffer per head convolution (locations of map i at 2i, classes at 2i + 1), reused each step.
    private var gradientBuffers: [ChannelsLastBuffer] = []
    /// Feature map sizes `(height, width)` seen by the last forward pass.
    public private(set) var mapSizes: [(height: Int, width: Int)] = []
    private var batch = 0

    init(architecture: BackboneArchitecture, classes: Int, builder: inout NetworkBuilder) {
        self.classes = classes
        anchorsPerCell = architecture.anchorsPerCell
        engine = builder.engine
        normalization =
            architecture.normalizesFirstFeatureMap
            ? L2Normalization(name: "\(architecture.featureNames[0])_norm", channels: architecture.featureChannels[0], engine: engine)
            : nil
        var locations: [Conv2D] = []
        var logits: [Conv2D] = []
        for (i, channels) in architecture.featureChannels.enumerated() {
            let name = architecture.featureNames[i]
            locations.append(builder.headConv("\(name)_loc_pred_conv", inputChannels: channels, outputChannels: anchorsPerCell[i] * 4))
            logits.append(builder.headConv("\(name)_cls_pred_conv", inputChannels: channels, outputChannels: anchorsPerCell[i] * (classes + 1)))
        }
        locationConvs = locations
        classConvs = logits
        gradientSums = locations.map { _ in TensorSum(engine: builder.engine) }
        gradientBuffers = (0..<(2 * locations.count)).map { _ in ChannelsLastBuffer(engine: builder.engine) }
    }

    /// Sets every class head's background bias to `backgroundBias` (object biases stay 0), so that training
    /// starts with every anchor confidently background — what a focal loss needs (`FocalLoss.backgroundPriorBias`).
    func startClassesAtPrior(backgroundBias: Float) {
        for case let conv as Conv2D in classConvs {
            guard let bias = conv.bias else { continue }
            for anchor in 0..<(bias.count / (classes + 1)) { bias.value[anchor * (classes + 1)] = backgroundBias }
        }
    }

    private init(
        classes: Int,
        anchorsPerCell: [Int],
        normalization: L2Normalization?,
        locationConvs: [any Layer],
        classConvs: [any Layer],
        engine: CPUEngine
    ) {
        self.classes = classes
        self.anchorsPerCell = anchorsPerCell
        self.normalization = normalization
        self.locationConvs = locationConvs
        self.classConvs = classConvs
        self.engine = engine
    }

    /// An inference-only copy whose convolutions keep their weights in the primitives' layouts (`InferenceConv2D`);
    /// it shares the L2 normalization layer with this head.
    func fusedForInference() -> MultiBoxHead {
        MultiBoxHead(
            classes: classes,
            anchorsPerCell: anchorsPerCell,
            normalization: normalization,
            locationConvs: InferenceFusion.fuse(locationConvs, engine: engine),
            classConvs: InferenceFusion.fuse(classConvs, engine: engine),
            engine: engine
        )
    }

    public var parameters: [Parameter] {
        (normalization?.parameters ?? []) + zip(locationConvs, classConvs).flatMap { $0.parameters + $1.parameters }
    }

    /// Total anchors for the last forward pass.
    public var anchorCount: Int { zip(mapSizes, anchorsPerCell).reduce(0) { $0 + $1.0.height * $1.0.width * $1.1 } }

    /// Runs every head and gathers the predictions.
    /// - Returns: `locations` `[B, P, 4]` and `classLogits` `[B, P, classes + 1]`, row-major.
    func forward(_ features: [Tensor], mode: ForwardMode) throws -> (locations: [Float], classLogits: [Float]) {
        precondition(features.count == locationConvs.count, "expected \(locationConvs.count) feature maps, got \(features.count)")
        batch = features[0].dims[0]
        mapSizes = features.map { ($0.dims[2], $0.dims[3]) }
        if outputAdapters.isEmpty { outputAdapters = (0..<(2 * features.count)).map { _ in LayoutAdapter(engine: engine) } }
        var locations = [Float](repeating: 0, count: batch * anchorCount * 4)
        var logits = [Float](repeating: 0, count: batch * anchorCount * (classes + 1))
        var anchorOffset = 0
        for (i, feature) in features.enumerated() {
            let input = i == 0 ? try normalization?.forward(feature, mode: mode) ?? feature : feature
            let mapAnchors = mapSizes[i].height * mapSizes[i].width * anchorsPerCell[i]
            try gather(
                locationConvs[i].forward(input, mode: mode),
                adapter: outputAdapters[2 * i],
                into: &locations,
                width: 4,
                offset: anchorOffset,
                mapAnchors: mapAnchors
            )
            try gather(
                classConvs[i].forward(input, mode: mode),
                adapter: outputAdapters[2 * i + 1],
                into: &logits,
                width: classes + 1,
                offset: anchorOffset,
                mapAnchors: mapAnchors
            )
            anchorOffset += mapAnchors
        }
        return (locations, logits)
    }

    /// Propagates the loss gradients back through every head.
    /// - Returns: the gradient with respect to each feature map.
    func backward(locationGradient: [Float], classGradient: [Float]) throws -> [Tensor] {
        var anchorOffset = 0
        var gradients: [Tensor] = []
        for i in locationConvs.indices {
            let mapAnchors = mapSizes[i].height * mapSizes[i].width * anchorsPerCell[i]
            let fromLocations = try locationConvs[i].backward(
                scatter(locationGradient, width: 4, offset: anchorOffset, map: i, mapAnchors: mapAnchors, slot: 2 * i)
            )!
            let fromClasses = try classConvs[i].backward(
                scatter(classGradient, width: classes + 1, offset: anchorOffset, map: i, mapAnchors: mapAnchors, slot: 2 * i + 1)
            )!
            var gradient = try gradientSums[i].add(fromLocations, fromClasses)
            if i == 0, let normalization { gradient = try normalization.backward(gradient)! }
            gradients.append(gradient)
            anchorOffset += mapAnchors
        }
        return gradients
    }

    /// Copies one head's output `[B, A·width, H, W]` (as NHWC) into rows `offset..<offset + mapAnchors` of each image.
    private func gather(_ output: Tensor, adapter: LayoutAdapter, into destination: inout [Float], width: Int, offset: Int, mapAnchors: Int) throws {
        let nhwc = try adapter.channelsLast(output).values
        let perImage = mapAnchors * width
        let total = anchorCount * width
        destination.withUnsafeMutableBufferPointer { out in
            for b in 0..<batch {
                (out.baseAddress! + b * total + offset * width).update(from: nhwc.baseAddress! + b * perImage, count: perImage)
            }
        }
    }

    /// The inverse of `gather`: one head's slice of a gradient as an NHWC tensor.
    private func scatter(_ gradient: [Float], width: Int, offset: Int, map: Int, mapAnchors: Int, slot: Int) throws -> Tensor {
        let dims = [batch, anchorsPerCell[map] * width, mapSizes[map].height, mapSizes[map].width]
        let tensor = try gradientBuffers[slot].tensor(dims)
        let perImage = mapAnchors * width
        let total = anchorCount * width
        let destination = tensor.values.baseAddress!
        gradient.withUnsafeBufferPointer { source in
            for b in 0..<batch {
                (destination + b * perImage).update(from: source.baseAddress! + b * total + offset * width, count: perImage)
            }
        }
        return tensor
    }
}
