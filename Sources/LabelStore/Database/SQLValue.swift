import Foundation
import GRDB

/// A value the label store's SQL binds or reads, in SQLite's storage classes, so that the store's statements run
/// unchanged on SQLite and on PostgreSQL (`LabelSQL`). `date` is an argument only: SQLite keeps GRDB's text form (as
/// `labels.sqlite` always has), PostgreSQL seconds since 1970; either reads back as a `Date`.
package enum SQLValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
    case date(Date)
}

/// A Swift type the store binds to its SQL and reads from its rows.
package protocol SQLValueConvertible {
    var sqlValue: SQLValue { get }
    /// nil when `value` is not one of this type (NULL is only an optional's).
    init?(sqlValue value: SQLValue)
}

extension Int64: SQLValueConvertible {
    package var sqlValue: SQLValue { .integer(self) }
    package init?(sqlValue value: SQLValue) {
        switch value {
        case .integer(let integer): self = integer
        case .real(let real):
            guard let exact = Int64(exactly: real) else { return nil }
            self = exact
        default: return nil
        }
    }
}

extension Int: SQLValueConvertible {
    package var sqlValue: SQLValue { .integer(Int64(self)) }
    package init?(sqlValue value: SQLValue) {
        guard let integer = Int64(sqlValue: value) else { return nil }
        self = Int(integer)
    }
}

extension Double: SQLValueConvertible {
    package var sqlValue: SQLValue { .real(self) }
    package init?(sqlValue value: SQLValue) {
        switch value {
        case .real(let real): self = real
        case .integer(let integer): self = Double(integer)
        default: return nil
        }
    }
}

/// SQLite's 0 and 1 (PostgreSQL's booleans arrive as these too).
extension Bool: SQLValueConvertible {
    package var sqlValue: SQLValue { .integer(self ? 1 : 0) }
    package init?(sqlValue value: SQLValue) {
        guard let integer = Int64(sqlValue: value) else { return nil }
        self = integer != 0
    }
}

extension String: SQLValueConvertible {
    package var sqlValue: SQLValue { .text(self) }
    package init?(sqlValue value: SQLValue) {
        guard case .text(let text) = value else { return nil }
        self = text
    }
}

extension Data: SQLValueConvertible {
    package var sqlValue: SQLValue { .blob([UInt8](self)) }
    package init?(sqlValue value: SQLValue) {
        guard case .blob(let bytes) = value else { return nil }
        self = Data(bytes)
    }
}

/// Written as `.date`; read from GRDB's text (SQLite) or from seconds since 1970 (PostgreSQL).
extension Date: SQLValueConvertible {
    package var sqlValue: SQLValue { .date(self) }
    package init?(sqlValue value: SQLValue) {
        switch value {
        case .date(let date): self = date
        case .real, .integer:
            guard let seconds = Double(sqlValue: value) else { return nil }
            self = Date(timeIntervalSince1970: seconds)
        case .text(let text):
            guard let date = Date.fromDatabaseValue(text.databaseValue) else { return nil }
            self = date
        case .null, .blob: return nil
        }
    }
}

extension Optional: SQLValueConvertible where Wrapped: SQLValueConvertible {
    package var sqlValue: SQLValue { self?.sqlValue ?? .null }
    package init?(sqlValue value: SQLValue) {
        if case .null = value {
            self = .none
            return
        }
        guard let wrapped = Wrapped(sqlValue: value) else { return nil }
        self = .some(wrapped)
    }
}

/// A cell as it is, whatever it holds: a copy of a store moves rows without reading them as one type.
extension SQLValue: SQLValueConvertible {
    package var sqlValue: SQLValue { self }
    package init?(sqlValue value: SQLValue) { self = value }
}

/// A statement's arguments, in the order of its `?` placeholders: `[name, dataset.id, nil]`.
package struct SQLArguments: ExpressibleByArrayLiteral, Sendable {
    package let values: [SQLValue]

    package init(arrayLiteral elements: (any SQLValueConvertible)?...) {
        values = elements.map { $0?.sqlValue ?? .null }
    }

    package init(_ values: [SQLValue]) {
        self.values = values
    }
}
