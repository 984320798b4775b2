#if canImport(Glibc)
import Glibc
#endif
import GLPK
import GreedyPlanning
import MIPModel
import SchedulingCore

/// Improves a feasible solution of the typed model over rolling time windows:
/// the needs of one window are free, every other need keeps its incumbent
/// choice, and GLPK solves the small model that is left (cars and drivers
/// re-route freely, or near the window on busy days). A window's solution is
/// kept when it is better. Each window's model is a fraction of the day's, which
/// GLPK handles where the whole day's branch and bound does not get past its
/// first nodes; windows shrink on busy hours to stay that way.
struct FixAndOptimize {
    let formulation: TypedFormulation
    let problem: Problem
    let interrupt: InterruptFlag?
    /// Free columns a window aims at (see ``defaultTargetColumns``).
    var targetColumns = FixAndOptimize.defaultTargetColumns
    /// Ends the windows early when it returns `true` (the full search beside them has ended).
    var shouldStop: (@Sendable () -> Bool)?
    /// Ends a window's search at its next callback when raised (the full search beside has ended).
    var cancel: InterruptFlag?
    /// Told each better solution, as soon as it is found.
    var onImprovement: (@Sendable ([Double]) -> Void)?
    /// Told each window before it is searched.
    var onWindow: ((Window) -> Void)?
    /// The model's LP relaxation, once solved (read at the start of each round): each
    /// round of windows starts with the neighbourhood it induces
    /// (``relaxationInduced(by:around:)``).
    var relaxation: (@Sendable () -> [Double]?)?
    /// Each need's span, columns and classes, looked up by every window.
    private let needSpans: [TimeSpan]
    private let needColumns: [[Int]]
    private let needClasses: [Set<Int>]

    init(formulation: TypedFormulation, problem: Problem, interrupt: InterruptFlag?) {
        self.formulation = formulation
        self.problem = problem
        self.interrupt = interrupt
        needSpans = problem.needs.indices.map { FixAndOptimize.span(of: $0, in: problem) }
        needColumns = problem.needs.indices.map { formulation.columns(ofNeed: $0) }
        needClasses = problem.needs.indices.map { formulation.classes(ofNeed: $0) }
        kindGroups = FixAndOptimize.kindGroups(formulation, needClasses)
    }

    /// The classes by kind of resource, kinds joined when one need takes from both
    /// (vehicles with drivers); see ``split(_:)``.
    let kindGroups: [Set<Int>]

    private static func kindGroups(_ formulation: TypedFormulation, _ needClasses: [Set<Int>]) -> [Set<Int>] {
        let members = formulation.classes.members
        var root: [String: String] = [:]
        func find(_ kind: String) -> String {
            var k = kind
            while let r = root[k], r != k { k = r }
            return k
        }
        for k in members.indices { if let kind = members[k].first?.kind, root[kind] == nil { root[kind] = kind } }
        for classes in needClasses {
            let kinds = classes.compactMap { members[$0].first.map { find($0.kind) } }
            guard let first = kinds.min() else { continue }
            for kind in kinds where kind != first { root[kind] = first }
        }
        var groups: [String: Set<Int>] = [:]
        for k in members.indices { if let kind = members[k].first?.kind { groups[find(kind), default: []].insert(k) } }
        return groups.keys.sorted().compactMap { groups[$0] }
    }

    /// Smaller models go straight to the full search.
    static let minimumColumns = 3000
    /// Share of a time limit spent here.
    static let share = 0.6
    /// Seconds spent here when there is no time limit.
    static let unlimitedBudget = 30.0
    /// Window lengths tried, longest first, minutes; each window steps on by half its length.
    static let lengths = [150, 90, 45]
    /// Minutes around an unmet need that its window frees, widest first.
    static let margins = [60, 30, 0]
    /// Minutes around a window in which cars and drivers may re-route when routes
    /// elsewhere are fixed.
    static let reach = 60
    /// Free columns a window aims at: it shrinks (routes fixed away from it, then a
    /// shorter span) until it has at most this many. Measured at 500 visits: windows
    /// of 9 to 11 K free columns often ended their 4 s without even the LP solved
    /// (35 and 93 unmet needs in two runs); sized to 6,000 or 8,000, 17 to 20 unmet in
    /// four runs. At 100 visits 6,000 cut the sweep's windows to 45 minutes and ended
    /// 1.83 % from the bound; 8,000 keeps them at 150 minutes: 0.27 %.
    static let defaultTargetColumns = 8000
    /// Seconds per window at most.
    static let windowLimit = 4.0
    /// Seconds for the relaxation-induced neighbourhood at most. It is solved as GLPK
    /// proves (best bound first, Gomory's cuts), since the LP it comes from is tight:
    /// on the tight 60-visit days its 3.5 to 4 K columns were solved to the end in
    /// 0.7 to 0.9 s, where depth-first search ran out of 12 s.
    static let relaxationInducedLimit = 12.0

