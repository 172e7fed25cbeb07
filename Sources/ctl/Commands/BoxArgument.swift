import AWSProtocol
import ArgumentParser

/// `--box left,top,width,height` in pixels of the upright image.
struct BoxArgument: ExpressibleByArgument {
    let left: Double
    let top: Double
    let width: Double
    let height: Double

    init?(argument: String) {
        let parts = argument.split(separator: ",")
        let numbers = parts.compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard numbers.count == 4, numbers.count == parts.count else { return nil }
        (left, top, width, height) = (numbers[0], numbers[1], numbers[2], numbers[3])
    }

    /// `[left, top, width, height]`, as an edit line's `"box"`.
    var json: JSONValue { .array([left, top, width, height].map(JSONValue.double)) }

    static var defaultValueDescription: String { "left,top,width,height" }
}
