import GreedyPlanning
import SchedulingCore

/// A fast constructive optimizer: the plan of ``GreedyPlanner``. Its plans are
/// valid but not proven optimal (status `feasible`); the GLPK optimizer starts
/// from the same plan as its first incumbent.
public struct GreedyOptimizer: OptimizerPlugin {
    public let name = "greedy"
    public let summary = "Fast constructive plans: cheapest valid choice per need, most constrained needs first; no bound."

    public init() {}

    public func optimize(_ problem: Problem, options: OptimizeOptions) throws -> OptimizationResult {
        let clock = ContinuousClock()
        let started = clock.now
        let selection = GreedyPlanner.select(problem)
        let seconds = (clock.now - started).inSeconds
        return OptimizationResult(status: .feasible, selection: selection, bound: nil, seconds: seconds, stop: .constructed)
    }
}
