import Foundation
import ImageCodec

/// One generated photo with everything known about it.
struct RenderedSample {
    /// A bee as drawn, and its label (`nil` when too little of it shows to be labelled).
    struct Bee {
        var mask: BeeMask
        var box: PixelBox?
        var visibleFraction: Float
    }

    var image: RGBImage
    var jpegQuality: Int
    var bees: [Bee]

    /// The ground-truth boxes, in drawing order.
    var boxes: [PixelBox] { bees.compactMap(\.box) }
}

/// Lays out one photo — size, setting, flowers, leaves, other insects, bees, occluders, camera — from a
/// generator seeded by `(seed, split, index)` alone, so any image can be rendered on its own, in any order.
enum SampleComposer {
    /// A bee is labelled only if at least this fraction of the pixels it painted shows in the photo…
    static let minimumVisibleFraction: Float = 0.3
    /// …and its visible box is at least this many pixels on each side.
    static let minimumBoxSide = 6

    static func render(seed: UInt64, split: UInt64, index: Int, style: SampleStyle = .course) -> RenderedSample {
        var random = SeededRandom(seed: seed, stream: split, UInt64(index))
        let (width, height) = imageSize(&random)
        let size = Float(min(width, height))
        var scene = SampleScene(width: width, height: height)
        BackgroundPainter.paint(&scene.canvas, weights: style.backgroundWeights, random: &random)

        // Out-of-focus flowers and leaves between the background and the subject.
        for _ in 0..<random.int(0...style.maximumDistractors) {
            let center = SIMD2(random.unit() * Float(width), random.unit() * Float(height))
            DistractorPainter.flower(
                &scene.canvas,
                center: center,
                radius: size * random.uniform(0.08, 0.25),
                tilt: random.uniform(0.5, 1),
                random: &random,
                feather: size * random.uniform(0.015, 0.04)
            )
        }

        // Where the bees go, and which of them sit on a flower.
        let bees = placeBees(&random, width: width, height: height, style: style)
        var occupied = bees.map { (center: $0.frame.center, radius: $0.frame.length * 0.55) }
        for bee in bees where bee.onFlower {
            let radius = bee.frame.length * random.uniform(0.55, 1.1)
            let offset = SIMD2(random.normal(), random.normal()) * bee.frame.length * 0.1
            let stemAngle = Float.pi / 2 + random.normal() * 0.4
            DistractorPainter.stem(
                &scene.canvas,
                from: bee.frame.center + offset,
                to: bee.frame.center + offset + SIMD2(cos(stemAngle), sin(stemAngle)) * radius * random.uniform(2, 4),
                radius: radius * 0.07
            )
            DistractorPainter.flower(&scene.canvas, center: bee.frame.center + offset, radius: radius, tilt: random.uniform(0.6, 1), random: &random)
        }

        // In-focus distractors away from the bees: flowers, leaves, other insects.
        for _ in 0..<random.int(0...style.maximumDistractors) {
            guard let (center, radius) = freeSpot(&random, width: width, height: height, radius: size * random.uniform(0.06, 0.2), avoiding: occupied)
            else { continue }
            if random.chance(0.6) {
                DistractorPainter.flower(&scene.canvas, center: center, radius: radius, tilt: random.uniform(0.5, 1), random: &random)
            } else {
                let angle = random.uniform(0, 2 * .pi)
                let tip = center + SIMD2(cos(angle), sin(angle)) * radius * 2
                DistractorPainter.leaf(&scene.canvas, base: center, tip: tip, width: radius * 0.45, random: &random)
            }
            occupied.append((center, radius))
        }
        if random.chance(style.insectChance) {
            for _ in 0..<random.int(1...2) {
                let length = size * random.uniform(0.12, 0.4)
                guard let (center, _) = freeSpot(&random, width: width, height: height, radius: length * 0.6, avoiding: occupied) else { continue }
                let kind = InsectPainter.Kind.allCases[random.weighted([0.45, 0.3, 0.25])]
                let frame = BodyFrame(center: center, heading: random.uniform(0, 2 * .pi), length: length, squash: random.uniform(0.75, 1))
                InsectPainter.paint(kind, &scene.canvas, frame: frame, random: &random)
                occupied.append((center, length * 0.6))
            }
        }

        // The bees, then whatever hides part of them.
        for bee in bees {
            scene.add(BeePainter.paint(bee.look, frame: bee.frame, blur: bee.blur), isBee: true)
        }
        for bee in bees where random.chance(0.15) {
            scene.add(occluder(over: bee.frame, random: &random), isBee: false)
        }

        let image = PhotoFinish.develop(scene.canvas, random: &random)
        let rendered = scene.bees.map { mask -> RenderedSample.Bee in
            let (box, count) = mask.visibleExtent()
            let fraction = Float(count) / Float(max(mask.paintedCount, 1))
            let labelled = box.map { fraction >= minimumVisibleFraction && $0.width >= minimumBoxSide && $0.height >= minimumBoxSide }
            return RenderedSample.Bee(mask: mask, box: labelled == true ? box : nil, visibleFraction: fraction)
        }
        return RenderedSample(image: image, jpegQuality: random.int(80...95), bees: rendered)
    }

