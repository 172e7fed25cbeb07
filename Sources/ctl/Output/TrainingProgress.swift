import AWSProtocol
import Foundation

/// What a running job says about its progress through the channels any client sees — the algorithm's log lines in
/// CloudWatch Logs (MXNet's speedometer, the loss and mAP metric lines, "N batches of M per epoch") with their event
/// timestamps, and DescribeTrainingJob (epochs, status, artifact) — and the one-line bar and closing summary of it.
struct TrainingProgress {
    /// `epochs` of the job (SageMaker's default, 30, when the request left it out).
    var totalEpochs = 30
    var batchesPerEpoch: Int?
    /// The epoch running, 0-based as the log numbers it.
    var epoch: Int?
    /// Batches done in `epoch`.
    var batch: Int?
    var imagesPerSecond: Double?
    /// Seconds into `epoch` at the last speedometer line.
    var epochElapsed: Double?
    /// The running means of the epoch's two loss terms: cross-entropy (`cls`) and smooth L1 (`box`).
    var cls: Double?
    var box: Double?
    var validationMAP: Double?
    var best: (mAP: Double, epoch: Int)?
    /// Epochs whose validation has been logged (or restored from a checkpoint).
    var completedEpochs = 0
    /// Event time (ms) of the first line and of the last epoch's end; the wall time of each whole epoch.
    private var startMillis: Double?
    /// Event time (ms) of the last speedometer line, which `epochElapsed` was measured at.
    private var speedometerMillis: Double?
    private var epochEndMillis: Double?
    private var epochDurations: [Double] = []

    /// Takes `epochs` from a DescribeTrainingJob answer.
    mutating func read(job: JSONValue) {
        if let epochs = job["HyperParameters"]?["epochs"]?.stringValue.flatMap({ Int($0) }) { totalEpochs = epochs }
    }

    /// Updates from one CloudWatch event (`message`, `timestamp` in ms).
    mutating func read(event: JSONValue) {
        guard let line = event["message"]?.stringValue else { return }
        read(line, at: event["timestamp"]?.doubleValue)
    }

    /// Updates from one log line (ModelCore's `AlgorithmLog` shapes) logged at `millis`.
    mutating func read(_ line: String, at millis: Double? = nil) {
        if startMillis == nil { startMillis = millis }
        if let batches = Self.number(in: line, after: "; ", before: " batches of "), line.contains(" per epoch") {
            batchesPerEpoch = Int(batches)
            epochEndMillis = millis
        } else if line.contains("Epoch:"), line.contains("samples/sec") {
            epoch = Self.number(in: line, after: "Epoch:", before: ",").map(Int.init)
            batch = Self.number(in: line, after: "batches:", before: ",").map(Int.init)
            imagesPerSecond = Self.lastNumber(in: line, before: " samples/sec")
            epochElapsed = Self.clockSeconds(line.components(separatedBy: "epoch time so far:").last ?? "")
            speedometerMillis = millis
        } else if line.contains("validation mAP <score>=(") {
            let value = Self.number(in: line, after: "<score>=(", before: ")") ?? 0
            let finished = Self.number(in: line, after: "epoch=", before: ",").map(Int.init) ?? completedEpochs
            validationMAP = value
            if best == nil || value > best!.mAP { best = (value, finished) }
            completedEpochs = finished + 1
            if let millis, let since = epochEndMillis { epochDurations.append((millis - since) / 1000) }
            epochEndMillis = millis
            (batch, epochElapsed) = (nil, nil)
        } else if line.contains("train cross_entropy <loss>=") {
            cls = Self.number(in: line, after: "<loss>=", before: nil)
        } else if line.contains("train smooth_l1 <loss>=") {
            box = Self.number(in: line, after: "<loss>=", before: nil)
        } else if line.contains("Resuming training from the checkpoint of epoch") {
            completedEpochs = Self.number(in: line, after: "epoch ", before: nil).map(Int.init) ?? completedEpochs
        }
    }

    /// Seconds to the end of the running epoch, from its pace so far.
    var epochRemaining: Double? {
        guard let batch, batch > 0, let batchesPerEpoch, let epochElapsed else { return nil }
        return epochElapsed / Double(batch) * Double(batchesPerEpoch - batch)
    }

    /// Seconds to the end of the job: this epoch's rest plus the epochs left at the mean epoch's wall time
    /// (validation included) — or, before any epoch ended, this one's pace.
    var jobRemaining: Double? {
        let running = batch != nil
        let epochsLeft = Double(totalEpochs - completedEpochs - (running ? 1 : 0))
        let perEpoch =
            epochDurations.isEmpty
            ? epochRemaining.flatMap { rest in epochElapsed.map { $0 + rest } } : epochDurations.reduce(0, +) / Double(epochDurations.count)
        guard let perEpoch else { return nil }
        return (running ? epochRemaining ?? 0 : 0) + max(0, epochsLeft) * perEpoch
    }

