import AWSProtocol
import ControlPlane

/// The CloudWatch Logs calls notebooks and the SageMaker SDK use to read training logs (JSON 1.1,
/// `X-Amz-Target: Logs_20140328.<Operation>`): DescribeLogGroups, DescribeLogStreams, GetLogEvents, FilterLogEvents.
/// Training jobs write to the group `/aws/sagemaker/TrainingJobs`, one stream `<job>/algo-1-<epoch seconds>`;
/// Lambda functions to `/aws/lambda/<name>`, one stream per execution environment (`FunctionLogs`).
struct LogsService: Sendable {
    let store: ControlPlaneStore
    let validator = ShapeValidator(model: .logs)

    func handle(_ operation: String, _ input: JSONValue, _ context: AWSRequestContext) throws -> JSONValue {
        if ["DescribeLogGroups", "DescribeLogStreams", "GetLogEvents", "FilterLogEvents"].contains(operation) { try validator.validate(input, operation: operation) }
        switch operation {
        case "DescribeLogGroups": return try describeLogGroups(input, context)
        case "DescribeLogStreams": return try describeLogStreams(input, context)
        case "GetLogEvents": return try getLogEvents(input)
        case "FilterLogEvents": return try filterLogEvents(input)
        default: throw AWSError.unknownOperation(operation)
        }
    }

    private func describeLogGroups(_ input: JSONValue, _ context: AWSRequestContext) throws -> JSONValue {
        let prefix = input["logGroupNamePrefix"]?.stringValue ?? ""
        let groups = try store.logGroups().filter { $0.hasPrefix(prefix) }
        return [
            "logGroups": .array(
                try groups.map { group in
                    let streams = try store.logStreams(group: group)
                    return [
                        "logGroupName": .string(group),
                        "creationTime": .int(Int(streams.map(\.creationTime).min() ?? 0)),
                        "arn": .string("arn:aws:logs:\(context.region):\(context.account):log-group:\(group):*"),
                        "storedBytes": .int(Int(streams.map(\.storedBytes).reduce(0, +))),
                    ]
                })
        ]
    }

    private func describeLogStreams(_ input: JSONValue, _ context: AWSRequestContext) throws -> JSONValue {
        let group = try groupName(input)
        var streams = try store.logStreams(group: group, prefix: input["logStreamNamePrefix"]?.stringValue ?? "")
        guard try !streams.isEmpty || store.logGroups().contains(group) else { throw Self.noGroup }
        if input["orderBy"]?.stringValue == "LastEventTime" {
            streams.sort { ($0.lastEventTimestamp ?? 0, $0.streamName) < ($1.lastEventTimestamp ?? 0, $1.streamName) }
        }
        if input["descending"]?.boolValue == true { streams.reverse() }
        let start = try input["nextToken"]?.stringValue.map { token -> Int in
            guard let offset = Int(token), offset >= 0 else { throw AWSError("InvalidParameterException", "The specified nextToken is invalid.") }
            return offset
        } ?? 0
        let limit = min(max(input["limit"]?.intValue ?? 50, 1), 50)
        let page = streams.dropFirst(start).prefix(limit)
        var output: JSONValue = [
            "logStreams": .array(
                page.map { s in
                    var stream: JSONValue = [
                        "logStreamName": .string(s.streamName),
                        "creationTime": .int(Int(s.creationTime)),
                        "arn": .string("arn:aws:logs:\(context.region):\(context.account):log-group:\(group):log-stream:\(s.streamName)"),
                        "storedBytes": .int(Int(s.storedBytes)),
                    ]
                    stream["firstEventTimestamp"] = s.firstEventTimestamp.map { .int(Int($0)) }
                    stream["lastEventTimestamp"] = s.lastEventTimestamp.map { .int(Int($0)) }
                    stream["lastIngestionTime"] = s.lastIngestionTime.map { .int(Int($0)) }
                    return stream
                })
        ]
        if streams.count - start > limit { output["nextToken"] = .string(String(start + limit)) }
        return output
    }

