import ArgumentParser

/// A failure ctl reports in one line, with the exit code scripts can trust: 1 for a failed operation (AWS
/// error, failed job), 64 for bad usage, 65 for bad input data, 69 when the daemon cannot be reached.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    var exitCode: Int32

    init(_ description: String, exitCode: Int32 = 1) {
        self.description = description
        self.exitCode = exitCode
    }
}
