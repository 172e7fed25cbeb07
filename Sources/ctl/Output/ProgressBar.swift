import Foundation

/// A progress bar, `[##########--------------]  40%`, and a line of it on standard error that redraws in place on a
/// terminal; in logs and pipes it stays silent, so scripts see only the final summary.
struct ProgressBar {
    let label: String
    private let terminal = isatty(STDERR_FILENO) == 1

    init(_ label: String) { self.label = label }

    /// `[##########--------------]  40%` for `percent` in 0...100.
    static func bar(percent: Int, width: Int = 24) -> String {
        let done = min(max(percent, 0), 100)
        let filled = done * width / 100
        return "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "] " + String(format: "%3d%%", done)
    }

    /// Redraws the line: `[####…]  40%  label 200/500`.
    func show(_ done: Int, of total: Int) {
        guard terminal, total > 0 else { return }
        FileHandle.standardError.write(Data(("\r\u{1B}[2K" + Self.bar(percent: done * 100 / total) + "  \(label) \(done)/\(total)").utf8))
    }

    /// Clears the line, leaving the terminal as it was.
    func finish() {
        if terminal { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
    }
}