    /// Sizes like the course's photos: mostly 500 px on the long side, square or 4:3/3:2, either orientation.
    private static func imageSize(_ random: inout SeededRandom) -> (Int, Int) {
        let long = [500, 640, random.int(400...640)][random.weighted([0.55, 0.15, 0.3])]
        let aspect: Float = [1, 4.0 / 3, 3.0 / 2, 5.0 / 4, 16.0 / 10][random.weighted([0.3, 0.35, 0.2, 0.1, 0.05])]
        let short = Int((Float(long) / aspect).rounded())
        return random.chance(0.35) ? (short, long) : (long, short)
    }

    /// A bee to be drawn: pose and look, camera blur, and whether it sits on a flower.
    private struct PlannedBee {
        var frame: BodyFrame
        var look: BeeLook
        var blur: BeePainter.Blur
        var onFlower: Bool
    }

    private static func placeBees(_ random: inout SeededRandom, width: Int, height: Int, style: SampleStyle) -> [PlannedBee] {
        let size = Float(min(width, height))
        let count = random.weighted(style.beeCountWeights)
        var bees: [PlannedBee] = []
        for _ in 0..<count {
            var length: Float
            if count == 1 {
                length = size * (random.chance(0.75) ? random.uniform(0.3, 0.75) : random.uniform(0.15, 0.3))
            } else {
                length = size * random.uniform(0.12, 0.45 - 0.05 * Float(count))
            }
            // The course style draws no factor, so its images stay byte-identical to the original sample.
            if style.beeScale != 1...1 { length *= random.uniform(style.beeScale.lowerBound, style.beeScale.upperBound) }
            let truncated = random.chance(style.truncationChance)
            for _ in 0..<20 {
                let center =
                    truncated ? edgePoint(&random, width: width, height: height, length: length) : interiorPoint(&random, width, height, length)
                let crowded = bees.contains { other in
                    let d = other.frame.center - center
                    return (d.x * d.x + d.y * d.y).squareRoot() < 0.5 * (other.frame.length + length)
                }
                if crowded { continue }
                let look = BeeLook.random(&random)
                let squash = look.sideView ? (random.chance(0.5) ? 1 : -1) * random.uniform(0.85, 1) : random.uniform(0.7, 1)
                let frame = BodyFrame(center: center, heading: random.uniform(0, 2 * .pi), length: length, squash: squash)
                var blur = BeePainter.Blur()
                switch random.weighted([0.7, 0.18, 0.12]) {
                case 1: blur.sigma = random.uniform(0.8, 1 + length * 0.025)
                case 2:
                    let angle = random.uniform(0, 2 * .pi)
                    blur.motion = SIMD2(cos(angle), sin(angle)) * random.uniform(3, 3 + length * 0.1)
                default: break
                }
                bees.append(PlannedBee(frame: frame, look: look, blur: blur, onFlower: random.chance(0.55)))
                break
            }
        }
        return bees
    }

    private static func interiorPoint(_ random: inout SeededRandom, _ width: Int, _ height: Int, _ length: Float) -> SIMD2<Float> {
        let margin = length * 0.4
        let x = margin < Float(width) / 2 ? random.uniform(margin, Float(width) - margin) : Float(width) / 2
        let y = margin < Float(height) / 2 ? random.uniform(margin, Float(height) - margin) : Float(height) / 2
        return SIMD2(x, y)
    }

    /// A centre close enough to one border that the bee is cut off by it.
    private static func edgePoint(_ random: inout SeededRandom, width: Int, height: Int, length: Float) -> SIMD2<Float> {
        let inset = random.uniform(-0.1, 0.25) * length
        let along = random.unit()
        switch random.int(0...3) {
        case 0: return SIMD2(inset, along * Float(height))
        case 1: return SIMD2(Float(width) - inset, along * Float(height))
        case 2: return SIMD2(along * Float(width), inset)
        default: return SIMD2(along * Float(width), Float(height) - inset)
        }
    }

    /// A point at least `radius` away from every occupied disc (and inside the image), if one is found.
    private static func freeSpot(
        _ random: inout SeededRandom,
        width: Int,
        height: Int,
        radius: Float,
        avoiding occupied: [(center: SIMD2<Float>, radius: Float)]
    ) -> (SIMD2<Float>, Float)? {
        for _ in 0..<12 {
            let p = SIMD2(random.unit() * Float(width), random.unit() * Float(height))
            let free = occupied.allSatisfy { disc in
                let d = disc.center - p
                return (d.x * d.x + d.y * d.y).squareRoot() > disc.radius + radius
            }
            if free { return (p, radius) }
        }
        return nil
    }

    /// A petal or leaf lying across part of a bee, as a layer drawn over it.
    private static func occluder(over frame: BodyFrame, random: inout SeededRandom) -> Canvas {
        let angle = random.uniform(0, 2 * .pi)
        let direction = SIMD2(cos(angle), sin(angle))
        let target = frame.toImage(SIMD2(random.uniform(-0.4, 0.3), random.uniform(-0.15, 0.15)))
        let base = target + direction * frame.length * random.uniform(0.5, 0.9)
        let tip = target - direction * frame.length * random.uniform(0, 0.25)
        let width = frame.length * random.uniform(0.06, 0.14)
        var layer = Canvas(covering: Blade(base: base, tip: tip, halfWidth: width).bounds, margin: 2)
        if random.chance(0.5) {
            DistractorPainter.petal(&layer, base: base, tip: tip, width: width, random: &random)
        } else {
            DistractorPainter.leaf(&layer, base: base, tip: tip, width: width, random: &random)
        }
        return layer
    }
}
