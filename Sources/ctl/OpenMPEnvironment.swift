#if canImport(Glibc)
import Glibc
#endif

/// oneDNN runs its kernels on OpenMP (libgomp) threads, which by default spin while waiting for work. In a daemon
/// that shares two cores between training, inference and HTTP, spinning workers steal the cores the others need:
/// measured here under load, a training step took 2× and batch-1 inference 35× longer with spinning than with
/// `OMP_WAIT_POLICY=PASSIVE`. libgomp reads the variable once, when it is loaded, so `ctl` sets it and re-executes
/// itself before anything else runs — unless the user chose a policy.
enum OpenMPEnvironment {
    static func ensurePassiveWaiting() {
        guard getenv("OMP_WAIT_POLICY") == nil else { return }
        setenv("OMP_WAIT_POLICY", "PASSIVE", 1)
        let arguments = CommandLine.unsafeArgv
        execv("/proc/self/exe", arguments)
        // execv returned: re-execution is impossible here (no /proc); carry on with libgomp's default policy.
    }
}
