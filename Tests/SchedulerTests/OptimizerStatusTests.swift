import DayGenerator
import GLPK
import GLPKOptimizer
import GreedyOptimizer
import SchedulingCore
import Testing

/// Why the search stopped is reported apart from the plan it holds: a stopped
/// search never claims optimality, and its plan is still valid.
@Suite("Optimizer status")
struct OptimizerStatusTests {
    @Test("an interrupted search returns a valid plan with status feasible, never optimal",
          .requiresSharedExamples)
    func interruptedIsFeasible() throws {
        let bytes = try #require(readFileBytes(try sharedExamplePath("tight-day.json")))
        let registry = try makeRegistry()
        let problem = try Problem.load(json: bytes, registry: registry)
        let flag = InterruptFlag()
        flag.raise()
        let result = try GLPKOptimizer(interrupt: flag).optimize(problem, options: OptimizeOptions())
        #expect(result.status == .feasible)
        #expect(result.stop == .interrupted)
        let plan = PlanAssembler.assemble(problem, result: result, solverName: "glpk")
        #expect(plan.status == .feasible)
        if let bound = plan.bound { #expect(bound <= plan.objective) }
        expectCheckerAccepts(plan, problem: problem, registry: registry)
    }

    @Test("why each optimizer ended: a proof, the time limit, a constructed plan")
    func stopReasons() throws {
        let registry = try makeRegistry()
        let problem = try Problem.load(DayGenerator.generate(GeneratorOptions(visits: 8, seed: 3, tightness: 1.0)), registry: registry)
        let proven = try GLPKOptimizer().optimize(problem, options: OptimizeOptions())
        #expect(proven.status == .optimal && proven.stop == .proven)
        let greedy = try GreedyOptimizer().optimize(problem, options: OptimizeOptions())
        #expect(greedy.stop == .constructed)
        // A gap of 100 % is reached by the first plan with a bound.
        let gapped = try GLPKOptimizer().optimize(problem, options: OptimizeOptions(relativeGap: 0.999))
        #expect(gapped.stop == (gapped.status == .optimal ? .proven : .gapLimit))
    }

    @Test("a day where nothing can be met still gets its plan, with every need unmet")
    func nothingMeetable() throws {
        var day = DayBuilder()
        day.visits = [.object(JSONObject(pairs: [
            "id": "V-1", "tier": "low", "guests": 2, "escorts": 0, "host": "S-1",
            "segments": [["id": "talks", "start": "10:00", "end": "11:00", "location": "HQ", "needs": ["venue": [:]]]],
        ]))]
        day.staff = [.object(JSONObject(pairs: ["id": "S-1", "rank": "staff", "department": "Sales", "available": []]))]
        let (_, plan) = try solve(day)
        #expect(plan.status == .optimal)
        #expect(plan.totals.unmet == 2)
        #expect(plan.unmet.map(\.need).sorted() == ["host", "venue"])
    }
}
