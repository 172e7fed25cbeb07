import Foundation
import GroundTruthFormat
import Testing

@testable import LabelStore

@Suite("Labeling jobs in the store")
struct LabelingJobTests {
    static let bees = LabelCategoryConfig(names: ["bee"])

    /// Images by source-ref, for the job's loader.
    static func images() throws -> [String: [UInt8]] {
        [
            "s3://bucket/input/10006450.jpg": try TestImages.jpeg(width: 500, height: 500, seed: 1),
            "s3://bucket/input/2.jpg": try TestImages.jpeg(width: 64, height: 48, seed: 2),
            "s3://bucket/input/corrupt.jpg": Array(try TestImages.jpeg(seed: 3).prefix(100)),
        ]
    }

    static func loader(_ images: [String: [UInt8]]) -> (String) throws -> [UInt8] {
        { reference in
            guard let bytes = images[reference] else { throw LabelStoreError(.notFound, "no such object: \(reference)") }
            return bytes
        }
    }

    static let input = """
        {"source-ref": "s3://bucket/input/10006450.jpg"}
        {"source-ref": "s3://bucket/input/2.jpg", "site": "hive 2", "taken": {"by": "me"}}

        {"source-ref": "s3://bucket/input/missing.jpg"}
        {"source-ref": "s3://bucket/input/corrupt.jpg"}

        """

