import Foundation
import ModelCore
import Testing

/// The bee course's `HyperParameters`, exactly as its notebook sends them (spec §10).
let beeCourseHyperparameters: [String: String] = [
    "base_network": "resnet-50",
    "use_pretrained_model": "1",
    "num_classes": "1",
    "mini_batch_size": "1",
    "epochs": "100",
    "learning_rate": "0.001",
    "lr_scheduler_step": "",
    "lr_scheduler_factor": "0.1",
    "optimizer": "sgd",
    "momentum": "0.9",
    "weight_decay": "0.0005",
    "overlap_threshold": "0.5",
    "nms_threshold": "0.45",
    "image_shape": "300",
    "label_width": "350",
    "num_training_samples": "400",
]

/// Expects `body` to throw a `HyperparameterError` whose description is `message`.
func expectClientError(_ message: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) {
    do {
        try body()
        Issue.record("expected \(message)", sourceLocation: sourceLocation)
    } catch let error as HyperparameterError {
        #expect(error.description == message, sourceLocation: sourceLocation)
    } catch {
        Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
    }
}

@Suite("Object Detection hyperparameters: parsing, validation, resolved strings")
struct HyperparametersTests {
    @Test("the bee course's set parses")
    func beeCourse() throws {
        let h = try ObjectDetectionHyperparameters(beeCourseHyperparameters)
        #expect(h.baseNetwork == .resnet50)
        #expect(h.usePretrainedModel)
        #expect(h.numClasses == 1 && h.numTrainingSamples == 400 && h.miniBatchSize == 1 && h.epochs == 100)
        #expect(h.learningRate == 0.001 && h.lrSchedulerStep.isEmpty && h.lrSchedulerFactor == 0.1)
        #expect(h.optimizer == .sgd && h.momentum == 0.9 && h.weightDecay == 0.0005)
        #expect(h.overlapThreshold == 0.5 && h.nmsThreshold == 0.45 && h.imageShape == 300 && h.labelWidth == 350)
        #expect(h.freezeLayerPattern.pattern.isEmpty && h.kvStore == .device && !h.earlyStopping)
        #expect(h.earlyStoppingMinEpochs == 10 && h.earlyStoppingPatience == 5 && h.earlyStoppingTolerance == 0)
        #expect(h.nmsTopK == 400 && h.internalKVStore == "device" && h.numKVServers == "auto" && h.tuningObjectiveMetric.isEmpty)
        #expect(h.maximumObjectsPerImage == 69)
    }

    @Test("resolved() is the defaults overlaid with the job's strings, hidden keys included")
    func resolved() throws {
        let resolved = try ObjectDetectionHyperparameters(beeCourseHyperparameters).resolved()
        #expect(resolved.count == 26)
        #expect(Set(resolved.keys) == Set(ObjectDetectionHyperparameters.containerDefaults.keys))
        var expected = ObjectDetectionHyperparameters.containerDefaults
        for (key, value) in beeCourseHyperparameters { expected[key] = value }
        #expect(resolved == expected)
        #expect(resolved["_kvstore"] == "device" && resolved["_num_kv_servers"] == "auto" && resolved["_tuning_objective_metric"] == "")
        #expect(resolved["nms_topk"] == "400" && resolved["early_stopping"] == "False" && resolved["kv_store"] == "device")
    }

    /// §12.1 decision: the container's default-input.json value, 0.
    @Test("defaults apply when only the required names are given")
    func defaults() throws {
        let h = try ObjectDetectionHyperparameters(["num_classes": "2", "num_training_samples": "5870"])
        #expect(h.baseNetwork == .vgg16 && !h.usePretrainedModel && h.epochs == 30 && h.miniBatchSize == 32)
        #expect(h.learningRate == 0.001 && h.optimizer == .sgd && h.imageShape == 300 && h.labelWidth == 350)
        #expect(ObjectDetectionHyperparameters.containerDefaults["use_pretrained_model"] == "0")
    }

