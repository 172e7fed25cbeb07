import Foundation

/// A line chart drawn into an `RGBImage`: axes with "nice" ticks and grid, a title, axis labels, anti-aliased
/// lines and markers, and a legend of the series drawn — for training curves and precision–recall curves, as PNGs
/// a person opens next to the numbers.
public struct LineChart: Sendable {
    /// One named line (or, with `lineWidth` 0 and `markerRadius` > 0, a set of points).
    public struct Series: Sendable {
        public var name: String
        public var points: [(x: Double, y: Double)]
        public var color: (r: UInt8, g: UInt8, b: UInt8)
        public var lineWidth: Double
        public var markerRadius: Double

        public init(
            name: String,
            points: [(x: Double, y: Double)],
            color: (r: UInt8, g: UInt8, b: UInt8),
            lineWidth: Double = 2.5,
            markerRadius: Double = 0
        ) {
            self.name = name
            self.points = points
            self.color = color
            self.lineWidth = lineWidth
            self.markerRadius = markerRadius
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series]
    /// The axes' extents; default: the data's, padded to whole ticks.
    public var xRange: ClosedRange<Double>?
    public var yRange: ClosedRange<Double>?
    /// Ticks on whole numbers only along x (epochs).
    public var integerX = false
    /// The part of the frame's height left empty above and below the y range.
    static let yMargin = 0.05

    /// A palette that reads on white and for the common colour-blindnesses (Okabe–Ito).
    public static let palette: [(r: UInt8, g: UInt8, b: UInt8)] = [
        (0, 114, 178), (213, 94, 0), (0, 158, 115), (204, 121, 167), (230, 159, 0), (86, 180, 233),
    ]

    public init(
        title: String,
        xLabel: String,
        yLabel: String,
        series: [Series],
        xRange: ClosedRange<Double>? = nil,
        yRange: ClosedRange<Double>? = nil
    ) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.xRange = xRange
        self.yRange = yRange
    }

