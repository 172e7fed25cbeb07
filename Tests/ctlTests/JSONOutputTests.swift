import Foundation
import Testing

/// `--json` prints the API's answer byte for byte where there is one (compared with the same request sent by
/// `curl --aws-sigv4`), and parses as JSON where ctl writes its own.
@Suite("ctl --json: the API's answer as sent")
struct JSONOutputTests {
    @Test("list and label commands print the daemon's answer unchanged; the other --json outputs parse")
    func byteFaithful() throws {
        let daemon = try LiveDaemon()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("apiary-json-\(UUID().uuidString)")
        defer {
            daemon.terminate()
            try? FileManager.default.removeItem(at: folder)
        }
        let credentials = ["AWS_ACCESS_KEY_ID": "AKIAAPIARYTEST000000", "AWS_SECRET_ACCESS_KEY": "apiary-test-secret"]
        func ctl(_ arguments: String...) throws -> String {
            let run = try CtlBinary.run(arguments + ["--json", "--endpoint-url", daemon.url], environment: credentials)
            #expect(run.status == 0, "ctl \(arguments): \(run.error)")
            return run.output
        }
        /// The answer to `body` on `path` (with `X-Amz-Target: target` when given), as curl receives it.
        func raw(_ path: String, target: String? = nil, _ body: String) throws -> String {
            let headers = target.map { ["-H", "Content-Type: application/x-amz-json-1.1", "-H", "X-Amz-Target: \($0)"] } ?? ["-H", "Content-Type: application/json"]
            let run = try CtlBinary.runProcess(
                "curl",
                ["-s", "-X", "POST", daemon.url + path, "--aws-sigv4", "aws:amz:us-east-1:sagemaker", "--user", "AKIAAPIARYTEST000000:apiary-test-secret",
                 "--data-binary", body] + headers)
            #expect(run.status == 0, "curl \(path): \(run.error)")
            return run.output
        }

        #expect(try ctl("models", "list") == (try raw("/", target: "SageMaker.ListModels", #"{"MaxResults":100}"#)) + "\n")
        #expect(try ctl("endpoints", "list") == (try raw("/", target: "SageMaker.ListEndpoints", #"{"MaxResults":100}"#)) + "\n")
        #expect(
            try ctl("training-jobs", "list")
                == (try raw("/", target: "SageMaker.ListTrainingJobs", #"{"MaxResults":100,"SortOrder":"Descending"}"#)) + "\n")

        let added = try ctl("labels", "categories", "add", "--dataset", "bees", "bee", "wasp")
        #expect((try JSONSerialization.jsonObject(with: Data(added.utf8)) as? [String: Any])?["categories"] != nil, "\(added)")
        #expect(try JSONSerialization.jsonObject(with: Data(try ctl("labels", "categories", "rename", "--dataset", "bees", "wasp", "hornet").utf8)) is [String: Any])
        #expect(try ctl("labels", "stats", "--dataset", "bees") == (try raw("/_apiary/labels/stats", #"{"dataset":"bees"}"#)) + "\n")
        #expect(try ctl("labels", "todo", "--dataset", "bees") == (try raw("/_apiary/labels/todo", #"{"all":false,"dataset":"bees"}"#)) + "\n")
        #expect(try ctl("labels", "free-tier") == (try raw("/_apiary/labels/free-tier", "{}")) + "\n")

        // ctl's own JSON: a sampled manifest's summary.
        _ = try CtlBinary.run(["datasets", "generate-sample", folder.path, "--count", "5", "--test-count", "0"])
        let sample = folder.appendingPathComponent("sample.manifest").path
        let run = try CtlBinary.run(["datasets", "sample", folder.appendingPathComponent("output.manifest").path, "--percent", "40", "-o", sample, "--json"])
        #expect(run.status == 0, "\(run.error)")
        let summary = try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any]
        #expect((1...5).contains(summary?["kept"] as? Int ?? 0) && summary?["total"] as? Int == 5 && summary?["output"] as? String == sample, "\(run.output)")
        #expect(try CtlBinary.run(["datasets", "sample", "x.manifest", "--json"]).status == 64)
    }
}
