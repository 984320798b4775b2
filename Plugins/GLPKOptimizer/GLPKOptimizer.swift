import Foundation
import GLPK
import GreedyPlanning
import MIPModel
import SchedulingCore
import Synchronization

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

    /// Which model to build; ``FormulationChoice/typed`` unless asked otherwise.
    public var formulation: FormulationChoice = .typed

    /// The models the optimizer can build.
    public enum FormulationChoice: String, Sendable, CaseIterable {
        /// Interchangeable resources as types, time-space networks for cars and drivers.
        case typed
        /// One column per candidate, pairwise travel rows: the naive model.
        case individual
    }

    /// Faults a test can inject. The CLI sets one from `SCHEDULE_INJECT_FAULT`
    /// (a testing aid, docs/limits.md); nothing else does.
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
        switch formulation {
        case .typed: return try optimizeTyped(problem, options: options)
        case .individual: return try optimizeIndividual(problem, options: options)
        }
    }

    /// The default: one column per type of interchangeable resources (``TypedFormulation``).
    private func optimizeTyped(_ problem: Problem, options: OptimizeOptions) throws -> OptimizationResult {
        let clock = ContinuousClock()
        let started = clock.now
        let elapsed = { (clock.now - started).inSeconds }
        // A greedy plan is the first incumbent, so a stopped search is never worse than it.
        let greedy = GreedyPlanner.select(problem)
        var best = (selection: greedy, objective: PlanAssembler.objective(of: greedy, in: problem))
        var bound = -Double.infinity
        var classes = ResourceClasses(problem)
        var statistics: ModelStatistics?
        // Whether the time limit ended a search (or left no time for the next attempt).
        var timedOut = false
        // A plan is proven optimal when its objective reaches a bound: every model here is
        // a relaxation of the day (or exact), so each bound found holds for the day. With
        // the root's cuts the bound often is the optimum, and a window may find the plan
        // that reaches it before GLPK's own search does.
        let result = { (bound: Double) in
            let tolerance = 1e-6 * max(1, abs(best.objective))
            let optimal = best.objective - bound <= tolerance
            return OptimizationResult(status: optimal ? .optimal : .feasible,
                                      selection: best.selection, bound: min(bound, best.objective),
                                      seconds: elapsed(), statistics: statistics,
                                      stop: optimal ? .proven : stopReason(objective: best.objective, bound: bound,
                                                                           options: options, timedOut: timedOut))
        }
        for attempt in 0..<GLPKOptimizer.attempts {
            let formulation = TypedFormulation(problem, classes: classes)
            let model = formulation.model
            statistics = model.statistics
            let start = formulation.startValues(for: best.selection)
            // Rounding the LP: the greedy again, now preferring what the node's LP solution takes.
            let guided: @Sendable ([Double]) -> [Double]? = { lp in
                formulation.startValues(for: GreedyPlanner.select(problem, guide: formulation.guide(lp)))
            }
            // Hosts over several segments clashing in odd cycles pass every row of the
            // model: an integral solution that cannot be given to them gets a row that
            // cuts it off (GLPK's callback, GLP_IROWGEN).
            let lazyRows: @Sendable ([Double]) -> [LazyRow] = { lp in
                formulation.unplaceableSets(lp).map {
                    LazyRow(columns: $0, coefficients: Array(repeating: 1, count: $0.count), upper: Double($0.count - 1))
                }
            }
            var searchOptions = options
            searchOptions.timeLimit = options.timeLimit.map { max(1, $0 - GLPKOptimizer.reserve(of: $0, problem) - elapsed()) }
            let outcome: SolveOutcome
            var windows: [Double]?
            if attempt == 0, let incumbent = start, model.columns.count >= FixAndOptimize.minimumColumns {
                // Large days: GLPK's search seldom improves the greedy plan while its bound is
                // close, so fix-and-optimize over time windows finds the plans; the full
                // search proves how good they are.
                (outcome, windows) = try searchWithWindows(formulation, problem, from: incumbent, heuristic: guided,
                                                           lazyRows: lazyRows, options: searchOptions, verbose: options.verbose)
            } else {
                // The search style follows the model's size (``SearchStyle``).
                outcome = try solve(model, start: start, heuristic: guided, options: searchOptions,
                                    style: SearchStyle(model), lazyRows: lazyRows)
            }
            // Every model here is a relaxation of the day (or exact), so each bound holds;
            // when GLPK has none yet (the root LP unfinished), each need alone gives one.
            bound = max(bound, outcome.bound ?? -.infinity, formulation.separableBound)
            timedOut = timedOut || outcome.termination == .timeLimit
            // GLPK may stop before it holds any integer solution (a large day's root LP can
            // take the whole limit): the plan is then the best one found before or beside it.
            let solutions = [outcome.values, windows].compactMap { $0 }
            guard var values = solutions.min(by: { model.objective(of: $0) < model.objective(of: $1) }) ?? start else { break }
            var decoded = formulation.decode(values)
            // Hosts clashing in an odd cycle: the narrow rounds give them back with the rest
            // kept. At the same objective the solution is the model's, and proven with
            // its bound (60-T1.0-s1: the presolved search's optimum could not be given
            // back as it stood, and 26 s were left unused); a worse one may still be the
            // best plan.
            if !decoded.isExact {
                let given = try giveBack(values, formulation, problem, options: options, elapsed: elapsed())
                let target = model.objective(of: values)
                if let exact = given.exact, model.objective(of: exact) <= target + 1e-6 * max(1, abs(target)) {
                    (values, decoded) = (exact, formulation.decode(exact))
                } else if let (plan, objective) = given.plan, objective < best.objective {
                    best = (plan, objective)
                }
            }
            // The needs left unmet (by the search, or by members that could not be
            // placed) may still fit a free member: the greedy completes the plan
            // around what was placed, kept when better (a day may weigh unmet needs low).
            let (completed, objective) = GLPKOptimizer.better(decoded.selection,
                                                              GreedyPlanner.complete(decoded.selection, in: problem), problem)
            if decoded.isExact {
                if objective <= best.objective { best = (completed, objective) }
                return result(bound)
            }
            if objective < best.objective { best = (completed, objective) }
            // The windows' plan, when it is not the solution decoded above.
            if let windows, windows != values, case let plan = formulation.decode(windows), plan.isExact {
                let objective = PlanAssembler.objective(of: plan.selection, in: problem)
                if objective < best.objective { best = (plan.selection, objective) }
            }
            if close(objective, values, formulation) { return result(bound) }
            // Some counts could not be given to members (a host over several segments):
            // solve again with those classes as individual resources.
            let remaining = options.timeLimit.map { $0 - elapsed() } ?? .infinity
            timedOut = timedOut || remaining <= 1
            guard remaining > 1, !(interrupt?.isRaised ?? false), outcome.termination == .finished else { break }
            classes = classes.splitting(decoded.failedClasses)
        }
        return result(bound)
    }

    /// GLPK's search of the whole model and fix-and-optimize at once: the search on a
    /// thread of its own (its root LP and cuts give the bound), the windows on this
    /// one, each better window handed to the search through its heuristic callback.
    /// The windows end when the search does; with a single processor they run first,
    /// for a share of the limit, and the search after them.
    private func searchWithWindows(_ formulation: TypedFormulation, _ problem: Problem, from incumbent: [Double],
                                   heuristic guided: @escaping @Sendable ([Double]) -> [Double]?,
                                   lazyRows: @escaping @Sendable ([Double]) -> [LazyRow],
                                   options: OptimizeOptions, verbose: Bool) throws -> (SolveOutcome, [Double]) {
        var lns = FixAndOptimize(formulation: formulation, problem: problem, interrupt: interrupt)
        // A second thread needs a second processor, and a GLPK that keeps its state per thread.
        guard ProcessInfo.processInfo.activeProcessorCount > 1, GLPKSolver.isThreadSafe else {
            // `options.timeLimit` is what is left for the search: the windows take
            // their share of it, the search the rest.
            let budget = options.timeLimit.map { $0 * FixAndOptimize.share } ?? FixAndOptimize.unlimitedBudget
            let improved = try lns.improve(incumbent, budget: budget, verbose: verbose)
            var rest = options
            rest.timeLimit = options.timeLimit.map { max(1, $0 - budget) }
            return (try solve(formulation.model, start: improved, heuristic: guided, options: rest,
                              style: SearchStyle(formulation.model), lazyRows: lazyRows), improved)
        }
        let started = Date()
        let shared = SharedIncumbent()
        let lastGuided = Mutex<ContinuousClock.Instant?>(nil)
        // The first LP solution GLPK's search hands its heuristic: the root's, which the
        // windows take for their relaxation-induced neighbourhood.
        let root = Mutex<[Double]?>(nil)
        // Window plans go to GLPK as soon as it calls; the guided greedy at most every 10 s.
        let heuristic: @Sendable ([Double]) -> [Double]? = { lp in
            root.withLock { if $0 == nil { $0 = lp } }
            if let fresh = shared.takeFresh() { return fresh }
            let now = ContinuousClock.now
            let due = lastGuided.withLock { last in
                guard last.map({ now - $0 >= .seconds(GLPKOptimizer.guidedInterval) }) ?? true else { return false }
                last = now
                return true
            }
            return due ? guided(lp) : nil
        }
        let model = formulation.model
        // Mid-size models: GLPK's MIP presolver first, as glpsol runs it. The presolved
        // search cannot take the windows' plans (its columns are not the model's), so it
        // races them: it ends when its bound reaches their best plan. On fifteen
        // generated 60-visit days (30 s, Benchmarks/compare.py) it proved 6 against 1;
        // 40-visit days all proven, none over 30 s (BENCHMARKS.md).
        let style = SearchStyle(model)
        var start = incumbent
        var startObjective = model.objective(of: incumbent)
        lns.relaxation = { root.withLock { $0 } }
        if style == .proof, let (relaxation, guided) = lpGuidedStart(formulation, problem, options: options) {
            lns.relaxation = { relaxation }
            if case let objective = model.objective(of: guided), objective < startObjective - 1e-6 * max(1, abs(startObjective)) {
                if verbose { FixAndOptimize.report("LP-guided greedy: \(objective) against \(startObjective)\n") }
                (start, startObjective) = (guided, objective)
            }
        }
        let race = SearchRace()
        race.offer(startObjective)
        let search = BackgroundSearch { [self] (cancel: InterruptFlag) throws(GLPKError) -> SolveOutcome in
            if style == .proof {
                return try solve(model, start: nil, heuristic: nil, options: options, cancel: cancel,
                                 style: style, presolve: true, race: race)
            }
            // Its root LP in one run: chunks that let a flag in restart GLPK's pricing (four
            // times the iterations at 200 visits), and the windows' plan is written
            // without this thread when it is still in its LP at the end.
            return try solve(model, start: incumbent, heuristic: heuristic, options: options, heuristicInterval: 1, cancel: cancel,
                             style: style, lazyRows: lazyRows, checksLP: false)
        }
        lns.shouldStop = { search.isFinished }
        lns.cancel = search.ended
        // GLPK takes an offered solution only if its integer columns are exactly integral.
        let integral = model.columns.map { $0.kind != .continuous }
        lns.onImprovement = { values in
            race.offer(model.objective(of: values))
            // Only the unpresolved search takes the windows' plans.
            guard style != .proof else { return }
            shared.post(values.indices.map { integral[$0] ? values[$0].rounded() : values[$0] })
        }
        let improved: [Double]
        do {
            // The LP-guided start took part of the limit (seconds at 100 visits): the
            // windows have what is left of it.
            let budget = options.timeLimit.map { $0 - Date().timeIntervalSince(started) } ?? FixAndOptimize.unlimitedBudget
            improved = try lns.improve(start, budget: budget, verbose: verbose)
        } catch {
            // The search must not outlive this call: stop it, then report the windows' error.
            search.stopEarly()
            _ = try? search.wait()
            throw error
        }
        // A presolved search may still be in its LP relaxation, where no flag is seen:
        // after Ctrl-C or the time limit it gets one more second, then the plan is
        // written without it (its thread ends on its own, and what it finds is dropped).
        let stopped = (interrupt?.isRaised ?? false) ? Date() : options.timeLimit.map { started.addingTimeInterval($0) }
        guard let deadline = stopped?.addingTimeInterval(1) else { return (try search.wait(), improved) }
        if let outcome = try search.wait(until: deadline) { return (outcome, improved) }
        search.stopEarly()
        let termination: Termination = (interrupt?.isRaised ?? false) ? .interrupted : .timeLimit
        return (SolveOutcome(termination: termination, values: nil, objective: nil, bound: race.bound,
                             isOptimal: false, seconds: Date().timeIntervalSince(started)), improved)
    }

    /// What the narrow rounds (``FixAndOptimize/giveBack(_:fixed:free:limit:label:verbose:)``)
    /// make of a whole-model solution that cannot be given to people: the best of their
    /// solutions that can (`exact`), and the best plan among all of them, each with the
    /// needs it could not give back unmet and then completed by the greedy (`plan`,
    /// with its objective as the plan states it). Nothing when no time is left. At
    /// most ``giveBackLimit`` seconds.
    func giveBack(_ values: [Double], _ formulation: TypedFormulation, _ problem: Problem,
                  options: OptimizeOptions, elapsed: Double) throws -> (exact: [Double]?, plan: (Selection, Double)?) {
        let left = options.timeLimit.map { $0 - GLPKOptimizer.reserve(of: $0, problem) - elapsed } ?? GLPKOptimizer.giveBackLimit
        guard left > 0.5, !(interrupt?.isRaised ?? false) else { return (nil, nil) }
        let lns = FixAndOptimize(formulation: formulation, problem: problem, interrupt: interrupt)
        let model = formulation.model
        let rounds = try lns.giveBack(values, fixed: [:], free: Array(model.columns.indices),
                                      limit: min(left, GLPKOptimizer.giveBackLimit), label: "giving back the search's plan",
                                      verbose: options.verbose)
        let decoded = rounds.map { formulation.decode($0) }
        let exact = zip(rounds, decoded).filter { $0.1.isExact }.map(\.0).min { model.objective(of: $0) < model.objective(of: $1) }
        let plans = decoded.map { GLPKOptimizer.better($0.selection, GreedyPlanner.complete($0.selection, in: problem), problem) }
        return (exact, plans.min { $0.1 < $1.1 })
    }

    /// Seconds the narrow rounds may take to give back a whole-model solution.
    static let giveBackLimit = 5.0

    /// The greedy plan guided by the model's LP relaxation (``TypedFormulation/guide(_:)``),
    /// as model values, or `nil` when the LP was not solved. The presolved search
    /// cannot run this rounding in its callback (its LP is not the model's), so the
    /// windows start from it when it beats the plain greedy.
    func lpGuidedStart(_ formulation: TypedFormulation, _ problem: Problem,
                       options: OptimizeOptions) -> (relaxation: [Double], start: [Double])? {
        var relaxation = GLPKOptimizer.linearProblem(formulation.model)
        for k in relaxation.columns.indices { relaxation.columns[k].kind = .continuous }
        let solveOptions = SolveOptions(timeLimit: options.timeLimit, interrupt: interrupt)
        guard let outcome = try? GLPKSolver.solve(relaxation, options: solveOptions), let values = outcome.values else {
            return nil
        }
        return formulation.startValues(for: GreedyPlanner.select(problem, guide: formulation.guide(values))).map { (values, $0) }
    }

    /// How GLPK's search of a whole model runs, by the model's size.
    enum SearchStyle: Equatable {
        /// As `glpsol --cuts`: Gomory, MIR, cover and clique cuts at the root and
        /// GLPK's default branching (Driebeck and Tomlin), which proves mid-size days
        /// fastest (Benchmarks/compare.py).
        case proof
        /// Without Gomory's cuts, branching on the most fractional column: GLPK's
        /// default branching evaluates a tableau row per fractional column, which at
        /// 200 visits took 88 s for one branching, past any limit and deaf to Ctrl-C.
        case large

        /// Models with at least this many columns are searched in the ``large`` style.
        static let largeColumns = 20_000

        init(_ model: LinearModel) {
            self = model.columns.count >= SearchStyle.largeColumns ? .large : .proof
        }
    }

    /// Why a search that did not prove its plan ended: Ctrl-C, a reached gap, the
    /// time limit (or its reserve), else the attempts ran out.
    private func stopReason(objective: Double, bound: Double, options: OptimizeOptions, timedOut: Bool) -> StopReason {
        if interrupt?.isRaised ?? false { return .interrupted }
        if let wanted = options.relativeGap, objective - bound <= wanted * max(1, abs(objective)) { return .gapLimit }
        return timedOut ? .timeLimit : .exhausted
    }

    /// Seconds of a time limit kept for after the search: giving members back,
    /// completing and assembling the plan, which grow with the needs (measured at
    /// 1000 visits: about 9 s after the search and 13 s outside the optimizer). At
    /// most a tenth of the limit (200 visits ran 16 s past a 60 s limit before any
    /// was kept), at least 3 s.
    static func reserve(of limit: Double, _ problem: Problem) -> Double {
        min(limit * 0.1, max(3, Double(problem.needs.count) * 0.005))
    }

    /// Seconds between two runs of the LP-guided greedy inside GLPK's search.
    static let guidedInterval: Int64 = 10

    /// Whether a plan's objective equals the model solution's: nothing was lost giving it back.
    private func close(_ objective: Double, _ values: [Double], _ formulation: TypedFormulation) -> Bool {
        let target = formulation.model.objective(of: values)
        return objective <= target + 1e-6 * max(1, abs(target))
    }

    /// Solves at most this many models, each splitting the classes the last could not give back.
    static let attempts = 4

    /// One column per candidate and pairwise travel rows (``Formulation``): the naive
    /// model, kept for comparison and for the conformance kit's declared rows.
    private func optimizeIndividual(_ problem: Problem, options: OptimizeOptions) throws -> OptimizationResult {
        let clock = ContinuousClock()
        let started = clock.now
        let formulation = Formulation(problem)
        let model = formulation.model
        let greedy = GreedyPlanner.select(problem)
        let start = formulation.startValues(for: greedy, in: problem)
        let outcome = try solve(model, start: start, heuristic: nil, options: options)
        let seconds = (clock.now - started).inSeconds
        guard let values = outcome.values else {
            // GLPK held no integer solution when it stopped: the greedy plan (or, if it
            // did not fit the model, "everything unmet") is always valid.
            return OptimizationResult(status: .feasible, selection: start == nil ? .allUnmet(problem) : greedy,
                                      bound: outcome.bound, seconds: seconds, statistics: model.statistics,
                                      stop: GLPKOptimizer.stopReason(outcome.termination))
        }
        let status: OptimizationStatus = outcome.isOptimal && outcome.termination == .finished ? .optimal : .feasible
        return OptimizationResult(status: status, selection: formulation.selection(from: values),
                                  bound: outcome.bound, seconds: seconds, statistics: model.statistics,
                                  stop: status == .optimal ? .proven : GLPKOptimizer.stopReason(outcome.termination))
    }

    /// Why one GLPK search ended, as a plan's stop reason.
    static func stopReason(_ termination: Termination) -> StopReason {
        switch termination {
        case .finished, .infeasible: return .exhausted
        case .timeLimit: return .timeLimit
        case .gapLimit: return .gapLimit
        case .interrupted: return .interrupted
        }
    }

    private func solve(_ model: LinearModel, start: [Double]?, heuristic: (@Sendable ([Double]) -> [Double]?)?,
                       options: OptimizeOptions, heuristicInterval: Double? = nil,
                       cancel: InterruptFlag? = nil, style: SearchStyle = .proof,
                       lazyRows: (@Sendable ([Double]) -> [LazyRow])? = nil, presolve: Bool = false,
                       race: SearchRace? = nil, checksLP: Bool = true) throws(GLPKError) -> SolveOutcome {
        var linear = GLPKOptimizer.linearProblem(model)
        if fault == .glpkError {
            // Two values for one matrix element: glp_load_matrix calls its error hook.
            linear.entries.append(linear.entries.first ?? LinearProblem.Entry(row: 0, column: 0, value: 1))
            if linear.entries.count == 1 { linear.entries.append(linear.entries[0]) }
        }
        var solveOptions = SolveOptions(
            timeLimit: options.timeLimit, relativeGap: options.relativeGap, verbose: options.verbose,
            startSolution: start, interrupt: interrupt, export: export,
            progress: GLPKOptimizer.progress(options.progress, race: race, cancel: cancel))
        solveOptions.heuristic = heuristic
        if let heuristicInterval { solveOptions.heuristicInterval = heuristicInterval }
        solveOptions.cancel = cancel
        solveOptions.mostFractional = style == .large
        solveOptions.gomoryCuts = style == .proof
        solveOptions.lazyRows = lazyRows
        solveOptions.presolve = presolve
        if !checksLP { solveOptions.lpCheckInterval = nil }
        return try GLPKSolver.solve(linear, options: solveOptions)
    }

    /// What the search reports while it runs: the caller's progress line, with the
    /// best plan found beside the search when there is a ``SearchRace``; and the race's
    /// end: once the search's bound reaches that plan, `cancel` stops the search.
    static func progress(_ report: (@Sendable (SearchStatus) -> Void)?, race: SearchRace?,
                         cancel: InterruptFlag?) -> (@Sendable (SearchProgress) -> Void)? {
        guard report != nil || race != nil else { return nil }
        return { p in
            if let race, let bound = p.bound, race.reach(bound) { cancel?.raise() }
            let incumbent = [p.incumbent, race?.target].compactMap { $0 }.min()
            report?(SearchStatus(elapsed: p.elapsed, incumbent: incumbent, bound: p.bound))
        }
    }

    /// The better of two selections with its objective as the plan will state it
    /// (``PlanAssembler/objective(of:in:)``); the first when they tie.
    static func better(_ first: Selection, _ second: Selection, _ problem: Problem) -> (Selection, Double) {
        let a = PlanAssembler.objective(of: first, in: problem)
        guard second != first else { return (first, a) }
        let b = PlanAssembler.objective(of: second, in: problem)
        return b < a ? (second, b) : (first, a)
    }

    public static func linearProblem(_ model: LinearModel) -> LinearProblem {
        var p = LinearProblem()
        p.objectiveConstant = model.objectiveConstant
        p.columns = model.columns.map {
            LinearProblem.Column(kind: GLPKOptimizer.kind($0.kind), lower: $0.lower, upper: $0.upper, objective: $0.objective)
        }
        p.rows = model.rows.map { LinearProblem.Row(lower: $0.lower, upper: $0.upper) }
        p.entries = model.entries.map { LinearProblem.Entry(row: $0.row, column: $0.column, value: $0.value) }
        return p
    }

    static func kind(_ kind: LinearModel.ColumnKind) -> LinearProblem.ColumnKind {
        switch kind {
        case .binary: return .binary
        case .integer: return .integer
        case .continuous: return .continuous
        }
    }
}
