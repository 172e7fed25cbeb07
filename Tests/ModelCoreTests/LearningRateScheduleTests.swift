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
