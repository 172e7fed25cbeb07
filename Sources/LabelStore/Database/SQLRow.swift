/// One row a statement returned: its columns by name, compared without case (PostgreSQL folds unquoted names to
/// lower case, SQLite keeps them as written), or by position.
package struct SQLRow: Sendable {
    private let names: [String]
    private let values: [SQLValue]

    /// - Parameter columns: each column's name and value, in the statement's order.
    package init(_ columns: [(String, SQLValue)]) {
        names = columns.map { $0.0.lowercased() }
        values = columns.map(\.1)
    }

    /// The column called `name` as a `T`: a column the row lacks reads as NULL. A value that is not a `T` is a
    /// programming error (a column read as the wrong type), as it is for GRDB's rows.
    package subscript<T: SQLValueConvertible>(_ name: String) -> T {
        value(names.firstIndex(of: name.lowercased()).map { values[$0] } ?? .null, column: name)
    }

    /// The column at `index` (0 for the first) as a `T`.
    package subscript<T: SQLValueConvertible>(_ index: Int) -> T { value(values[index], column: "#\(index)") }

    private func value<T: SQLValueConvertible>(_ value: SQLValue, column: String) -> T {
        guard let converted = T(sqlValue: value) else { preconditionFailure("the label store read column \(column) = \(value) as \(T.self)") }
        return converted
    }
}