    /// The chart as an image of `width`×`height` pixels; text at `textScale` times the 5×7 font.
    public func render(width: Int = 800, height: Int = 520, textScale: Int = 2) -> RGBImage {
        var image = RGBImage(width: width, height: height, fill: (255, 255, 255))
        let all = series.flatMap(\.points)
        let xTicks = Self.ticks(xRange ?? Self.extent(all.map(\.x)), fixed: xRange != nil, minimumStep: integerX ? 1 : 0)
        let yTicks = Self.ticks(yRange ?? Self.extent(all.map(\.y)), fixed: yRange != nil)
        let charHeight = 9 * textScale
        let yTickWidth = yTicks.labels.map { TextDrawing.size(of: $0, scale: textScale).width }.max() ?? 0
        let plot = (
            left: Double(charHeight + 12 + yTickWidth + 8), top: Double(charHeight + 20),
            right: Double(width - 24), bottom: Double(height - 2 * charHeight - 24)
        )
        func px(_ x: Double) -> Double {
            plot.left + (x - xTicks.range.lowerBound) / (xTicks.range.upperBound - xTicks.range.lowerBound) * (plot.right - plot.left)
        }
        // The y range fills the frame but for a margin at each end, so the lowest and highest points never sit on its edge.
        let yMargin = (plot.bottom - plot.top) * Self.yMargin
        func py(_ y: Double) -> Double {
            plot.bottom - yMargin
                - (y - yTicks.range.lowerBound) / (yTicks.range.upperBound - yTicks.range.lowerBound) * (plot.bottom - plot.top - 2 * yMargin)
        }

        // Grid, ticks and their labels.
        for (value, label) in zip(xTicks.values, xTicks.labels) {
            let x = Int(px(value).rounded())
            BoxDrawing.fill(&image, x, Int(plot.top), x + 1, Int(plot.bottom), (232, 232, 232))
            BoxDrawing.fill(&image, x, Int(plot.bottom), x + 1, Int(plot.bottom) + 6, (60, 60, 60))
            let size = TextDrawing.size(of: label, scale: textScale)
            TextDrawing.draw(
                label,
                left: x - size.width / 2,
                bottom: Int(plot.bottom) + 8 + size.height,
                on: &image,
                color: (40, 40, 40),
                background: (255, 255, 255),
                scale: textScale
            )
        }
        for (value, label) in zip(yTicks.values, yTicks.labels) {
            let y = Int(py(value).rounded())
            BoxDrawing.fill(&image, Int(plot.left), y, Int(plot.right), y + 1, (232, 232, 232))
            BoxDrawing.fill(&image, Int(plot.left) - 6, y, Int(plot.left), y + 1, (60, 60, 60))
            let size = TextDrawing.size(of: label, scale: textScale)
            TextDrawing.draw(
                label,
                left: Int(plot.left) - 8 - size.width,
                bottom: y + size.height / 2,
                on: &image,
                color: (40, 40, 40),
                background: (255, 255, 255),
                scale: textScale
            )
        }
        // The frame.
        BoxDrawing.fill(&image, Int(plot.left), Int(plot.top), Int(plot.left) + 1, Int(plot.bottom) + 1, (60, 60, 60))
        BoxDrawing.fill(&image, Int(plot.left), Int(plot.bottom), Int(plot.right) + 1, Int(plot.bottom) + 1, (60, 60, 60))
        BoxDrawing.fill(&image, Int(plot.right), Int(plot.top), Int(plot.right) + 1, Int(plot.bottom) + 1, (200, 200, 200))
        BoxDrawing.fill(&image, Int(plot.left), Int(plot.top), Int(plot.right) + 1, Int(plot.top) + 1, (200, 200, 200))

        // Title, axis labels (the y label turned a quarter).
        let titleSize = TextDrawing.size(of: title, scale: textScale)
        TextDrawing.draw(
            title,
            left: (width - titleSize.width) / 2,
            bottom: 8 + titleSize.height,
            on: &image,
            color: (0, 0, 0),
            background: (255, 255, 255),
            scale: textScale
        )
        let xLabelSize = TextDrawing.size(of: xLabel, scale: textScale)
        TextDrawing.draw(
            xLabel,
            left: Int((plot.left + plot.right) / 2) - xLabelSize.width / 2,
            bottom: height - 6,
            on: &image,
            color: (0, 0, 0),
            background: (255, 255, 255),
            scale: textScale
        )
        let ySize = TextDrawing.size(of: yLabel, scale: textScale)
        if ySize.width > 0 {
            var label = RGBImage(width: ySize.width, height: ySize.height, fill: (255, 255, 255))
            TextDrawing.draw(yLabel, left: 0, bottom: ySize.height, on: &label, color: (0, 0, 0), background: (255, 255, 255), scale: textScale)
            let top = Int((plot.top + plot.bottom) / 2) - ySize.width / 2
            for y in 0..<label.height {
                for x in 0..<label.width {
                    let (tx, ty) = (6 + y, top + label.width - 1 - x)
                    guard tx >= 0, ty >= 0, tx < width, ty < height else { continue }
                    for c in 0..<3 { image.pixels[(ty * width + tx) * 3 + c] = label.pixels[(y * label.width + x) * 3 + c] }
                }
            }
        }

        // The series, clipped to the plot.
        let clip = (plot.left, plot.top, plot.right + 1, plot.bottom + 1)
        for line in series {
            var coverage = [Float](repeating: 0, count: width * height)
            let points = line.points.map { (px($0.x), py($0.y)) }
            if line.lineWidth > 0 {
                for (a, b) in zip(points, points.dropFirst()) {
                    Self.stroke(a, b, halfWidth: line.lineWidth / 2, into: &coverage, width: width, clip: clip)
                }
                if points.count == 1 { Self.stroke(points[0], points[0], halfWidth: line.lineWidth / 2, into: &coverage, width: width, clip: clip) }
            }
            if line.markerRadius > 0 {
                for point in points { Self.stroke(point, point, halfWidth: line.markerRadius, into: &coverage, width: width, clip: clip) }
            }
            Self.blend(coverage, line.color, into: &image)
        }

        // The legend: every series drawn, top right inside the plot.
        let named = series.filter { !$0.name.isEmpty && !$0.points.isEmpty }
        guard !named.isEmpty else { return image }
        let rowHeight = charHeight + 6
        let textWidth = named.map { TextDrawing.size(of: $0.name, scale: textScale).width }.max() ?? 0
        let box = (width: 12 + 28 + 8 + textWidth + 8, height: 8 + rowHeight * named.count + 2)
        let left = Int(plot.right) - box.width - 10
        let top = Int(plot.top) + 10
        BoxDrawing.fill(&image, left - 1, top - 1, left + box.width + 1, top + box.height + 1, (170, 170, 170))
        BoxDrawing.fill(&image, left, top, left + box.width, top + box.height, (255, 255, 255))
        for (index, line) in named.enumerated() {
            let middle = Double(top + 6 + index * rowHeight + rowHeight / 2)
            var coverage = [Float](repeating: 0, count: width * height)
            let all = (0.0, 0.0, Double(width), Double(height))
            if line.lineWidth > 0 {
                Self.stroke(
                    (Double(left + 12), middle),
                    (Double(left + 40), middle),
                    halfWidth: line.lineWidth / 2,
                    into: &coverage,
                    width: width,
                    clip: all
                )
            }
            if line.markerRadius > 0 {
                Self.stroke(
                    (Double(left + 26), middle),
                    (Double(left + 26), middle),
                    halfWidth: line.markerRadius,
                    into: &coverage,
                    width: width,
                    clip: all
                )
            }
            Self.blend(coverage, line.color, into: &image)
            TextDrawing.draw(
                line.name,
                left: left + 48,
                bottom: Int(middle) + charHeight / 2,
                on: &image,
                color: (0, 0, 0),
                background: (255, 255, 255),
                scale: textScale
            )
        }
        return image
    }