    @Test(
        "a job counts submitted, unsubmitted and failed tasks, completes when the last is submitted, and writes Ground Truth's output manifest",
        arguments: LabelBackend.available
    )
    func lifecycle(_ backend: LabelBackend) throws {
        try backend.withStore { store in
            let created = Date(timeIntervalSince1970: 1_700_000_000)
            let job = try store.createLabelingJob(
                LabelingJobRequest(name: "bees-500", labelAttributeName: "bees-500", inputManifest: Self.input, categories: Self.bees),
                now: created,
                loadImage: Self.loader(try Self.images())
            )
            #expect(job.status == .inProgress && job.datasetName == "labeling-job/bees-500")
            #expect(job.counters == LabelCounters(labeled: 0, failed: 2, unlabeled: 2))
            #expect(job.failures.map(\.line) == [4, 5])
            #expect(job.failures[0].reason.contains("no such object: s3://bucket/input/missing.jpg"))
            #expect(job.failures[1].reason.contains("JPEG"))
            // Before any label, the output manifest is the input, blank lines dropped.
            #expect(try store.outputManifest(ofLabelingJob: "bees-500") == Self.input.split(separator: "\n").map { $0 + "\n" }.joined())

            let dataset = try store.dataset(named: job.datasetName)
            #expect(try store.categories(of: dataset).map(\.name) == ["bee"])
            let images = try store.images(in: dataset)
            #expect(images.map(\.fileName) == ["input/10006450.jpg", "input/2.jpg"])
            let box = GroundTruthAnnotation(classId: 0, left: 177, top: 256.2, width: 95.39999999999998, height: 86.80000000000001)
            try store.apply([.add(imageId: images[0].id, box)], now: LabelFormatTests.labeledAt)
            // Drawn is not submitted: the task is still to do.
            #expect(try store.labelingJob(named: "bees-500").counters == LabelCounters(labeled: 0, failed: 2, unlabeled: 2))
            try store.apply([.submit(imageId: images[0].id)], now: LabelFormatTests.labeledAt)
            let halfway = try store.labelingJob(named: "bees-500")
            #expect(halfway.counters == LabelCounters(labeled: 1, failed: 2, unlabeled: 1) && halfway.status == .inProgress)
            #expect(abs(halfway.lastModifiedAt.timeIntervalSince(LabelFormatTests.labeledAt)) < 0.001)

            try store.apply([.submit(imageId: images[1].id)], now: LabelFormatTests.labeledAt)
            let done = try store.labelingJob(named: "bees-500")
            #expect(done.status == .completed && done.isFinished)
            #expect(done.counters == LabelCounters(labeled: 2, failed: 2, unlabeled: 0))
            // An edit after the job completed is the dataset's, not the job's: the output keeps the submitted answer.
            try store.apply([.add(imageId: images[0].id, .init(classId: 0, left: 1, top: 1, width: 5, height: 5)), .submit(imageId: images[0].id)])
            #expect(try store.labelingJob(named: "bees-500").counters == done.counters)

            let output = try store.outputManifest(ofLabelingJob: "bees-500").split(separator: "\n").map(String.init)
            #expect(output.count == 4)
            // The spec's line, exactly (one worker: confidence 0.0).
            #expect(output[0] == LabelFormatTests.specLine.replacingOccurrences(of: #""confidence": 0.75"#, with: #""confidence": 0.0"#))
            // Extra keys pass through byte for byte, the label follows them.
            #expect(
                output[1].hasPrefix(
                    #"{"source-ref": "s3://bucket/input/2.jpg", "site": "hive 2", "taken": {"by": "me"}, "bees-500": {"annotations": [], "image_size": [{"width": 64, "depth": 3, "height": 48}]}"#
                )
            )
            #expect(output[2] == #"{"source-ref": "s3://bucket/input/missing.jpg"}"#)
            // Training reads it as an augmented manifest.
            let parsed = try GroundTruthManifest.parse(output.joined(separator: "\n"), labelAttributeName: "bees-500")
            #expect(parsed.compactMap(\.label).count == 2)
            #expect(parsed[0].metadata?.jobName == "labeling-job/bees-500")
        }
    }

    @Test("stopping keeps the labels so far; stopping conditions complete a job early", arguments: LabelBackend.available)
    func stopping(_ backend: LabelBackend) throws {
        try backend.withStore { store in
            let images = try Self.images()
            let manifest = "{\"source-ref\": \"s3://bucket/input/10006450.jpg\"}\n{\"source-ref\": \"s3://bucket/input/2.jpg\"}\n"
            try store.createLabelingJob(
                .init(name: "stop-me", labelAttributeName: "bees", inputManifest: manifest, categories: Self.bees),
                loadImage: Self.loader(images)
            )
            let first = try store.images(in: store.dataset(named: "labeling-job/stop-me"))[0]
            try store.apply([.submit(imageId: first.id)])
            let stopped = try store.stopLabelingJob(named: "stop-me")
            #expect(stopped.status == .stopped && stopped.counters.totalLabeled == 1)
            #expect(try store.outputManifest(ofLabelingJob: "stop-me").split(separator: "\n").map { $0.contains("\"bees\"") } == [true, false])
            #expect(try store.stopLabelingJob(named: "stop-me").status == .stopped)

            try store.createLabelingJob(
                .init(name: "half", labelAttributeName: "bees", inputManifest: manifest, categories: Self.bees, maxPercentageOfInputDatasetLabeled: 50),
                loadImage: Self.loader(images)
            )
            let image = try store.images(in: store.dataset(named: "labeling-job/half"))[1]
            try store.apply([.submit(imageId: image.id)])
            #expect(try store.labelingJob(named: "half").status == .completed)
            #expect(try store.labelingJobs().map(\.name) == ["stop-me", "half"])
        }
    }

    @Test("bad requests are refused with Ground Truth's rules; names are unique")
    func validation() throws {
        let store = try LabelStore.inMemory()
        let loader = Self.loader(try Self.images())
        let manifest = "{\"source-ref\": \"s3://bucket/input/2.jpg\"}\n"
        func reason(_ request: LabelingJobRequest) -> String {
            do {
                try store.createLabelingJob(request, loadImage: loader)
                return "created"
            } catch {
                return "\(error)"
            }
        }
        #expect(reason(.init(name: "-bad", labelAttributeName: "bees", inputManifest: manifest, categories: Self.bees)).contains("LabelingJobName"))
        #expect(
            reason(.init(name: "ok", labelAttributeName: "bees-metadata", inputManifest: manifest, categories: Self.bees)).contains(
                "-metadata or -ref"
            )
        )
        #expect(
            reason(.init(name: "ok", labelAttributeName: "bees", inputManifest: manifest, categories: .init(names: []))).contains("1 to 50 labels")
        )
        #expect(
            reason(.init(name: "ok", labelAttributeName: "bees", inputManifest: manifest, categories: .init(names: ["a", "a"]))).contains(
                "appears twice"
            )
        )
        #expect(
            reason(.init(name: "ok", labelAttributeName: "bees", inputManifest: "{\"file\": 1}\n", categories: Self.bees)).contains(
                "line 1 has no \"source-ref\""
            )
        )
        #expect(
            reason(.init(name: "ok", labelAttributeName: "bees", inputManifest: "not json\n", categories: Self.bees)).contains(
                "line 1 is not a JSON object"
            )
        )
        #expect(reason(.init(name: "ok", labelAttributeName: "bees", inputManifest: manifest, categories: Self.bees)) == "created")
        #expect(reason(.init(name: "ok", labelAttributeName: "bees", inputManifest: manifest, categories: Self.bees)).contains("already exists"))
        #expect(throws: LabelStoreError.self) { try store.labelingJob(named: "nope") }
    }

    @Test("the output manifest's URI keeps S3OutputPath as given")
    func outputURI() {
        #expect(LabelStore.outputManifestURI(s3OutputPath: "s3://b/out/", jobName: "bees") == "s3://b/out/bees/manifests/output/output.manifest")
        #expect(LabelStore.outputManifestURI(s3OutputPath: "s3://b/out", jobName: "bees") == "s3://b/out/bees/manifests/output/output.manifest")
    }

    @Test("a label category config reads and writes Ground Truth's JSON")
    func categoryConfig() throws {
        let config = try LabelCategoryConfig.parse(Data(#"{"document-version":"2018-11-28","labels":[{"label":"bee"},{"label":"wasp"}]}"#.utf8))
        #expect(config.names == ["bee", "wasp"])
        #expect(config.encoded() == #"{"document-version": "2018-11-28", "labels": [{"label": "bee"}, {"label": "wasp"}]}"#)
        #expect(throws: LabelCategoryConfigError.self) { try LabelCategoryConfig.parse(Data("[]".utf8)) }
    }

    @Test("every shape Ground Truth accepts: no document-version, global and per-label attributes, instructions")
    func categoryConfigShapes() throws {
        #expect(try LabelCategoryConfig.parse(Data(#"{"labels": [{"label": "Bird"}]}"#.utf8)).names == ["Bird"])
        let full = try LabelCategoryConfig.parse(
            Data(
                #"""
                {"document-version": "2020-03-01",
                 "categoryGlobalAttributes": [{"name": "occluded", "description": "partly hidden", "type": "string", "enum": ["yes", "no"]}],
                 "frameAttributes": [{"name": "light", "type": "number", "minimum": 0, "maximum": 10}],
                 "labels": [{"label": "bee", "attributes": [{"name": "pose", "type": "string", "enum": ["flying", "sitting"]}]},
                            {"label": "wasp", "categoryAttributes": [{"name": "size", "type": "number"}]}],
                 "instructions": {"shortInstruction": "<p>Box every bee</p>", "fullInstruction": "<p>Tight boxes.</p>"},
                 "auditLabelAttributeName": "bees"}
                """#.utf8))
        #expect(full.names == ["bee", "wasp"])
        #expect(full.categoryGlobalAttributes?.first?.name == "occluded")
        #expect(full.labels[0].attributes?.first?.name == "pose")
        #expect(full.labels[1].attributes?.first?.name == "size")
        #expect(full.instructions?.shortInstruction == "<p>Box every bee</p>")
        #expect(full.encoded() == #"{"document-version": "2020-03-01", "labels": [{"label": "bee"}, {"label": "wasp"}]}"#)

        func reason(_ json: String) -> String {
            do {
                _ = try LabelCategoryConfig.parse(Data(json.utf8))
                return "accepted"
            } catch let error as LabelCategoryConfigError {
                return error.reason
            } catch {
                return "\(error)"
            }
        }
        #expect(reason(#"{"document-version": "2018-11-28"}"#).contains(#"the member "labels" is missing"#))
        #expect(reason(#"{"labels": [{"name": "bee"}]}"#).contains(#"labels[0]: the member "label" is missing"#))
        #expect(reason(#"{"labels": "bee"}"#).contains("labels has the wrong type"))
        #expect(reason(#"{"labels": []}"#).contains("1 to 50 labels"))
        #expect(reason(#"{"labels": [{"label": "bee"}, {"label": "bee"}]}"#).contains("appears twice"))
        #expect(reason(#"{"labels": [{"label": "bee"}], "categoryGlobalAttributes": [{"type": "string"}]}"#).contains(#"categoryGlobalAttributes[0]: the member "name" is missing"#))
        #expect(reason(#"{"labels": [{"label": "bee", "attributes": [{"name": "a"}, {"name": "a"}]}]}"#).contains("attribute 'a' appears twice"))
        #expect(reason(#"{"labels": [{"label": "bee"}], "instructions": "read me"}"#).contains("instructions has the wrong type"))
        #expect(reason("[]").contains("must be a JSON object"))
    }

    @Test("machine-made answers count as MachineLabeled and say human-annotated no; a person's resubmission makes the task human-labeled")
    func machineLabels() throws {
        let store = try LabelStore.inMemory()
        _ = try store.createLabelingJob(
            LabelingJobRequest(name: "bees", labelAttributeName: "bees", inputManifest: Self.input, categories: Self.bees),
            loadImage: Self.loader(try Self.images())
        )
        let images = try store.images(in: try store.dataset(named: "labeling-job/bees"))
        let box = GroundTruthAnnotation(classId: 0, left: 10, top: 20, width: 30, height: 40)
        try store.apply([.add(imageId: images[0].id, box), .submit(imageId: images[0].id)], origin: .machine)
        #expect(try store.labelingJob(named: "bees").counters == LabelCounters(labeled: 1, machineLabeled: 1, failed: 2, unlabeled: 1))

        // A person moves the machine's box and submits: that task is now human-labeled.
        let boxId = try store.boxes(onImage: images[0].id)[0].id
        try store.apply([.update(boxId: boxId, .init(classId: 0, left: 11, top: 20, width: 30, height: 40)), .submit(imageId: images[0].id)])
        #expect(try store.labelingJob(named: "bees").counters == LabelCounters(labeled: 1, machineLabeled: 0, failed: 2, unlabeled: 1))
        try store.apply([.undo(imageId: images[0].id), .submit(imageId: images[0].id), .submit(imageId: images[1].id)], origin: .machine)
        let job = try store.labelingJob(named: "bees")
        #expect(job.counters == LabelCounters(labeled: 2, machineLabeled: 2, failed: 2, unlabeled: 0))
        #expect(job.counters.humanLabeled == 0 && job.status == .completed)
        let lines = try store.outputManifest(ofLabelingJob: "bees").split(separator: "\n").map(String.init)
        #expect(lines[0].contains(#""human-annotated": "no""#) && lines[1].contains(#""human-annotated": "no""#))
        #expect(lines[0].contains(#""left": 10"#))

        // The manifest export keeps who labeled, and reading it back imports machine-made labels as such.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("machine-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try store.export(try store.dataset(named: "labeling-job/bees"), as: .manifest, to: folder)
        let set = try LabelStore.readLabels(.manifest, from: folder)
        #expect(set.origin == .machine)
        let copy = try LabelStore.inMemory()
        try copy.importLabels(set, into: "copy")
        #expect(try copy.labelSet(of: try copy.dataset(named: "copy")).items.map(\.origin) == [.machine, .machine])
    }
}
