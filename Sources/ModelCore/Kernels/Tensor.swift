import CDNNL

/// A float tensor living in oneDNN memory, in whatever layout the primitive that produced it chose.
///
/// Logical dimensions follow NCHW (`[batch, channels, height, width]`) for images and feature maps; the
/// physical layout may be blocked (`nChw8c`, …). Use `init(plain:dims:engine:)` and `plainValues()` to cross
/// into and out of row-major Swift arrays; everything in between stays in the library's layouts.
public final class Tensor {
    let memory: DNNLMemory

    init(_ memory: DNNLMemory) { self.memory = memory }

    /// Copies row-major values into a new tensor with a plain layout.
    /// - Parameters:
    ///   - plain: `dims.reduce(1, *)` floats in row-major (NCHW) order.
    ///   - dims: logical dimensions, rank 1…4.
    ///   - engine: the engine the tensor lives on.
    public convenience init(plain: [Float], dims: [Int], engine: CPUEngine) throws {
        precondition(plain.count == dims.reduce(1, *), "expected \(dims.reduce(1, *)) values for \(dims), got \(plain.count)")
        let memory = try DNNLMemory(DNNLMemory.descriptor(dims, DNNLMemory.plainTag(rank: dims.count)), engine: engine)
        plain.withUnsafeBytes { memory.pointer.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        self.init(memory)
    }

    /// Logical dimensions, e.g. `[N, C, H, W]`.
    public var dims: [Int] { memory.dims }

    /// Number of logical elements.
    public var count: Int { dims.reduce(1, *) }

    /// The physical buffer, in the tensor's own layout (padding of blocked layouts included).
    var values: UnsafeMutableBufferPointer<Float> { memory.floats }

    /// The values in row-major (NCHW) order, reordered from the physical layout when needed.
    public func plainValues() throws -> [Float] {
        let plainDescriptor = try DNNLMemory.descriptor(dims, DNNLMemory.plainTag(rank: dims.count))
        let plain = try LayoutAdapter(engine: memory.engine).adapt(memory, to: plainDescriptor)
        return Array(UnsafeBufferPointer(start: plain.pointer.assumingMemoryBound(to: Float.self), count: count))
    }
}
