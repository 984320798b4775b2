import Benchmark
import Catering
import DayGenerator
import Gifts
import Lodging
import GLPKOptimizer
import GreedyOptimizer
import MIPModel
import PlanChecker
import SchedulingCore
import Staff
import Transport
import Venues

/// Generated days of 50 to 1000 visits at tightness 1.0 and 1.3: model
/// building (the typed model the optimizer solves, and the naive one-column-
/// per-candidate model for comparison), and the full solve with the targets'
/// time limits. Each solve's plan goes through the independent checker; a
/// rejected plan stops the run.
let benchmarks: @Sendable () -> Void = {
    let sizes: [(visits: Int, limit: Double)] = [(50, 60), (100, 60), (200, 60), (500, 120), (1000, 300)]
    let tightness = [1.0, 1.3]
    let solveMetrics: [BenchmarkMetric] = [
        .wallClock, .peakMemoryResident,
        .custom("objective (cents)", polarity: .prefersSmaller, useScalingFactor: false),
        .custom("gap (ppm)", polarity: .prefersSmaller, useScalingFactor: false),
        .custom("unmet", polarity: .prefersSmaller, useScalingFactor: false),
    ]

    for (visits, limit) in sizes {
        for t in tightness {
            let name = "\(visits) visits, tightness \(t)"

            for naive in [false, true] where !(naive && visits > 500) {
                Benchmark("model build\(naive ? " (naive)" : ""): \(name)", configuration: .init(
                    metrics: [.wallClock, .peakMemoryResident,
                              .custom("rows", useScalingFactor: false), .custom("columns", useScalingFactor: false),
                              .custom("non-zeros", useScalingFactor: false)],
                    warmupIterations: 0, maxDuration: .seconds(30), maxIterations: naive ? 1 : 3)) { benchmark in
                    let problem = try SolverDay.problem(visits: visits, tightness: t)
                    benchmark.startMeasurement()
                    let s = naive ? Formulation(problem).model.statistics : TypedFormulation(problem).model.statistics
                    benchmark.stopMeasurement()
                    benchmark.measurement(.custom("rows", useScalingFactor: false), s.rows)
                    benchmark.measurement(.custom("columns", useScalingFactor: false), s.columns)
                    benchmark.measurement(.custom("non-zeros", useScalingFactor: false), s.nonzeros)
                }
            }

            Benchmark("solve: \(name)", configuration: .init(
                metrics: solveMetrics, warmupIterations: 0, maxDuration: .seconds(Int64(limit) + 30), maxIterations: 1)) { benchmark in
                let problem = try SolverDay.problem(visits: visits, tightness: t)
                benchmark.startMeasurement()
                let result = try GLPKOptimizer().optimize(problem, options: OptimizeOptions(timeLimit: limit))
                let plan = PlanAssembler.assemble(problem, result: result, solverName: "glpk")
                benchmark.stopMeasurement()
                try SolverDay.requireValid(plan, problem)
                benchmark.measurement(.custom("objective (cents)", useScalingFactor: false), Int((plan.objective * 100).rounded()))
                benchmark.measurement(.custom("gap (ppm)", useScalingFactor: false), Int(((plan.gap ?? 1) * 1_000_000).rounded()))
                benchmark.measurement(.custom("unmet", useScalingFactor: false), plan.totals.unmet)
            }
        }
    }

    // A programme of 5 days with 200 visits a day (issue 16): a third of the visits stay
    // 1-4 nights at hotels; its target is the 1,000-visit one (within 1 % in 300 s).
    for t in tightness {
        Benchmark("solve: programme of 5 days x 200 visits, tightness \(t)", configuration: .init(
            metrics: solveMetrics, warmupIterations: 0, maxDuration: .seconds(330), maxIterations: 1)) { benchmark in
            let problem = try SolverDay.problem(visits: 1000, tightness: t, days: 5)
            benchmark.startMeasurement()
            let result = try GLPKOptimizer().optimize(problem, options: OptimizeOptions(timeLimit: 300))
            let plan = PlanAssembler.assemble(problem, result: result, solverName: "glpk")
            benchmark.stopMeasurement()
            try SolverDay.requireValid(plan, problem)
            benchmark.measurement(.custom("objective (cents)", useScalingFactor: false), Int((plan.objective * 100).rounded()))
            benchmark.measurement(.custom("gap (ppm)", useScalingFactor: false), Int(((plan.gap ?? 1) * 1_000_000).rounded()))
            benchmark.measurement(.custom("unmet", useScalingFactor: false), plan.totals.unmet)
        }
    }

    // Replanning (issue 17): a 200-visit day planned for 60 s, then the car with the most
    // transfers from 11:00 on withdrawn from 11:00, replanned with a 10 s limit.
    Benchmark("replan: 200 visits, a car withdrawn at 11:00", configuration: .init(
        metrics: solveMetrics + [.custom("changes", polarity: .prefersSmaller, useScalingFactor: false)],
        warmupIterations: 0, maxDuration: .seconds(120), maxIterations: 1)) { benchmark in
        let (problem, previous) = try SolverDay.withdrawnCar(visits: 200)
        benchmark.startMeasurement()
        let replanning = try problem.replanned(from: previous, now: 11 * 60)
        let result = try GLPKOptimizer().optimize(replanning, options: OptimizeOptions(timeLimit: 10))
        let plan = PlanAssembler.assemble(replanning, result: result, solverName: "glpk")
        benchmark.stopMeasurement()
        let outcome = PlanChecker.check(plan: plan.json, problem: problem, registry: SolverDay.registry,
                                        basis: PlanChecker.ReplanBasis(previous: previous, now: 11 * 60))
        guard outcome.isValid else { throw SolverDay.RejectedPlan(description: outcome.violations.prefix(5).map(\.description).joined(separator: "\n")) }
        benchmark.measurement(.custom("objective (cents)", useScalingFactor: false), Int((plan.objective * 100).rounded()))
        benchmark.measurement(.custom("unmet", useScalingFactor: false), plan.totals.unmet)
        benchmark.measurement(.custom("changes", useScalingFactor: false), plan.changes.count)
    }

    Benchmark("greedy: 500 visits, tightness 1.0", configuration: .init(
        metrics: solveMetrics, warmupIterations: 0, maxIterations: 3)) { benchmark in
        let problem = try SolverDay.problem(visits: 500, tightness: 1.0)
        benchmark.startMeasurement()
        let result = try GreedyOptimizer().optimize(problem, options: OptimizeOptions())
        let plan = PlanAssembler.assemble(problem, result: result, solverName: "greedy")
        benchmark.stopMeasurement()
        try SolverDay.requireValid(plan, problem)
        benchmark.measurement(.custom("objective (cents)", useScalingFactor: false), Int((plan.objective * 100).rounded()))
        benchmark.measurement(.custom("unmet", useScalingFactor: false), plan.totals.unmet)
    }
}

