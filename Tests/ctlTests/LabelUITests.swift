import Foundation
import GroundTruthFormat
import LabelStore
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The labeling UI (`/label/`) in headless Chromium, driven by Selenium with real mouse and keyboard events
/// (`Tests/ClientSuites/ui/test_label_ui.py`), against a live daemon with a labeling job in its store; then the daemon is
/// restarted and the boxes are read back.
@Suite("the labeling UI in a real browser", .serialized)
struct LabelUITests {
    static let job = "bees-ui"

    @Test(
        "draw, move, resize, delete, undo/redo, hotkeys, nudge, zoom, pan, submit, no bees, reload, two tabs, foreign pages: stored exactly, kept over a restart"
    )
    func browserSession() async throws {
        for tool in ["/usr/bin/chromium", "/usr/bin/chromedriver"] {
            try #require(FileManager.default.fileExists(atPath: tool), "\(tool) is missing: run scripts/setup.sh (apt chromium chromium-driver)")
        }
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("apiary-label-ui-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        let images = try Self.makeJob(home: home, count: 10)

        let daemon = try LiveDaemon(home: home)
        defer { daemon.terminate() }
        let result = home.appendingPathComponent("ui-result.json")
        var environment = [
            "APIARY_HOME": home.path, "APIARY_CTL": CtlBinary.url.path, "APIARY_LABEL_JOB": Self.job, "APIARY_UI_RESULT": result.path,
            "APIARY_DAEMON_PID": String(daemon.process.processIdentifier),
        ]
        if let shots = ProcessInfo.processInfo.environment["APIARY_UI_SCREENSHOTS"] {
            environment["APIARY_UI_SCREENSHOTS"] = shots
            environment["APIARY_SAMPLE_MANIFEST"] = home.appendingPathComponent("bees/output.manifest").path
        }
        let run = try daemon.runClient("python3", ["-m", "pytest", "-q", "-p", "no:cacheprovider", "Tests/ClientSuites/ui"], environment: environment)
        #expect(run.status == 0, "\(run.output)\n--- daemon log ---\n\(daemon.daemonLog.suffix(4000))")
        guard run.status == 0 else { return }

        // A daemon restart keeps every box (and the UI answers on the new run with a new session token). The
        // browser tests killed the first daemon and stopped the one they started.
        daemon.terminate()
        try daemon.start()
        let expected = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: result)) as? [String: [[Any]]])
        for (id, boxes) in expected {
            let (data, _) = try await URLSession.shared.data(from: URL(string: "\(daemon.url)/label/api/images/\(id)")!)
            let image = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            let stored = (image["boxes"] as? [[String: Any]] ?? []).map { "\($0["classId"]!) \($0["box"]!)" }
            #expect(stored == boxes.map { "\($0[0]) \($0[1])" }, "image \(id)")
            #expect(image["labeled"] as? Bool == true)
        }
        let job = try LiveDaemon.withLabelStore(home: home) { try $0.labelingJob(named: Self.job) }
        // Three tasks were submitted (two in the session, one from the keyboard); other images have boxes drawn, not
        // submitted.
        #expect(job.counters.totalLabeled == 3 && job.counters.unlabeled == images - 3 && job.status == .inProgress)
    }

    @Test("ctl labels open prints the UI's URL for a job or a dataset")
    func open() throws {
        let job = try CtlBinary.run(["labels", "open", "bees sample", "--endpoint-url", "http://127.0.0.1:4599", "--no-browser"])
        #expect(job.status == 0 && job.output == "http://127.0.0.1:4599/label/#job=bees%20sample\n", "\(job)")
        let dataset = try CtlBinary.run(["labels", "open", "--dataset", "labeling-job/x", "--endpoint-url", "http://localhost:4566/", "--no-browser"])
        #expect(dataset.output == "http://localhost:4566/label/#dataset=labeling-job%2Fx\n", "\(dataset)")
        #expect(try CtlBinary.run(["labels", "open", "j", "--dataset", "d"]).status == 64)
    }

    /// A labeling job over `count` generated bee photos, classes bee and wasp, in `home`'s label store.
    /// - Returns: the number of images.
    static func makeJob(home: URL, count: Int) throws -> Int {
        let folder = home.appendingPathComponent("bees")
        let generated = try CtlBinary.run(["datasets", "generate-sample", folder.path, "--count", String(count), "--test-count", "0"])
        try #require(generated.status == 0, "\(generated.error)")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("images").path).sorted()
        let manifest = files.map { #"{"source-ref": "\#(folder.appendingPathComponent("images/\($0)").path)"}"# }.joined(separator: "\n")
        let request = LabelingJobRequest(
            name: job,
            labelAttributeName: job,
            inputManifest: manifest,
            categories: LabelCategoryConfig(names: ["bee", "wasp"])
        )
        let created = try LiveDaemon.withLabelStore(home: home) { store in
            try store.createLabelingJob(request) { [UInt8](try Data(contentsOf: URL(fileURLWithPath: $0))) }
        }
        try #require(created.counters.unlabeled == files.count)
        return files.count
    }
}
