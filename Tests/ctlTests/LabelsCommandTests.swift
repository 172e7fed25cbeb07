import Foundation
import ImageCodec
import LabelStore
import Testing

/// `ctl labels …` against a live daemon whose home is not the shell's (`APIARY_HOME` and `HOME` point at a folder
/// that must never appear: the daemon owns the label store), and `ctl datasets import|list|sample --dataset` on the
/// same daemon, run as a user runs them.
@Suite("ctl labels through the daemon, and datasets on the label store")
struct LabelsCommandTests {
    /// A temporary daemon home, a daemon on it started at the first `ctl labels`, and a `ctl` runner whose shell
    /// points elsewhere.
    final class Home {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("apiary-labels-\(UUID().uuidString)")
        /// The shell's `HOME` (and `APIARY_HOME` under it): made by nothing.
        let shell = FileManager.default.temporaryDirectory.appendingPathComponent("apiary-shell-\(UUID().uuidString)")
        let daemonArguments: [String]
        private(set) lazy var daemon = try? LiveDaemon(home: url, extraArguments: daemonArguments)

        init(daemonArguments: [String] = []) { self.daemonArguments = daemonArguments }

        /// `ctl labels …` and `ctl datasets …` with `--endpoint-url` the daemon (unless the arguments name one);
        /// `datasets generate-sample` needs none.
        func ctl(_ arguments: String..., environment: [String: String] = [:]) throws -> (status: Int32, output: String, error: String) {
            try run(arguments, environment: environment)
        }

        func json(_ arguments: String...) throws -> Any {
            let run = try run(arguments + ["--json"])
            #expect(run.status == 0, "\(arguments): \(run.error)")
            return try JSONSerialization.jsonObject(with: Data(run.output.utf8))
        }

        private func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String, error: String) {
            let daemonless = arguments.starts(with: ["datasets", "generate-sample"]) || arguments.contains("--endpoint-url")
            let target = daemonless ? [] : ["--endpoint-url", try #require(daemon).url]
            let shellEnvironment = ["HOME": shell.path, "APIARY_HOME": shell.appendingPathComponent("apiary").path, "APIARY_URL": "http://127.0.0.1:9"]
            return try CtlBinary.run(arguments + target, environment: shellEnvironment.merging(environment) { _, given in given })
        }

        /// Neither the shell's `APIARY_HOME` nor `~/.apiary` exists (Foundation's URL cache may appear under `~/.cache`).
        var shellHomesUntouched: Bool {
            ["apiary", ".apiary"].allSatisfy { !FileManager.default.fileExists(atPath: shell.appendingPathComponent($0).path) }
        }

        func remove() {
            daemon?.terminate()
            for file in [url, shell] { try? FileManager.default.removeItem(at: file) }
        }
    }

