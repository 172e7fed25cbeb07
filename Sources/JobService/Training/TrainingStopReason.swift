/// Why the daemon asks a running training job to stop (answered by the stop hook, polled between batches).
public enum TrainingStopReason: Sendable, Equatable {
    /// `StopTrainingJob`: the job ends `Stopped`.
    case userStop
    /// `StoppingCondition.MaxRuntimeInSeconds` elapsed: the job ends `Stopped` / `MaxRuntimeExceeded`.
    case maxRuntimeExceeded
}
