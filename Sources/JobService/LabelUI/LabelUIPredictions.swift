import AWSProtocol
import EndpointRuntime
import Foundation
import GroundTruthFormat
import LabelStore

/// Pre-labels from a deployed endpoint: the image goes through the runtime's InvokeEndpoint path and its
/// `[class, score, xmin, ymin, xmax, ymax]` normalised corners come back as boxes in the image's pixels, kept
/// inside it, for the page to add as editable boxes.
struct LabelUIPredictions: Sendable {
    let runtime: InvocationHandler
    let account: String
    let region: String

    func endpointNames() -> [String] { runtime.host.servingNames }

    /// The endpoint's detections at or above `threshold` whose class the dataset has (`classes` of them).
    func boxes(endpoint: String, image: StoredImage, bytes: [UInt8], classes: Int, threshold: Double) async throws -> [GroundTruthAnnotation] {
        let answer: [UInt8]
        do {
            answer = try await runtime.invoke(
                endpoint: endpoint,
                body: bytes,
                contentType: image.format == .png ? "image/png" : "image/jpeg",
                accept: "application/json",
                targetVariant: nil,
                context: AWSRequestContext(region: region, account: account)
            ).body
        } catch let error as AWSError {
            throw LabelUIRequestError(400, "endpoint \(endpoint): \(error.message)")
        }
        let rows = (try? JSONValue.parse(answer))?["prediction"]?.arrayValue ?? []
        return rows.compactMap { row in
            Self.box(row.arrayValue?.compactMap(\.doubleValue) ?? [], image: image, classes: classes, threshold: threshold)
        }
    }

    /// One detection as a pixel box, or nil (below the threshold, unknown class, nothing left inside the image).
    static func box(_ values: [Double], image: StoredImage, classes: Int, threshold: Double) -> GroundTruthAnnotation? {
        guard values.count == 6, values[1] >= threshold, values[0] >= 0, Int(values[0]) < classes else { return nil }
        let (w, h) = (Double(image.width), Double(image.height))
        let left = (min(max(values[2], 0), 1) * w).rounded()
        let top = (min(max(values[3], 0), 1) * h).rounded()
        let right = (min(max(values[4], 0), 1) * w).rounded()
        let bottom = (min(max(values[5], 0), 1) * h).rounded()
        guard right - left >= 1, bottom - top >= 1 else { return nil }
        return GroundTruthAnnotation(classId: Int(values[0]), left: left, top: top, width: right - left, height: bottom - top)
    }
}
