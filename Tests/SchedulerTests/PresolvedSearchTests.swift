import Foundation
import GLPK
import MIPModel
@testable import GLPKOptimizer
import SchedulingCore
import Testing

/// The mid-size search: GLPK's MIP presolver first, racing the windows beside it
/// (issue 14).
@Suite("Presolved search and its race with the windows")
struct PresolvedSearchTests {
    @Test("with the presolver GLPK proves the same optimum, with its bound, in the caller's columns",
          arguments: [15, 21, 27])
    func sameOptimum(items: Int) throws {
        var options = SolveOptions()
        options.presolve = true
        options.gomoryCuts = true
        let knapsack = ConcurrentSearchTests.knapsack(items)
        let presolved = try GLPKSolver.solve(knapsack, options: options)
        let plain = try GLPKSolver.solve(knapsack)
        #expect(presolved.termination == .finished && presolved.isOptimal)
        #expect(presolved.objective == plain.objective)
        #expect(presolved.bound == presolved.objective)
        // The solution comes back in the caller's columns: it has their number, is
        // binary, fits the row and has the objective claimed.
        let values = try #require(presolved.values)
        #expect(values.count == items)
        #expect(values.allSatisfy { $0 == 0 || $0 == 1 })
        let weight = knapsack.entries.reduce(0.0) { $0 + $1.value * values[$1.column] }
        #expect(weight <= 100 + 1e-9)
        let objective = zip(knapsack.columns, values).reduce(0.0) { $0 + $1.0.objective * $1.1 }
        #expect(abs(objective - (presolved.objective ?? .nan)) < 1e-9)
    }

    @Test("a presolved search takes no start, heuristic or lazy rows: its columns are not the caller's")
    func refusesCallerColumns() {
        let knapsack = ConcurrentSearchTests.knapsack(15)
        var start = SolveOptions(startSolution: Array(repeating: 0, count: 15))
        start.presolve = true
        var heuristic = SolveOptions()
        heuristic.presolve = true
        heuristic.heuristic = { _ in nil }
        var lazy = SolveOptions()
        lazy.presolve = true
        lazy.lazyRows = { _ in [] }
        for options in [start, heuristic, lazy] {
            #expect(throws: GLPKError.self) { try GLPKSolver.solve(knapsack, options: options) }
        }
    }

    @Test("a raised flag stops a presolved search once its LP is solved, without claiming optimality")
    func interrupted() throws {
        let flag = InterruptFlag()
        flag.raise()
        var options = SolveOptions(interrupt: flag)
        options.presolve = true
        let outcome = try GLPKSolver.solve(ConcurrentSearchTests.knapsack(27), options: options)
        #expect(outcome.termination == .interrupted)
        #expect(!outcome.isOptimal)
    }

    @Test("the race ends when the search's bound reaches the best plan beside it, within rounding")
    func race() {
        let race = SearchRace()
        #expect(race.target == nil && race.bound == nil)
        race.offer(1000)
        race.offer(1200)
        #expect(race.target == 1000, "the best plan offered counts, not the last")
        #expect(!race.reach(990))
        #expect(race.bound == 990)
        #expect(!race.reach(980))
        #expect(race.bound == 990, "the best bound is kept")
        #expect(race.reach(1000 - 1e-4), "a bound within 1e-6 relative of the plan proves it")
        race.offer(900)
        #expect(race.reach(950), "a bound above the best plan proves it too")
    }

    @Test("the search's progress raises the cancel flag once its bound meets the race, and shows the best plan")
    func progressStopsTheSearch() {
        let race = SearchRace()
        race.offer(500)
        let cancel = InterruptFlag()
        let seen = LockedStatuses()
        let report: @Sendable (SearchStatus) -> Void = { seen.append($0) }
        guard let progress = GLPKOptimizer.progress(report, race: race, cancel: cancel) else {
            Issue.record("a race asks for progress")
            return
        }
        progress(SearchProgress(elapsed: 1, incumbent: 700, bound: 400))
        #expect(!cancel.isRaised)
        #expect(seen.last?.incumbent == 500, "the plan beside the search is better than the search's own")
        progress(SearchProgress(elapsed: 2, incumbent: nil, bound: 500))
        #expect(cancel.isRaised)
        #expect(seen.last?.bound == 500)
        #expect(GLPKOptimizer.progress(nil, race: nil, cancel: cancel) == nil)
    }

    @Test("waiting until a deadline returns nothing while the search runs, and its outcome once it has ended")
    func waitUntil() throws {
        let search = BackgroundSearch { cancel throws(GLPKError) in
            while !cancel.isRaised { usleep(1000) }
            var options = SolveOptions()
            options.cancel = cancel
            return try GLPKSolver.solve(ConcurrentSearchTests.knapsack(21), options: options)
        }
        let started = Date()
        let early = try search.wait(until: started.addingTimeInterval(0.2))
        #expect(early == nil)
        #expect(Date().timeIntervalSince(started) >= 0.2)
        search.stopEarly()
        let outcome = try #require(try search.wait(until: Date().addingTimeInterval(30)))
        #expect(outcome.termination == .interrupted)
    }
}

/// Statuses a progress handler received, from any thread.
private final class LockedStatuses: @unchecked Sendable {
    private let lock = NSLock()
    private var statuses: [SearchStatus] = []
    func append(_ status: SearchStatus) { lock.withLock { statuses.append(status) } }
    var last: SearchStatus? { lock.withLock { statuses.last } }
}

extension PresolvedSearchTests {
    @Test("the windows' LP-guided start is a checked plan of the model; an interrupted LP gives none")
    func lpGuidedStart() throws {
        let (problem, registry) = try ConcurrentSearchTests.largeDay()
        let formulation = TypedFormulation(problem)
        let (relaxation, values) = try #require(GLPKOptimizer().lpGuidedStart(formulation, problem, options: OptimizeOptions(timeLimit: 30)))
        #expect(values.count == formulation.model.columns.count)
        #expect(relaxation.count == formulation.model.columns.count)
        #expect(formulation.model.objective(of: relaxation) <= formulation.model.objective(of: values) + 1e-6,
                "the LP relaxation bounds every plan of the model")
        let decoded = formulation.decode(values)
        #expect(decoded.isExact, "a greedy plan gives every count back to members")
        let result = OptimizationResult(status: .feasible, selection: decoded.selection, bound: nil, seconds: 0)
        expectCheckerAccepts(PlanAssembler.assemble(problem, result: result, solverName: "glpk"), problem: problem, registry: registry)
        // An interrupted LP gives no start rather than a wrong one.
        let flag = InterruptFlag()
        flag.raise()
        #expect(GLPKOptimizer(interrupt: flag).lpGuidedStart(formulation, problem, options: OptimizeOptions()) == nil)
    }
}