    static func report(_ line: String) {
        _ = line.withCString { write(2, $0, strlen($0)) }
    }

    /// Solves the model with the columns in `fixed` at their values within `limit`
    /// seconds, from `incumbent` when it agrees with them, depth-first or else
    /// (`bestBound`) best bound first with Gomory's cuts; the solution of every round,
    /// first to last (fixed columns included), and whether the first round finished.
    ///
    /// When a round's counts cannot be given to people (hosts over several segments
    /// clashing in odd cycles, ``TypedFormulation/unplaceableSets(_:)``), a narrower
    /// one follows (``giveBack(_:fixed:free:limit:label:verbose:)``): only the needs
    /// that take from the classes that failed are free, with rows against the sets
    /// found so far, and everything else keeps that round's solution. On a 60-visit
    /// day at T 1.5 a window found a plan 100 unmet needs' worth better than the
    /// incumbent whose hosts clashed in one odd cycle; solving the whole window again
    /// with the row ended its 4 s without a better plan, the narrow round gives hosts
    /// back in a tenth of a second. Rows after the fact rather than GLPK's lazy rows:
    /// the exact placement at every integral node, with GLPK's rounding heuristic
    /// off, kept windows from finishing. Every round's solution is kept: one that
    /// could not be given back is often still far better than the incumbent once
    /// those needs are left unmet (``improvement(_:on:)``).
    func searchRounds(fixing fixed: [Int: Double], from incumbent: [Double], limit: Double, bestBound: Bool = false,
                      label: String, verbose: Bool) throws -> (values: [[Double]], finished: Bool) {
        let clock = ContinuousClock()
        let started = clock.now
        // The first round leaves a little of the limit to the narrow ones, which also
        // follow a first round that ended at its limit.
        let agrees = fixed.allSatisfy { abs(incumbent[$0.key] - $0.value) < 1e-6 }
        let first = try solve(fixing: fixed, sets: [], base: incumbent, start: agrees ? incumbent : nil,
                              limit: max(0.5, limit - FixAndOptimize.narrowReserve), bestBound: bestBound,
                              label: label, verbose: verbose)
        let finished = first.termination == .finished
        guard let solution = first.solution else { return ([], finished) }
        let narrow = try giveBack(solution, fixed: fixed, free: first.free,
                                  limit: limit - (clock.now - started).inSeconds, label: label, verbose: verbose)
        return ([solution] + narrow, finished)
    }

    /// The narrow rounds after `solution`, whose counts may not all be given to people:
    /// while they cannot, the needs that take from the classes that failed (and those
    /// classes' routes) are solved again among the columns `free`, with a row against
    /// each set found, and every other column keeps `solution`'s value (`fixed` stays
    /// fixed). Each round's solution, first to last; empty when `solution` can be
    /// given back. Also what the optimizer does with a whole-day search's solution
    /// that cannot be: with the same objective given back, the plan is proven.
    func giveBack(_ solution: [Double], fixed: [Int: Double], free: [Int], limit: Double, label: String,
                  verbose: Bool) throws -> [[Double]] {
        let clock = ContinuousClock()
        let started = clock.now
        let model = formulation.model
        var last = solution
        var sets: [[Int]] = []
        var found: [[Double]] = []
        for _ in 1..<FixAndOptimize.rounds {
            let more = formulation.unplaceableSets(last)
            guard !more.isEmpty else { break }
            sets += more
            let failed = formulation.decode(last).failedClasses
            var loose = Set<Int>()
            for j in needClasses.indices where !needClasses[j].isDisjoint(with: failed) { loose.formUnion(needColumns[j]) }
            for k in failed { loose.formUnion(formulation.networkColumns(ofClass: k)) }
            var current = fixed
            for j in free where !loose.contains(j) {
                current[j] = model.columns[j].kind == .continuous ? last[j] : last[j].rounded()
            }
            let left = limit - (clock.now - started).inSeconds
            guard left > 0.05 else { break }
            guard let next = try solve(fixing: current, sets: sets, base: last, start: nil,
                                       limit: min(left, FixAndOptimize.narrowRoundLimit),
                                       label: "\(label) again", verbose: verbose).solution else { break }
            found.append(next)
            last = next
        }
        return found
    }

