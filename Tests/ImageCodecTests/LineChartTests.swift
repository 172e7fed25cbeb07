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
}
