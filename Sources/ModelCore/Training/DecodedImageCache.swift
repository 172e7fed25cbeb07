import Foundation
import ImageCodec

/// Decoded images kept for the rest of the job, so that each image is decoded once rather than once an epoch:
/// augmentation is re-drawn every epoch from the decoded pixels, which decoding again would only reproduce.
///
/// Bounded: images are kept in the order they are first decoded until `budget` bytes of pixels are held; the
/// rest are decoded every time they are used, as without a cache. What a lookup returns does not depend on
/// whether the image was cached, so batches are the same bit for bit either way. Thread-safe: the loader
/// decodes a batch's images in parallel.
final class DecodedImageCache: @unchecked Sendable {
    /// Bytes of decoded pixels one cache may hold: 1 GiB keeps ~1,900 course-sized (500×375) images.
    static let defaultBudget = 1 << 30

    let budget: Int
    private let lock = NSLock()
    private var images: [Int: RGBImage] = [:]
    private var bytes = 0

    init(budget: Int = DecodedImageCache.defaultBudget) {
        self.budget = budget
    }

    /// The image with key `key`, decoded by `decode` unless already held; errors are not cached.
    func image(_ key: Int, decode: () throws -> RGBImage) rethrows -> RGBImage {
        if let image = lock.withLock({ images[key] }) { return image }
        let image = try decode()
        lock.withLock {
            guard images[key] == nil, bytes + image.pixels.count <= budget else { return }
            images[key] = image
            bytes += image.pixels.count
        }
        return image
    }

    /// Bytes of pixels held.
    var heldBytes: Int { lock.withLock { bytes } }
}