    /// Images side by side on white, tops aligned.
    public static func sideBySide(_ images: [RGBImage]) -> RGBImage {
        let width = images.reduce(0) { $0 + $1.width }
        let height = images.map(\.height).max() ?? 1
        var combined = RGBImage(width: max(width, 1), height: height, fill: (255, 255, 255))
        var offset = 0
        for image in images {
            for y in 0..<image.height {
                let row = y * image.width * 3
                let target = (y * combined.width + offset) * 3
                combined.pixels.replaceSubrange(target..<target + image.width * 3, with: image.pixels[row..<row + image.width * 3])
            }
            offset += image.width
        }
        return combined
    }

    /// The values' extent, widened when they are all equal (or absent).
    static func extent(_ values: [Double]) -> ClosedRange<Double> {
        guard let low = values.min(), let high = values.max() else { return 0...1 }
        return low < high ? low...high : (low - 0.5)...(high + 0.5)
    }

    /// About 6 ticks at 1, 2 or 5 × 10ⁿ (at least `minimumStep` apart) covering `range` (kept exactly when `fixed`), with their labels.
    static func ticks(
        _ range: ClosedRange<Double>,
        fixed: Bool,
        minimumStep: Double = 0
    ) -> (range: ClosedRange<Double>, values: [Double], labels: [String]) {
        let span = range.upperBound - range.lowerBound
        let rough = span / 6
        let magnitude = pow(10, floor(log10(rough)))
        let step = max(minimumStep, [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= rough } ?? 10 * magnitude)
        let low = fixed ? range.lowerBound : floor(range.lowerBound / step) * step
        let high = fixed ? range.upperBound : ceil(range.upperBound / step) * step
        let values = (Int(ceil(low / step - 1e-9))...Int(floor(high / step + 1e-9))).map { Double($0) * step }
        let decimals = max(0, -Int(floor(log10(step) + 1e-9)))
        return (low...high, values, values.map { String(format: "%.\(decimals)f", abs($0) < step * 1e-9 ? 0 : $0) })
    }

    /// Adds the coverage of a round-capped segment of half-width `halfWidth` (anti-aliased over one pixel) to
    /// `coverage`, keeping each pixel's largest.
    static func stroke(
        _ a: (Double, Double),
        _ b: (Double, Double),
        halfWidth: Double,
        into coverage: inout [Float],
        width: Int,
        clip: (Double, Double, Double, Double)
    ) {
        let height = coverage.count / width
        let reach = halfWidth + 1
        let x0 = max(Int(floor(max(min(a.0, b.0) - reach, clip.0))), 0)
        let x1 = min(Int(ceil(min(max(a.0, b.0) + reach, clip.2))), width - 1)
        let y0 = max(Int(floor(max(min(a.1, b.1) - reach, clip.1))), 0)
        let y1 = min(Int(ceil(min(max(a.1, b.1) + reach, clip.3))), height - 1)
        guard x0 <= x1, y0 <= y1 else { return }
        let (dx, dy) = (b.0 - a.0, b.1 - a.1)
        let length2 = dx * dx + dy * dy
        for y in y0...y1 {
            for x in x0...x1 {
                let (cx, cy) = (Double(x) + 0.5, Double(y) + 0.5)
                let t = length2 == 0 ? 0 : max(0, min(1, ((cx - a.0) * dx + (cy - a.1) * dy) / length2))
                let (ex, ey) = (cx - (a.0 + t * dx), cy - (a.1 + t * dy))
                let alpha = Float(max(0, min(1, halfWidth + 0.5 - (ex * ex + ey * ey).squareRoot())))
                let index = y * width + x
                if alpha > coverage[index] { coverage[index] = alpha }
            }
        }
    }

    /// Paints `color` over `image` in proportion to `coverage`.
    static func blend(_ coverage: [Float], _ color: (r: UInt8, g: UInt8, b: UInt8), into image: inout RGBImage) {
        let channels = [Float(color.r), Float(color.g), Float(color.b)]
        for (index, alpha) in coverage.enumerated() where alpha > 0 {
            for c in 0..<3 {
                let old = Float(image.pixels[index * 3 + c])
                image.pixels[index * 3 + c] = UInt8((old + (channels[c] - old) * alpha).rounded())
            }
        }
    }
}
