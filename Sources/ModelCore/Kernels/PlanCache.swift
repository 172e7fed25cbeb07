/// A layer's kernels for the few input shapes it sees (the training batch, the last partial batch, the
/// endpoint's micro-batch sizes), so alternating between them never rebuilds a primitive; and the kernel the
/// last training forward pass ran, which is the one backward must run. Every oneDNN layer keeps one.
struct PlanCache<Key: Hashable, Plan> {
    private var plans: [Key: Plan] = [:]
    private var order: [Key] = []
    let capacity: Int
    /// The plan of the last training forward pass.
    private(set) var training: Plan?

    init(capacity: Int = 8) { self.capacity = capacity }

    /// The plan for `key`, built by `make` on first use; the least recently built one is dropped past capacity.
    mutating func plan(for key: Key, mode: ForwardMode, make: () throws -> Plan) rethrows -> Plan {
        let plan = try plans[key] ?? make()
        if plans[key] == nil {
            plans[key] = plan
            order.append(key)
            if order.count > capacity { plans[order.removeFirst()] = nil }
        }
        if mode == .training { training = plan }
        return plan
    }

    /// The plan backward runs; traps when no training forward pass came first.
    func trainingPlan(_ layer: String) -> Plan {
        guard let training else { preconditionFailure("\(layer).backward without a training forward pass") }
        return training
    }
}
