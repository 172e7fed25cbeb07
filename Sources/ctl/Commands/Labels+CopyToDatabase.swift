import ArgumentParser
import Foundation
import JobService

extension Labels {
    /// `ctl labels copy-to-database`: a home's labels.sqlite into the PostgreSQL database daemons share.
    struct CopyToDatabase: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "copy-to-database",
            abstract: "Copy a home's labels.sqlite, whole, into the PostgreSQL database daemons share (ctl serve --database).",
            discussion: """
                A daemon started with --database keeps its labels in that database and does not read the labels.sqlite \
                of its home. This copies that file into the database: every dataset with its images and their bytes, \
                classes, boxes and their whole history (undo works on it as before), labeling jobs and their answers, \
                and the free-tier opt-in (unless the database has its own) — in one transaction, all of it or nothing. \
                It is refused, with nothing copied, when the database already holds a dataset or labeling job of the \
                same name. It works on the files, not through a daemon: stop the daemon on this home first (daemons \
                elsewhere on the database may keep running). labels.sqlite is only read, and stays as it was.

                Example:
                  ctl labels copy-to-database --home ~/.apiary \\
                      --database postgresql://apiary@db.internal:5432/apiary
                """
        )

        @Option(help: "The data folder whose labels.sqlite to copy (default $APIARY_HOME or ~/.apiary).")
        var home: String?

        @Option(help: "The PostgreSQL database the daemons share (postgresql://user@host:port/database; default $APIARY_DATABASE).")
        var database: String?

        func run() throws {
            do {
                let configuration = try DaemonConfiguration.fromEnvironment()
                guard let database = database ?? configuration.database else {
                    throw CLIError("give the database to copy into: --database postgresql://user@host:port/database (or APIARY_DATABASE)", exitCode: 64)
                }
                let home = home.map { URL(fileURLWithPath: $0) } ?? configuration.home
                let copied = try copyLabels(home: home, database: database, logger: try Serve.logger(level: "warning"))
                print(
                    "copied \(home.appendingPathComponent("labels.sqlite").path) into \(copied.database): \(copied.datasets) datasets, "
                        + "\(copied.images) images, \(copied.boxes) boxes, \(copied.changes) history entries, \(copied.labelingJobs) labeling jobs")
                print("labels.sqlite is left as it was; start the daemons with --database \(copied.database)")
            } catch let error as LabelsCopyError {
                throw CLIError(error.description, exitCode: 1)
            } catch let error as DaemonConfigurationError {
                throw CLIError(error.description, exitCode: 1)
            }
        }
    }
}
