#if canImport(Glibc)
import Glibc
#endif

/// Training shares the machine with the API: worker threads lower their own scheduling priority before their
/// first oneDNN call, so the OpenMP threads oneDNN starts from them inherit it and HTTP stays responsive.
enum WorkerPriority {
    /// The nice value of training threads (0 normal … 19 lowest).
    static let trainingNice: Int32 = 10

    static func lowerForBackgroundWork() {
        #if os(Linux)
        // On Linux a thread is a task with its own nice value, and `who == 0` names the calling task: this
        // changes only the calling thread (and the threads it starts afterwards).
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, trainingNice)
        #endif
    }
}