    /// One round: the model with `fixed` columns at their values and a row against each
    /// of `sets`, from `start` when given, depth-first or else (`bestBound`) as GLPK
    /// proves, best bound first with Gomory's cuts; the whole solution (columns not
    /// in the small model as in `base`), how GLPK ended, and the small model's columns.
    private func solve(fixing fixed: [Int: Double], sets: [[Int]], base: [Double], start: [Double]?, limit: Double,
                       bestBound: Bool = false, label: String, verbose: Bool) throws -> (solution: [Double]?, termination: Termination, free: [Int]) {
        var (sub, map) = formulation.model.fixing(fixed)
        var position: [Int: Int] = [:]
        for (k, j) in map.enumerated() { position[j] = k }
        for set in sets {
            let free = set.compactMap { position[$0] }
            guard !free.isEmpty else { continue }
            let taken = set.reduce(0.0) { $0 + (fixed[$1] ?? 0) }
            sub.addRow("unplaceable", free.map { (column: $0, value: 1.0) }, upper: Double(set.count - 1) - taken)
        }
        var options = SolveOptions(timeLimit: max(0.05, limit), interrupt: interrupt)
        options.cancel = cancel
        options.startSolution = start.map { start in map.map { start[$0] } }
        options.depthFirst = !bestBound
        options.gomoryCuts = bestBound
        let outcome = try GLPKSolver.solve(GLPKOptimizer.linearProblem(sub), options: options)
        if verbose {
            FixAndOptimize.report("\(label): \(sub.columns.count) columns, \(outcome.termination), \(outcome.objective ?? -1)\n")
        }
        guard let values = outcome.values else { return (nil, outcome.termination, map) }
        var solution = base
        for (c, v) in fixed { solution[c] = v }
        for (k, j) in map.enumerated() { solution[j] = values[k] }
        return (solution, outcome.termination, map)
    }

    /// Times a window is solved at most: once, then narrower with rows for the sets
    /// its last solution could not give to people. A 100-visit day at T 1.3 took
    /// four narrow rounds and more, each a few hundred columns solved in 0.1 s,
    /// before its relaxation-induced plan (100 K better) could be given back.
    static let rounds = 24
    /// Seconds for one narrow round at most. Most take a tenth of a second; on a
    /// 100-visit day one of 1.5 K columns ran 8.6 s without finishing, which the
    /// windows after it need more.
    static let narrowRoundLimit = 1.0
    /// Seconds of a window's limit kept for its narrow rounds.
    static let narrowReserve = 0.5

    /// `candidate` when it is better than `incumbent` by more than rounding and its
    /// counts can be given back to members; otherwise, when some could not (the typed
    /// model is a relaxation where one member may serve several spans), the part that
    /// could — those needs unmet — if that is still better; else `nil`.
    func improvement(_ candidate: [Double], on incumbent: [Double]) -> [Double]? {
        let model = formulation.model
        let target = model.objective(of: incumbent)
        let better = { (values: [Double]) in model.objective(of: values) < target - 1e-6 * max(1, abs(target)) }
        guard better(candidate) else { return nil }
        let decoded = formulation.decode(candidate)
        let accepted: [Double]
        if decoded.isExact {
            accepted = candidate
        } else {
            guard let repaired = formulation.startValues(for: decoded.selection), better(repaired),
                  formulation.decode(repaired).isExact else { return nil }
            accepted = repaired
        }
        return completed(accepted, decoded.selection) ?? accepted
    }

