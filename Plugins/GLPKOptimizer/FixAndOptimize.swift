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

    /// Solves the model with the columns in `fixed` at their values, depth-first within
    /// `limit` seconds, from `incumbent` when it agrees with them; the whole
    /// solution found (fixed columns included), or `nil`.
    private func search(fixing fixed: [Int: Double], from incumbent: [Double], limit: Double, label: String,
                        verbose: Bool) throws -> [Double]? {
        let (sub, map) = formulation.model.fixing(fixed)
        var options = SolveOptions(timeLimit: max(0.5, limit), interrupt: interrupt)
        if fixed.allSatisfy({ abs(incumbent[$0.key] - $0.value) < 1e-6 }) { options.startSolution = map.map { incumbent[$0] } }
        options.depthFirst = true
        let outcome = try GLPKSolver.solve(GLPKOptimizer.linearProblem(sub), options: options)
        if verbose { FixAndOptimize.report("\(label): \(sub.columns.count) columns, \(outcome.termination), \(outcome.objective ?? -1)\n") }
        guard let values = outcome.values else { return nil }
        var solution = incumbent
        for (c, v) in fixed { solution[c] = v }
        for (k, j) in map.enumerated() { solution[j] = values[k] }
        return solution
    }

    /// Whether `candidate` is better than `incumbent` by more than rounding, and its
    /// counts can be given back to members (the typed model is a relaxation where
    /// one member serves several spans: such a solution would not be a plan).
    private func improves(_ candidate: [Double], on incumbent: [Double]) -> Bool {
        let a = formulation.model.objective(of: candidate), b = formulation.model.objective(of: incumbent)
        return a < b - 1e-6 * max(1, abs(b)) && formulation.decode(candidate).isExact
    }

    /// When need `j` is: its segment's span, or its visit's for a need of the whole visit.
    static func span(of j: Int, in problem: Problem) -> TimeSpan {
        let need = problem.needs[j]
        let visit = problem.day.visits[need.id.visit]
        return need.id.segment.map { visit.segments[$0].span } ?? visit.span
    }

    /// The best solution found within `budget` seconds, starting from `incumbent`.
    func improve(_ incumbent: [Double], budget: Double, verbose: Bool) throws -> [Double] {
        let clock = ContinuousClock()
        let started = clock.now
        let elapsed = { GLPKOptimizer.seconds(clock.now - started) }
        let model = formulation.model
        var best = incumbent
        let spans = problem.needs.indices.map { FixAndOptimize.span(of: $0, in: problem) }
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
                guard let candidate = try search(fixing: fixed, from: best, limit: min(left, FixAndOptimize.windowLimit),
                                                 label: "window \(window)", verbose: verbose),
                      improves(candidate, on: best) else { continue }
                best = candidate
                improvedInSweep = true
                if verbose { FixAndOptimize.report("fix-and-optimize: \(window) -> \(model.objective(of: best)) after \(elapsed()) s\n") }
            }
        }
        return best
    }
}
