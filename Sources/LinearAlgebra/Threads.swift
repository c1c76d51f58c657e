import COpenBLAS

/// OpenBLAS's own thread pool. Parallel sweeps run one worker per core, each with one BLAS thread,
/// so that results do not depend on how BLAS splits work and workers do not oversubscribe cores.
public enum BLASThreads {
    /// Sets the number of threads OpenBLAS uses for every later call in this process.
    public static func set(_ count: Int) {
        BLASKernels.ensurePinned()
        openblas_set_num_threads(Int32(max(1, count)))
    }

    /// The number of threads OpenBLAS uses now.
    public static var count: Int { Int(openblas_get_num_threads()) }

    /// OpenBLAS's build configuration (version, kernel, threading), for report headers.
    public static var configuration: String {
        guard let c = openblas_get_config() else { return "unknown" }
        return String(cString: c)
    }
}
