import SchedulingCore
import Testing

/// The shared example days (`../shared/examples`), whose optimal objectives
/// were proven by two independent exact models (`expected.json`).
@Suite("ExampleTests", .requiresSharedExamples)
struct ExampleTests {
    @Test("example day reaches the proven optimum", arguments: ["small-day.json", "busy-day.json", "tight-day.json"])
    func exampleReachesProvenOptimum(_ file: String) throws {
        let expectedBytes = try #require(readFileBytes(try sharedExamplePath("expected.json")), "cannot read expected.json")
        let expected = try JSONParser.parse(expectedBytes).value
        let entry = try #require(expected[file], "expected.json has no entry for \(file)")
        let objective = try #require(entry["objective"]?.number, "expected.json has no objective for \(file)")

        let dayBytes = try #require(readFileBytes(try sharedExamplePath(file)), "cannot read \(file)")
        let (problem, plan) = try solve(String(decoding: dayBytes, as: UTF8.self))

        #expect(plan.status == .optimal, "\(file): status \(plan.status.rawValue)")
        #expect(close(plan.objective, objective),
                "\(file): objective \(plan.objective), expected \(objective) (difference \(plan.objective - objective))")
        if let bound = plan.bound {
            #expect(bound <= plan.objective + 1e-9, "\(file): bound \(bound) above objective \(plan.objective)")
            #expect(plan.objective - bound <= 1e-6 * max(1, abs(plan.objective)), "\(file): optimal but gap to bound \(bound)")
        }
        // The declared totals add up to the objective (§5).
        let w = problem.day.policy.weights
        let t = plan.totals
        #expect(close(t.cost, t.byCategory.reduce(0) { $0 + $1.amount }), "\(file): totals.cost is not the sum of byCategory")
        let recomputed = t.cost + w.overGrade * t.overGrade + w.overrun * (t.overrun + t.dayOverrun) + w.unmet * Double(t.unmet)
        #expect(close(recomputed, plan.objective), "\(file): totals give \(recomputed), objective \(plan.objective)")
    }
}
