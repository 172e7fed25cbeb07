import GroundTruthFormat

extension LabelStore {
    /// Ground Truth's "Random sample" of a stored dataset, as a new input manifest: one `{"source-ref": …}` line
    /// per sampled image, in import order. The same seed picks the same images (see `RandomSample`).
    /// - Parameters:
    ///   - percent: in `(0, 100]`; default 2 (10 of 500 images).
    ///   - sourceRefPrefix: each `source-ref` is this followed by the image's name (e.g. `s3://bees/images/`);
    ///     default: the source-ref recorded at import.
    public func sampleManifest(
        of dataset: Dataset,
        percent: Double = RandomSample.defaultPercent,
        seed: UInt64,
        sourceRefPrefix: String? = nil
    ) throws -> (text: String, kept: Int, total: Int) {
        let images = try images(in: dataset)
        let chosen = RandomSample.indices(count: images.count, percent: percent, seed: seed).map { images[$0] }
        let lines = chosen.map { image in
            GroundTruthManifestLine(
                sourceRef: sourceRefPrefix.map { $0 + image.fileName } ?? image.sourceRef ?? image.fileName,
                labelAttributeName: "",
                label: nil,
                metadata: nil
            )
        }
        return (try GroundTruthManifest.encode(lines), chosen.count, images.count)
    }
}
