/// The training targets of one image: what every default box should predict.
public struct AnchorTargets: Sendable, Hashable {
    /// Per anchor: `0` for background, `k + 1` for ground-truth class `k` (the index into the `C + 1` logits).
    public var classTargets: [Int32]
    /// Per anchor, `[P × 4]` row-major: the encoded `(dx, dy, dw, dh)` of the matched ground-truth box; zero for
    /// background anchors.
    public var locationTargets: [Float]
    /// Number of anchors whose class target is not background.
    public var positiveCount: Int

    /// An image without objects: every one of `anchorCount` anchors is background.
    public init(backgroundOnly anchorCount: Int) {
        classTargets = [Int32](repeating: 0, count: anchorCount)
        locationTargets = [Float](repeating: 0, count: anchorCount * 4)
        positiveCount = 0
    }

    /// The anchor count `P`.
    public var anchorCount: Int { classTargets.count }
}

/// Matches ground-truth boxes to default boxes as MXNet's `MultiBoxTarget` does (the SSD paper's matching):
///
/// 1. **Bipartite stage.** Repeatedly take the highest IoU among all pairs of a not-yet-matched anchor and a
///    not-yet-matched ground-truth box and match them, until every box is matched or no pair overlaps at all
///    (IoU ≤ 1e-6). So every box that touches any anchor gets its best anchor, whatever that IoU is, and two
///    boxes never share this anchor: the one with the higher IoU wins it, the other takes its next best.
///    Ties go to the lowest anchor index, then the lowest box index.
/// 2. **Threshold stage.** Every other anchor whose best IoU over all boxes is `>= overlapThreshold` is matched
///    to that box (ties: lowest box index).
///
/// Matched anchors become positives with class target `classID + 1` and the box encoded against the anchor;
/// all others are background. A box with no area (or outside every anchor) matches nothing.
///
/// 3. **Extra positives** (off unless `extraPositives` is set; Apiary's own, not MXNet's). Each box also takes
///    its `count` highest-IoU anchors whose IoU is at least `minimumIoU` and that stages 1–2 left unmatched
///    (boxes in index order; an anchor goes to the first box that takes it). A box smaller than the smallest
///    anchors otherwise gets one positive from stage 1 and none from stage 2; YOLO-style assigners give every
///    object several, and the detector learns it from more places per image.
///
/// Differences from MXNet, both deliberate: the threshold test is `>=` (MXNet's is `>`; the two only differ at
/// an IoU of exactly `overlapThreshold`), and there is no "ignore" band — MXNet's SSD example sets its
/// `negative_mining_thresh` to 0.5 too, so there as here every unmatched anchor may be mined as a negative.
public struct TargetAssigner: Sendable {
    /// SageMaker's `overlap_threshold` default.
    public static let defaultOverlapThreshold: Float = 0.5

    /// The default boxes, in head order.
    public let anchors: [BoundingBox]
    /// The IoU from which an anchor that is not a box's best anchor becomes positive.
    public var overlapThreshold: Float
    /// The encoding of location targets.
    public var coder: BoxCoder
    /// Stage 3's extra positives per box, or `nil` for MXNet's two stages only.
    public var extraPositives: ExtraPositives?

    /// Stage 3 of the matching: up to `count` more anchors per box, each with an IoU of at least `minimumIoU`.
    public struct ExtraPositives: Sendable, Equatable {
        public var count: Int
        public var minimumIoU: Float
        public init(count: Int, minimumIoU: Float) {
            precondition(count > 0 && minimumIoU > 0, "extra positives need a count and an IoU floor above 0")
            self.count = count
            self.minimumIoU = minimumIoU
        }
    }

    /// Creates an assigner for `anchors`.
    public init(anchors: DefaultBoxes, overlapThreshold: Float = defaultOverlapThreshold, coder: BoxCoder = .ssd) {
        self.init(anchors: anchors.boxes, overlapThreshold: overlapThreshold, coder: coder)
    }

    /// Creates an assigner for an explicit anchor list (tests, custom layouts).
    public init(anchors: [BoundingBox], overlapThreshold: Float = defaultOverlapThreshold, coder: BoxCoder = .ssd) {
        precondition(anchors.allSatisfy(\.isValid), "anchors must have positive width and height")
        self.anchors = anchors
        self.overlapThreshold = overlapThreshold
        self.coder = coder
    }

