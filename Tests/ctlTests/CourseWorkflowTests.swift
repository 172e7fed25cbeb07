import Foundation
import Testing

/// The course as a newcomer runs it: examples/bee_course.py (the notebook's flow in plain boto3) unchanged against a
/// live daemon, then `ctl evaluate` scoring the endpoint it deployed on the held-out images.
@Suite("the bee course through boto3 and ctl", .serialized)
struct CourseWorkflowTests {
    @Test("bee_course.py: upload → labeling job → 80/20 split → training job → endpoint → invoke → Lambda + API Gateway; then ctl evaluate")
    func beeCourse() throws {
        let daemon = try LiveDaemon()
        defer { daemon.terminate() }
        let ctl = CtlBinary.url.path
        let data = daemon.home.appendingPathComponent("course-bees", isDirectory: true)
        let generate = try daemon.runClient(ctl, ["datasets", "generate-sample", data.path, "--count", "20", "--test-count", "2", "--seed", "3"])
        #expect(generate.status == 0, "\(generate.output)")

        let run = try daemon.runClient(
            "python3",
            ["examples/bee_course.py", "--data", data.path, "--endpoint-url", daemon.url, "--epochs", "1", "--mini-batch-size", "4"])
        #expect(run.status == 0, "\(run.output)\n--- daemon log ---\n\(daemon.daemonLog.suffix(4000))")
        for expected in ["20 images", "bees-sample: InProgress", "train: 16 images", "validation: 4 images", "endpoint bees: InService", "POST images to", "200 {"] {
            #expect(run.output.contains(expected), "missing '\(expected)' in\n\(run.output)")
        }
        let labeling = try daemon.runClient("aws", ["sagemaker", "describe-labeling-job", "--labeling-job-name", "bees-sample", "--endpoint-url", daemon.url])
        #expect(labeling.status == 0 && labeling.output.contains("\"Unlabeled\": 1"), "\(labeling.output)")

        let drawings = daemon.home.appendingPathComponent("drawn", isDirectory: true)
        let evaluate = try daemon.runClient(
            ctl, ["evaluate", "bees", data.appendingPathComponent("test.manifest").path, "--draw-dir", drawings.path, "--endpoint-url", daemon.url])
        #expect(evaluate.status == 0 && evaluate.output.contains("mAP on 2 images (IoU 0.50)"), "\(evaluate.output)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: drawings.path).filter { $0.hasSuffix(".png") }.count == 2)
        let json = try daemon.runClient(ctl, ["evaluate", "bees", data.appendingPathComponent("test.manifest").path, "--json", "--endpoint-url", daemon.url])
        let answer = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
        #expect((answer?["mAP"] as? Double).map { (0...1).contains($0) } == true, "\(json.output)")
        #expect(answer?["images"] as? Int == 2)
    }
}
