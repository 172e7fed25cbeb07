import Foundation

/// `freeze_layer_pattern`: a regular expression selecting the parameters that keep their (pretrained)
/// values during training.
///
/// The MXNet SSD lineage froze every argument name for which `re.compile(pattern).match(name)` succeeded —
/// `re.match` anchors at the start of the name but not at its end — so `matches` uses
/// `NSRegularExpression` with `.anchored` the same way. ICU and Python regular expressions agree on the
/// constructs such patterns use (`^`, groups, `|`, classes, `.*`); Python-only syntax such as `(?P<name>…)`
/// is rejected as invalid. An empty pattern freezes nothing.
///
/// The names matched are whatever the network gives its parameters; documentation examples such as
/// `"^(conv1_|conv2_).*"` assume MXNet's vgg16/resnet-50 argument names.
public struct FreezeLayerPattern: Sendable, Equatable {
    /// The pattern as supplied.
    public let pattern: String

    /// Validates `pattern`; throws `HyperparameterError.invalidValue` for `freeze_layer_pattern` when it
    /// does not compile.
    public init(_ pattern: String) throws {
        self.pattern = pattern
        if !pattern.isEmpty { _ = try compile() }
    }

    /// Whether the parameter `name` is frozen.
    public func matches(_ name: String) -> Bool {
        guard let regex = try? compile() else { return false }
        return Self.matches(regex, name)
    }

    /// Sets `isFrozen` on every parameter whose name matches (and leaves the others as they are); returns the
    /// names frozen, in order. The expression is compiled once for the whole list.
    @discardableResult
    public func freeze(_ parameters: [Parameter]) -> [String] {
        guard let regex = try? compile() else { return [] }
        var frozen: [String] = []
        for parameter in parameters where Self.matches(regex, parameter.name) {
            parameter.isFrozen = true
            frozen.append(parameter.name)
        }
        return frozen
    }

    /// The compiled expression, `nil` for the empty pattern. `NSRegularExpression` is compiled on demand
    /// rather than stored, which keeps this type a plain `Sendable` value.
    private func compile() throws -> NSRegularExpression? {
        if pattern.isEmpty { return nil }
        do {
            return try NSRegularExpression(pattern: pattern)
        } catch {
            throw HyperparameterError.invalidValue(name: "freeze_layer_pattern", value: pattern, expected: "a valid regular expression")
        }
    }

    private static func matches(_ regex: NSRegularExpression?, _ name: String) -> Bool {
        guard let regex else { return false }
        let range = NSRange(name.startIndex..<name.endIndex, in: name)
        return regex.firstMatch(in: name, options: .anchored, range: range) != nil
    }
}
