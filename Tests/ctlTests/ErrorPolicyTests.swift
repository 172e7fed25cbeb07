import Foundation
import Testing

/// ctl's error policy against a live daemon: the exit code docs/guide.md documents for each kind of failure, and a
/// message that names what went wrong and how to fix it.
@Suite("ctl exit codes and error messages")
struct ErrorPolicyTests {
    /// Runs ctl against `daemon` (APIARY_URL set), with `environment` added; stdout and stderr together.
    private func ctl(_ daemon: LiveDaemon, _ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        try daemon.runClient(CtlBinary.url.path, arguments, environment: environment)
    }

    /// `bees-1`, sent unchecked, which fails at once: its buckets do not exist.
    private func createFailingJob(_ daemon: LiveDaemon) throws {
        let created = try ctl(
            daemon,
            [
                "training-jobs", "create", "bees-1", "--train", "s3://nobucket/train.manifest", "--validation", "s3://nobucket/validation.manifest",
                "--output", "s3://nobucket/output", "--num-training-samples", "4", "--label-attribute", "bees-500", "--no-validate",
            ]
        )
        #expect(created.status == 0, "\(created.output)")
    }

    @Test("64 usage: an unknown subcommand suggests the nearest; a job, endpoint or model that does not exist is named, with near names")
    func usage() throws {
        let daemon = try LiveDaemon()
        let typo = try ctl(daemon, ["training-jobs", "desribe", "bees-1"])
        #expect(typo.status == 64)
        #expect(typo.output.contains("error: unknown command 'desribe' for 'ctl training-jobs'; did you mean describe?"), "\(typo.output)")
        let top = try ctl(daemon, ["endpoint", "list"])
        #expect(top.status == 64)
        #expect(top.output.contains("unknown command 'endpoint' for 'ctl'; did you mean endpoints?"), "\(top.output)")

        try createFailingJob(daemon)
        let describe = try ctl(daemon, ["training-jobs", "describe", "bees-l"])
        #expect(describe.status == 64)
        #expect(describe.output.contains("error: training job 'bees-l' does not exist; did you mean bees-1?"), "\(describe.output)")
        let far = try ctl(daemon, ["training-jobs", "wait", "zebra-stripes-9"])
        #expect(far.status == 64)
        #expect(far.output.contains("training job 'zebra-stripes-9' does not exist; `ctl training-jobs list` shows what there is"), "\(far.output)")
        let endpoint = try ctl(daemon, ["endpoints", "describe", "bees-1"])
        #expect(endpoint.status == 64)
        #expect(endpoint.output.contains("endpoint 'bees-1' does not exist"), "\(endpoint.output)")

        let badURL = try ctl(daemon, ["training-jobs", "list"], environment: ["APIARY_URL": "127.0.0.1:4566"])
        #expect(badURL.status == 64)
        #expect(badURL.output.contains("$APIARY_URL must be an http(s) URL such as http://127.0.0.1:4566, got '127.0.0.1:4566'"), "\(badURL.output)")
    }

    @Test("1 failed operation: a Failed job's wait and deploy; 3 nothing else")
    func failedOperation() throws {
        let daemon = try LiveDaemon()
        try createFailingJob(daemon)
        let wait = try ctl(daemon, ["training-jobs", "wait", "bees-1", "--interval", "0.2"])
        #expect(wait.status == 1)
        #expect(wait.output.contains("bees-1 Failed"), "\(wait.output)")
        #expect(wait.output.contains("failure: "), "\(wait.output)")
        let deploy = try ctl(daemon, ["deploy", "bees-1"])
        #expect(deploy.status == 1)
        #expect(deploy.output.contains("training job bees-1 is Failed, not Completed"), "\(deploy.output)")
    }

    @Test("65 bad data and 66 unreadable input: a malformed manifest, a missing manifest, a missing folder")
    func inputFiles() throws {
        let daemon = try LiveDaemon()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ctl-errors-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let malformed = folder.appendingPathComponent("bad.manifest")
        try Data("this is not JSON\n".utf8).write(to: malformed)
        let bad = try ctl(daemon, ["evaluate", "bees-1", malformed.path])
        #expect(bad.status == 65, "\(bad.output)")
        let badInput = try ctl(daemon, ["training-jobs", "create", "--cli-input-json", "[1]"])
        #expect(badInput.status == 65)
        #expect(badInput.output.contains("--cli-input-json must be a JSON object"))

        let missing = folder.appendingPathComponent("test.manifest").path
        let evaluate = try ctl(daemon, ["evaluate", "bees-1", missing])
        #expect(evaluate.status == 66)
        #expect(evaluate.output.contains("error: cannot read manifest '\(missing)': no such file"), "\(evaluate.output)")
        let nodir = folder.appendingPathComponent("nodir").path
        let importing = try ctl(daemon, ["datasets", "import", nodir, "--dataset", "bees"])
        #expect(importing.status == 66)
        #expect(importing.output.contains("error: cannot read image folder '\(nodir)': no such folder"), "\(importing.output)")
        let image = try ctl(daemon, ["invoke", "bees-1", folder.appendingPathComponent("bee.jpg").path])
        #expect(image.status == 66)
    }

