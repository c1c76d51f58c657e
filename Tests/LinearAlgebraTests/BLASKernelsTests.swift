import Testing
import LinearAlgebra

/// The OpenBLAS kernel set is pinned by name before any BLAS call (`BLASKernels`), so that runs
/// on different CPUs get the same bits.
@Suite struct BLASKernelsTests {
    /// Debian's OpenBLAS is DYNAMIC_ARCH; a build for one CPU has nothing to pin (skipped there).
    @Test(.enabled(if: BLASThreads.configuration.contains("DYNAMIC_ARCH")))
    func everyBufferRunsOnThePinnedKernels() {
        _ = Buffer<Double>(count: 4)
        #expect(BLASKernels.current == BLASKernels.choice)
        #expect(BLASKernels.pin() == BLASKernels.choice)
    }

    @Test func theChoiceIsOneOfOpenBLASsPortableKernelSets() {
        #if arch(x86_64)
        #expect(["Haswell", "Prescott"].contains(BLASKernels.choice))
        #expect((BLASKernels.choice == "Haswell") == FixedOrder.ISA.avx2.isSupported)
        #elseif arch(arm64)
        #expect(BLASKernels.choice == "ARMV8")
        #endif
    }
}