    @Test("lenient forms: spaced step list, boolean spellings, apiary-mobile, surrounding whitespace")
    func lenientForms() throws {
        func parse(_ extra: [String: String]) throws -> ObjectDetectionHyperparameters {
            try ObjectDetectionHyperparameters(beeCourseHyperparameters.merging(extra) { $1 })
        }
        #expect(try parse(["lr_scheduler_step": "10, 20"]).lrSchedulerStep == [10, 20])
        #expect(try parse(["lr_scheduler_step": "10, 20"]).resolved()["lr_scheduler_step"] == "10, 20")
        for (text, value) in [("True", true), ("true", true), ("TRUE", true), ("1", true), ("False", false), ("false", false), ("0", false)] {
            #expect(try parse(["early_stopping": text]).earlyStopping == value, "\(text)")
        }
        #expect(try parse(["base_network": "apiary-mobile"]).baseNetwork == .apiaryMobile)
        #expect(try parse(["learning_rate": " 1e-3 "]).learningRate == 0.001)
        #expect(try parse(["learning_rate": "1"]).learningRate == 1)
        #expect(try parse(["early_stopping_tolerance": "0"]).earlyStoppingTolerance == 0)
        #expect(try parse(["kv_store": "dist_sync"]).kvStore == .distSync)
        #expect(try parse(["_tuning_objective_metric": "validation:mAP"]).tuningObjectiveMetric == "validation:mAP")
        for name in ["sgd", "adam", "rmsprop", "adadelta"] { #expect(try parse(["optimizer": name]).optimizer.rawValue == name) }
    }

    @Test(
        "each invalid value gets its ClientError",
        arguments: [
            ("learning_rate", "2.0", "a float in (0, 1]"),
            ("learning_rate", "0", "a float in (0, 1]"),
            ("learning_rate", "nan", "a float in (0, 1]"),
            ("learning_rate", "fast", "a float in (0, 1]"),
            ("momentum", "0", "a float in (0, 1]"),
            ("weight_decay", "0", "a float in (0, 1)"),
            ("weight_decay", "1", "a float in (0, 1)"),
            ("lr_scheduler_factor", "1", "a float in (0, 1)"),
            ("overlap_threshold", "1.5", "a float in (0, 1]"),
            ("nms_threshold", "0", "a float in (0, 1]"),
            ("early_stopping_tolerance", "-0.1", "a float in [0, 1]"),
            ("num_classes", "0", "a positive integer"),
            ("num_classes", "", "a positive integer"),
            ("num_training_samples", "400.0", "a positive integer"),
            ("epochs", "-3", "a positive integer"),
            ("mini_batch_size", "0x10", "a positive integer"),
            ("image_shape", "299", "an integer >= 300"),
            ("label_width", "6", "an integer >= 7 (the 2-value header plus 5 values per object)"),
            ("early_stopping_min_epochs", "0", "a positive integer"),
            ("early_stopping_patience", "0", "a positive integer"),
            ("nms_topk", "0", "a positive integer"),
            ("base_network", "resnet-101", "one of 'vgg-16', 'resnet-50', 'apiary-mobile'"),
            ("base_network", "ResNet-50", "one of 'vgg-16', 'resnet-50', 'apiary-mobile'"),
            ("optimizer", "nadam", "one of 'sgd', 'adam', 'rmsprop', 'adadelta'"),
            ("kv_store", "nccl", "one of 'device', 'local', 'dist_sync', 'dist_async'"),
            ("early_stopping", "yes", "True or False"),
            ("use_pretrained_model", "True", "0 or 1"),
            ("use_pretrained_model", "2", "0 or 1"),
            ("freeze_layer_pattern", "^(conv1_", "a valid regular expression"),
            (
                "lr_scheduler_step", "20,10",
                "a comma-separated list of strictly increasing non-negative integers (epochs), or an empty string"
            ),
        ]
    )
    func invalid(_ name: String, _ value: String, _ expected: String) {
        var raw = beeCourseHyperparameters
        raw[name] = value
        expectClientError("ClientError: Invalid value for hyperparameter '\(name)': '\(value)'. Expected \(expected).") {
            _ = try ObjectDetectionHyperparameters(raw)
        }
    }

    @Test("missing and unknown names")
    func missingAndUnknown() {
        var raw = beeCourseHyperparameters
        raw["num_classes"] = nil
        expectClientError("ClientError: Missing required hyperparameter: 'num_classes'") { _ = try ObjectDetectionHyperparameters(raw) }
        raw["num_training_samples"] = nil
        expectClientError("ClientError: Missing required hyperparameter: 'num_classes'") { _ = try ObjectDetectionHyperparameters(raw) }

        var unknown = beeCourseHyperparameters
        unknown["foo"] = "1"
        unknown["num_classes"] = nil
        do {
            _ = try ObjectDetectionHyperparameters(unknown)
            Issue.record("accepted an unknown name")
        } catch {
            let message = String(describing: error)
            #expect(message.hasPrefix("ClientError: Unknown hyperparameter 'foo'. Supported hyperparameters: base_network, "))
            #expect(message.contains("nms_topk") && !message.contains("_kvstore"))
        }
    }

    @Test("label_width holds 2 + 5 × objects")
    func labelWidth() throws {
        let h = try ObjectDetectionHyperparameters(beeCourseHyperparameters)
        try h.validateLabelWidth(objectsInImage: 69)
        do {
            try h.validateLabelWidth(objectsInImage: 70)
            Issue.record("70 objects fit in 350")
        } catch {
            #expect(
                String(describing: error).hasPrefix(
                    "ClientError: Invalid parameter value 'label_width'. Please ensure that the value of parameter 'label_width'"
                )
            )
            #expect(String(describing: error).contains("352"))
        }
    }

