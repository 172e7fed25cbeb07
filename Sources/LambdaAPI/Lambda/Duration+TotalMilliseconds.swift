extension Duration {
    /// The duration in milliseconds, with its fraction: what Lambda's REPORT lines and deadlines count in.
    var totalMilliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    }
}
