#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// SSD's box encoding: a box relative to its default box as centre offsets and log size ratios, each divided by a
/// "variance" (MXNet `MultiBoxTarget` / `MultiBoxDetection`).
///
/// For an anchor with centre `(ax, ay)` and size `(aw, ah)` and a box with centre `(gx, gy)` and size `(gw, gh)`:
/// ```
/// dx = (gx - ax) / aw / vx        dy = (gy - ay) / ah / vy
/// dw = log(gw / aw) / vw          dh = log(gh / ah) / vh
/// ```
/// `decode` is the exact inverse. Offsets are `SIMD4<Float>` in the order `(dx, dy, dw, dh)`, the order of the
/// four location channels a prediction head emits per anchor.
public struct BoxCoder: Sendable, Hashable {
    /// `(vx, vy, vw, vh)`.
    public var variances: SIMD4<Float>

    /// SSD's and MXNet's variances `(0.1, 0.1, 0.2, 0.2)`.
    public static let ssd = BoxCoder()

    /// Creates a coder; the default variances are SSD's.
    public init(variances: SIMD4<Float> = [0.1, 0.1, 0.2, 0.2]) {
        precondition(all(variances .> 0), "variances must be positive: \(variances)")
        self.variances = variances
    }

    /// The regression target of `box` against `anchor`, `(dx, dy, dw, dh)`.
    ///
    /// Both boxes must have positive width and height (the log is of their size ratio).
    @inlinable
    public func encode(_ box: BoundingBox, anchor: BoundingBox) -> SIMD4<Float> {
        let anchorWidth = anchor.xmax - anchor.xmin
        let anchorHeight = anchor.ymax - anchor.ymin
        let dx = (box.centerX - anchor.centerX) / anchorWidth
        let dy = (box.centerY - anchor.centerY) / anchorHeight
        let dw = log(box.width / anchorWidth)
        let dh = log(box.height / anchorHeight)
        return SIMD4(dx, dy, dw, dh) / variances
    }

    /// The box that `offsets` describe against `anchor`; not clipped.
    @inlinable
    public func decode(_ offsets: SIMD4<Float>, anchor: BoundingBox) -> BoundingBox {
        let scaled = offsets * variances
        let anchorWidth = anchor.xmax - anchor.xmin
        let anchorHeight = anchor.ymax - anchor.ymin
        return BoundingBox(
            centerX: scaled.x * anchorWidth + anchor.centerX,
            centerY: scaled.y * anchorHeight + anchor.centerY,
            width: exp(scaled.z) * anchorWidth,
            height: exp(scaled.w) * anchorHeight
        )
    }
}
