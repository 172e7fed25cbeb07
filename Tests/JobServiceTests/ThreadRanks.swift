@testable import EndpointRuntime
@testable import TrainingExecution
import Foundation
import JobService
import ModelCore

/// The ranks of one data-parallel job as threads of this process: each collective gathers every rank's values
/// under one lock and each rank reduces them in rank order, as `MPI_Allreduce` of two ranks does (`a + b`). The
/// reference that ranks under `mpirun` must match.
final class ThreadRanks: @unchecked Sendable {
    let size: Int
    private let condition = NSCondition()
    private var slots: [Any?]
    private var gathered: [Any] = []
    private var arrived = 0
    private var generation = 0

    init(size: Int) {
        self.size = size
        slots = Array(repeating: nil, count: size)
    }

    func reducer(rank: Int) -> any GradientReducer { Rank(rank: rank, ranks: self) }

    /// Every rank's `value`, in rank order, once every rank has given its own.
    func allGather<Value>(_ value: Value, rank: Int) -> [Value] {
        condition.lock()
        defer { condition.unlock() }
        slots[rank] = value
        arrived += 1
        if arrived == size {
            gathered = slots.map { $0! }
            slots = Array(repeating: nil, count: size)
            arrived = 0
            generation += 1
            condition.broadcast()
        } else {
            let waitingFor = generation
            while generation == waitingFor { condition.wait() }
        }
        return gathered.map { $0 as! Value }
    }

    private final class Rank: GradientReducer {
        let rank: Int
        let ranks: ThreadRanks
        var size: Int { ranks.size }

        init(rank: Int, ranks: ThreadRanks) {
            self.rank = rank
            self.ranks = ranks
        }

        func sum(_ buffers: [UnsafeMutableBufferPointer<Float>]) throws {
            let all = ranks.allGather(buffers.map { Array($0) }, rank: rank)
            for (index, buffer) in buffers.enumerated() {
                for element in buffer.indices { buffer[element] = all.reduce(Float(0)) { $0 + $1[index][element] } }
            }
        }

        func sum(_ values: [Double]) throws -> [Double] {
            let all = ranks.allGather(values, rank: rank)
            return values.indices.map { index in all.reduce(0) { $0 + $1[index] } }
        }

        func broadcast(_ values: [Double]) throws -> [Double] { ranks.allGather(values, rank: rank)[0] }
    }
}

/// Each rank's outcome, written from its own thread.
final class OutcomeSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var outcomes: [TrainingJobOutcome?]

    init(_ size: Int) { outcomes = Array(repeating: nil, count: size) }

    func set(_ rank: Int, _ outcome: TrainingJobOutcome) { lock.withLock { outcomes[rank] = outcome } }
    var first: TrainingJobOutcome { lock.withLock { outcomes[0]! } }
}