    /// `values` with the needs they leave unmet met where the day's resources are
    /// still free one by one (``GreedyOptimizer/complete(_:in:)``), when that is
    /// better and can be given back; `nil` otherwise. A window's model fixes every
    /// need outside it, so a need it leaves unmet may still fit a car or person that
    /// a later window's routes left free.
    func completed(_ values: [Double], _ selection: Selection) -> [Double]? {
        guard formulation.unmetColumns.contains(where: { $0.map { values[$0] > 0.5 } ?? false }) else { return nil }
        let completion = GreedyPlanner.complete(selection, in: problem)
        guard completion != selection, let more = formulation.startValues(for: completion),
              formulation.model.objective(of: more) < formulation.model.objective(of: values) - 1e-6,
              formulation.decode(more).isExact else { return nil }
        return more
    }

    /// When need `j` is: its segment's span, or its visit's for a need of the whole visit.
    static func span(of j: Int, in problem: Problem) -> TimeSpan {
        let need = problem.needs[j]
        let visit = problem.day.visits[need.id.visit]
        return need.id.segment.map { visit.segments[$0].span } ?? visit.span
    }

    /// A neighbourhood of the incumbent: the needs in `span` are free (only those that
    /// use one of `competing`, when given), every other need keeps its choice.
    struct Window: Equatable, CustomStringConvertible {
        var span: TimeSpan
        /// Classes whose needs in the span are free; `nil`: every need in it.
        var competing: Set<Int>?
        /// Whether cars and drivers keep their routes away from the span
        /// (within ``FixAndOptimize/reach``).
        var fixesRoutes: Bool

        var description: String { "\(span)\(competing == nil ? "" : " competing")\(fixesRoutes ? " routes fixed" : "")" }
    }

    /// What ``improve(_:budget:verbose:)`` searches next, with the columns it fixes
    /// when they are known already.
    enum Neighbourhood: CustomStringConvertible {
        /// A span of the day (``fixedColumns(of:)``).
        case window(Window, fixed: Set<Int>?)
        /// Where the incumbent and the LP relaxation disagree (``relaxationInduced(by:around:)``).
        case relaxationInduced(fixed: Set<Int>)

        var description: String {
            switch self {
            case let .window(window, _): return "window \(window)"
            case .relaxationInduced: return "relaxation-induced"
            }
        }
    }

    /// The columns `window` fixes: those of every need it does not free; the routes of
    /// cars and drivers outside `competing` (when given); with ``Window/fixesRoutes``
    /// every route away from the span. `nil` when no need lies in the window.
    func fixedColumns(of window: Window) -> Set<Int>? {
        var free = Set<Int>()
        for (j, span) in needSpans.enumerated() where span.start < window.span.end && window.span.start < span.end {
            if let competing = window.competing, competing.isDisjoint(with: needClasses[j]) { continue }
            free.formUnion(needColumns[j])
        }
        guard !free.isEmpty else { return nil }
        var fixed = Set<Int>()
        for columns in needColumns {
            for c in columns where !free.contains(c) { fixed.insert(c) }
        }
        if let competing = window.competing {
            for k in formulation.classes.members.indices where !competing.contains(k) {
                fixed.formUnion(formulation.networkColumns(ofClass: k))
            }
        }
        if window.fixesRoutes {
            let reach = TimeSpan(window.span.start - FixAndOptimize.reach, window.span.end + FixAndOptimize.reach)
            for k in formulation.classes.members.indices {
                fixed.formUnion(formulation.networkColumns(ofClass: k, outside: reach))
            }
        }
        return fixed
    }

    /// The first of `spans` (widest first) whose window leaves at most ``targetColumns``
    /// columns free, each tried with free routes and then with routes fixed away from
    /// it; the narrowest with fixed routes when none does. `offset` is the span's index;
    /// `nil` when no need lies in any of them.
    func sized(_ spans: [TimeSpan], competing: Set<Int>?) -> (offset: Int, window: Window, fixed: Set<Int>)? {
        let total = formulation.model.columns.count
        var last: (offset: Int, window: Window, fixed: Set<Int>)?
        for (offset, span) in spans.enumerated() {
            for fixesRoutes in [false, true] {
                let window = Window(span: span, competing: competing, fixesRoutes: fixesRoutes)
                guard let fixed = fixedColumns(of: window) else { return last }
                last = (offset, window, fixed)
                if total - fixed.count <= targetColumns { return last }
            }
        }
        return last
    }

