import Foundation

/// What the algorithm's log lines say about a running job — epoch, loss, validation mAP, percent done — and a
/// one-line progress bar of it.
struct TrainingProgress {
    var epoch: Int?
    var percent: Int?
    var crossEntropy: Double?
    var smoothL1: Double?
    var validationMAP: Double?

    /// Updates from one log line (the lines of ModelCore's `AlgorithmLog`).
    mutating func read(_ line: String) {
        if let value = Self.number(in: line, after: "completed ", before: " % of epochs") { percent = Int(value) }
        if line.contains("validation mAP <score>=(") {
            validationMAP = Self.number(in: line, after: "<score>=(", before: ")")
            epoch = Self.number(in: line, after: "epoch=", before: ",").map(Int.init)
        } else if line.contains("train cross_entropy <loss>=") {
            crossEntropy = Self.number(in: line, after: "<loss>=", before: nil)
            epoch = Self.number(in: line, after: "epoch=", before: ",").map(Int.init)
        } else if line.contains("train smooth_l1 <loss>=") {
            smoothL1 = Self.number(in: line, after: "<loss>=", before: nil)
        }
    }

    /// `[########------------]  40%  epoch 2  loss 1.234/0.456  mAP 0.312  Training`
    func bar(status: String, width: Int = 24) -> String {
        var text = ProgressBar.bar(percent: percent ?? 0, width: width)
        if let epoch { text += "  epoch \(epoch)" }
        if let crossEntropy { text += String(format: "  loss %.3f", crossEntropy) + (smoothL1.map { String(format: "/%.3f", $0) } ?? "") }
        if let validationMAP { text += String(format: "  mAP %.3f", validationMAP) }
        return text + "  " + status
    }

    private static func number(in line: String, after start: String, before end: String?) -> Double? {
        guard let from = line.range(of: start)?.upperBound else { return nil }
        let rest = line[from...]
        let text = end.flatMap { rest.range(of: $0) }.map { rest[..<$0.lowerBound] } ?? rest
        return Double(text.trimmingCharacters(in: .whitespaces))
    }
}
