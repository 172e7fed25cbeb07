/// Layers run one after another; backward runs them in reverse.
public final class Sequential: Layer {
    public private(set) var layers: [any Layer]

    public init(_ layers: [any Layer] = []) { self.layers = layers }

    /// Appends a layer.
    public func append(_ layer: any Layer) { layers.append(layer) }

    public var parameters: [Parameter] { layers.flatMap(\.parameters) }
    public var buffers: [Parameter] { layers.flatMap(\.buffers) }
    public var sublayers: [any Layer] { layers }

    public func outputDims(for inputDims: [Int]) -> [Int] { layers.reduce(inputDims) { $1.outputDims(for: $0) } }

    public func forward(_ input: Tensor, mode: ForwardMode) throws -> Tensor {
        var x = input
        for layer in layers { x = try layer.forward(x, mode: mode) }
        return x
    }

    public func backward(_ outputGradient: Tensor) throws -> Tensor? {
        var gradient: Tensor? = outputGradient
        for layer in layers.reversed() {
            guard let g = gradient else { return nil }
            gradient = try layer.backward(g)
        }
        return gradient
    }
}
