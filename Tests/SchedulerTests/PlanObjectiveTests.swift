import DayGenerator
import GreedyOptimizer
import GreedyPlanning
import SchedulingCore
import Testing

/// Optimizers weigh selections by `PlanAssembler.objective(of:in:)` instead of
/// assembling plans; it must be the objective the plan states, to the bit.
@Suite("A selection's objective")
struct PlanObjectiveTests {
    @Test("equals the assembled plan's objective bit for bit: nothing met, the greedy plan, half of it")
    func sameAsThePlan() throws {
        let registry = try makeRegistry()
        for (visits, seed, tightness) in [(6, UInt64(11), 1.4), (12, 3, 1.0), (30, 7, 1.3)] {
            let day = DayGenerator.generate(GeneratorOptions(visits: visits, seed: seed, tightness: tightness))
            let problem = try Problem.load(day, registry: registry)
            let greedy = GreedyPlanner.select(problem)
            var half = greedy
            for j in half.chosen.indices where j % 2 == 1 && !problem.needs[j].isTrivial { half.chosen[j] = nil }
            for selection in [Selection.allUnmet(problem), greedy, half] {
                let plan = PlanAssembler.assemble(problem, result: OptimizationResult(status: .feasible, selection: selection,
                                                                                      bound: nil, seconds: 0), solverName: "test")
                let objective = PlanAssembler.objective(of: selection, in: problem)
                #expect(objective.bitPattern == plan.objective.bitPattern,
                        "\(visits) visits, seed \(seed): \(objective) vs the plan's \(plan.objective)")
            }
        }
    }
}
