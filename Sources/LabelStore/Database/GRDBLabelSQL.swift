import Foundation
import GRDB

/// The store's SQL on SQLite, through GRDB: the embedded default, one `labels.sqlite` per home. A write is GRDB's
/// write transaction (begun IMMEDIATE: SQLite's single writer), a read a snapshot of the WAL.
package struct GRDBLabelDatabase: LabelDatabase {
    let writer: any DatabaseWriter
    let migrator: DatabaseMigrator

    /// Opens the store's database on `writer` and brings its schema up to date with `migrator`.
    init(_ writer: any DatabaseWriter, migrator: DatabaseMigrator) throws {
        try migrator.migrate(writer)
        self.writer = writer
        self.migrator = migrator
    }

    package func read<T>(_ body: (any LabelSQL) throws -> T) throws -> T {
        try writer.read { db in try body(GRDBLabelSQL(db: db)) }
    }

    package func write<T>(_ body: (any LabelSQL) throws -> T) throws -> T {
        try writer.write { db in try body(GRDBLabelSQL(db: db)) }
    }

    package func appliedMigrations() throws -> [String] {
        try writer.read { db in try migrator.appliedMigrations(db) }
    }
}

/// One GRDB connection seen as `LabelSQL`. The store runs the same few statements over and over (a burst of label
/// writes repeats them per write), and preparing a statement — with the triggers and views it expands — costs far
/// more than running it, so every statement goes through the connection's statement cache.
struct GRDBLabelSQL: LabelSQL {
    let db: Database

    func execute(_ sql: String, _ arguments: SQLArguments) throws {
        try db.cachedStatement(sql: sql).execute(arguments: Self.arguments(arguments))
    }

    func insert(_ sql: String, _ arguments: SQLArguments) throws -> Int64 {
        try execute(sql, arguments)
        return db.lastInsertedRowID
    }

    func fetchAll(_ sql: String, _ arguments: SQLArguments) throws -> [SQLRow] {
        try Row.fetchAll(db.cachedStatement(sql: sql), arguments: Self.arguments(arguments)).map { row in
            SQLRow(zip(row.columnNames, row.databaseValues).map { ($0, Self.value($1)) })
        }
    }

    private static func arguments(_ arguments: SQLArguments) -> StatementArguments {
        StatementArguments(
            arguments.values.map { value -> DatabaseValue in
                switch value {
                case .null: .null
                case .integer(let integer): integer.databaseValue
                case .real(let real): real.databaseValue
                case .text(let text): text.databaseValue
                case .blob(let bytes): Data(bytes).databaseValue
                case .date(let date): date.databaseValue
                }
            }
        )
    }

    private static func value(_ value: DatabaseValue) -> SQLValue {
        switch value.storage {
        case .null: .null
        case .int64(let integer): .integer(integer)
        case .double(let real): .real(real)
        case .string(let text): .text(text)
        case .blob(let data): .blob([UInt8](data))
        }
    }
}