    /// The targets of one image whose boxes are `groundTruth`, in the anchors' (normalised) coordinate space.
    public func callAsFunction(_ groundTruth: [GroundTruthBox]) -> AnchorTargets {
        let anchorCount = anchors.count
        var targets = AnchorTargets(backgroundOnly: anchorCount)
        let boxCount = groundTruth.count
        guard boxCount > 0 else { return targets }
        precondition(groundTruth.allSatisfy { $0.classID >= 0 && $0.classID < Int(Int32.max) }, "class ids must be >= 0")

        // match[j] = index of the box anchor j is matched to, or -1.
        var match = [Int32](repeating: -1, count: anchorCount)
        var overlaps = [Float](repeating: 0, count: anchorCount * boxCount)  // [anchor][box]
        overlaps.withUnsafeMutableBufferPointer { overlaps in
            for j in 0..<anchorCount {
                for k in 0..<boxCount {
                    overlaps[j * boxCount + k] = anchors[j].intersectionOverUnion(groundTruth[k].box)
                }
            }
            match.withUnsafeMutableBufferPointer { match in
                bipartite(overlaps: UnsafeBufferPointer(overlaps), boxCount: boxCount, match: match)
                for j in 0..<anchorCount where match[j] < 0 {
                    var best = -1
                    var bestIoU: Float = -1
                    for k in 0..<boxCount where overlaps[j * boxCount + k] > bestIoU {
                        best = k
                        bestIoU = overlaps[j * boxCount + k]
                    }
                    if bestIoU >= overlapThreshold { match[j] = Int32(best) }
                }
                if let extraPositives {
                    addExtraPositives(extraPositives, overlaps: UnsafeBufferPointer(overlaps), boxCount: boxCount, match: match)
                }
            }
        }

        var positives = 0
        targets.classTargets.withUnsafeMutableBufferPointer { classTargets in
            targets.locationTargets.withUnsafeMutableBufferPointer { locationTargets in
                for j in 0..<anchorCount where match[j] >= 0 {
                    let box = groundTruth[Int(match[j])]
                    classTargets[j] = Int32(box.classID + 1)
                    let encoded = coder.encode(box.box, anchor: anchors[j])
                    for c in 0..<4 { locationTargets[j * 4 + c] = encoded[c] }
                    positives += 1
                }
            }
        }
        targets.positiveCount = positives
        return targets
    }

    /// Stage 3: each box's best unmatched anchors above the floor, found by one scan per box.
    private func addExtraPositives(
        _ extra: ExtraPositives, overlaps: UnsafeBufferPointer<Float>, boxCount: Int, match: UnsafeMutableBufferPointer<Int32>
    ) {
        for k in 0..<boxCount {
            // The box's `count` best (IoU, anchor) pairs, kept sorted by descending IoU, then ascending anchor.
            var best: [(iou: Float, anchor: Int)] = []
            best.reserveCapacity(extra.count + 1)
            for j in 0..<match.count where match[j] < 0 {
                let iou = overlaps[j * boxCount + k]
                guard iou >= extra.minimumIoU, best.count < extra.count || iou > best[best.count - 1].iou else { continue }
                let slot = best.firstIndex { iou > $0.iou } ?? best.count
                best.insert((iou, j), at: slot)
                if best.count > extra.count { best.removeLast() }
            }
            for pair in best { match[pair.anchor] = Int32(k) }
        }
    }

    /// The bipartite stage: greedy by highest IoU over unmatched (anchor, box) pairs.
    ///
    /// Keeps each unmatched box's best unmatched anchor (lowest index on ties) and rescans a box only when its
    /// best anchor is taken: `O(G)` per match plus `O(P)` per rescan, instead of MXNet's `O(P·G)` scan per
    /// match, with the same result, ties included.
    private func bipartite(overlaps: UnsafeBufferPointer<Float>, boxCount: Int, match: UnsafeMutableBufferPointer<Int32>) {
        let anchorCount = match.count
        var boxMatched = [Bool](repeating: false, count: boxCount)
        var bestAnchor = [Int](repeating: -1, count: boxCount)
        var bestIoU = [Float](repeating: 0, count: boxCount)

        func rescan(_ k: Int) {
            bestAnchor[k] = -1
            bestIoU[k] = 1e-6  // MXNet's floor: a pair must overlap more than this
            for j in 0..<anchorCount where match[j] < 0 && overlaps[j * boxCount + k] > bestIoU[k] {
                bestAnchor[k] = j
                bestIoU[k] = overlaps[j * boxCount + k]
            }
        }
        for k in 0..<boxCount { rescan(k) }

        while true {
            // The best pair: highest IoU, then lowest anchor, then lowest box (MXNet's scan order).
            var chosen = -1
            for k in 0..<boxCount where !boxMatched[k] && bestAnchor[k] >= 0 {
                if chosen < 0 || bestIoU[k] > bestIoU[chosen] || (bestIoU[k] == bestIoU[chosen] && bestAnchor[k] < bestAnchor[chosen]) {
                    chosen = k
                }
            }
            guard chosen >= 0 else { return }
            let anchor = bestAnchor[chosen]
            match[anchor] = Int32(chosen)
            boxMatched[chosen] = true
            for k in 0..<boxCount where !boxMatched[k] && bestAnchor[k] == anchor { rescan(k) }
        }
    }
}
