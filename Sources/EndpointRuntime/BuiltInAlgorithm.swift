/// The algorithm images Apiary runs itself: deploying, training and describing all ask whether a job's or model's
/// image is one of them.
public enum BuiltInAlgorithm {
    /// Whether `image` is the built-in Object Detection algorithm: repository `object-detection` in
    /// `<account>.dkr.ecr.<region>.amazonaws.com/object-detection:<tag>` (sagemaker-api.md §10.1). The
    /// registry, region, tag and digest are ignored.
    public static func isObjectDetection(image: String) -> Bool {
        var reference = Substring(image)
        if let at = reference.firstIndex(of: "@") { reference = reference[..<at] }
        var components = reference.split(separator: "/", omittingEmptySubsequences: false)
        if components.count > 1, let registry = components.first, registry.contains(".") || registry.contains(":") || registry == "localhost" {
            components.removeFirst()
        }
        guard components.count == 1 else { return false }
        let repository = components[0].split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)[0]
        return repository == "object-detection"
    }
}
