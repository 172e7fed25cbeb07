extension ResourceRecord {
    /// The stored status as its kind's enum (`TrainingJobStatus`, `EndpointStatus`, …); nil when there is none or the
    /// stored text is not one of its values.
    package func status<Status: RawRepresentable>(as _: Status.Type) -> Status? where Status.RawValue == String {
        status.flatMap(Status.init(rawValue:))
    }
}
