// swift-tools-version: 6.1
import PackageDescription

// Benchmarks live in their own package so that package-benchmark (and its
// malloc interposer) stay out of the main build. Run from this folder:
//   swift package benchmark
let package = Package(
    name: "Benchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "ReceptionScheduler", path: ".."),
        .package(url: "https://github.com/ordo-one/package-benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "SolverBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "SchedulingCore", package: "ReceptionScheduler"),
                .product(name: "MIPModel", package: "ReceptionScheduler"),
                .product(name: "PlanChecker", package: "ReceptionScheduler"),
                .product(name: "BuiltinPlugins", package: "ReceptionScheduler"),
                .product(name: "DayGenerator", package: "ReceptionScheduler"),
            ],
            path: "Benchmarks/SolverBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
