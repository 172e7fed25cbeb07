import Foundation

/// The merged output of `mpirun --tag-output`, read on a thread of its own and split into lines, each with the rank
/// that printed it (`[1,R]<stdout>:text`) or none (`mpirun`'s own messages), for the job's worker thread to take
/// between its stop checks.
final class RankOutput: @unchecked Sendable {
    struct Line: Equatable {
        var rank: Int?
        var text: String
    }

    private let condition = NSCondition()
    private var lines: [Line] = []
    private var ended = false

    /// Reads `handle` to its end on a new thread.
    func read(_ handle: FileHandle) {
        Thread { [self] in
            var pending = Data()
            while true {
                let chunk = handle.availableData
                pending += chunk
                var complete: [Line] = []
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    complete.append(Self.parse(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)))
                    pending = Data(pending[(newline + 1)...])
                }
                if chunk.isEmpty && !pending.isEmpty { complete.append(Self.parse(String(decoding: pending, as: UTF8.self))) }
                condition.lock()
                lines += complete
                ended = chunk.isEmpty
                condition.broadcast()
                condition.unlock()
                if chunk.isEmpty { return }
            }
        }.start()
    }

    /// The lines read since the last call, waiting up to `seconds` for one; `ended` once the output is closed.
    func take(waiting seconds: Double) -> (lines: [Line], ended: Bool) {
        condition.lock()
        defer { condition.unlock() }
        if lines.isEmpty && !ended { _ = condition.wait(until: Date().addingTimeInterval(seconds)) }
        defer { lines = [] }
        return (lines, ended)
    }

    /// `[1,0]<stdout>:text` → rank 0, `text`; any other line has no rank.
    static func parse(_ raw: String) -> Line {
        guard raw.hasPrefix("["), let close = raw.firstIndex(of: "]"), let colon = raw[close...].firstIndex(of: ":") else {
            return Line(rank: nil, text: raw)
        }
        let ids = raw[raw.index(after: raw.startIndex)..<close].split(separator: ",")
        guard ids.count == 2, let rank = Int(ids[1]), raw[raw.index(after: close)..<colon].hasPrefix("<std") else { return Line(rank: nil, text: raw) }
        return Line(rank: rank, text: String(raw[raw.index(after: colon)...]))
    }
}
