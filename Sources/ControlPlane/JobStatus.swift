/// A job status whose `Completed`, `Failed` and `Stopped` values are final: training, transform and labeling jobs.
package protocol JobStatus: RawRepresentable where RawValue == String {}

extension JobStatus {
    /// Final: no event moves a job out of it.
    package var isTerminal: Bool { ["Completed", "Failed", "Stopped"].contains(rawValue) }
}
