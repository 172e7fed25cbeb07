import GRDB

extension LabelStore {
    /// The store in the SQLite file at `path` (a home's `labels.sqlite`), copied whole at one moment with SQLite's
    /// backup API into a new file at `copyPath` and brought up to this Apiary's schema there. The file at `path` is
    /// opened read-only, so nothing in it changes, whichever Apiary wrote it.
    public static func backup(ofFile path: String, to copyPath: String) throws -> LabelStore {
        let copy = try DatabaseQueue(path: copyPath)
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        try DatabaseQueue(path: path, configuration: configuration).backup(to: copy)
        return try LabelStore(copy)
    }
}
