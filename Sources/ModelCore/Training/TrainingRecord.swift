import ImageCodec

/// One labelled training or validation image, as the algorithm's data channels deliver it.
///
/// The image is loaded lazily (on the loader thread, overlapping compute), once a job: the trainer keeps the
/// decoded pixels (`DecodedImageCache`) and re-draws augmentation from them every epoch.
public struct TrainingRecord: Sendable {
    /// Where the record came from (a `source-ref` or a file name), for error messages.
    public var identifier: String
    /// Ground truth in pixel coordinates of the decoded (EXIF-oriented) image.
    public var boxes: [GroundTruthBox]
    /// Reads and decodes the image.
    public var loadImage: @Sendable () throws -> RGBImage

    public init(identifier: String, boxes: [GroundTruthBox], loadImage: @escaping @Sendable () throws -> RGBImage) {
        self.identifier = identifier
        self.boxes = boxes
        self.loadImage = loadImage
    }
}

/// A training failure caused by the data or the request, reported the way SageMaker reports it:
/// `ClientError: <reason>` becomes the training job's `FailureReason`.
public struct TrainingClientError: Error, Sendable, Equatable, CustomStringConvertible {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { "ClientError: \(reason)" }
}
