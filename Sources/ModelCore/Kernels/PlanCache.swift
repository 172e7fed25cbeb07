/// A layer's primitives for the few input shapes it sees (the training batch, the last partial batch, the
/// endpoint's micro-batch sizes), so alternating between them never rebuilds a primitive.
struct PlanCache<Key: Hashable, Plan> {
    private var plans: [Key: Plan] = [:]
    private var order: [Key] = []
    let capacity: Int

    init(capacity: Int = 8) { self.capacity = capacity }

    /// The plan for `key`, built by `make` on first use; the least recently built one is dropped past capacity.
    mutating func plan(for key: Key, make: () throws -> Plan) rethrows -> Plan {
        if let plan = plans[key] { return plan }
        let plan = try make()
        plans[key] = plan
        order.append(key)
        if order.count > capacity { plans[order.removeFirst()] = nil }
        return plan
    }
}
