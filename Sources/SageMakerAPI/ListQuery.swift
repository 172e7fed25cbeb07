import AWSProtocol
import ControlPlane
import Foundation

/// The filters, order and page of a SageMaker List* call (spec §6), applied the same way to every resource kind:
/// filter → sort (ties broken by name) → slice after the position the NextToken names.
struct ListQuery {
    enum SortKey: String { case name = "Name", creationTime = "CreationTime", status = "Status" }

    var nameContains: String?
    var statusEquals: String?
    var creationTimeAfter: Double?
    var creationTimeBefore: Double?
    var lastModifiedTimeAfter: Double?
    var lastModifiedTimeBefore: Double?
    var sortBy: SortKey
    var ascending: Bool
    var maxResults: Int
    var nextToken: String?
    /// Filters that match nothing in Apiary (warm pools, training plans) but must still be accepted.
    var matchesNothing = false

    /// Reads the common members. - Parameter defaultAscending: the operation's documented default order.
    init(_ input: JSONValue, defaultAscending: Bool, sortKeys: Set<SortKey>) throws {
        nameContains = input["NameContains"]?.stringValue
        statusEquals = input["StatusEquals"]?.stringValue
        creationTimeAfter = AWSTimestamp.parse(input["CreationTimeAfter"])
        creationTimeBefore = AWSTimestamp.parse(input["CreationTimeBefore"])
        lastModifiedTimeAfter = AWSTimestamp.parse(input["LastModifiedTimeAfter"])
        lastModifiedTimeBefore = AWSTimestamp.parse(input["LastModifiedTimeBefore"])
        let sortName = input["SortBy"]?.stringValue ?? SortKey.creationTime.rawValue
        guard let sortBy = SortKey(rawValue: sortName), sortKeys.contains(sortBy) else {
            let allowed = sortKeys.map(\.rawValue).sorted().joined(separator: ", ")
            throw AWSError.validation(
                "1 validation error detected: Value '\(sortName)' at 'sortBy' failed to satisfy constraint: Member must satisfy enum value set: [\(allowed)]"
            )
        }
        self.sortBy = sortBy
        switch input["SortOrder"]?.stringValue {
        case nil: ascending = defaultAscending
        case "Ascending": ascending = true
        case "Descending": ascending = false
        case let other?:
            throw AWSError.validation(
                "1 validation error detected: Value '\(other)' at 'sortOrder' failed to satisfy constraint: Member must satisfy enum value set: [Ascending, Descending]"
            )
        }
        maxResults = input["MaxResults"]?.intValue ?? 10
        guard (1...100).contains(maxResults) else {
            throw AWSError.validation(
                "1 validation error detected: Value '\(maxResults)' at 'maxResults' failed to satisfy constraint: Member must have value "
                    + (maxResults < 1 ? "greater than or equal to 1" : "less than or equal to 100")
            )
        }
        nextToken = input["NextToken"]?.stringValue
    }

    /// One page of `records` and the token of the next page (nil on the last page).
    func page(_ records: [ResourceRecord]) throws -> (items: [ResourceRecord], nextToken: String?) {
        var matching = matchesNothing ? [] : records.filter(matches)
        matching.sort { ascending ? precedes($0, $1) : precedes($1, $0) }
        if let nextToken {
            guard let position = PageToken(nextToken), position.fingerprint == fingerprint else {
                throw AWSError.validation("Invalid pagination token because of a different set of filters or sort order, or a malformed token.")
            }
            matching.removeAll { record in
                let key = PageToken.Key(sortValue: sortValue(record), name: record.name)
                return ascending ? !position.last.precedes(key) : !key.precedes(position.last)
            }
        }
        let items = Array(matching.prefix(maxResults))
        guard matching.count > maxResults, let last = items.last else { return (items, nil) }
        return (items, PageToken(last: .init(sortValue: sortValue(last), name: last.name), fingerprint: fingerprint).encoded)
    }

    private func matches(_ r: ResourceRecord) -> Bool {
        if let nameContains, !nameContains.isEmpty, r.name.range(of: nameContains, options: .caseInsensitive) == nil { return false }
        if let statusEquals, r.status != statusEquals { return false }
        if let creationTimeAfter, !(r.creationTime > creationTimeAfter) { return false }
        if let creationTimeBefore, !(r.creationTime < creationTimeBefore) { return false }
        if let lastModifiedTimeAfter, !(r.lastModifiedTime > lastModifiedTimeAfter) { return false }
        if let lastModifiedTimeBefore, !(r.lastModifiedTime < lastModifiedTimeBefore) { return false }
        return true
    }

    private func sortValue(_ r: ResourceRecord) -> PageToken.SortValue {
        switch sortBy {
        case .name: .text(r.name)
        case .creationTime: .number(r.creationTime)
        case .status: .text(r.status ?? "")
        }
    }

    private func precedes(_ a: ResourceRecord, _ b: ResourceRecord) -> Bool {
        PageToken.Key(sortValue: sortValue(a), name: a.name).precedes(PageToken.Key(sortValue: sortValue(b), name: b.name))
    }

    /// What a token is bound to: reusing it with other filters or another order is an error.
    private var fingerprint: String {
        [nameContains, statusEquals, creationTimeAfter.map { "\($0)" }, creationTimeBefore.map { "\($0)" },
         lastModifiedTimeAfter.map { "\($0)" }, lastModifiedTimeBefore.map { "\($0)" }, sortBy.rawValue, ascending ? "A" : "D"]
            .map { $0 ?? "-" }.joined(separator: "|")
    }
}

/// A NextToken: the sort key of the last item returned (not an index, so inserts never duplicate or skip items)
/// and the fingerprint of the query it belongs to, as base64 JSON.
struct PageToken {
    enum SortValue: Equatable {
        case text(String)
        case number(Double)
    }

    struct Key {
        var sortValue: SortValue
        var name: String

        func precedes(_ other: Key) -> Bool {
            switch (sortValue, other.sortValue) {
            case (.number(let a), .number(let b)) where a != b: return a < b
            case (.text(let a), .text(let b)) where a != b: return a < b
            default: return name < other.name
            }
        }
    }

    var last: Key
    var fingerprint: String

    init(last: Key, fingerprint: String) {
        self.last = last
        self.fingerprint = fingerprint
    }

    init?(_ token: String) {
        guard let data = Data(base64Encoded: token), let json = try? JSONValue.parse(data),
            let name = json["n"]?.stringValue, let fingerprint = json["f"]?.stringValue
        else { return nil }
        switch json["v"] {
        case .string(let s): last = Key(sortValue: .text(s), name: name)
        case let number? where number.doubleValue != nil: last = Key(sortValue: .number(number.doubleValue!), name: name)
        default: return nil
        }
        self.fingerprint = fingerprint
    }

    var encoded: String {
        let value: JSONValue =
            switch last.sortValue {
            case .text(let s): .string(s)
            case .number(let d): .double(d)
            }
        return Data(JSONValue.object(["v": value, "n": .string(last.name), "f": .string(fingerprint)]).renderedBytes).base64EncodedString()
    }
}
