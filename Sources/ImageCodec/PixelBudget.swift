/// The most pixels any decode may produce. A few bytes of PNG or JPEG can declare 100000×100000 pixels (30 GB of
/// RGB); every decoder checks the dimensions a file's header declares against this budget before it allocates, so
/// one hostile image is an error and not the end of the process that reads it (endpoint, training, label import).
public enum PixelBudget {
    /// 50 megapixels: the largest phone and camera photos (48–50 MP) decode; 150 MB of RGB at most.
    public static let maximumPixels = 50_000_000

    /// - Throws: `ImageCodecError` when `width × height` exceeds the budget.
    static func check(width: Int, height: Int, format: String) throws {
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        guard !overflow, pixels <= maximumPixels else {
            throw ImageCodecError("\(format) declares \(width)×\(height) pixels, more than the \(maximumPixels) Apiary decodes")
        }
    }
}
