#if canImport(Glibc)
import Glibc
#endif

/// oneDNN runs its kernels on OpenMP (libgomp) threads. Between two kernels a thread waits for the next, and how
/// long it spins before it sleeps decides two costs in a daemon that shares two cores between training, inference
/// and HTTP:
/// - libgomp's default, a ~3 ms spin, steals the cores the others need: measured under load, a training step took 2×
///   and batch-1 inference 35× longer than with no spin at all (`OMP_WAIT_POLICY=PASSIVE`);
/// - no spin puts a futex wake-up between every two kernels: apiary-mobile's batch-1 inference (42 short kernels)
///   took 5.3–6.0 ms on the idle machine against 3.5–4.1 with a short spin (docs/performance.md).
///
/// So ctl spins briefly: `GOMP_SPINCOUNT=3000` (some tens of microseconds; libgomp cuts it to 100 when the process
/// runs more OpenMP threads than there are cores, as when a request's inference meets a training job). With both
/// cores busy elsewhere it did as well as no spin, where 10000 spins put batch-1 inference at 31 ms in 3 runs of 5.
/// libgomp
/// reads its variables once, when it is loaded, so `ctl` sets it and re-executes itself before anything else
/// runs — unless the user chose a policy or a spin count.
enum OpenMPEnvironment {
    /// The spin count ctl runs with.
    static let spinCount = "3000"

    static func ensureShortSpinning() {
        guard getenv("OMP_WAIT_POLICY") == nil, getenv("GOMP_SPINCOUNT") == nil else { return }
        setenv("GOMP_SPINCOUNT", spinCount, 1)
        let arguments = CommandLine.unsafeArgv
        execv("/proc/self/exe", arguments)
        // execv returned: re-execution is impossible here (no /proc); carry on with libgomp's default policy.
    }
}
