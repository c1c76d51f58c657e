// swift-tools-version: 6.1
// lrbench: which learning-rate schedule, with which optimizer, converges fastest on which problem.
import PackageDescription

let package = Package(
    name: "lrbench",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "lrbench", targets: ["lrbench"]),
        // For the benchmark package (Benchmarks/Package.swift), which depends on this one by path.
        .library(name: "Run", targets: ["Run"]),
        .library(name: "Sweep", targets: ["Sweep"]),
        .library(name: "Results", targets: ["Results"]),
        .library(name: "Problems", targets: ["Problems"]),
        .library(name: "Optimizers", targets: ["Optimizers"]),
        .library(name: "Schedules", targets: ["Schedules"]),
        .library(name: "Specs", targets: ["Specs"]),
        .library(name: "LinearAlgebra", targets: ["LinearAlgebra"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // OpenBLAS's CBLAS and the few LAPACK routines we need, through a module map.
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        // Fixed-order matrix products (AVX-512, AVX2 + FMA or scalar fma(), same bits): what lets
        // runs share one product (README, "Batched runs"). Optimised in debug builds too, as
        // the tests train classifiers through it.
        .target(name: "CKernels", cSettings: [.unsafeFlags(["-O3"])]),
        // The only importer of COpenBLAS and CKernels: vectors, matrices, solves, thread control.
        .target(name: "LinearAlgebra", dependencies: ["COpenBLAS", "CKernels"]),
        // Seeded, splittable random streams: every data set is a pure function of (spec, seed).
        .target(name: "SeededRandom"),
        // The one spec syntax (`adam(betas=0.9;0.999)`) shared by the CLI and sweep files.
        .target(name: "Specs"),
        // Bootstrap intervals, paired tests, Holm, top groups, rank stability (pure functions on arrays).
        .target(name: "Statistics", dependencies: ["SeededRandom"]),
        // Test problems: quadratic, Rosenbrock, linear regression, classification, ...
        .target(name: "Problems", dependencies: ["LinearAlgebra", "SeededRandom", "Specs"]),
        // Update rules, after torch.optim and the papers.
        // Inline vector square roots for the optimizers' lane loops (Sources/Optimizers/Lanes.swift),
        // and Adam's update vectorised for AVX-512 / AVX2 (adam.c, chosen at run time, same bits).
        .target(name: "CLanes"),
        .target(name: "Optimizers", dependencies: ["Specs", "CLanes"]),
        // Learning-rate schedules, after torch.optim.lr_scheduler and the seeds.
        .target(name: "Schedules", dependencies: ["Specs"]),
        // Clipping and normalisation in front of any optimizer.
        .target(name: "GradientTransforms", dependencies: ["Specs"]),
        // One run: the run loop (alone or in lockstep groups), observers, termination, the run
        // record, the range test.
        .target(name: "Run", dependencies: [
            "Problems", "Optimizers", "Schedules", "GradientTransforms", "Specs", "LinearAlgebra",
        ]),
        // A sweep: the config (model, YAML decoding, budget expressions), the plan, tuning, the
        // parallel resumable runner and its storage (runs.jsonl, meta.json).
        .target(name: "Sweep", dependencies: [
            "Run", "Problems", "Optimizers", "Schedules", "GradientTransforms", "Specs", "LinearAlgebra", "Statistics",
            .product(name: "Yams", package: "Yams"),
        ]),
        // Results read back from a folder: the summary and target tables computed once, schedule
        // previews, merging shards, and the one comparison engine (the gate, `report --compare`).
        .target(name: "Results", dependencies: ["Run", "Sweep", "Problems", "Specs", "Statistics"]),
        // SVG figures: line charts with log axes, bands and legends (no I/O).
        .target(name: "Plots"),
        // Markdown reports and figures from sweep results (no I/O beyond writing the report).
        .target(name: "Reports", dependencies: ["Run", "Sweep", "Results", "Plots", "Problems", "Specs", "Statistics"]),
        .executableTarget(name: "lrbench", dependencies: [
            "Run", "Sweep", "Results", "Optimizers", "Problems", "Reports", "Schedules", "Specs",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // The power study of the paired tests (README, "Statistics: how uncertain is an answer").
        .executableTarget(name: "StatisticsPower", dependencies: ["Statistics", "SeededRandom"], path: "Benchmarks/StatisticsPower"),
        // Sweep throughput: runs per CPU-second, grouped (`BatchRun`) against one run at a time (README, "Batched runs").
        .executableTarget(name: "SweepThroughput", dependencies: ["Run", "Sweep", "Results", "LinearAlgebra", "Problems", "Specs"], path: "Benchmarks/SweepThroughput", exclude: ["malloc_count.c"]),

        // Helpers the test targets share: temporary folders, the repository root, running a
        // process or a sweep, finite differences. Not a product; only test targets depend on it.
        .target(name: "TestSupport", dependencies: ["Run", "Sweep", "Results", "Problems", "SeededRandom"], path: "Tests/TestSupport"),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra", "SeededRandom"]),
        .testTarget(name: "SeededRandomTests", dependencies: ["SeededRandom"]),
        // golden/: the throw-away-venv script that printed the scipy/statsmodels values the tests quote.
        .testTarget(name: "StatisticsTests", dependencies: ["Statistics", "Reports", "Run", "Sweep", "Results"], exclude: ["golden"]),
        .testTarget(name: "SpecsTests", dependencies: ["Specs"]),
        .testTarget(name: "ProblemsTests", dependencies: ["Problems", "LinearAlgebra", "SeededRandom", "Specs", "TestSupport"]),
        .testTarget(name: "OptimizersTests", dependencies: ["Optimizers", "Specs"], exclude: ["golden"]),
        .testTarget(name: "SchedulesTests", dependencies: ["Schedules", "Specs"]),
        .testTarget(name: "GradientTransformsTests", dependencies: ["GradientTransforms", "Specs"]),
        // The engine's tests, by the stage each is about (most run whole sweeps, so each may use all three).
        .testTarget(name: "RunTests", dependencies: ["Run", "Sweep", "Results", "GradientTransforms", "Optimizers", "Problems", "Schedules", "Specs", "Statistics", "TestSupport"]),
        .testTarget(name: "SweepTests", dependencies: ["Run", "Sweep", "Results", "GradientTransforms", "Optimizers", "Problems", "Schedules", "Specs", "TestSupport"]),
        .testTarget(name: "ResultsTests", dependencies: ["Run", "Sweep", "Results", "GradientTransforms", "Optimizers", "Problems", "Schedules", "Specs", "TestSupport"]),
        .testTarget(name: "PlotsTests", dependencies: ["Plots", "TestSupport"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Run", "Sweep", "Results", "Plots", "Problems", "Specs", "Statistics", "TestSupport", "lrbench"]),
        .testTarget(name: "lrbenchTests", dependencies: ["lrbench", "Run", "Sweep", "Results", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)

// Every file imports each module whose declarations it uses (SE-0444): no member is visible through
// another file's import or a dependency's. `swift build --explicit-target-dependency-import-check
// error` checks the other half, that Package.swift lists every module a target imports.
for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + [.enableUpcomingFeature("MemberImportVisibility")]
}