    /// Tokens are `f/<id>` (events after id) and `b/<id>` (events before id); at the end of the stream the
    /// forward token comes back unchanged, which is how SDKs know to stop.
    private func getLogEvents(_ input: JSONValue) throws -> JSONValue {
        let group = try groupName(input)
        guard let stream = input["logStreamName"]?.stringValue else {
            throw AWSError.missingMember("logStreamName")
        }
        guard try store.logStreamExists(group: group, stream: stream) else {
            throw try store.logGroups().contains(group)
                ? AWSError("ResourceNotFoundException", "The specified log stream does not exist.") : Self.noGroup
        }
        let limit = min(max(input["limit"]?.intValue ?? 10_000, 1), 10_000)
        let start = input["startTime"]?.intValue.map(Int64.init)
        let end = input["endTime"]?.intValue.map(Int64.init)
        let token = input["nextToken"]?.stringValue
        let events: [LogEvent]
        switch token.map({ ($0.prefix(2), Int64($0.dropFirst(2))) }) {
        case nil:
            events = try store.logEvents(
                group: group, stream: stream, ids: 0...Int64.max, start: start, end: end, limit: limit,
                fromEnd: input["startFromHead"]?.boolValue != true)
        // Ids are positive, so the token's neighbours exist unless it sits at either end of Int64 (nothing lies beyond).
        case ("f/", let id?)? where id >= 0:
            events =
                id == .max
                ? [] : try store.logEvents(group: group, stream: stream, ids: (id + 1)...Int64.max, start: start, end: end, limit: limit, fromEnd: false)
        case ("b/", let id?)? where id >= 0:
            events = id == 0 ? [] : try store.logEvents(group: group, stream: stream, ids: 0...(id - 1), start: start, end: end, limit: limit, fromEnd: true)
        default:
            throw AWSError("InvalidParameterException", "The specified nextToken is invalid.")
        }
        let forward = events.last.map { "f/\($0.id)" } ?? (token?.hasPrefix("f/") == true ? token! : "f/0")
        let backward = events.first.map { "b/\($0.id)" } ?? (token?.hasPrefix("b/") == true ? token! : "b/0")
        return [
            "events": .array(
                events.map { ["timestamp": .int(Int($0.timestamp)), "message": .string($0.message), "ingestionTime": .int(Int($0.ingestionTime))] }),
            "nextForwardToken": .string(forward),
            "nextBackwardToken": .string(backward),
        ]
    }

    /// Events of a group across its streams, in the order they were stored; `nextToken` is the last event's
    /// position, and no token comes back once the group has been read to its end.
    private func filterLogEvents(_ input: JSONValue) throws -> JSONValue {
        let group = try groupName(input)
        guard try store.logGroups().contains(group) else { throw Self.noGroup }
        let streams = input["logStreamNames"]?.arrayValue?.compactMap(\.stringValue)
        let prefix = input["logStreamNamePrefix"]?.stringValue ?? ""
        guard streams == nil || prefix.isEmpty else {
            throw AWSError("InvalidParameterException", "logStreamNames and logStreamNamePrefix are mutually exclusive")
        }
        let pattern = try LogFilterPattern(input["filterPattern"]?.stringValue ?? "")
        var after = try input["nextToken"]?.stringValue.map { token -> Int64 in
            guard let id = Int64(token), id >= 0 else { throw AWSError("InvalidParameterException", "The specified nextToken is invalid.") }
            return id
        } ?? 0
        let limit = min(max(input["limit"]?.intValue ?? 10_000, 1), 10_000)
        var found: [(stream: String, event: LogEvent)] = []
        var exhausted = false
        scan: while !exhausted {
            let batch = try store.logEvents(
                group: group, streams: streams, prefix: prefix, after: after, start: input["startTime"]?.intValue.map(Int64.init),
                end: input["endTime"]?.intValue.map(Int64.init), limit: 1000)
            exhausted = batch.count < 1000
            for row in batch {
                if found.count == limit {
                    exhausted = false
                    break scan
                }
                after = row.event.id
                if pattern.matches(row.event.message) { found.append(row) }
            }
        }
        var output: JSONValue = [
            "events": .array(
                found.map { row in
                    [
                        "logStreamName": .string(row.stream), "timestamp": .int(Int(row.event.timestamp)), "message": .string(row.event.message),
                        "ingestionTime": .int(Int(row.event.ingestionTime)), "eventId": .string(String(row.event.id)),
                    ]
                }),
            "searchedLogStreams": [],
        ]
        if !exhausted { output["nextToken"] = .string(String(after)) }
        return output
    }

    private func groupName(_ input: JSONValue) throws -> String {
        guard let group = input["logGroupName"]?.stringValue ?? input["logGroupIdentifier"]?.stringValue else {
            throw AWSError("InvalidParameterException", "Either logGroupName or logGroupIdentifier must be given.")
        }
        return group
    }

    private static let noGroup = AWSError("ResourceNotFoundException", "The specified log group does not exist.")
}
