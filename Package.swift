// swift-tools-version: 6.0
import PackageDescription

// The folder tree is the architecture:
//   Sources/   the core (the day, validation, plugin protocols and registry, plans and
//              their assembly), the model (MIPModel: resource classes, both formulations,
//              decoding), the greedy plan both optimizers use (GreedyPlanning), the GLPK
//              binding (CGLPK system library, CGLPKGuard C target, GLPK wrapper), the
//              independent plan checker and the thin `schedule` CLI;
//   Plugins/   one module per resource kind and per optimizer.
// Arrows: only the CLI and the tests import plugins; resource kinds know the core only;
// the checker knows the core only, never the model; optimizers import MIPModel and
// GreedyPlanning, never each other.
let package = Package(
    name: "ReceptionScheduler",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "schedule", targets: ["schedule"]),
        .library(name: "SchedulingCore", targets: ["SchedulingCore"]),
        .library(name: "MIPModel", targets: ["MIPModel"]),
        .library(name: "PlanChecker", targets: ["PlanChecker"]),
        .library(name: "DayGenerator", targets: ["DayGenerator"]),
        .library(name: "BuiltinPlugins", targets: ["Venues", "Catering", "Transport", "Staff", "Gifts", "Lodging", "GLPKOptimizer", "GreedyOptimizer"]),
        .library(name: "SchedulingTestKit", targets: ["SchedulingTestKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
    ],
    targets: [
        // MARK: GLPK binding
        .systemLibrary(
            name: "CGLPK",
            path: "Sources/CGLPK",
            providers: [.apt(["libglpk-dev"])]
        ),
        .target(
            name: "CGLPKGuard",
            dependencies: ["CGLPK"],
            path: "Sources/CGLPKGuard",
            linkerSettings: [.linkedLibrary("glpk")]
        ),
        .target(
            name: "GLPK",
            dependencies: ["CGLPKGuard"],
            path: "Sources/GLPK"
        ),

        // MARK: Core
        // The core uses rounding from libm, which nothing else links for it on Linux when
        // Foundation is absent (the fuzzer).
        .target(name: "SchedulingCore", path: "Sources/SchedulingCore",
                linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux]))]),
        .target(name: "PlanChecker", dependencies: ["SchedulingCore"], path: "Sources/PlanChecker"),
        // The kit compares plugins' checkers with the rows the model builds from their declarations.
        .target(name: "SchedulingTestKit", dependencies: ["SchedulingCore", "MIPModel", "PlanChecker"], path: "Sources/SchedulingTestKit"),
        .target(name: "PlanReports", dependencies: ["SchedulingCore"], path: "Sources/PlanReports"),
        .target(name: "DayGenerator", dependencies: ["SchedulingCore"], path: "Sources/DayGenerator"),
        // What changed between two plans of a day, per resource, and iCalendar files of a plan (issue 17).
        .target(name: "PlanChanges", dependencies: ["SchedulingCore", "PlanReports"], path: "Sources/PlanChanges"),
        // What would meet each unmet need: changes to the day, each verified by solving it (issue 18).
        .target(name: "Repairs", dependencies: ["SchedulingCore"], path: "Sources/Repairs"),

        // MARK: Model
        // The mixed-integer program built from the plugins' declarations, and its
        // solutions read back as selections; independent of any solver.
        .target(name: "MIPModel", dependencies: ["SchedulingCore"], path: "Sources/MIPModel"),
        // The greedy plan both optimizers build on: below them, so that they do not import each other.
        .target(name: "GreedyPlanning", dependencies: ["SchedulingCore"], path: "Sources/GreedyPlanning"),

        // MARK: Resource plugins
        .target(name: "Venues", dependencies: ["SchedulingCore"], path: "Plugins/Venues"),
        .target(name: "Catering", dependencies: ["SchedulingCore"], path: "Plugins/Catering"),
        .target(name: "Transport", dependencies: ["SchedulingCore"], path: "Plugins/Transport"),
        .target(name: "Staff", dependencies: ["SchedulingCore"], path: "Plugins/Staff"),
        .target(name: "Gifts", dependencies: ["SchedulingCore"], path: "Plugins/Gifts"),
        .target(name: "Lodging", dependencies: ["SchedulingCore"], path: "Plugins/Lodging"),

        // MARK: Optimizer plugins
        .target(name: "GLPKOptimizer", dependencies: ["SchedulingCore", "MIPModel", "GLPK", "GreedyPlanning"], path: "Plugins/GLPKOptimizer"),
        .target(name: "GreedyOptimizer", dependencies: ["SchedulingCore", "GreedyPlanning"], path: "Plugins/GreedyOptimizer"),

        // MARK: Archive
        .target(
            name: "Archive",
            dependencies: ["SchedulingCore", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Sources/Archive"
        ),

        // MARK: Command line
        .executableTarget(
            name: "schedule",
            dependencies: [
                "SchedulingCore", "PlanChecker", "PlanReports", "PlanChanges", "Repairs", "Venues", "Catering", "Transport", "Staff", "GLPKOptimizer",
                "Gifts", "Lodging",
                "DayGenerator", "Archive", "GreedyOptimizer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/schedule"
        ),

        // MARK: Fuzzing (issue 6): libFuzzer over Problem.load; see .ci/run for the flags.
        .executableTarget(
            name: "DayFuzzer",
            dependencies: ["SchedulingCore", "Venues", "Catering", "Transport", "Staff", "Gifts", "Lodging"],
            path: "Fuzz/DayFuzzer"
        ),

        // MARK: Tests
        .testTarget(
            name: "SchedulerTests",
            dependencies: [
                "SchedulingCore", "MIPModel", "PlanChecker", "PlanReports", "PlanChanges", "Repairs", "Venues", "Catering", "Transport", "Staff", "GLPKOptimizer", "GLPK",
                "Gifts", "Lodging",
                "SchedulingTestKit",
                "DayGenerator", "GreedyOptimizer", "GreedyPlanning",
                "schedule", "Archive",
            ],
            path: "Tests/SchedulerTests",
            exclude: ["Conformance/Fixtures", "Hostile/Corpus", "Golden", "GuideExample/README.md"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
