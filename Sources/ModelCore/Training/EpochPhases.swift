import Dispatch

/// Where an epoch's wall time went, logged once an epoch: a job slower than its network says why (waiting for
/// input, target assignment, the loss, the optimizer, validation or the checkpoint) without a profiler.
///
/// The training phases are timed on the training thread and add up to the epoch's training time; `loader` is the
/// time the input pipeline took on its own thread, overlapped with the rest unless `input` is large.
struct EpochPhases {
    enum Phase: Int, CaseIterable {
        case input, forward, targets, loss, backward, optimizer, other, validation, checkpoint, loader

        var name: String {
            switch self {
            case .input: "waiting for input"
            case .forward: "forward"
            case .targets: "targets"
            case .loss: "loss"
            case .backward: "backward"
            case .optimizer: "optimizer"
            case .other: "other"
            case .validation: "validation"
            case .checkpoint: "checkpoint"
            case .loader: "input prepared on the loader"
            }
        }
    }

    private var nanoseconds = [UInt64](repeating: 0, count: Phase.allCases.count)

    /// Runs `body`, adding its wall time to `phase`.
    mutating func time<T>(_ phase: Phase, _ body: () throws -> T) rethrows -> T {
        let start = DispatchTime.now().uptimeNanoseconds
        defer { add(phase, nanoseconds: DispatchTime.now().uptimeNanoseconds - start) }
        return try body()
    }

    mutating func add(_ phase: Phase, nanoseconds: UInt64) { self.nanoseconds[phase.rawValue] += nanoseconds }

    func seconds(_ phase: Phase) -> Double { Double(nanoseconds[phase.rawValue]) / 1e9 }

    /// `Epoch 3 time split: training 16.20 s (waiting for input 0.31 s, forward 5.10 s, …; input prepared on the
    /// loader 2.10 s), validation 1.40 s, checkpoint 0.20 s`.
    func logLine(epoch: Int) -> String {
        func figure(_ phase: Phase) -> String { "\(phase.name) " + String(format: "%.2f s", seconds(phase)) }
        let steps: [Phase] = [.input, .forward, .targets, .loss, .backward, .optimizer, .other]
        let training = steps.reduce(0) { $0 + seconds($1) }
        return "Epoch \(epoch) time split: training " + String(format: "%.2f s", training) + " ("
            + steps.map(figure).joined(separator: ", ") + "; \(figure(.loader))), \(figure(.validation)), \(figure(.checkpoint))"
    }
}
