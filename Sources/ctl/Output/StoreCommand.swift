import ArgumentParser
import Foundation
import LabelStore

/// Options of every command that works on the label store, `$APIARY_HOME/labels.sqlite`.
struct StoreOptions: ParsableArguments {
    @Option(help: "Data directory (default $APIARY_HOME or ~/.apiary); the label store is labels.sqlite in it.")
    var home: String?

    var folder: URL {
        home.map { URL(fileURLWithPath: $0) } ?? ProcessInfo.processInfo.environment["APIARY_HOME"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".apiary")
    }

    /// The store for a command that only reads: nil when there is none yet, so reading never creates the folder.
    func openIfExists() throws -> LabelStore? {
        FileManager.default.fileExists(atPath: folder.appendingPathComponent("labels.sqlite").path) ? try open() : nil
    }

    /// The store file, created (with its folder) if missing.
    func open() throws -> LabelStore {
        let folder = folder
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            return try LabelStore.open(path: folder.appendingPathComponent("labels.sqlite").path)
        } catch {
            throw CLIError("cannot open the label store in \(folder.path): \(error); check the folder is writable or pass --home", exitCode: 1)
        }
    }
}

/// Runs a store operation, turning the store's refusals into ctl's exit codes: 64 for something that does not
/// exist (a usage mistake), 65 for bad data, 1 for a refusal (the free tier, a conflict).
func storeCommand<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as LabelStoreError {
        let code: Int32 =
            switch error.kind {
            case .notFound: 64
            case .invalid: 65
            case .conflict, .freeTierExhausted: 1
            }
        throw CLIError(error.message, exitCode: code)
    }
}
