import Testing

@testable import ImageCodec

@Suite("line charts")
struct LineChartTests {
    @Test("ticks land on 1, 2 or 5 × 10ⁿ covering the data; whole numbers when asked")
    func ticks() {
        let loss = LineChart.ticks(2.62...3.79, fixed: false)
        #expect(loss.labels == ["2.6", "2.8", "3.0", "3.2", "3.4", "3.6", "3.8"])
        #expect(abs(loss.range.lowerBound - 2.6) < 1e-9 && abs(loss.range.upperBound - 3.8) < 1e-9)
        let epochs = LineChart.ticks(0.5...3.5, fixed: true, minimumStep: 1)
        #expect(epochs.values == [1, 2, 3] && epochs.labels == ["1", "2", "3"])
        #expect(LineChart.ticks(0...1, fixed: true).labels == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
    }

    @Test("a diagonal line is anti-aliased (partial coverage at its edges) and drawn in its series' colour; the legend names it")
    func render() {
        let chart = LineChart(
            title: "t",
            xLabel: "x",
            yLabel: "y",
            series: [.init(name: "line", points: [(0, 0), (1, 1)], color: (0, 0, 255))],
            xRange: 0...1,
            yRange: 0...1
        )
        let image = chart.render(width: 300, height: 200, textScale: 1)
        var blues = 0
        var partial = 0
        for index in stride(from: 0, to: image.pixels.count, by: 3) {
            let (r, g, b) = (image.pixels[index], image.pixels[index + 1], image.pixels[index + 2])
            if r == 0 && g == 0 && b == 255 { blues += 1 }
            if b == 255 && r > 0 && r < 255 && r == g { partial += 1 }
        }
        #expect(blues > 100, "the line is not drawn: \(blues) full-colour pixels")
        #expect(partial > 50, "the line's edges are not blended: \(partial) partial pixels")
        #expect(TextDrawing.glyphs["A"] == [0x0E, 0x11, 0x11, 0x11, 0x1F, 0x11, 0x11])
    }

    @Test("the lowest and highest points sit inside the frame, not on its edge, whether the y range is the data's or given")
    func yMargin() {
        for yRange in [nil, 0.0...1.0] as [ClosedRange<Double>?] {
            let chart = LineChart(
                title: "t", xLabel: "x", yLabel: "y",
                series: [.init(name: "low", points: [(0, 0), (1, 0)], color: (0, 0, 255)), .init(name: "high", points: [(0, 1), (1, 1)], color: (255, 0, 0))],
                xRange: 0...1, yRange: yRange
            )
            let image = chart.render(width: 300, height: 200, textScale: 1)
            func rows(where match: (UInt8, UInt8, UInt8) -> Bool, atLeast count: Int) -> [Int] {
                (0..<image.height).filter { y in
                    (0..<image.width).filter { x in
                        let i = (y * image.width + x) * 3
                        return match(image.pixels[i], image.pixels[i + 1], image.pixels[i + 2])
                    }.count >= count
                }
            }
            let frameTop = rows(where: { $0 == 200 && $1 == 200 && $2 == 200 }, atLeast: 150).min() ?? 0
            let frameBottom = rows(where: { $0 == 60 && $1 == 60 && $2 == 60 }, atLeast: 150).max() ?? 0
            let blue = rows(where: { $0 == 0 && $1 == 0 && $2 == 255 }, atLeast: 100)
            let red = rows(where: { $0 == 255 && $1 == 0 && $2 == 0 }, atLeast: 100)
            #expect(frameTop > 0 && frameBottom > frameTop)
            #expect(!red.isEmpty && red.min()! > frameTop + 3, "the highest line touches the top edge (\(red) vs \(frameTop)), range \(String(describing: yRange))")
            #expect(!blue.isEmpty && blue.max()! < frameBottom - 3, "the lowest line touches the bottom edge (\(blue) vs \(frameBottom)), range \(String(describing: yRange))")
        }
    }
}
