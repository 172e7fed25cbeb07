import AWSProtocol
import Foundation
import ZIPFoundation

/// A function's zip, read and unpacked through ZIPFoundation (no `unzip` program). Every entry is checked before a
/// byte is written: a path that is absolute or climbs with `..` (zip-slip) and a symbolic link (which could lead a
/// later entry, or the function, out of its directory) refuse the whole package, in Lambda's own error shape.
enum LambdaPackageArchive {
    /// What Lambda answers for a package it cannot read.
    static let unreadable = AWSError(
        "InvalidParameterValueException", "Could not unzip uploaded file. Please check your file, then try to upload again.")

    /// Unpacks `zip` into `directory`; an entry named twice is the later one (as `unzip -o` leaves it).
    /// - Throws: `InvalidParameterValueException` naming the refused entry, or `unreadable`.
    static func unpack(_ zip: [UInt8], into directory: URL) throws {
        let archive: Archive
        do {
            archive = try Archive(data: Data(zip), accessMode: .read)
        } catch {
            throw unreadable
        }
        let entries = Array(archive)
        for entry in entries {
            try check(entry, of: archive)
        }
        for entry in entries {
            let destination = directory.appendingPathComponent(entry.path)
            if entry.type == .file { try? FileManager.default.removeItem(at: destination) }
            guard let checksum = try? archive.extract(entry, to: destination), checksum == entry.checksum else { throw unreadable }
        }
    }

    /// Refuses an entry outside the package's directory, and every symbolic link.
    static func check(_ entry: Entry, of archive: Archive) throws {
        let components = entry.path.split(separator: "/")
        guard !components.isEmpty else { throw unreadable }
        if entry.path.hasPrefix("/") || components.contains("..") {
            throw AWSError(
                "InvalidParameterValueException",
                "The package's entry '\(entry.path)' is outside the function's directory (an absolute path, or one with '..'); "
                    + "zip the function's directory from inside it.")
        }
        if entry.type == .symlink {
            var target = Data()
            _ = try? archive.extract(entry) { target.append($0) }
            throw AWSError(
                "InvalidParameterValueException",
                "The package's symbolic link '\(entry.path)' (to '\(String(decoding: target, as: UTF8.self))') is refused: "
                    + "Apiary unpacks no links. Include the file itself instead.")
        }
    }
}
