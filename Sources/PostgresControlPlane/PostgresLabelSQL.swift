import Foundation
import LabelStore
import NIOCore
import PostgresNIO

/// The label store's SQL on a PostgreSQL session: its `?` placeholders become `$1`, `$2`, … (none of the store's
/// statements has a `?` inside a quoted string), its values are bound as `bigint`, `double precision`, `text`, `bytea`
/// (a date as seconds since 1970) or an untyped NULL the server types from its place, and an insert returns the new
/// row's `id` with `RETURNING`. Cells come back in SQLite's storage classes: integers and booleans as integers, floats
/// as reals, `bytea` as blobs, everything else as text.
struct PostgresLabelSQL: LabelSQL {
    let session: PostgresSession

    func execute(_ sql: String, _ arguments: SQLArguments) throws {
        try session.query(Self.query(sql, arguments))
    }

    func insert(_ sql: String, _ arguments: SQLArguments) throws -> Int64 {
        guard let row = try session.query(Self.query(sql + " RETURNING id", arguments)).rows.first else {
            throw PostgresDatabaseError.unreadableRow("an insert returned no id: \(sql)")
        }
        return try row.decode(Int64.self)
    }

    func fetchAll(_ sql: String, _ arguments: SQLArguments) throws -> [SQLRow] {
        try session.query(Self.query(sql, arguments)).rows.map { row in
            SQLRow(try row.map { cell in (cell.columnName, try Self.value(cell)) })
        }
    }

    static func query(_ sql: String, _ arguments: SQLArguments) -> PostgresQuery {
        var text = ""
        var placeholders = 0
        var quoted = false
        for character in sql {
            if character == "'" { quoted.toggle() }
            if character == "?", !quoted {
                placeholders += 1
                text += "$\(placeholders)"
            } else {
                text.append(character)
            }
        }
        precondition(placeholders == arguments.values.count, "\(placeholders) placeholders for \(arguments.values.count) arguments: \(sql)")
        var binds = PostgresBindings(capacity: arguments.values.count)
        for value in arguments.values {
            switch value {
            case .null: binds.appendNull()
            case .integer(let integer): binds.append(integer)
            case .real(let real): binds.append(real)
            case .text(let string): binds.append(string)
            case .blob(let bytes): binds.append(ByteBuffer(bytes: bytes))
            case .date(let date): binds.append(date.timeIntervalSince1970)
            }
        }
        return PostgresQuery(unsafeSQL: text, binds: binds)
    }

    private static func value(_ cell: PostgresCell) throws -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .bool: return .integer(try cell.decode(Bool.self) ? 1 : 0)
        case .int2, .int4, .int8: return .integer(try cell.decode(Int64.self))
        case .float4, .float8: return .real(try cell.decode(Double.self))
        case .bytea: return .blob(Array(buffer: try cell.decode(ByteBuffer.self)))
        default: return .text(try cell.decode(String.self))
        }
    }
}
