/// What Apiary makes of a Ground Truth `source-ref`.
enum SourceRef {
    /// The image's name in a dataset: the source-ref's path without scheme and bucket
    /// (`s3://bees/images/1.jpg` → `images/1.jpg`), so different source-refs keep different names.
    static func fileName(of sourceRef: String) -> String {
        var path = Substring(sourceRef)
        if let scheme = path.range(of: "://") {
            path = path[scheme.upperBound...]
            path = path.drop { $0 != "/" }
        }
        let name = path.drop { $0 == "/" }
        return name.isEmpty ? sourceRef : String(name)
    }
}
