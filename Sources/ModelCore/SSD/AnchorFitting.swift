import Foundation

/// Default-box sizes fitted to a training set's boxes, for a job that does not choose its own.
///
/// MXNet's sizes run from 0.1 to 0.96 of the image side, geometrically, one pair per feature map. Objects
/// smaller than the smallest size only match the anchor the bipartite stage forces on them (an IoU of a
/// 0.05-sided box with a 0.1-sided anchor is 0.25 at best), so a set of small bees trains from one positive
/// each, while anchors for sizes no object has go unused. The fit keeps the layout — the same number of
/// sizes per map, so the same head, growing geometrically from map to map, ratios unchanged — and moves its
/// two ends to the data:
///
///     s_low  = min(0.1, 0.9 · q05)          q05, q98: 5th and 98th percentiles of √(w·h) over every box
///     s_high = clamp(1.2 · q98, 0.5, 0.88)  (normalised to the image, as the square-resized network sees it)
///     s_k    = s_low · (s_high / s_low)^(k / (K − 1))          k = 0 … K − 1, one per feature map
///     sizes_k = [s_k, √(s_k · s_{k+1})]                         (the last map: √(s_k · min(1, s_k · s_k / s_{k−1})))
///
/// The lower end only ever moves down (never above MXNet's 0.1), the upper end at most to MXNet's 0.88: a data set
/// like the course's (5th percentile 0.09) keeps nearly MXNet's sizes. The sizes are stored in the artifact's
/// symbol, so the endpoint decodes with the anchors the network was trained on.
public enum AnchorFitting {
    /// The fitted per-map sizes for `boxes` (normalised corners), each map with `sizesPerMap[k]` sizes (1 or 2).
    /// Returns `nil` when there are too few boxes to fit (fewer than 20): keep the defaults then.
    public static func sizes(for boxes: [BoundingBox], sizesPerMap: [Int]) -> [[Float]]? {
        let scales = boxes.compactMap { box -> Float? in
            let side = (max(0, box.width) * max(0, box.height)).squareRoot()
            return side > 0 ? side : nil
        }.sorted()
        guard scales.count >= 20, sizesPerMap.count >= 2, sizesPerMap.allSatisfy({ $0 == 1 || $0 == 2 }) else { return nil }
        func quantile(_ q: Float) -> Float { scales[min(scales.count - 1, Int(q * Float(scales.count - 1)))] }
        let low = min(0.1, 0.9 * quantile(0.05))
        let high = min(0.88, max(0.5, 1.2 * quantile(0.98)))
        let maps = sizesPerMap.count
        let primary = (0..<maps).map { k in low * pow(high / low, Float(k) / Float(maps - 1)) }
        return primary.indices.map { k in
            let next = k + 1 < maps ? primary[k + 1] : min(1, primary[k] * primary[k] / primary[k - 1])
            let sizes = [primary[k], (primary[k] * next).squareRoot()]
            return Array(sizes.prefix(sizesPerMap[k]))
        }
    }
}
