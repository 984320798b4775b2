#if canImport(Glibc)
import Glibc
#endif
import DayGenerator
import GLPK
@testable import GLPKOptimizer
import GreedyOptimizer
import GreedyPlanning
import MIPModel
import SchedulingCore
import Synchronization
import Testing

/// GLPK's search on a thread of its own beside fix-and-optimize: two solves at
/// once, stopping one, handing it solutions.
@Suite("Search beside the windows")
struct ConcurrentSearchTests {
    /// A knapsack that needs branching: `n` items with odd weights, capacity 100.
    static func knapsack(_ n: Int, shift: Int = 0) -> LinearProblem {
        var p = LinearProblem()
        p.columns = (0..<n).map { LinearProblem.Column(kind: .binary, objective: -Double(17 + 2 * $0 + shift)) }
        p.rows = [LinearProblem.Row(upper: 100)]
        p.entries = (0..<n).map { .init(row: 0, column: $0, value: Double(13 + 2 * $0)) }
        return p
    }

    @Test("a raised cancel flag stops the search like the interrupt does")
    func cancel() throws {
        let flag = InterruptFlag()
        flag.raise()
        var options = SolveOptions()
        options.cancel = flag
        let outcome = try GLPKSolver.solve(Self.knapsack(21), options: options)
        #expect(outcome.termination == .interrupted)
        #expect(!outcome.isOptimal)
    }

    @Test("Debian's GLPK keeps its state per thread, which the search beside the windows needs")
    func threadSafe() {
        #expect(GLPKSolver.isThreadSafe)
    }

    @Test("a solve on a thread of its own and one on this thread at once give what each gives alone")
    func twoAtOnce() throws {
        let (a, b) = (Self.knapsack(21), Self.knapsack(19, shift: 3))
        let aloneA = try GLPKSolver.solve(a), aloneB = try GLPKSolver.solve(b)
        for _ in 0..<5 {
            let search = BackgroundSearch { _ throws(GLPKError) in try GLPKSolver.solve(a) }
            let here = try GLPKSolver.solve(b)
            let there = try search.wait()
            #expect(search.isFinished && search.ended.isRaised)
            #expect(there.objective == aloneA.objective && there.termination == .finished)
            #expect(here.objective == aloneB.objective && here.termination == .finished)
        }
    }

    @Test("stopping a search on its thread ends it interrupted, and wait returns")
    func stopEarly() throws {
        let search = BackgroundSearch { cancel throws(GLPKError) in
            // Starts only once asked to stop, so the flag is raised before GLPK's first callback.
            while !cancel.isRaised { usleep(1000) }
            var options = SolveOptions()
            options.cancel = cancel
            return try GLPKSolver.solve(Self.knapsack(21), options: options)
        }
        #expect(!search.isFinished && !search.ended.isRaised)
        search.stopEarly()
        let outcome = try search.wait()
        #expect(outcome.termination == .interrupted)
        #expect(search.isFinished)
    }

    @Test("branching on the most fractional column proves the same optimum as GLPK's default rule")
    func mostFractional() throws {
        for n in [15, 21] {
            var options = SolveOptions()
            options.mostFractional = true
            let cheap = try GLPKSolver.solve(Self.knapsack(n), options: options)
            let usual = try GLPKSolver.solve(Self.knapsack(n))
            #expect(cheap.termination == .finished && cheap.isOptimal)
            #expect(cheap.objective == usual.objective)
        }
    }

    @Test("lazy rows: GLPK adds the rows a node's solution breaks and keeps to them")
    func lazyRows() throws {
        // Maximise x0 + x1 + x2 over binaries, no rows; the lazy row x0 + x1 + x2 <= 2
        // comes only from the callback.
        var p = LinearProblem()
        p.columns = (0..<3).map { _ in LinearProblem.Column(kind: .binary, objective: -1) }
        let calls = Mutex(0)
        var options = SolveOptions()
        options.lazyRows = { lp in
            calls.withLock { $0 += 1 }
            guard lp.reduce(0, +) > 2 + 1e-9 else { return [] }
            return [LazyRow(columns: [0, 1, 2], coefficients: [1, 1, 1], upper: 2)]
        }
        let outcome = try GLPKSolver.solve(p, options: options)
        #expect(outcome.termination == .finished)
        #expect(outcome.objective == -2)
        #expect(calls.withLock { $0 } >= 2, "once to add the row, again after the LP is solved with it")
        let plain = try GLPKSolver.solve(p)
        #expect(plain.objective == -3)
    }

    @Test("a posted solution is taken once, the latest one")
    func shared() {
        let shared = SharedIncumbent()
        #expect(shared.takeFresh() == nil)
        shared.post([1, 0])
        shared.post([0, 1])
        #expect(shared.takeFresh() == [0, 1])
        #expect(shared.takeFresh() == nil)
    }

    /// A generated day whose model is large enough for the windows (and the search beside them).
    static func largeDay() throws -> (Problem, PluginRegistry) {
        let registry = try makeRegistry()
        let day = DayGenerator.generate(GeneratorOptions(visits: 36, seed: 2026, tightness: 1.4))
        let problem = try Problem.load(day, registry: registry)
        return (problem, registry)
    }

    @Test("a large day through the search and the windows at once: a checked plan, no worse than the greedy, under its bound",
          arguments: [false, true])
    func endToEnd(interrupted: Bool) throws {
        let (problem, registry) = try Self.largeDay()
        #expect(TypedFormulation(problem).model.columns.count >= FixAndOptimize.minimumColumns)
        let flag = InterruptFlag()
        if interrupted { flag.raise() }
        let result = try GLPKOptimizer(interrupt: flag).optimize(problem, options: OptimizeOptions(timeLimit: 8))
        let plan = PlanAssembler.assemble(problem, result: result, solverName: "glpk")
        let greedy = PlanAssembler.objective(of: GreedyPlanner.select(problem), in: problem)
        #expect(plan.objective <= greedy + 1e-6)
        if !interrupted { #expect(plan.objective < greedy, "the greedy plan of this day has room") }
        let bound = try #require(plan.bound)
        #expect(bound <= plan.objective + 1e-6 * plan.objective)
        if interrupted { #expect(plan.status == .feasible) }
        expectCheckerAccepts(plan, problem: problem, registry: registry)
    }
}
