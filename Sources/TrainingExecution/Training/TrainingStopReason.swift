/// Why the daemon asks a running training job to stop (answered by the stop hook, polled between batches).
public enum TrainingStopReason: Sendable, Equatable {
    /// `StopTrainingJob`: the job ends `Stopped`.
    case userStop
    /// `StoppingCondition.MaxRuntimeInSeconds` elapsed: the job ends `Stopped` / `MaxRuntimeExceeded`.
    case maxRuntimeExceeded
    /// The daemon is shutting down: the job stays InProgress and resumes from its checkpoint on the next start,
    /// so nothing is uploaded.
    case shutdown
}