    @Test("a labeling session: import, classes, todo, add/update/delete/undo, show and render, stats, export and import back")
    func session() throws {
        let home = Home()
        defer { home.remove() }
        let bees = home.url.appendingPathComponent("bees")
        _ = try CtlBinary.run(["datasets", "generate-sample", bees.path, "--count", "6", "--test-count", "0"])
        try Data("not an image".utf8).write(to: bees.appendingPathComponent("images/notes.txt"))

        let imported = try home.ctl("datasets", "import", bees.appendingPathComponent("images").path, "--dataset", "bees")
        #expect(imported.status == 0, "\(imported.error)")
        #expect(imported.output.hasPrefix("Imported 6 images into bees"), "\(imported.output)")
        #expect(imported.output.contains("skipped notes.txt: not a JPEG or PNG file"))
        #expect(try home.ctl("labels", "categories", "add", "--dataset", "bees", "bee", "wasp").status == 0)
        let todo = (try home.json("labels", "todo", "--dataset", "bees") as? [String: Any])?["images"] as? [[String: Any]]
        #expect(todo?.count == 6)
        let first = try #require(todo?.first?["id"] as? Int)

        let added = (try home.json("labels", "add", String(first), "--class", "bee", "--box", "10,20.5,30,40", "--box", "1,1,2,2") as? [String: Any])?["changes"] as? [[String: Any]]
        #expect(added?.count == 2)
        let boxId = try #require(added?.first?["box"] as? Int)
        #expect(try home.ctl("labels", "update", String(boxId), "--box", "11,20.5,30,40", "--class", "wasp").status == 0)
        #expect(try home.ctl("labels", "delete", String(boxId + 1)).output.hasPrefix("deleted box \(boxId + 1)"))
        let shown = try home.json("labels", "show", String(first)) as? [String: Any]
        let boxes = shown?["boxes"] as? [[String: Any]]
        #expect(boxes?.count == 1 && boxes?.first?["class"] as? String == "wasp" && boxes?.first?["left"] as? Double == 11)
        #expect(try home.ctl("labels", "undo", String(first)).output.contains("box \(boxId + 1) of image \(first) is back: bee at 1,1,2,2"))
        #expect(try home.ctl("labels", "submit", "--dataset", "bees", try #require(todo?[1]["fileName"] as? String)).status == 0)
        let history = try home.ctl("labels", "history", String(first))
        #expect(history.output.contains("deleted box \(boxId + 1)") && history.output.contains("(undone)"), "\(history.output)")

        // Look at it: the render is a PNG of the upright image with the boxes drawn.
        let render = home.url.appendingPathComponent("first.png")
        #expect(try home.ctl("labels", "show", String(first), "--render", render.path).output.contains("Drew 2 boxes"))
        let png = try PNGCodec.decode([UInt8](try Data(contentsOf: render)))
        #expect(png.width == todo?.first?["width"] as? Int)

        let stats = try home.json("labels", "stats", "--dataset", "bees") as? [String: Any]
        #expect(stats?["labeledImages"] as? Int == 2 && stats?["boxes"] as? Int == 2)
        #expect((stats?["classes"] as? [[String: Any]])?.map { $0["boxes"] as? Int } == [1, 1])
        #expect((stats?["freeTier"] as? [String: Any])?["labeledImages"] as? Int == 2)

        // Export every format and import each back into its own dataset: the same labels.
        for format in ["manifest", "coco", "voc", "yolo", "labelstudio"] {
            let out = home.url.appendingPathComponent("export-\(format)")
            #expect(
                try home.ctl("labels", "export", "--dataset", "bees", "--format", format, out.path).output.hasPrefix(
                    "Exported 2 labeled images with 2 boxes"
                )
            )
            let back = try home.ctl("labels", "import", "--dataset", "copy-\(format)", "--format", format, out.path)
            #expect(back.status == 0, "\(format): \(back.error)")
            let copy = try home.json("labels", "stats", "--dataset", "copy-\(format)") as? [String: Any]
            #expect(copy?["labeledImages"] as? Int == 2 && copy?["boxes"] as? Int == 2, "\(format)")
        }
        let python = try CtlBinary.runProcess(
            "python3",
            [
                "-c",
                """
                import json, sys
                lines = [json.loads(l) for l in open(sys.argv[1])]
                print(sorted(len(l['bees']['annotations']) for l in lines), lines[0]['bees-metadata']['class-map'])
                """,
                home.url.appendingPathComponent("export-manifest/output.manifest").path,
            ]
        )
        #expect(python.output == "[0, 2] {'0': 'bee', '1': 'wasp'}\n", "\(python.error)")

