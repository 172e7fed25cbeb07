/// Who made a label write: a person (a worker in the UI, `ctl labels`), or a machine (a model's predictions,
/// a generator's ground truth) — Ground Truth's `human-annotated: yes/no` and `LabelCounters.MachineLabeled`.
/// An image's origin is that of its latest write still in effect.
public enum LabelOrigin: String, Sendable, Equatable, Codable {
    case human
    case machine
}
