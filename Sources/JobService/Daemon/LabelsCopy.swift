import Foundation
import LabelStore
import Logging
import PostgresControlPlane

/// What `copyLabels` copied, for `ctl labels copy-to-database` to say.
public struct LabelsCopied: Sendable {
    public let datasets: Int
    public let images: Int
    public let boxes: Int
    /// History entries: every change to a box, submits and undos.
    public let changes: Int
    public let labelingJobs: Int
    /// The database, named without its password.
    public let database: String
}

/// Why a home's labels were not copied, with the fix. Nothing was copied.
public struct LabelsCopyError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// Copies `home`'s `labels.sqlite`, whole, into the label tables of the PostgreSQL database daemons share
/// (`database`, a `postgresql://` URL; its schema brought up to date first, as a daemon's start does) in one
/// transaction: all of it, or on any error nothing. The file is only read (through a backup taken at one moment
/// into a temporary file), and the home must not be served by a daemon meanwhile (its lock is taken).
/// - Throws: `LabelsCopyError` with the fix: no `labels.sqlite`, a daemon on the home, a database that does not
///   answer, a dataset or labeling job whose name the database holds.
public func copyLabels(home: URL, database: String, logger: Logger) throws -> LabelsCopied {
    let file = home.appendingPathComponent("labels.sqlite")
    guard FileManager.default.fileExists(atPath: file.path) else {
        throw LabelsCopyError(
            "\(file.path) does not exist: this home has no labels to copy. Give the data folder whose labels.sqlite to copy with --home "
                + "(or APIARY_HOME).")
    }
    let lock: HomeLock
    do {
        lock = try HomeLock(home: home)
    } catch {
        throw LabelsCopyError(
            "a `ctl serve` or `ctl worker` is running on \(home.path): stop it first, so that its labels do not change while they are copied "
                + "(daemons elsewhere on the database may keep running).")
    }
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("apiary-labels-copy-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer {
        try? FileManager.default.removeItem(at: scratch)
        withExtendedLifetime(lock) {}
    }
    let source: LabelStore
    do {
        source = try LabelStore.backup(ofFile: file.path, to: scratch.appendingPathComponent("labels.sqlite").path)
    } catch {
        throw LabelsCopyError("cannot read \(file.path) (\(error)); nothing was copied")
    }
    do {
        let url = try PostgresURL(database)
        let connections = try PostgresConnections(url: url, size: 1, logger: logger)
        defer { connections.close() }
        let copied = try PostgresLabelDatabase(connections: connections).copy(from: source)
        return LabelsCopied(
            datasets: copied.datasets, images: copied.images, boxes: copied.boxes, changes: copied.changes, labelingJobs: copied.labelingJobs,
            database: url.description)
    } catch let error as LabelCopyConflict {
        throw LabelsCopyError(
            "\(error). If this home was copied there already, there is nothing left to do (a copy is all or nothing). Otherwise copy it "
                + "into a database that does not hold those names (another --database), or move datasets over one at a time under new names: "
                + "ctl labels export on a daemon of this home without --database, ctl labels import --dataset NEW on one with it (boxes "
                + "move, their history does not).")
    } catch let error as PostgresDatabaseError {
        throw LabelsCopyError("\(error); nothing was copied")
    } catch let error as LabelCopyUnreadable {
        throw LabelsCopyError("\(file.path) cannot be copied: \(error); nothing was copied")
    }
}