    @Test("69 unreachable: a wrong APIARY_URL is named as the culprit; serve on a busy port names the port and the fix")
    func unreachable() throws {
        let daemon = try LiveDaemon()
        let closed = try ctl(daemon, ["training-jobs", "list"], environment: ["APIARY_URL": "http://127.0.0.1:9"])
        #expect(closed.status == 69)
        #expect(closed.output.contains("cannot reach Apiary at http://127.0.0.1:9 ($APIARY_URL)"), "\(closed.output)")
        #expect(closed.output.contains("Fix $APIARY_URL or pass --endpoint-url"), "\(closed.output)")

        let home = FileManager.default.temporaryDirectory.appendingPathComponent("ctl-busy-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        let busy = try ctl(daemon, ["serve", "--port", String(daemon.port), "--home", home.path])
        #expect(busy.status == 1)
        #expect(busy.output.contains("error: port \(daemon.port) on 127.0.0.1 is already in use"), "\(busy.output)")
        #expect(busy.output.contains("--port 0 for a free one"), "\(busy.output)")
    }

    @Test("datasets commands ask the daemon: none reachable is exit 69, and no data directory appears")
    func datasetsNeedTheDaemon() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("ctl-readonly-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        let shell = ["HOME": home.path, "APIARY_HOME": home.appendingPathComponent("apiary").path, "APIARY_URL": "http://127.0.0.1:9"]
        let images = home.appendingPathComponent("images")
        try FileManager.default.createDirectory(at: images, withIntermediateDirectories: true)
        for arguments in [["datasets", "list"], ["datasets", "sample", "--dataset", "bees"], ["datasets", "import", images.path, "--dataset", "bees"]] {
            let run = try CtlBinary.run(arguments, environment: shell)
            #expect(run.status == 69 && run.error.contains("cannot reach Apiary at http://127.0.0.1:9 ($APIARY_URL)"), "\(arguments): \(run.error)")
        }
        #expect(!FileManager.default.fileExists(atPath: home.appendingPathComponent("apiary").path))
        #expect(!FileManager.default.fileExists(atPath: home.appendingPathComponent(".apiary").path))
    }
}

@Suite("ctl training-jobs create checks before the queue")
struct TrainingJobCheckTests {
    @Test("typos in hyperparameters, manifests and attributes are refused with the near name; counted samples and the detected attribute are sent")
    func checks() throws {
        let daemon = try LiveDaemon()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ctl-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let manifest = folder.appendingPathComponent("train.manifest")
        let line =
            #"{"source-ref": "s3://bees/images/1.jpg", "bees-500": {"annotations": [], "image_size": [{"width": 8, "height": 8, "depth": 3}]}, "bees-500-metadata": {"type": "groundtruth/object-detection"}}"#
        try Data((line + "\n" + line + "\n" + line + "\n").utf8).write(to: manifest)
        #expect(try daemon.runClient("aws", ["--endpoint-url", daemon.url, "s3", "mb", "s3://bees"]).status == 0)
        #expect(
            try daemon.runClient("aws", ["--endpoint-url", daemon.url, "s3", "cp", manifest.path, "s3://bees/manifests/train.manifest"]).status == 0
        )
        let ctl = CtlBinary.url.path
        let flags = ["--validation", "s3://bees/manifests/train.manifest", "--output", "s3://bees/output", "--base-network", "apiary-mobile"]

        let typo = try daemon.runClient(ctl, ["training-jobs", "create", "j", "--train", "s3://bees/manifests/train.manifst"] + flags)
        #expect(typo.status == 64)
        #expect(
            typo.output.contains(
                "the train manifest s3://bees/manifests/train.manifst does not exist; did you mean s3://bees/manifests/train.manifest?"
            ),
            "\(typo.output)"
        )
        let train = ["training-jobs", "create", "j", "--train", "s3://bees/manifests/train.manifest"] + flags
        let name = try daemon.runClient(ctl, train + ["-H", "mini_bach_size=8"])
        #expect(name.status == 64)
        #expect(name.output.contains("error: unknown hyperparameter 'mini_bach_size'; did you mean mini_batch_size?"), "\(name.output)")
        let range = try daemon.runClient(ctl, train + ["--epochs", "0"])
        #expect(range.status == 64)
        #expect(range.output.contains("Invalid value for hyperparameter 'epochs': '0'. Expected a positive integer."), "\(range.output)")
        let attribute = try daemon.runClient(ctl, train + ["--label-attribute", "bees-50"])
        #expect(attribute.status == 65)
        #expect(attribute.output.contains("has no attribute 'bees-50' on its first line; did you mean bees-500?"), "\(attribute.output)")
        let bucket = try daemon.runClient(
            ctl,
            [
                "training-jobs", "create", "j", "--train", "s3://bees/manifests/train.manifest", "--validation", "s3://bees/manifests/train.manifest",
                "--output", "s3://nobees/out",
            ]
        )
        #expect(bucket.status == 64)
        #expect(
            bucket.output.contains("the output bucket 'nobees' (s3://nobees/out) does not exist; create it first: aws s3 mb s3://nobees"),
            "\(bucket.output)"
        )

        let created = try daemon.runClient(ctl, train + ["--epochs", "1"])
        #expect(created.status == 0, "\(created.output)")
        let job = try daemon.runClient(ctl, ["training-jobs", "describe", "j", "--json"])
        let document = try JSONSerialization.jsonObject(with: Data(job.output.utf8)) as? [String: Any]
        let hyperparameters = document?["HyperParameters"] as? [String: String]
        #expect(hyperparameters?["num_training_samples"] == "3")
        let channels = document?["InputDataConfig"] as? [[String: Any]]
        let source = (channels?.first?["DataSource"] as? [String: Any])?["S3DataSource"] as? [String: Any]
        #expect(source?["AttributeNames"] as? [String] == ["source-ref", "bees-500"])
        _ = try daemon.runClient(ctl, ["training-jobs", "stop", "j"])
    }
}
