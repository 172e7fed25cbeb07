import ModelCore
import Testing

@Suite("Early stopping and best-model tracking")
struct EarlyStoppingTests {
    /// Feeds `maps` and returns the 0-based epoch after which training stops, or nil.
    func stopEpoch(_ monitor: inout EarlyStopping, _ maps: [Double]) -> Int? {
        for (epoch, mAP) in maps.enumerated() where monitor.record(validationMAP: mAP).shouldStop { return epoch }
        return nil
    }

    @Test("stops after `patience` epochs whose relative improvement is below the tolerance")
    func stopsOnPlateau() {
        var monitor = EarlyStopping(isEnabled: true, minimumEpochs: 3, patience: 2, tolerance: 0.01)
        // epoch 2: +0.5 % (< 1 %) → 1; epoch 3: below best → 2 → stop (4 epochs done ≥ 3).
        #expect(stopEpoch(&monitor, [0.1, 0.2, 0.201, 0.2005, 0.5]) == 3)
        #expect(monitor.bestMAP == 0.201)
        #expect(monitor.bestEpoch == 2)
    }

    @Test("a real improvement resets the count")
    func improvementResets() {
        var monitor = EarlyStopping(isEnabled: true, minimumEpochs: 1, patience: 2, tolerance: 0.05)
        #expect(stopEpoch(&monitor, [0.3, 0.29, 0.4, 0.39, 0.5, 0.49, 0.48]) == 6)
        #expect(monitor.bestEpoch == 4)
    }

    @Test("the minimum epoch count gates stopping; earlier epochs still count towards patience")
    func minimumEpochs() {
        var monitor = EarlyStopping(isEnabled: true, minimumEpochs: 5, patience: 1, tolerance: 0)
        #expect(stopEpoch(&monitor, [0.5, 0.4, 0.3, 0.2, 0.1, 0.05]) == 4)
        var patient = EarlyStopping(isEnabled: true, minimumEpochs: 4, patience: 3, tolerance: 0)
        #expect(stopEpoch(&patient, [0.5, 0.4, 0.3, 0.2, 0.1]) == 3)
    }

    @Test("disabled: never stops, still tracks the best epoch")
    func disabled() {
        var monitor = EarlyStopping(isEnabled: false, minimumEpochs: 1, patience: 1, tolerance: 1)
        #expect(stopEpoch(&monitor, [0.2, 0.1, 0.1, 0.05]) == nil)
        #expect(monitor.bestEpoch == 0)
        #expect(monitor.completedEpochs == 4)
    }

    @Test("with tolerance 0 an exact plateau is not 'no improvement' (the documented strict rule)")
    func zeroTolerancePlateau() {
        var monitor = EarlyStopping(isEnabled: true, minimumEpochs: 1, patience: 2, tolerance: 0)
        #expect(stopEpoch(&monitor, [0.3, 0.3, 0.3, 0.3]) == nil)
        #expect(monitor.bestEpoch == 0, "ties keep the earlier best")
    }

    @Test("best mAP 0: no division by zero")
    func zeroBest() {
        #expect(EarlyStopping.relativeImprovement(from: 0, to: 0) == 0)
        #expect(EarlyStopping.relativeImprovement(from: 0, to: 0.01) == .infinity)
        #expect(EarlyStopping.relativeImprovement(from: 0.5, to: .nan) == -.infinity)

        var stuck = EarlyStopping(isEnabled: true, minimumEpochs: 1, patience: 3, tolerance: 0)
        #expect(stopEpoch(&stuck, [Double](repeating: 0, count: 20)) == nil)
        var stuckWithTolerance = EarlyStopping(isEnabled: true, minimumEpochs: 1, patience: 3, tolerance: 0.001)
        #expect(stopEpoch(&stuckWithTolerance, [Double](repeating: 0, count: 20)) == 3)

        var rising = EarlyStopping(isEnabled: true)
        #expect(rising.record(validationMAP: 0).isNewBest, "the first epoch is always saved, even at mAP 0")
        let outcome = rising.record(validationMAP: 0.01)
        #expect(outcome.isNewBest && outcome.relativeImprovement == .infinity)
    }

    @Test("NaN mAP is never best and counts as no improvement")
    func notANumber() {
        var monitor = EarlyStopping(isEnabled: true, minimumEpochs: 1, patience: 1, tolerance: 0)
        #expect(!monitor.record(validationMAP: .nan).isNewBest)
        #expect(monitor.bestMAP == nil)
        #expect(monitor.record(validationMAP: 0.2).isNewBest)
        #expect(monitor.record(validationMAP: .nan).shouldStop)
        #expect(monitor.bestEpoch == 1)
    }
}
