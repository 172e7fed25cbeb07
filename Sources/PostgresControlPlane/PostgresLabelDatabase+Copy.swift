import Foundation
import LabelStore

/// What `PostgresLabelDatabase.copy(from:)` copied.
package struct LabelCopySummary: Sendable, Equatable {
    package var datasets = 0
    package var images = 0
    package var boxes = 0
    /// History entries (every change to a box, submits and undos).
    package var changes = 0
    package var labelingJobs = 0
}

/// Datasets or labeling jobs of a store being copied whose names the shared database already holds: nothing is copied.
package struct LabelCopyConflict: Error, CustomStringConvertible {
    package let datasets: [String]
    package let labelingJobs: [String]

    package var description: String {
        let names = [(datasets, "dataset"), (labelingJobs, "labeling job")].filter { !$0.0.isEmpty }
            .map { "\($0.1)\($0.0.count == 1 ? "" : "s") \($0.0.map { "'\($0)'" }.joined(separator: ", "))" }
        return "the database already holds \(names.joined(separator: " and ")) of the same name; nothing was copied"
    }
}

extension PostgresLabelDatabase {
    /// One table of the label store as a copy moves it: its columns, the ones holding ids (column → the table whose
    /// id it is), the ones holding dates (GRDB's text in SQLite, seconds here), in the order its rows are copied.
    struct CopiedTable {
        let name: String
        let columns: [String]
        var ids: [String: String] = [:]
        var dates: Set<String> = []
        let order: String
    }

    /// Every table of the store but `imageContent` (copied image by image), `setting` and `labeledImage` (the
    /// history's trigger rebuilds it), parents before children and the history in its order, so that an undo row
    /// follows the change it undoes.
    static let copiedTables = [
        CopiedTable(name: "dataset", columns: ["id", "name", "createdAt"], ids: ["id": "dataset"], dates: ["createdAt"], order: "id"),
        CopiedTable(
            name: "image",
            columns: ["id", "datasetId", "sha256", "fileName", "width", "height", "orientation", "format", "uprightSha256", "sourceRef", "importedAt"],
            ids: ["id": "image", "datasetId": "dataset"], dates: ["importedAt"], order: "id"),
        CopiedTable(name: "labelCategory", columns: ["datasetId", "classId", "name"], ids: ["datasetId": "dataset"], order: "datasetId, classId"),
        CopiedTable(name: "revision", columns: ["id", "at", "summary", "origin"], ids: ["id": "revision"], order: "id"),
        CopiedTable(
            name: "box", columns: ["id", "imageId", "datasetId", "classId", "left", "top", "width", "height"],
            ids: ["id": "box", "imageId": "image", "datasetId": "dataset"], order: "id"),
        CopiedTable(
            name: "labelChange", columns: ["id", "revisionId", "imageId", "boxId", "action", "before", "after", "undoes"],
            ids: ["id": "labelChange", "revisionId": "revision", "imageId": "image", "boxId": "box", "undoes": "labelChange"], order: "id"),
        CopiedTable(
            name: "labelingJob",
            columns: [
                "id", "name", "labelAttributeName", "datasetId", "status", "maxHumanLabeledObjectCount", "maxPercentageOfInputDatasetLabeled",
                "createdAt", "lastModifiedAt", "reviewsLabelAttributeName", "taskType", "taskAvailabilityLifetimeInSeconds",
            ],
            ids: ["id": "labelingJob", "datasetId": "dataset"], dates: ["createdAt", "lastModifiedAt"], order: "id"),
        CopiedTable(
            name: "labelingJobItem", columns: ["jobId", "position", "line", "imageId", "failureReason"], ids: ["jobId": "labelingJob", "imageId": "image"],
            order: "jobId, position"),
        CopiedTable(
            name: "labelingJobAnswer", columns: ["jobId", "position", "submittedAt", "origin", "boxes", "verdict", "comment"], ids: ["jobId": "labelingJob"],
            order: "jobId, position"),
    ]

    /// The tables whose ids are numbered here (`bigserial`).
    static let numberedTables = ["dataset", "image", "box", "revision", "labelChange", "labelingJob"]

