import Foundation

/// The algorithm's log lines, in the exact shapes SageMaker's object-detection container printed them, which
/// the metric regexes of `DescribeTrainingJob` and the AWS notebooks' parsers rely on.
public enum AlgorithmLog {
    /// The host name every line carries: the first host's (`DataParallelTraining.host` names the others).
    public static let host = "algo-1"

    public static func trainLoss(epoch: Int, batch: Int, name: String, value: Double, host: String = AlgorithmLog.host) -> String {
        "#quality_metric: host=\(host), epoch=\(epoch), batch=\(batch) train \(name) <loss>=\(value)"
    }

    /// Ends with `)`: the Ground Truth notebook parses `float(msg.split('validation mAP <score>=(')[1][:-1])`.
    public static func validationMAP(epoch: Int, value: Double) -> String {
        "#quality_metric: host=\(host), epoch=\(epoch), validation mAP <score>=(\(value))"
    }

    public static func throughput(_ recordsPerSecond: Double, host: String = AlgorithmLog.host) -> String {
        "#throughput_metric: host=\(host), train throughput=\(recordsPerSecond) records/second"
    }

    public static func progress(percent: Int, host: String = AlgorithmLog.host) -> String {
        "#progress_metric: host=\(host), completed \(percent) % of epochs"
    }

    /// MXNet's speedometer line: `Epoch:    0, batches:    100, num_examples:   3200, 115.2 samples/sec, epoch time so far:  0:00:27.779193`.
    public static func speedometer(epoch: Int, batches: Int, examples: Int, samplesPerSecond: Double, elapsed: Double) -> String {
        func pad(_ value: Int, _ width: Int) -> String { String(repeating: " ", count: max(0, width - String(value).count)) + String(value) }
        let hours = Int(elapsed) / 3600
        let minutes = Int(elapsed) / 60 % 60
        let seconds = elapsed - Double(hours * 3600 + minutes * 60)
        let clock = String(format: "%d:%02d:%09.6f", hours, minutes, seconds)
        return "Epoch: \(pad(epoch, 4)), batches: \(pad(batches, 6)), num_examples: \(pad(examples, 6)), "
            + String(format: "%.1f", samplesPerSecond) + " samples/sec, epoch time so far: \(clock)"
    }

    /// Prefixes a message as the container's Python logger did: `[04/07/2019 10:10:16 INFO 140057223599936] message`.
    public static func line(_ message: String, at date: Date = Date()) -> String {
        // gmtime_r, not a DateFormatter: called for every log line, from any thread.
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var utc = tm()
        gmtime_r(&seconds, &utc)
        let stamp = String(
            format: "%02d/%02d/%04d %02d:%02d:%02d",
            utc.tm_mon + 1,
            utc.tm_mday,
            utc.tm_year + 1900,
            utc.tm_hour,
            utc.tm_min,
            utc.tm_sec
        )
        return "[\(stamp) INFO 140057223599936] \(message)"
    }
}
