import GLPK
import GreedyOptimizer
import SchedulingCore

/// The exact optimizer: builds the day's mixed-integer program from what the
/// resource plugins declared and solves it with GLPK's branch-and-cut.
public struct GLPKOptimizer: OptimizerPlugin {
    public let name = "glpk"
    public let summary = "Exact mixed-integer programming with GLPK: proven-optimal plans, bound and gap under limits."

    /// Where to write the model before solving, if anywhere.
    public var export: (path: String, format: ModelFileFormat)?
    /// Raised by the caller (Ctrl-C) to stop the search with the best plan so far.
    public var interrupt: InterruptFlag?

    /// A deliberate fault, for tests of the failure paths (see ``Fault``); `nil` in normal use.
    public var fault: Fault?

    /// Faults a test can inject. The CLI sets one from `SCHEDULE_INJECT_FAULT`
    /// (a testing aid, README); nothing else does.
    public enum Fault: String, Sendable, CaseIterable {
        /// Hand GLPK an inconsistent model (one matrix element given twice), so that
        /// GLPK's own error path runs: its error hook in CGLPKGuard, then `GLPKError`.
        case glpkError = "glpk-error"
    }

    public init(export: (path: String, format: ModelFileFormat)? = nil, interrupt: InterruptFlag? = nil, fault: Fault? = nil) {
        self.export = export
        self.interrupt = interrupt
        self.fault = fault
    }

    public func optimize(_ problem: Problem, options: OptimizeOptions) throws -> OptimizationResult {
        let clock = ContinuousClock()
        let started = clock.now
        let formulation = Formulation(problem)
        let model = formulation.model
        // A greedy plan is the first incumbent, so a stopped search is never worse than it.
        let greedy = GreedyOptimizer.select(problem)
        let start = formulation.startValues(for: greedy, in: problem)
        var linear = GLPKOptimizer.linearProblem(model)
        if fault == .glpkError {
            // Two values for one matrix element: glp_load_matrix calls its error hook.
            linear.entries.append(linear.entries.first ?? LinearProblem.Entry(row: 0, column: 0, value: 1))
            if linear.entries.count == 1 { linear.entries.append(linear.entries[0]) }
        }
        let outcome = try GLPKSolver.solve(linear, options: SolveOptions(
            timeLimit: options.timeLimit, relativeGap: options.relativeGap, verbose: options.verbose,
            startSolution: start, interrupt: interrupt, export: export,
            progress: options.progress.map { report in
                { @Sendable p in report(SearchStatus(elapsed: p.elapsed, incumbent: p.incumbent, bound: p.bound)) }
            }))
        let seconds = GLPKOptimizer.seconds(clock.now - started)
        guard let values = outcome.values else {
            // GLPK held no integer solution when it stopped: the greedy plan (or, if it
            // did not fit the model, "everything unmet") is always valid.
            return OptimizationResult(status: .feasible, selection: start == nil ? .allUnmet(problem) : greedy,
                                      bound: outcome.bound, seconds: seconds, statistics: model.statistics)
        }
        let status: OptimizationStatus = outcome.isOptimal && outcome.termination == .finished ? .optimal : .feasible
        return OptimizationResult(status: status, selection: formulation.selection(from: values),
                                  bound: outcome.bound, seconds: seconds, statistics: model.statistics)
    }

    /// The solver-independent model in GLPK's terms.
    public static func linearProblem(_ model: LinearModel) -> LinearProblem {
        var p = LinearProblem()
        p.objectiveConstant = model.objectiveConstant
        p.columns = model.columns.map {
            LinearProblem.Column(kind: $0.kind == .binary ? .binary : .continuous, lower: $0.lower, upper: $0.upper, objective: $0.objective)
        }
        p.rows = model.rows.map { LinearProblem.Row(lower: $0.lower, upper: $0.upper) }
        p.entries = model.entries.map { LinearProblem.Entry(row: $0.row, column: $0.column, value: $0.value) }
        return p
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
