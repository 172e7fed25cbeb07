import Foundation
import LabelStore

/// The files and folders a command is given to read. One that cannot be read is exit 66 (EX_NOINPUT), as the guide
/// documents, whatever the command — not a usage mistake (64) and not bad data (65).
enum InputFiles {
    /// Throws exit 66 unless `path` is a readable file (or, with `folder`, a readable folder), naming `what` it is.
    static func requireReadable(_ path: String, _ what: String, folder: Bool = false) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw CLIError("cannot read \(what) '\(path)': no such \(folder ? "folder" : "file")", exitCode: 66)
        }
        guard isFolder.boolValue == folder else {
            throw CLIError("cannot read \(what) '\(path)': it is \(folder ? "a file, not a folder" : "a folder, not a file")", exitCode: 66)
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw CLIError("cannot read \(what) '\(path)': permission denied", exitCode: 66)
        }
    }

    /// Runs a read of local files through the label store's readers: a missing file is exit 66, malformed data 65.
    static func read<T>(_ body: () throws -> T) throws -> T {
        try storeCommand {
            do {
                return try body()
            } catch let error as LabelStoreError where error.kind == .notFound {
                throw CLIError(error.message, exitCode: 66)
            }
        }
    }
}
