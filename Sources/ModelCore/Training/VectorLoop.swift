/// Elementwise loops over `Float` buffers in `SIMD8<Float>` chunks, the shape every optimizer update has.
///
/// ModelCore compiles with `-target-cpu haswell`, so a `SIMD8<Float>` is one AVX2 register and `+ − × ÷ √`
/// on it are single instructions. The tail (fewer than 8 elements) goes through the *same* vector code on a
/// zero-padded register and only the live lanes are written back: one formula per optimizer, so the tail
/// can never drift from the body. Lanes are independent and IEEE `+ − × ÷ √` are correctly rounded, so the
/// vector result equals the scalar formula evaluated in the same order, bit for bit (Swift does not contract
/// `a * b + c` into an FMA on its own).
///
/// One caveat, checked in the release assembly: `SIMD8<Float>.squareRoot()` compiles to eight `vsqrtss`,
/// not one `vsqrtps`, because Swift's `squareRoot()` on Linux keeps glibc's errno branch for negative
/// inputs, which blocks vectorisation. Results are still exact; the multiplies and adds are `ymm`
/// instructions. Measured on this machine: SGD ≈ 72 ms and Adam ≈ 210 ms per 25M-parameter step (SGD is
/// memory-bound), small next to a forward/backward pass.
enum VectorLoop {
    /// The lane count of one chunk.
    static let width = 8

    /// Calls `body(index, lanes)` for consecutive chunks covering `0..<count`: `lanes` is 8 except, possibly,
    /// for the last chunk.
    @inline(__always)
    static func forEachChunk(count: Int, _ body: (_ index: Int, _ lanes: Int) -> Void) {
        var index = 0
        while index + width <= count {
            body(index, width)
            index += width
        }
        if index < count { body(index, count - index) }
    }

    /// Reads `lanes` values starting at `index`; missing lanes are 0.
    @inline(__always)
    static func load(_ buffer: UnsafeMutableBufferPointer<Float>, _ index: Int, _ lanes: Int) -> SIMD8<Float> {
        if lanes == width {
            return UnsafeRawPointer(buffer.baseAddress! + index).loadUnaligned(as: SIMD8<Float>.self)
        }
        var vector = SIMD8<Float>(repeating: 0)
        for lane in 0..<lanes { vector[lane] = buffer[index + lane] }
        return vector
    }

    /// Writes the first `lanes` values of `vector` starting at `index`.
    @inline(__always)
    static func store(_ vector: SIMD8<Float>, _ buffer: UnsafeMutableBufferPointer<Float>, _ index: Int, _ lanes: Int) {
        if lanes == width {
            UnsafeMutableRawPointer(buffer.baseAddress! + index).storeBytes(of: vector, as: SIMD8<Float>.self)
            return
        }
        for lane in 0..<lanes { buffer[index + lane] = vector[lane] }
    }
}
