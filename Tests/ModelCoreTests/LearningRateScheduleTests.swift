import ModelCore
import Testing

@Suite("Learning-rate schedule: lr_scheduler_step / lr_scheduler_factor")
struct LearningRateScheduleTests {
    @Test("step lists parse: empty, spaced, compact, trailing comma")
    func parsing() throws {
        #expect(try LearningRateSchedule.parseSteps("") == [])
        #expect(try LearningRateSchedule.parseSteps("  ") == [])
        #expect(try LearningRateSchedule.parseSteps("10, 20") == [10, 20])
        #expect(try LearningRateSchedule.parseSteps("33,67") == [33, 67])
        #expect(try LearningRateSchedule.parseSteps(" 5 ,") == [5])
        #expect(try LearningRateSchedule.parseSteps("0,3") == [0, 3])
    }

    @Test("malformed step lists are rejected with the hyperparameter's name", arguments: ["10,x", "20,10", "10,10", "-1", "1.5", "10;20"])
    func malformed(_ text: String) {
        #expect(throws: HyperparameterError.self) { try LearningRateSchedule.parseSteps(text) }
        do {
            _ = try LearningRateSchedule.parseSteps(text)
        } catch {
            #expect(String(describing: error).hasPrefix("ClientError: Invalid value for hyperparameter 'lr_scheduler_step': '\(text)'."))
        }
    }

    /// 0-based epochs: "10, 20" keeps the base rate for epochs 0–9, then base·f for 10–19, base·f² from 20.
    @Test("the rate drops at each listed 0-based epoch")
    func dropsAtSteps() throws {
        let schedule = try LearningRateSchedule(baseLearningRate: 0.001, steps: "10, 20", factor: 0.1)
        let base = 0.001
        let expected: [(Int, Double)] = [(0, base), (9, base), (10, base * 0.1), (19, base * 0.1), (20, base * 0.1 * 0.1), (99, base * 0.1 * 0.1)]
        for (epoch, rate) in expected {
            #expect(schedule.learningRate(epoch: epoch) == Float(rate), "epoch \(epoch)")
        }
        #expect(!schedule.changesLearningRate(atEpoch: 9))
        #expect(schedule.changesLearningRate(atEpoch: 10))
        #expect(schedule.changesLearningRate(atEpoch: 20))
    }

    @Test("an empty step list keeps the base rate; a step at 0 lowers it from the start")
    func edgeCases() throws {
        let constant = try LearningRateSchedule(baseLearningRate: 0.001, steps: "", factor: 0.1)
        #expect((0..<100).allSatisfy { constant.learningRate(epoch: $0) == Float(0.001) })
        let lowered = try LearningRateSchedule(baseLearningRate: 0.5, steps: "0", factor: 0.25)
        #expect(lowered.learningRate(epoch: 0) == 0.125)
        #expect(!lowered.changesLearningRate(atEpoch: 0))
    }
}

@Suite("Learning-rate schedule: warm-up and cosine decay (apiary-mobile's recipe)")
struct WarmupCosineScheduleTests {
    /// 10 epochs of 25 batches: warm-up over the first epoch, then cosine from the base rate to 5% of it.
    let schedule = LearningRateSchedule.warmupCosine(baseLearningRate: 0.002, epochs: 10)

    @Test("warm-up rises linearly over the first epoch to the base rate")
    func warmup() {
        #expect(schedule.learningRate(epoch: 0, batch: 0, batchesPerEpoch: 25) == Float(0.002 / 25))
        #expect(schedule.learningRate(epoch: 0, batch: 12, batchesPerEpoch: 25) == Float(0.002 * 13 / 25))
        #expect(schedule.learningRate(epoch: 0, batch: 24, batchesPerEpoch: 25) == Float(0.002))
    }

    @Test("cosine decay: the base rate after warm-up, half-way at the middle, the final fraction at the last update")
    func decay() {
        #expect(schedule.learningRate(epoch: 1, batch: 0, batchesPerEpoch: 25) == Float(0.002))
        // Updates 25…249: the middle is update 137 (progress 112/224 = 0.5).
        #expect(abs(schedule.learningRate(epoch: 5, batch: 12, batchesPerEpoch: 25) - Float(0.002 * (0.05 + 0.95 * 0.5))) < 1e-9)
        #expect(schedule.learningRate(epoch: 9, batch: 24, batchesPerEpoch: 25) == Float(0.002 * 0.05))
        // Past the planned end (a resumed job asked for fewer epochs) the rate stays at its end value.
        #expect(schedule.learningRate(epoch: 12, batch: 0, batchesPerEpoch: 25) == Float(0.002 * 0.05))
        var previous = Float.infinity
        for epoch in 1..<10 {
            for batch in 0..<25 {
                let rate = schedule.learningRate(epoch: epoch, batch: batch, batchesPerEpoch: 25)
                #expect(rate <= previous)
                previous = rate
            }
        }
    }

    @Test("one epoch of one batch: the whole job at the base rate's warm-up end")
    func tinyJob() {
        let tiny = LearningRateSchedule.warmupCosine(baseLearningRate: 0.001, epochs: 1)
        #expect(tiny.learningRate(epoch: 0, batch: 0, batchesPerEpoch: 1) == Float(0.001))
    }

    @Test("apiary-mobile without lr_scheduler_step takes warm-up and cosine, a weight average and extra positives; the others stay faithful")
    func recipes() throws {
        let base = ["num_classes": "1", "num_training_samples": "100", "epochs": "10", "learning_rate": "0.002"]
        let mobile = TrainingRecipe(try ObjectDetectionHyperparameters(base.merging(["base_network": "apiary-mobile"]) { $1 }))
        #expect(mobile.schedule == .warmupCosine(baseLearningRate: 0.002, epochs: 10))
        #expect(mobile.weightAverageDecay == TrainingRecipe.apiaryMobileWeightAverageDecay)
        #expect(mobile.extraPositives == TrainingRecipe.apiaryMobileExtraPositives)
        let stepped = TrainingRecipe(
            try ObjectDetectionHyperparameters(base.merging(["base_network": "apiary-mobile", "lr_scheduler_step": "5"]) { $1 })
        )
        #expect(stepped.schedule == LearningRateSchedule(baseLearningRate: 0.002, stepEpochs: [5], factor: 0.1))
        for network in ["vgg-16", "resnet-50"] {
            let faithful = TrainingRecipe(try ObjectDetectionHyperparameters(base.merging(["base_network": network]) { $1 }))
            #expect(faithful.schedule == LearningRateSchedule(baseLearningRate: 0.002))
            #expect(faithful.weightAverageDecay == nil)
            #expect(faithful.extraPositives == nil)
        }
    }
}
