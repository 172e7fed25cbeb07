import ImageCodec

/// SSD's random crop with overlap constraints (Liu et al. 2016, §2.2 "Data augmentation").
///
/// Cropping zooms in, making objects larger and partially visible, and the overlap constraints make sure
/// the crop still contains enough of some object to learn from. This follows the Caffe reference's
/// "batch sampler" (also GluonCV's `random_crop_with_constraints`):
///
/// - candidates start with the whole image;
/// - for each entry of `minimumOverlaps` (`nil` = unconstrained, then 0.1, 0.3, 0.5, 0.7, 0.9), up to
///   `maximumTrials` random crops are drawn, with area fraction `s² ∈ scaleRange²` and aspect ratio in
///   `aspectRatioRange` (also limited to `s²…1/s²`, so the crop fits); the first whose IoU with **some**
///   ground-truth box reaches the minimum becomes a candidate (Caffe's `SatisfySampleConstraint`; GluonCV
///   asks all boxes to overlap, which small, scattered bees almost never do);
/// - one candidate is picked uniformly; boxes whose centre lies inside it are kept and clipped to it,
///   others dropped. A candidate that would keep no box (of an image that has some) is discarded and
///   another picked, so the whole image is the fallback.
public struct RandomCrop: Sendable, Equatable {
    /// Minimum IoU of some box with the crop, one sampler per entry; `nil` samples without constraint.
    public var minimumOverlaps: [Float?]
    /// Range of the crop side relative to the image side (its square is the area fraction).
    public var scaleRange: ClosedRange<Float>
    /// Range of the crop's width/height ratio relative to the image's.
    public var aspectRatioRange: ClosedRange<Float>
    /// Crops drawn per sampler before giving up on it.
    public var maximumTrials: Int

    public init(
        minimumOverlaps: [Float?] = [nil, 0.1, 0.3, 0.5, 0.7, 0.9],
        scaleRange: ClosedRange<Float> = 0.3...1,
        aspectRatioRange: ClosedRange<Float> = 0.5...2,
        maximumTrials: Int = 50
    ) {
        precondition(scaleRange.lowerBound > 0 && scaleRange.upperBound <= 1, "crop scales must lie in (0, 1]")
        precondition(aspectRatioRange.lowerBound > 0 && aspectRatioRange.contains(1), "the aspect-ratio range must contain 1")
        self.minimumOverlaps = minimumOverlaps
        self.scaleRange = scaleRange
        self.aspectRatioRange = aspectRatioRange
        self.maximumTrials = maximumTrials
    }

    /// A crop rectangle in pixels of the window it is taken from.
    struct Rectangle: Sendable, Equatable {
        var x: Int
        var y: Int
        var width: Int
        var height: Int
        var box: BoundingBox { BoundingBox(x: Float(x), y: Float(y), width: Float(width), height: Float(height)) }
    }

    /// Chooses a crop of a `width × height` window with `boxes` (pixel coordinates, already clipped to it)
    /// and returns it with the kept boxes in the crop's pixel coordinates.
    func sample(width: Int, height: Int, boxes: [GroundTruthBox], random: inout SeededGenerator) -> (Rectangle, [GroundTruthBox]) {
        let whole = Rectangle(x: 0, y: 0, width: width, height: height)
        var candidates = [whole]
        for minimumOverlap in minimumOverlaps {
            for _ in 0..<maximumTrials {
                let crop = randomRectangle(width: width, height: height, random: &random)
                let satisfied: Bool
                if let minimumOverlap {
                    let cropBox = crop.box
                    satisfied = boxes.contains { $0.box.intersectionOverUnion(cropBox) >= minimumOverlap }
                } else {
                    satisfied = true
                }
                if satisfied {
                    candidates.append(crop)
                    break
                }
            }
        }
        while !candidates.isEmpty {
            let index = min(Int(random.nextUniform() * Float(candidates.count)), candidates.count - 1)
            let crop = candidates.remove(at: index)
            let kept = Self.boxes(boxes, keptBy: crop)
            if boxes.isEmpty || !kept.isEmpty { return (crop, kept) }
        }
        return (whole, boxes)
    }

    /// A crop of random scale, aspect ratio and position that fits inside `width × height`. Three or four draws.
    func randomRectangle(width: Int, height: Int, random: inout SeededGenerator) -> Rectangle {
        let scale = scaleRange.lowerBound + random.nextUniform() * (scaleRange.upperBound - scaleRange.lowerBound)
        // Limiting the aspect ratio to s²…1/s² keeps both sides ≤ the image's.
        let lowest = max(aspectRatioRange.lowerBound, scale * scale)
        let highest = min(aspectRatioRange.upperBound, 1 / (scale * scale))
        let aspect = lowest + random.nextUniform() * (highest - lowest)
        let cropWidth = min(max(Int(Float(width) * scale * aspect.squareRoot()), 1), width)
        let cropHeight = min(max(Int(Float(height) * scale / aspect.squareRoot()), 1), height)
        let x = min(Int(random.nextUniform() * Float(width - cropWidth + 1)), width - cropWidth)
        let y = min(Int(random.nextUniform() * Float(height - cropHeight + 1)), height - cropHeight)
        return Rectangle(x: x, y: y, width: cropWidth, height: cropHeight)
    }

    /// The boxes whose centre lies inside `crop` (edges included, as Caffe's `MeetEmitConstraint`),
    /// moved into the crop's coordinates and clipped to it; those thinner than a pixel are dropped.
    static func boxes(_ boxes: [GroundTruthBox], keptBy crop: Rectangle) -> [GroundTruthBox] {
        let region = crop.box
        let inside = boxes.filter { object in
            let (cx, cy) = (object.box.centerX, object.box.centerY)
            return cx >= region.xmin && cx <= region.xmax && cy >= region.ymin && cy <= region.ymax
        }
        return BoxMapping.clipped(BoxMapping.translated(inside, dx: -crop.x, dy: -crop.y), width: crop.width, height: crop.height)
    }

    /// Crops a window and moves its boxes (pixel coordinates of the window) along.
    func apply(to window: ImageWindow, boxes: [GroundTruthBox], random: inout SeededGenerator) -> (ImageWindow, [GroundTruthBox]) {
        let (crop, kept) = sample(width: window.width, height: window.height, boxes: boxes, random: &random)
        return (window.cropped(x: crop.x, y: crop.y, width: crop.width, height: crop.height), kept)
    }

    /// Crops `image` on its own (boxes in pixel coordinates in and out).
    public func apply(_ image: RGBImage, boxes: [GroundTruthBox], random: inout SeededGenerator) -> (RGBImage, [GroundTruthBox]) {
        let clipped = BoxMapping.clipped(boxes, width: image.width, height: image.height)
        let (window, kept) = apply(to: ImageWindow(sourceWidth: image.width, sourceHeight: image.height), boxes: clipped, random: &random)
        return (window.render(image, fill: .zero), kept)
    }
}