    /// Copies everything in `source` (a home's `labels.sqlite`) into this database in one write transaction: datasets,
    /// images and their bytes, classes, boxes, the whole history (undo works on it as before), labeling jobs and their
    /// answers, and the free-tier opt-in when this database has none of its own. Ids go on from this database's own
    /// (each table's id plus the highest this database has given), so nothing here is renumbered and, on an empty
    /// database, every id stays what it was. `source` is only read.
    /// - Throws: `LabelCopyConflict` (nothing copied) when a dataset or labeling job of `source` has a name this
    ///   database holds; the databases' errors (nothing copied).
    package func copy(from source: LabelStore) throws -> LabelCopySummary {
        try source.database.read { from in
            try write { into in
                try Self.refuseNameClashes(from, into)
                var offsets: [String: Int64] = [:]
                for table in Self.numberedTables {
                    offsets[table] = try into.value(
                        Int64.self, "SELECT COALESCE(pg_sequence_last_value(pg_get_serial_sequence('\(table)', 'id')::regclass), 0)") ?? 0
                }
                var highest: [String: Int64] = [:]
                var copied: [String: Int] = [:]
                for table in Self.copiedTables {
                    copied[table.name] = try Self.copy(table, from, into, offsets: offsets, highest: &highest)
                    if table.name == "image" { try Self.copyImageContents(from, into, offset: offsets["image"] ?? 0) }
                }
                for row in try from.fetchAll("SELECT key, value FROM setting") {
                    let (key, value): (String, String) = (row["key"], row["value"])
                    try into.execute("INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING", [key, value])
                }
                // Ids given explicitly: each sequence goes on past them.
                for (table, id) in highest where id > offsets[table] ?? 0 {
                    try into.execute("SELECT setval(pg_get_serial_sequence('\(table)', 'id')::regclass, ?)", [id])
                }
                return LabelCopySummary(
                    datasets: copied["dataset"] ?? 0, images: copied["image"] ?? 0, boxes: copied["box"] ?? 0, changes: copied["labelChange"] ?? 0,
                    labelingJobs: copied["labelingJob"] ?? 0)
            }
        }
    }

    /// - Throws: `LabelCopyConflict` when `into` holds a dataset or labeling job named as one of `from`.
    private static func refuseNameClashes(_ from: any LabelSQL, _ into: any LabelSQL) throws {
        func clashes(_ table: String) throws -> [String] {
            let held = Set(try into.values(String.self, "SELECT name FROM \(table)"))
            return try from.values(String.self, "SELECT name FROM \(table) ORDER BY name").filter(held.contains)
        }
        let (datasets, labelingJobs) = (try clashes("dataset"), try clashes("labelingJob"))
        guard datasets.isEmpty, labelingJobs.isEmpty else { throw LabelCopyConflict(datasets: datasets, labelingJobs: labelingJobs) }
    }

    /// Copies `table`'s rows, ids moved on by their table's offset; `highest` keeps each numbered table's highest id
    /// written. - Returns: the rows copied.
    private static func copy(
        _ table: CopiedTable, _ from: any LabelSQL, _ into: any LabelSQL, offsets: [String: Int64], highest: inout [String: Int64]
    ) throws -> Int {
        // SQLite's names as written; here, as PostgreSQL folded them when the tables were made (unquoted).
        let read = table.columns.map { "\"\($0)\"" }.joined(separator: ", ")
        let written = table.columns.map { "\"\($0.lowercased())\"" }.joined(separator: ", ")
        let insert = "INSERT INTO \(table.name) (\(written)) VALUES (\(Array(repeating: "?", count: table.columns.count).joined(separator: ", ")))"
        let rows = try from.fetchAll("SELECT \(read) FROM \(table.name) ORDER BY \(table.order)")
        for row in rows {
            let values = try table.columns.indices.map { index -> SQLValue in
                let column = table.columns[index]
                let value: SQLValue = row[index]
                if let numbered = table.ids[column], case .integer(let id) = value {
                    let moved = id + (offsets[numbered] ?? 0)
                    highest[numbered] = max(highest[numbered] ?? 0, moved)
                    return .integer(moved)
                }
                guard table.dates.contains(column), value != .null else { return value }
                guard let date = Date(sqlValue: value) else {
                    throw LabelCopyUnreadable("\(table.name).\(column) holds \(value), not a date")
                }
                return .date(date)
            }
            try into.execute(insert, SQLArguments(values))
        }
        return rows.count
    }

    /// Each image's bytes, one image at a time (a store's images need not fit in memory at once).
    private static func copyImageContents(_ from: any LabelSQL, _ into: any LabelSQL, offset: Int64) throws {
        for imageId in try from.values(Int64.self, "SELECT imageId FROM imageContent ORDER BY imageId") {
            guard let row = try from.fetchOne("SELECT bytes FROM imageContent WHERE imageId = ?", [imageId]) else { continue }
            let bytes: SQLValue = row[0]
            try into.execute("INSERT INTO imageContent (imageId, bytes) VALUES (?, ?)", SQLArguments([.integer(imageId + offset), bytes]))
        }
    }
}

/// A row of the store being copied that cannot be read as its column's type: nothing is copied.
package struct LabelCopyUnreadable: Error, CustomStringConvertible {
    package let description: String
    init(_ description: String) { self.description = description }
}