/// The generated days and the check every benchmark plan must pass.
enum SolverDay {
    struct RejectedPlan: Error, CustomStringConvertible {
        var description: String
    }

    static let registry: PluginRegistry = {
        do {
            return try PluginRegistry(resourceKinds: [VenuesPlugin(), TransportPlugin(), CateringPlugin(), StaffPlugin(), GiftsPlugin(), LodgingPlugin()],
                                      optimizers: [GLPKOptimizer(), GreedyOptimizer()])
        } catch {
            fatalError("built-in plugins conflict: \(error)")
        }
    }()

    static func problem(visits: Int, tightness: Double, days: Int = 1) throws -> Problem {
        let day = DayGenerator.generate(GeneratorOptions(visits: visits, seed: 2026, tightness: tightness, days: days))
        return try Problem.load(json: Array(JSONWriter.compact(day).utf8), registry: registry)
    }

    /// A generated day planned for 60 s, and the same day with the car that has the most
    /// transfers from 11:00 on withdrawn from 11:00: the day to replan and its earlier plan.
    static func withdrawnCar(visits: Int) throws -> (Problem, JSONValue) {
        let generated = DayGenerator.generate(GeneratorOptions(visits: visits, seed: 2026))
        let day = try Problem.load(generated, registry: registry)
        let first = PlanAssembler.assemble(day, result: try GLPKOptimizer().optimize(day, options: OptimizeOptions(timeLimit: 60)),
                                           solverName: "glpk")
        var uses: [String: Int] = [:]
        let view = PlanView(document: first.json.objectValue ?? JSONObject())
        for visit in day.day.visits {
            for segment in visit.segments where segment.span.start >= 11 * 60 {
                guard case .array(let pairs)? = view.segmentValue(visit.id, segment.id, "transport") else { continue }
                for pair in pairs {
                    if case .string(let car)? = pair.objectValue?["vehicle"] { uses[car, default: 0] += 1 }
                }
            }
        }
        guard let car = uses.max(by: { ($0.value, $1.key) < ($1.value, $0.key) })?.key,
              case .object(var root) = generated, case .object(var resources)? = root["resources"],
              case .array(var vehicles)? = resources["vehicles"],
              let index = vehicles.firstIndex(where: { $0.objectValue?["id"] == .string(car) }),
              case .object(var vehicle) = vehicles[index] else { throw RejectedPlan(description: "no car serves a transfer after 11:00") }
        vehicle["available"] = .array([.object(JSONObject(pairs: ["from": "00:00", "to": "11:00"]))])
        vehicles[index] = .object(vehicle)
        resources["vehicles"] = .array(vehicles)
        root["resources"] = .object(resources)
        return (try Problem.load(.object(root), registry: registry), first.json)
    }

    static func requireValid(_ plan: Plan, _ problem: Problem) throws {
        let outcome = PlanChecker.check(planJSON: Array(JSONWriter.compact(plan.json).utf8), problem: problem, registry: registry)
        guard outcome.isValid else {
            throw RejectedPlan(description: outcome.violations.prefix(5).map(\.description).joined(separator: "\n"))
        }
    }
}