    /// The windows that sweep the day from its first need to its last, in order: at
    /// each start the longest of ``lengths`` that ``sized(_:competing:)`` accepts, the
    /// next starting half its length later; a window still over the target at its
    /// narrowest is ``split(_:)``.
    func sweep() -> [Window] {
        guard let first = needSpans.map(\.start).min(), let last = needSpans.map(\.end).max() else { return [] }
        let total = formulation.model.columns.count
        var windows: [Window] = []
        var t = first
        while t < last {
            let chosen = sized(FixAndOptimize.lengths.map { TimeSpan(t, min(last, t + $0)) }, competing: nil)
            if let chosen {
                windows += total - chosen.fixed.count > targetColumns ? split(chosen.window) : [chosen.window]
            }
            t += FixAndOptimize.lengths[chosen?.offset ?? 0] / 2
        }
        return windows
    }

    /// `window` as one window per group of resource kinds (``kindGroups``) that its
    /// needs take from: each frees the needs that compete for that group's classes. A
    /// busy hour at 200 visits left 10 to 12 K columns free in a 45-minute window
    /// with routes fixed (hosts and escorts of every visit under way, every car's
    /// and driver's arcs within reach); such windows ended their 4 s without a solution.
    func split(_ window: Window) -> [Window] {
        var needed = Set<Int>()
        for (j, span) in needSpans.enumerated() where span.start < window.span.end && window.span.start < span.end {
            needed.formUnion(needClasses[j])
        }
        let scope = window.competing.map { needed.intersection($0) } ?? needed
        return kindGroups.map { $0.intersection(scope) }.filter { !$0.isEmpty }.map {
            Window(span: window.span, competing: $0, fixesRoutes: window.fixesRoutes)
        }
    }

    /// The window around need `j`: the needs that compete for its classes, within the
    /// widest of ``margins`` that ``sized(_:competing:)`` accepts; with the columns it fixes.
    func focus(on j: Int) -> (window: Window, fixed: Set<Int>)? {
        let span = needSpans[j]
        return sized(FixAndOptimize.margins.map { TimeSpan(span.start - $0, span.end + $0) }, competing: needClasses[j])
            .map { ($0.window, $0.fixed) }
    }

    /// The columns the relaxation-induced neighbourhood of `incumbent` fixes (RINS,
    /// Danna, Rothberg and Le Pape 2005): every integer column whose value in the LP
    /// relaxation `lp` is the incumbent's, at that value. The rest, where the two
    /// disagree, are free, as are continuous columns. Where the LP relaxation is tight
    /// (the tight 60-visit days: root bound within 0.2 % of the optimum) the plans
    /// that meet more needs differ from the incumbent there, whatever the hour.
    ///
    /// When that frees more than ``targetColumns`` columns (200 visits: 10.7 K of
    /// 41.6 K), one neighbourhood per group of resource kinds (``kindGroups``), as
    /// ``split(_:)`` does for windows: each frees what disagrees among the needs that
    /// take from the group and the group's routes, and those over the target are left
    /// out. Empty when the two agree on every integer column.
    func relaxationInduced(by lp: [Double], around incumbent: [Double]) -> [Set<Int>] {
        let columns = formulation.model.columns
        guard lp.count == columns.count, incumbent.count == columns.count else { return [] }
        let free = columns.indices.filter {
            columns[$0].kind == .continuous || abs(lp[$0] - incumbent[$0]) >= FixAndOptimize.agreement
        }
        let disagrees = { (c: Int) in columns[c].kind != .continuous }
        guard free.contains(where: disagrees) else { return [] }
        let all = Set(columns.indices)
        if free.count <= targetColumns { return [all.subtracting(free)] }
        let freeSet = Set(free)
        return kindGroups.compactMap { group in
            var part = Set<Int>()
            for (j, classes) in needClasses.enumerated() where !classes.isDisjoint(with: group) {
                part.formUnion(needColumns[j].filter { freeSet.contains($0) })
            }
            for k in group { part.formUnion(formulation.networkColumns(ofClass: k).filter { freeSet.contains($0) }) }
            guard part.contains(where: disagrees), part.count <= targetColumns else { return nil }
            return all.subtracting(part)
        }
    }

    /// How close an LP value must be to the incumbent's for the relaxation-induced
    /// neighbourhood to fix the column there.
    static let agreement = 1e-6

