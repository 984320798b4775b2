#if canImport(Glibc)
import Glibc
#endif
import GLPK
import SchedulingCore

/// Improves a feasible solution of the typed model over rolling time windows:
/// the needs of one window are free, every other need keeps its incumbent
/// choice, and GLPK solves the small model that is left (cars and drivers
/// re-route freely). A window's solution is kept when it is better. Each
/// window's model is a fraction of the day's, which GLPK handles where the
/// whole day's branch and bound does not get past its first nodes.
struct FixAndOptimize {
    let formulation: TypedFormulation
    let problem: Problem
    let interrupt: InterruptFlag?

    /// Smaller models go straight to the full search.
    static let minimumColumns = 3000
    /// Share of a time limit spent here.
    static let share = 0.6
    /// Seconds spent here when there is no time limit.
    static let unlimitedBudget = 30.0
    /// Window length and step, minutes.
    static let window = 150
    static let step = 75
    /// Free columns past which a window also fixes the routes away from it.
    static let largeWindow = 8000
    /// Minutes around an unmet need that its window frees.
    static let margin = 60
    /// Seconds per window at most.
    static let windowLimit = 4.0

    private static func report(_ line: String) {
        _ = line.withCString { write(2, $0, strlen($0)) }
    }

    /// The best solution found within `budget` seconds, starting from `incumbent`.
    func improve(_ incumbent: [Double], budget: Double, verbose: Bool) throws -> [Double] {
        let clock = ContinuousClock()
        let started = clock.now
        let elapsed = { GLPKOptimizer.seconds(clock.now - started) }
        let model = formulation.model
        var best = incumbent
        var bestObjective = model.objective(of: best)
        let spans = problem.needs.map { need -> TimeSpan in
            let visit = problem.day.visits[need.id.visit]
            return need.id.segment.map { visit.segments[$0].span } ?? visit.span
        }
        guard let first = spans.map(\.start).min(), let last = spans.map(\.end).max() else { return incumbent }
        var windows: [TimeSpan] = []
        var t = first
        while t < last {
            windows.append(TimeSpan(t, min(last, t + FixAndOptimize.window)))
            t += FixAndOptimize.step
        }
        // Each need's columns and classes, looked up in every window below.
        let needColumns = problem.needs.indices.map { formulation.columns(ofNeed: $0) }
        let needClasses = problem.needs.indices.map { formulation.classes(ofNeed: $0) }
        var improvedInSweep = true
        while improvedInSweep {
            improvedInSweep = false
            // Windows around the needs the incumbent leaves unmet come first: that is
            // where the most can be won.
            // Each frees the needs that compete for its resource classes around it.
            var focus: [(window: TimeSpan, classes: Set<Int>?)] = []
            for (j, u) in formulation.unmetColumns.enumerated() {
                guard let u, best[u] > 0.5 else { continue }
                let span = TimeSpan(spans[j].start - FixAndOptimize.margin, spans[j].end + FixAndOptimize.margin)
                focus.append((span, needClasses[j]))
            }
            for (window, competing) in focus + windows.map({ ($0, nil as Set<Int>?) }) {
                let left = budget - elapsed()
                guard left > 0.5, !(interrupt?.isRaised ?? false) else { return best }
                var free = Set<Int>()
                for (j, span) in spans.enumerated() where span.start < window.end && window.start < span.end {
                    if let competing, competing.isDisjoint(with: needClasses[j]) { continue }
                    free.formUnion(needColumns[j])
                }
                guard !free.isEmpty else { continue }
                var fixed: [Int: Double] = [:]
                for j in problem.needs.indices {
                    for c in needColumns[j] where !free.contains(c) { fixed[c] = best[c].rounded() }
                }
                // Cars and drivers of other classes keep their routes; when the model left
                // is still large, those of the competing classes keep theirs away from the
                // window too (measured: 100 visits solve best without that restriction,
                // 500-visit windows of 17K columns find nothing in their time).
                if let competing {
                    for k in formulation.classes.members.indices where !competing.contains(k) {
                        for c in formulation.networkColumns(ofClass: k) { fixed[c] = best[c] }
                    }
                }
                if model.columns.count - fixed.count > FixAndOptimize.largeWindow {
                    let reach = TimeSpan(window.start - FixAndOptimize.margin, window.end + FixAndOptimize.margin)
                    for k in formulation.classes.members.indices {
                        for c in formulation.networkColumns(ofClass: k, outside: reach) { fixed[c] = best[c] }
                    }
                }
                let (sub, map) = model.fixing(fixed)
                var options = SolveOptions(timeLimit: min(left, FixAndOptimize.windowLimit), interrupt: interrupt)
                options.startSolution = map.map { best[$0] }
                options.depthFirst = true
                let outcome = try GLPKSolver.solve(GLPKOptimizer.linearProblem(sub), options: options)
                if verbose { FixAndOptimize.report("window \(window): \(sub.columns.count) columns, \(outcome.termination), \(outcome.objective ?? -1)\n") }
                guard let values = outcome.values else { continue }
                var candidate = best
                for (k, j) in map.enumerated() { candidate[j] = values[k] }
                let objective = model.objective(of: candidate)
                if objective < bestObjective - 1e-6 * max(1, abs(bestObjective)) {
                    best = candidate
                    bestObjective = objective
                    improvedInSweep = true
                    if verbose { FixAndOptimize.report("fix-and-optimize: \(window) -> \(objective) after \(elapsed()) s\n") }
                }
            }
        }
        return best
    }
}
