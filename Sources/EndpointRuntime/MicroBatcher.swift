import Foundation
import ImageCodec
import ModelCore

/// Dynamic micro-batching for one model: concurrent requests queue here and a dedicated inference thread
/// (never the cooperative pool or an event loop) runs them through the detector in batches of up to
/// `maxBatchSize` — whatever has queued while the previous batch ran, plus whatever arrives within `maxWait`.
/// At concurrency 1 nothing waits; under load batches form by themselves.
final class MicroBatcher: Sendable {
    struct Settings: Sendable, Equatable {
        var maxBatchSize = 8
        /// How long the first request of a batch may wait for company (0: never wait).
        var maxWait: TimeInterval = 0

        /// From an endpoint variant's Environment (`APIARY_MAX_BATCH_SIZE`, `APIARY_MAX_BATCH_WAIT_MS`).
        init(environment: [String: String] = [:]) {
            if let size = environment["APIARY_MAX_BATCH_SIZE"].flatMap(Int.init), size >= 1 { maxBatchSize = min(size, 64) }
            if let wait = environment["APIARY_MAX_BATCH_WAIT_MS"].flatMap(Double.init), wait >= 0 { maxWait = min(wait, 1000) / 1000 }
        }
    }

    private let queue: BatchQueue
    let settings: Settings
    /// The side of the square images are resized to (the model's `image_shape`).
    var inputSide: Int { queue.detector.symbol.imageShape }

    /// Starts the inference thread. - Parameter record: called after every batch with its size.
    init(detector: ObjectDetector, settings: Settings, name: String, record: @escaping @Sendable (_ batchSize: Int) -> Void) {
        self.settings = settings
        queue = BatchQueue(detector: detector, settings: settings, record: record)
        let thread = Thread { [queue] in queue.run() }
        thread.name = "apiary-inference-\(name)"
        thread.stackSize = 16 << 20
        thread.start()
    }

    /// The inference thread ends once nothing refers to the batcher and its queue has drained.
    deinit { queue.close() }

    /// The detections for one image, computed in whichever batch it joins. The image is resized and normalised
    /// here, on the caller's task, so the inference thread only runs the network and the decoder.
    func detect(_ image: RGBImage) async throws -> [Detection] {
        let input = queue.detector.prepare(image)
        return try await withCheckedThrowingContinuation { queue.submit(input, $0) }
    }
}

/// The queue between request tasks and the inference thread.
private final class BatchQueue: @unchecked Sendable {
    typealias Waiter = CheckedContinuation<[Detection], any Error>
    let detector: ObjectDetector
    private let settings: MicroBatcher.Settings
    private let record: @Sendable (Int) -> Void
    private let condition = NSCondition()
    private var pending: [(input: DetectorInput, waiter: Waiter)] = []
    private var closed = false

    init(detector: ObjectDetector, settings: MicroBatcher.Settings, record: @escaping @Sendable (Int) -> Void) {
        self.detector = detector
        self.settings = settings
        self.record = record
    }

    func submit(_ input: DetectorInput, _ waiter: Waiter) {
        condition.lock()
        pending.append((input, waiter))
        condition.signal()
        condition.unlock()
    }

    func close() {
        condition.lock()
        closed = true
        condition.signal()
        condition.unlock()
    }

    func run() {
        while let batch = nextBatch() {
            do {
                let results = try detector.detect(batch.map(\.input))
                for (item, detections) in zip(batch, results) { item.waiter.resume(returning: detections) }
            } catch {
                for item in batch { item.waiter.resume(throwing: error) }
            }
            record(batch.count)
        }
    }

    /// Blocks until work arrives; nil once closed and drained.
    private func nextBatch() -> [(input: DetectorInput, waiter: Waiter)]? {
        condition.lock()
        defer { condition.unlock() }
        while pending.isEmpty {
            if closed { return nil }
            condition.wait()
        }
        if settings.maxWait > 0 && pending.count < settings.maxBatchSize {
            let deadline = Date().addingTimeInterval(settings.maxWait)
            while pending.count < settings.maxBatchSize && condition.wait(until: deadline) {}
        }
        let count = min(settings.maxBatchSize, pending.count)
        let batch = Array(pending.prefix(count))
        pending.removeFirst(count)
        return batch
    }
}
