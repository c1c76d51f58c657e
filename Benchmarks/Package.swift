// swift-tools-version: 6.1
// lrbench's performance benchmarks (`make perf`), in their own package so that building and
// testing lrbench never resolves nor builds package-benchmark (ordo-one's layout: this package
// depends on lrbench by path; the plugin runs the executable targets whose folder is in
// `Benchmarks/`).
import PackageDescription

let package = Package(
    name: "LRBenchBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        // lrbench itself, named so that the checkout's folder name does not matter.
        .package(name: "lrbench", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // One benchmark per workload, time and mallocs per step.
        .executableTarget(
            name: "LRBenchPerf",
            dependencies: [
                .product(name: "Run", package: "lrbench"),
                .product(name: "Problems", package: "lrbench"),
                .product(name: "Optimizers", package: "lrbench"),
                .product(name: "Schedules", package: "lrbench"),
                .product(name: "Specs", package: "lrbench"),
                .product(name: "LinearAlgebra", package: "lrbench"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "LRBenchPerf",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