        let datasets = try home.json("datasets", "list") as? [[String: Any]]
        #expect(datasets?.compactMap { $0["name"] as? String } == ["bees", "copy-coco", "copy-labelstudio", "copy-manifest", "copy-voc", "copy-yolo"])
        #expect(home.shellHomesUntouched, "ctl made a data folder in the shell's home: the daemon owns the label store")
    }

    @Test("exit codes carry the fix: 64 for an unknown image or class, 65 for a box outside the image, 1 for the free tier")
    func exitCodes() throws {
        let home = Home()
        defer { home.remove() }
        // 501 small images, 500 of them labeled, made through the library for speed.
        try FileManager.default.createDirectory(at: home.url, withIntermediateDirectories: true)
        try LiveDaemon.withLabelStore(home: home.url) { store in
            let dataset = try store.ensureDataset(named: "bees")
            try store.addCategories(["bee"], to: dataset)
            var ids: [Int64] = []
            for index in 0...500 {
                var pixels = RGBImage(width: 24, height: 16, fill: (UInt8(index % 256), UInt8(index / 256), 90))
                pixels[0, 0] = (1, 2, 3)
                ids.append(try store.addImage(bytes: try PNGCodec.encode(pixels), fileName: "\(index).png", sourceRef: nil, to: dataset).image.id)
            }
            try store.apply(ids.prefix(500).map { .submit(imageId: $0) })
        }
        let missing = try home.ctl("labels", "add", "9999", "--class", "bee", "--box", "1,1,2,2")
        #expect(missing.status == 64 && missing.error.contains("no image with id 9999"), "\(missing.error)")
        let noClass = try home.ctl("labels", "add", "1", "--class", "wasp", "--box", "1,1,2,2")
        #expect(noClass.status == 64 && noClass.error.contains("its classes are bee"), "\(noClass.error)")
        let outside = try home.ctl("labels", "add", "1", "--class", "bee", "--box", "20,1,10,2")
        #expect(outside.status == 65 && outside.error.contains("past the image's width 24"), "\(outside.error)")

        let refused = try home.ctl("labels", "add", "500.png", "--dataset", "bees", "--class", "bee", "--box", "1,1,2,2")
        #expect(refused.status == 1)
        #expect(
            refused.error.contains("the free tier covers 500 labeled images and 500 are used") && refused.error.contains("--opt-in"),
            "\(refused.error)"
        )
        #expect(try home.ctl("labels", "free-tier", "--opt-in").output.contains("0 images are beyond it"))
        #expect(try home.ctl("labels", "add", "500.png", "--dataset", "bees", "--class", "bee", "--box", "1,1,2,2").status == 0)
        let tier = try home.json("labels", "free-tier") as? [String: Any]
        #expect(tier?["beyondFreeTier"] as? Int == 1 && tier?["labeledImages"] as? Int == 501)

        // 2% of the 501 stored images, seeded.
        let sample = try home.ctl("datasets", "sample", "--dataset", "bees", "--seed", "4", "--source-ref-prefix", "s3://bees/images/")
        #expect(sample.output.split(separator: "\n").count == 10 && sample.output.hasPrefix(#"{"source-ref": "s3://bees/images/"#))
        #expect(
            try home.ctl("datasets", "sample", "--dataset", "bees", "--seed", "4", "--source-ref-prefix", "s3://bees/images/").output == sample.output
        )
        #expect(try home.ctl("datasets", "sample").status == 64)
        // s3:// goes through the daemon's S3 API (Tests/ClientSuites/compat/test_labeling_jobs.py); without a daemon, exit 69.
        let offline = try home.ctl("datasets", "import", "s3://bees/images", "--dataset", "bees", "--endpoint-url", "http://127.0.0.1:9")
        #expect(offline.status == 69 && offline.error.contains("Is `ctl serve` running there?"), "\(offline.error)")
    }

    @Test("the label API is behind the daemon's door: --auth verify refuses a wrong secret; no daemon is exit 69")
    func signedRequests() throws {
        let home = Home(daemonArguments: ["--auth", "verify", "--credentials", "AKIAAPIARYTEST000000:apiary-test-secret"])
        defer { home.remove() }
        let keys = ["AWS_ACCESS_KEY_ID": "AKIAAPIARYTEST000000", "AWS_SECRET_ACCESS_KEY": "apiary-test-secret"]
        #expect(try home.ctl("labels", "categories", "add", "--dataset", "bees", "bee", environment: keys).status == 0)
        var wrong = keys
        wrong["AWS_SECRET_ACCESS_KEY"] = "not-the-secret"
        let refused = try home.ctl("labels", "stats", "--dataset", "bees", environment: wrong)
        #expect(refused.status == 1 && refused.error.contains("InvalidSignatureException"), "\(refused.error)")
        let stats = try home.ctl("labels", "stats", "--dataset", "bees", environment: keys)
        #expect(stats.status == 0 && stats.output.hasPrefix("bees: 0 images"), "\(stats.error)")
        let offline = try CtlBinary.run(["labels", "stats", "--dataset", "bees", "--endpoint-url", "http://127.0.0.1:9"])
        #expect(offline.status == 69 && offline.error.contains("Is `ctl serve` running there?"), "\(offline.error)")
        #expect(home.shellHomesUntouched)
    }
}
