import AWSProtocol

/// Reads a training job's log lines through CloudWatch Logs (`/aws/sagemaker/TrainingJobs`, streams
/// `<job>/…`), remembering where it stopped so each `poll()` returns only new lines.
struct TrainingLogReader {
    static let group = "/aws/sagemaker/TrainingJobs"
    let client: APIClient
    let job: String
    private var tokens: [String: String] = [:]

    init(client: APIClient, job: String) {
        self.client = client
        self.job = job
    }

    /// New lines since the last poll, stream by stream.
    mutating func poll() async throws -> [String] { try await pollEvents().compactMap { $0["message"]?.stringValue } }

    /// New events since the last poll, stream by stream, as GetLogEvents answers them (`timestamp`, `message`,
    /// `ingestionTime`). None while the log group does not exist yet: a job just created may not have written its
    /// first line, and in a fresh account that line creates the group.
    mutating func pollEvents() async throws -> [JSONValue] {
        let streams: JSONValue
        do {
            streams = try await client.call(
                "Logs_20140328.DescribeLogStreams", ["logGroupName": .string(Self.group), "logStreamNamePrefix": .string(job + "/")], service: "logs")
        } catch let error as APICallError where error.code == "ResourceNotFoundException" {
            return []
        }
        var lines: [JSONValue] = []
        for stream in streams["logStreams"]?.arrayValue ?? [] {
            guard let name = stream["logStreamName"]?.stringValue else { continue }
            while true {
                var input: JSONValue = ["logGroupName": .string(Self.group), "logStreamName": .string(name), "startFromHead": true]
                if let token = tokens[name] { input["nextToken"] = .string(token) }
                let page = try await client.call("Logs_20140328.GetLogEvents", input, service: "logs")
                let events = page["events"]?.arrayValue ?? []
                lines += events
                let next = page["nextForwardToken"]?.stringValue
                defer { tokens[name] = next }
                if events.isEmpty || next == tokens[name] { break }
            }
        }
        return lines
    }
}
