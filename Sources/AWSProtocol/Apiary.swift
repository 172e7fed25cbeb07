/// Facts about this build of Apiary that every layer may report.
public enum Apiary {
    /// The release version, printed by `ctl --version`.
    public static let version = "0.1.0"
}
