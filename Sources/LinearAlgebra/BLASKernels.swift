import COpenBLAS
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One OpenBLAS kernel set on every machine, so that a run's numbers do not depend on the CPU.
///
/// Debian's OpenBLAS is built with DYNAMIC_ARCH: at load it picks the kernels for the CPU it finds
/// (SkylakeX on one Intel Xeon, Cooperlake on one AMD EPYC), and kernels for different CPUs
/// accumulate in other orders. The quick sweep's quadratic and linear-regression runs gave other
/// bits on those two machines (75 of 125 summary rows), enough to move one combination's steps
/// to target past the gate's tolerance. `pin()` re-selects the kernels by name, through
/// OpenBLAS's own `OPENBLAS_CORETYPE` mechanism (`gotoblas_dynamic_quit`, then
/// `gotoblas_dynamic_init`, found with dlsym): `Haswell` (AVX2 + FMA) on x86-64 machines that
/// have them, else `Prescott` (SSE3); `ARMV8` on 64-bit ARM. It runs once, before the first BLAS
/// or LAPACK call of the process (every `Buffer` and `Matrix` asks for it), and is a no-op where
/// OpenBLAS was built for one CPU (no dynamic kernels to pin) or the variable is set already.
public enum BLASKernels {
    /// The kernel set OpenBLAS uses now (`openblas_get_corename`), e.g. "Haswell".
    public static var current: String {
        guard let c = openblas_get_corename() else { return "unknown" }
        return String(cString: c)
    }

    /// What `pin()` asks OpenBLAS for on this machine.
    public static var choice: String {
        #if arch(x86_64)
        return FixedOrder.ISA.avx2.isSupported ? "Haswell" : "Prescott"
        #elseif arch(arm64)
        return "ARMV8"
        #else
        return ""
        #endif
    }

    /// Pins the kernels (once per process); returns the kernel set in use afterwards.
    @discardableResult
    public static func pin() -> String {
        _ = pinned
        return current
    }

    /// `pin()` without the name: what `Buffer`, the solves and `BLASThreads.set` call first.
    static func ensurePinned() { _ = pinned }

    private static let pinned: Bool = {
        let wanted = choice
        guard !wanted.isEmpty, getenv("OPENBLAS_CORETYPE") == nil,
              let quit = dlsym(dlopen(nil, RTLD_NOW), "gotoblas_dynamic_quit"),
              let initialise = dlsym(dlopen(nil, RTLD_NOW), "gotoblas_dynamic_init") else { return false }
        typealias Entry = @convention(c) () -> Void
        setenv("OPENBLAS_CORETYPE", wanted, 1)
        unsafeBitCast(quit, to: Entry.self)()
        unsafeBitCast(initialise, to: Entry.self)()
        return true
    }()
}