    /// Fraction of the job's batches done.
    var fraction: Double {
        guard let batchesPerEpoch, batchesPerEpoch > 0 else { return Double(completedEpochs) / Double(max(totalEpochs, 1)) }
        return min(1, (Double(completedEpochs) + Double(batch ?? 0) / Double(batchesPerEpoch)) / Double(max(totalEpochs, 1)))
    }

    /// `[#########-------]  37%  epoch 4/10  batch 7/13  41.2 img/s  cls 1.234  box 0.456  mAP 0.312  epoch 0:09 ETA 0:08  job 1:02 ETA 3:40`,
    /// ending with the secondary status while it is not Training.
    func bar(status: String, nowMillis: Double, width: Int = 20) -> String {
        var parts = [ProgressBar.bar(percent: Int(fraction * 100), width: width)]
        let running = batch == nil ? completedEpochs : epoch ?? completedEpochs
        if completedEpochs > 0 || batch != nil { parts.append("epoch \(min(running + 1, totalEpochs))/\(totalEpochs)") }
        if let batch, let batchesPerEpoch { parts.append("batch \(batch)/\(batchesPerEpoch)") }
        if let imagesPerSecond { parts.append(String(format: "%.1f img/s", imagesPerSecond)) }
        if let cls { parts.append(String(format: "cls %.3f", cls)) }
        if let box { parts.append(String(format: "box %.3f", box)) }
        if let validationMAP { parts.append(String(format: "mAP %.3f", validationMAP)) }
        // The clocks run on between batches: the time since the last speedometer line counts down the ETAs.
        let sinceLine = batch == nil ? 0 : max(0, (nowMillis - (speedometerMillis ?? nowMillis)) / 1000)
        func eta(_ remaining: Double?) -> String { remaining.map { Self.clock(max(0, $0 - sinceLine)) } ?? "?" }
        if let epochElapsed { parts.append("epoch \(Self.clock(epochElapsed + sinceLine)) ETA \(eta(epochRemaining))") }
        if let startMillis { parts.append("job \(Self.clock((nowMillis - startMillis) / 1000)) ETA \(eta(jobRemaining))") }
        if status != "Training" { parts.append(status) }
        return parts.joined(separator: "  ")
    }

    /// The closing lines once the job has ended: how long it took, the best mAP and where the model is.
    func summary(job: JSONValue) -> String {
        let name = job["TrainingJobName"]?.stringValue ?? "the job"
        let status = job["TrainingJobStatus"]?.stringValue ?? "?"
        var text = "\(name) \(status)"
        if let seconds = job["TrainingTimeInSeconds"]?.doubleValue ?? Self.seconds(job["TrainingStartTime"], job["TrainingEndTime"]) {
            text += " after \(Self.clock(seconds))"
        }
        text += " (\(completedEpochs)/\(totalEpochs) epochs)"
        if let best { text += String(format: "; best validation mAP %.3f at epoch %d/%d", best.mAP, best.epoch + 1, totalEpochs) }
        if status != "Failed", completedEpochs > 0, let artifact = job["ModelArtifacts"]?["S3ModelArtifacts"]?.stringValue { text += "\nmodel: \(artifact)" }
        if let reason = job["FailureReason"]?.stringValue { text += "\nfailure: \(reason)" }
        return text
    }

    /// `m:ss`, or `h:mm:ss` from an hour.
    static func clock(_ seconds: Double) -> String {
        let total = Int(max(0, seconds).rounded())
        return total >= 3600 ? String(format: "%d:%02d:%02d", total / 3600, total / 60 % 60, total % 60) : String(format: "%d:%02d", total / 60, total % 60)
    }

    private static func seconds(_ start: JSONValue?, _ end: JSONValue?) -> Double? {
        guard let start = start?.doubleValue, let end = end?.doubleValue else { return nil }
        return end - start
    }

    /// `0:00:27.779193` (MXNet's `str(timedelta)`) in seconds.
    private static func clockSeconds(_ text: String) -> Double? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":").compactMap { Double($0) }
        guard parts.count == 3 else { return nil }
        return parts[0] * 3600 + parts[1] * 60 + parts[2]
    }

    private static func lastNumber(in line: String, before end: String) -> Double? {
        guard let upTo = line.range(of: end)?.lowerBound else { return nil }
        return Double(line[..<upTo].split(separator: " ").last ?? "")
    }

    private static func number(in line: String, after start: String, before end: String?) -> Double? {
        guard let from = line.range(of: start)?.upperBound else { return nil }
        let rest = line[from...]
        let text = end.flatMap { rest.range(of: $0) }.map { rest[..<$0.lowerBound] } ?? rest
        return Double(text.trimmingCharacters(in: .whitespaces))
    }
}