    /// The best solution found within `budget` seconds, starting from `incumbent`.
    ///
    /// Each round starts with the neighbourhood the LP relaxation induces (when
    /// ``relaxation`` is known), then windows around the needs the incumbent leaves
    /// unmet (that is where the most can be won), then the ``sweep()``; rounds repeat
    /// while one improves.
    func improve(_ incumbent: [Double], budget: Double, verbose: Bool) throws -> [Double] {
        let clock = ContinuousClock()
        let started = clock.now
        let elapsed = { (clock.now - started).inSeconds }
        let model = formulation.model
        var best = incumbent
        let sweep = sweep()
        var improvedInSweep = true
        while improvedInSweep {
            improvedInSweep = false
            let isUnmet = { (j: Int) in formulation.unmetColumns[j].map { best[$0] > 0.5 } ?? false }
            let unmet = formulation.unmetColumns.indices.filter(isUnmet)
            // One window at a time: focus windows come with their columns (sizing computed
            // them), the sweep's are computed when reached; building them all first would
            // keep a column set per unmet need (150 of them at 1000 visits). A need that an
            // earlier window met gets none: at 200 visits the greedy's 36 unmet needs took
            // the whole minute, most of them met long before their window came.
            var focused = unmet.lazy.filter { isUnmet($0) }.compactMap { focus(on: $0) }.makeIterator()
            var swept = sweep.makeIterator()
            // The relaxation-induced neighbourhood first, and again after each better
            // plan, as it moves with the incumbent; when the LP relaxation is solved
            // beside the windows (large days), as soon as it is known.
            var inducedTried = false
            var induced: [Set<Int>] = []
            // A window that ends its time without a better plan is tried again as its
            // parts by kind of resource, right after it (see ``split(_:)``): at 100 visits
            // and tightness 1.3 the sweep's windows of the busy hours (6.5 to 7.6 K free
            // columns) all ended their 4 s that way.
            var parts: [Window] = []
            let neighbourhoods = AnyIterator<Neighbourhood> {
                if !inducedTried, let lp = relaxation?() {
                    inducedTried = true
                    induced = relaxationInduced(by: lp, around: best)
                }
                if !induced.isEmpty { return .relaxationInduced(fixed: induced.removeFirst()) }
                if let next = focused.next() { return .window(next.window, fixed: next.fixed) }
                if !parts.isEmpty { return .window(parts.removeFirst(), fixed: nil) }
                return swept.next().map { .window($0, fixed: nil) }
            }
            for neighbourhood in neighbourhoods {
                let left = budget - elapsed()
                guard left > 0.5, !(interrupt?.isRaised ?? false), !(cancel?.isRaised ?? false), !(shouldStop?() ?? false)
                else { return best }
                let columns: Set<Int>
                let limit: Double
                let bestBound: Bool
                switch neighbourhood {
                case let .window(window, known):
                    guard let fixed = known ?? fixedColumns(of: window) else { continue }
                    onWindow?(window)
                    (columns, limit, bestBound) = (fixed, FixAndOptimize.windowLimit, false)
                case let .relaxationInduced(fixed):
                    (columns, limit, bestBound) = (fixed, FixAndOptimize.relaxationInducedLimit, true)
                }
                var fixed: [Int: Double] = [:]
                for c in columns { fixed[c] = model.columns[c].kind == .continuous ? best[c] : best[c].rounded() }
                let found = try searchRounds(fixing: fixed, from: best, limit: min(left, limit), bestBound: bestBound,
                                             label: "\(neighbourhood)", verbose: verbose)
                let improvements = found.values.compactMap { improvement($0, on: best) }
                guard let improved = improvements.min(by: { model.objective(of: $0) < model.objective(of: $1) }) else {
                    if !found.finished, case let .window(window, _) = neighbourhood, case let pieces = split(window), pieces.count > 1 {
                        parts += pieces
                    }
                    continue
                }
                best = improved
                improvedInSweep = true
                // A new incumbent moves the relaxation-induced neighbourhood: search it again
                // (once its parts for the last incumbent are done).
                if induced.isEmpty { inducedTried = false }
                onImprovement?(best)
                if verbose { FixAndOptimize.report("fix-and-optimize: \(neighbourhood) -> \(model.objective(of: best)) after \(elapsed()) s\n") }
            }
        }
        return best
    }
}
