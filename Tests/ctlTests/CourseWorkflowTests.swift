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
        #expect(try FileManager.default.contentsOfDirectory(atPath: drawings.path).filter { $0.hasPrefix("test_") && $0.hasSuffix(".png") }.count == 2)
        #expect(try Self.isPNG(drawings.appendingPathComponent("pr-curve.png")), "no precision–recall curve in \(drawings.path)")
        let curve = daemon.home.appendingPathComponent("pr.png")
        let json = try daemon.runClient(
            ctl, ["evaluate", "bees", data.appendingPathComponent("test.manifest").path, "--json", "--pr-curve", curve.path, "--endpoint-url", daemon.url])
        let answer = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
        #expect((answer?["mAP"] as? Double).map { (0...1).contains($0) } == true, "\(json.output)")
        #expect(answer?["images"] as? Int == 2)
        let bee = (answer?["classes"] as? [[String: Any]])?.first
        #expect(bee?["name"] as? String == "bee", "\(json.output)")
        #expect(bee?["groundTruth"] as? Int ?? 0 > 0)
        #expect(answer?["prCurve"] as? String == curve.path)
        #expect(try Self.isPNG(curve))

        // The job's results next to its model, and a second deploy of it updating the course's endpoint in place.
        let list = try daemon.runClient(ctl, ["training-jobs", "list", "--json"])
        let jobs = try JSONSerialization.jsonObject(with: Data(list.output.utf8)) as? [String: Any]
        let job = try #require(((jobs?["TrainingJobSummaries"] as? [[String: Any]])?.first?["TrainingJobName"]) as? String)
        let picture = daemon.home.appendingPathComponent("results.png")
        let results = try daemon.runClient(ctl, ["training-jobs", "results", job, "--png", picture.path, "--json"])
        let table = try JSONSerialization.jsonObject(with: Data(results.output.utf8)) as? [String: Any]
        #expect((table?["epochs"] as? [[String: Any]])?.first?["epoch"] as? Double == 1, "\(results.output)")
        #expect(try Self.isPNG(picture))
        let update = try daemon.runClient(ctl, ["deploy", job, "--name", "bees"])
        #expect(update.status == 0 && update.output.contains("endpoint bees is InService (updated;"), "\(update.output)")
        let again = try daemon.runClient(ctl, ["deploy", job, "--name", "bees"])
        #expect(again.status == 0 && again.output.contains("endpoint bees is InService (unchanged;"), "\(again.output)")
        let url = try daemon.runClient(ctl, ["expose", "bees"])
        #expect(url.status == 0, "\(url.output)")
        let url2 = try daemon.runClient(ctl, ["expose", "bees", "--min-score", "0.1"])
        #expect(url2.status == 0 && url2.output == url.output, "a second expose moved the URL: \(url.output) → \(url2.output)")
    }

    private static func isPNG(_ file: URL) throws -> Bool {
        try Data(contentsOf: file).prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    }
}