    @Test("freeze_layer_pattern matches like Python's re.match: anchored at the start only")
    func freezePattern() throws {
        let pattern = try FreezeLayerPattern("^(conv1_|conv2_).*")
        #expect(pattern.matches("conv1_1_weight") && pattern.matches("conv2_2_bias"))
        #expect(!pattern.matches("conv3_1_weight") && !pattern.matches("backbone.conv1_1.weight"))
        let unanchored = try FreezeLayerPattern("conv")
        #expect(unanchored.matches("conv5_weight") && !unanchored.matches("stage1_conv5_weight"))
        #expect(!(try FreezeLayerPattern("")).matches("anything"))

        let parameters = ["conv1_1_weight", "conv1_1_bias", "multi_feat_2_conv_3x3_weight"].map { Parameter(name: $0, dims: [1]) }
        #expect(pattern.freeze(parameters) == ["conv1_1_weight", "conv1_1_bias"])
        #expect(parameters.map(\.isFrozen) == [true, true, false])
    }

    @Test("makeOptimizer honours 'momentum for sgd only, weight_decay for sgd and rmsprop only'")
    func optimizerScoping() throws {
        func make(_ name: String) throws -> any Optimizer {
            try ObjectDetectionHyperparameters(
                beeCourseHyperparameters.merging(["optimizer": name, "momentum": "0.8", "weight_decay": "0.01"]) { $1 }
            )
            .makeOptimizer()
        }
        let sgd = try #require(try make("sgd") as? SGD)
        #expect(sgd.momentum == 0.8 && sgd.weightDecay == 0.01)
        #expect(try #require(try make("rmsprop") as? RMSProp).weightDecay == 0.01)
        #expect(try #require(try make("adam") as? Adam).weightDecay == 0)
        #expect(try #require(try make("adadelta") as? AdaDelta).weightDecay == 0)
        let schedule = try ObjectDetectionHyperparameters(beeCourseHyperparameters.merging(["lr_scheduler_step": "3,6"]) { $1 }).learningRateSchedule
        #expect(schedule == LearningRateSchedule(baseLearningRate: 0.001, stepEpochs: [3, 6], factor: 0.1))
    }

    @Test("early stopping is built from the early_stopping* defaults")
    func earlyStoppingFromHyperparameters() throws {
        let hyperparameters = try ObjectDetectionHyperparameters(["num_classes": "1", "num_training_samples": "400", "early_stopping": "true"])
        #expect(hyperparameters.makeEarlyStopping() == EarlyStopping(isEnabled: true, minimumEpochs: 10, patience: 5, tolerance: 0))
    }
}
