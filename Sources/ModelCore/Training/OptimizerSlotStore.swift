/// The per-parameter buffers of one optimizer kind (SGD's momentum, Adam's mean and variance, ...).
///
/// Each optimizer declares a small struct of `[Float]` fields so its update kernel can hold all of them
/// mutably at once (distinct stored properties of a local struct may be borrowed together; elements of one
/// array of arrays may not).
protocol OptimizerSlots: Sendable {
    /// Slot names in `arrays` order; MXNet's state names where it had them.
    static var names: [String] { get }
    /// Zero-filled slots for a parameter of `count` elements (MXNet's `create_state` uses zeros).
    init(count: Int)
    /// Slots from saved arrays, in `names` order.
    init(arrays: [[Float]])
    /// The arrays, in `names` order.
    var arrays: [[Float]] { get }
}

/// Slots keyed by parameter name, the step counter, and the state save/load rules shared by all optimizers.
struct OptimizerSlotStore<Slots: OptimizerSlots>: Sendable {
    var stepCount = 0
    private var slots: [String: Slots] = [:]

    /// Removes and returns the slots of `parameter` (zeros if it has none yet). Taking them out of the
    /// dictionary keeps their arrays uniquely referenced, so the kernel writes in place without a copy.
    mutating func take(_ parameter: Parameter) -> Slots {
        guard let existing = slots.removeValue(forKey: parameter.name) else { return Slots(count: parameter.count) }
        for array in existing.arrays {
            precondition(
                array.count == parameter.count,
                "\(parameter.name): optimizer state has \(array.count) values, parameter has \(parameter.count)"
            )
        }
        return existing
    }

    /// Puts back slots taken with `take`.
    mutating func put(_ parameterSlots: Slots, for name: String) {
        slots[name] = parameterSlots
    }

    func state() -> [String: [Float]] {
        var state = [OptimizerState.stepCountKey: OptimizerState.encode(stepCount: stepCount)]
        for (name, parameterSlots) in slots {
            for (slot, array) in zip(Slots.names, parameterSlots.arrays) { state["\(name):\(slot)"] = array }
        }
        return state
    }

    mutating func load(_ state: [String: [Float]], for parameters: [Parameter]) throws {
        guard let encoded = state[OptimizerState.stepCountKey] else { throw OptimizerStateError.missingEntry(OptimizerState.stepCountKey) }
        guard let loadedStepCount = OptimizerState.decodeStepCount(encoded) else { throw OptimizerStateError.invalidStepCount(encoded) }
        var byName: [String: Parameter] = [:]
        for parameter in parameters { byName[parameter.name] = parameter }

        // Every key must be "<known parameter>:<known slot>" with the parameter's element count (checked in
        // sorted order, so the error reported for a bad state is always the same one).
        var named: Set<String> = []
        for key in state.keys.sorted() where key != OptimizerState.stepCountKey {
            let values = state[key]!
            guard let colon = key.lastIndex(of: ":") else { throw OptimizerStateError.unexpectedEntry(key) }
            let name = String(key[..<colon])
            let slot = String(key[key.index(after: colon)...])
            guard Slots.names.contains(slot), let parameter = byName[name] else { throw OptimizerStateError.unexpectedEntry(key) }
            guard values.count == parameter.count else {
                throw OptimizerStateError.sizeMismatch(key: key, expected: parameter.count, actual: values.count)
            }
            named.insert(name)
        }

        // A parameter has all its slots or none; trainable parameters must have them once training started.
        var loaded: [String: Slots] = [:]
        for parameter in parameters {
            let keys = Slots.names.map { "\(parameter.name):\($0)" }
            guard named.contains(parameter.name) else {
                if loadedStepCount > 0 && !parameter.isFrozen { throw OptimizerStateError.missingEntry(keys[0]) }
                continue
            }
            var arrays: [[Float]] = []
            for key in keys {
                guard let values = state[key] else { throw OptimizerStateError.missingEntry(key) }
                arrays.append(values)
            }
            loaded[parameter.name] = Slots(arrays: arrays)
        }
        slots = loaded
        stepCount = loadedStepCount
    }
}
