import DayGenerator
import GLPK
@testable import GLPKOptimizer
import GreedyOptimizer
import GreedyPlanning
import MIPModel
import SchedulingCore
import Testing

/// Fix-and-optimize over time windows: which needs a window frees, how windows
/// shrink to a size GLPK can finish, and that what it returns is a plan.
@Suite("Fix-and-optimize windows")
struct FixAndOptimizeTests {
    static func setting(visits: Int, tightness: Double = 1.0) throws -> (Problem, TypedFormulation) {
        let day = DayGenerator.generate(GeneratorOptions(visits: visits, seed: 2026, tightness: tightness))
        let problem = try Problem.load(day, registry: makeRegistry())
        return (problem, TypedFormulation(problem))
    }

    @Test("a raised cancel flag (the search beside has ended) stops the windows before the first")
    func cancelled() throws {
        let (problem, formulation) = try Self.setting(visits: 30)
        let start = try #require(formulation.startValues(for: GreedyPlanner.select(problem)))
        var lns = FixAndOptimize(formulation: formulation, problem: problem, interrupt: nil)
        let flag = InterruptFlag()
        flag.raise()
        lns.cancel = flag
        nonisolated(unsafe) var windows = 0
        lns.onWindow = { _ in windows += 1 }
        let improved = try lns.improve(start, budget: 30, verbose: false)
        #expect(windows == 0)
        #expect(improved == start)
    }

    @Test("the sweep covers every need; each window is the widest within the target, else the narrowest with routes fixed")
    func sweepSizes() throws {
        let (problem, formulation) = try Self.setting(visits: 40)
        var lns = FixAndOptimize(formulation: formulation, problem: problem, interrupt: nil)
        let total = formulation.model.columns.count
        lns.targetColumns = total / 6
        let windows = lns.sweep()
        let free = { (w: FixAndOptimize.Window) in total - (lns.fixedColumns(of: w)?.count ?? total) }
        for j in problem.needs.indices {
            let span = FixAndOptimize.span(of: j, in: problem)
            #expect(windows.contains { $0.span.start < span.end && span.start < $0.span.end }, "need \(j) in no window")
        }
        var shrunk = 0
        for (w, next) in zip(windows, windows.dropFirst()) {
            // Consecutive windows overlap: each steps on by half its nominal length.
            #expect(next.span.start < w.span.end)
        }
        for w in windows {
            let length = w.span.end - w.span.start
            let narrowest = length <= FixAndOptimize.lengths.last ?? 0
            if w.competing != nil {
                // Split by kind of resource: only when the narrowest with routes fixed was over.
                #expect(narrowest && w.fixesRoutes)
                #expect(free(FixAndOptimize.Window(span: w.span, competing: nil, fixesRoutes: true)) > lns.targetColumns)
                continue
            }
            #expect(free(w) <= lns.targetColumns || (narrowest && w.fixesRoutes), "\(w): \(free(w)) free")
            guard w.fixesRoutes || length < FixAndOptimize.lengths[0] else { continue }
            shrunk += 1
            // Shrunk only because the wider choice before it was over the target.
            if w.fixesRoutes {
                #expect(free(FixAndOptimize.Window(span: w.span, competing: nil, fixesRoutes: false)) > lns.targetColumns)
            } else if let wider = FixAndOptimize.lengths.last(where: { $0 > length }) {
                let span = TimeSpan(w.span.start, w.span.start + wider)
                #expect(free(FixAndOptimize.Window(span: span, competing: nil, fixesRoutes: true)) > lns.targetColumns)
            }
        }
        #expect(shrunk > 0, "a sixth of the model is small enough to shrink some windows")
        // Without a target, no window shrinks.
        lns.targetColumns = total
        #expect(lns.sweep().allSatisfy { !$0.fixesRoutes && $0.span.end - $0.span.start <= FixAndOptimize.lengths[0] })
    }

    @Test("a window split by kind of resource frees, in all, the needs the whole window frees; cars go with drivers")
    func split() throws {
        let (problem, formulation) = try Self.setting(visits: 40)
        var lns = FixAndOptimize(formulation: formulation, problem: problem, interrupt: nil)
        let kinds = lns.kindGroups.map { Set($0.compactMap { formulation.classes.members[$0].first?.kind }) }
        #expect(kinds.contains(["vehicle", "driver"]), "\(kinds)")
        #expect(kinds.contains(["staff"]) && kinds.count >= 3, "\(kinds)")
        let total = formulation.model.columns.count
        lns.targetColumns = total / 8
        let sweep = lns.sweep()
        let parts = sweep.filter { $0.competing != nil }
        #expect(!parts.isEmpty, "an eighth of the model is small enough to split some windows")
        let freed = { (w: FixAndOptimize.Window) -> Set<Int> in
            let fixed = lns.fixedColumns(of: w) ?? []
            return Set(problem.needs.indices.filter { j in formulation.columns(ofNeed: j).contains { !fixed.contains($0) } })
        }
        for span in Set(parts.map { "\($0.span)" }) {
            let pieces = parts.filter { "\($0.span)" == span }
            let whole = FixAndOptimize.Window(span: pieces[0].span, competing: nil, fixesRoutes: true)
            #expect(pieces.reduce(into: Set<Int>()) { $0.formUnion(freed($1)) } == freed(whole))
            #expect(lns.split(whole) == pieces)
            // A part is not split again (a part that ends its time is not retried).
            #expect(pieces.allSatisfy { lns.split($0) == [$0] })
            #expect(pieces.allSatisfy { total - (lns.fixedColumns(of: $0)?.count ?? total) < total - (lns.fixedColumns(of: whole)?.count ?? 0) })
        }
    }

    @Test("a window around a need frees it and only the needs near it that compete for its classes")
    func focus() throws {
        let (problem, formulation) = try Self.setting(visits: 40)
        let lns = FixAndOptimize(formulation: formulation, problem: problem, interrupt: nil)
        var checked = 0
        for j in stride(from: 0, to: problem.needs.count, by: 7) where !formulation.classes(ofNeed: j).isEmpty {
            let (window, focusFixed) = try #require(lns.focus(on: j))
            let fixed = try #require(lns.fixedColumns(of: window))
            #expect(focusFixed == fixed)
            let isFree = { (k: Int) in formulation.columns(ofNeed: k).contains { !fixed.contains($0) } }
            #expect(isFree(j))
            #expect(window.competing == formulation.classes(ofNeed: j))
            for k in problem.needs.indices where isFree(k) {
                let span = FixAndOptimize.span(of: k, in: problem)
                #expect(span.start < window.span.end && window.span.start < span.end)
                #expect(!formulation.classes(ofNeed: k).isDisjoint(with: formulation.classes(ofNeed: j)))
            }
            checked += 1
        }
        #expect(checked > 10)
    }

    @Test("from the greedy plan, small windows improve a tight day to a plan the checker accepts")
    func improves() throws {
        let registry = try makeRegistry()
        let (problem, formulation) = try Self.setting(visits: 30, tightness: 1.4)
        var lns = FixAndOptimize(formulation: formulation, problem: problem, interrupt: nil)
        lns.targetColumns = formulation.model.columns.count / 4
        let start = try #require(formulation.startValues(for: GreedyPlanner.select(problem)))
        let improved = try lns.improve(start, budget: 10, verbose: false)
        let model = formulation.model
        #expect(model.objective(of: improved) < model.objective(of: start) - 1, "the greedy plan of this day has room")
        let (plan, exact) = assembledPlan(of: improved, formulation, problem)
        #expect(exact)
        #expect(close(plan.objective, model.objective(of: improved)))
        expectCheckerAccepts(plan, problem: problem, registry: registry)
    }

    /// Five hosts over two segments each, clashing in a cycle (each with the next):
    /// two executives are enough at every time, so the typed model meets all five,
    /// but a five-cycle needs three people. No spread row sees it (no triangle).
    /// With `late`, a sixth visit at 18:00 that clashes with none of them.
    /// With `rooms`, each visit's first segment also needs a meeting room, of which
    /// there are as many as visits (the cheapest at 10 an hour, the rest at 20).
    static func fiveCycle(late: Bool = false, rooms: Bool = false) -> DayBuilder {
        let slots = ["08:00", "10:00", "12:00", "14:00", "16:00"]
        let end = { (t: String) in t.replacingOccurrences(of: ":00", with: ":30") }
        let first = { (start: String, end: String) in rooms ? venueSegment("a", start, end) : segment("a", start, end) }
        var day = DayBuilder(visits: (0..<5).map { i in
            let (a, b) = (min(i, (i + 1) % 5), max(i, (i + 1) % 5))
            return visit("V\(i)", segments: [first(slots[a], end(slots[a])), segment("b", slots[b], end(slots[b]))])
        } + (late ? [visit("V5", segments: [first("18:00", "18:30"), segment("b", "19:00", "19:30")])] : []))
        day.staff = [staffMember("EX1", rank: "executive"), staffMember("EX2", rank: "executive")]
        if rooms { day.venues = (0..<6).map { venue("R\($0)", costPerHour: $0 == 0 ? 10 : 20) } }
        return day
    }

    @Test("a better window whose hosts cannot all be given to people is kept without them when that is still better")
    func repairsUnplaceable() throws {
        let registry = try makeRegistry()
        let problem = try Problem.load(json: Array(Self.fiveCycle().text.utf8), registry: registry)
        let formulation = TypedFormulation(problem)
        #expect(!formulation.model.rows.contains { $0.name.hasPrefix("spread_") })
        let solved = try GLPKSolver.solve(GLPKOptimizer.linearProblem(formulation.model), options: SolveOptions())
        let candidate = try #require(solved.values)
        #expect(!formulation.decode(candidate).isExact, "all five hosts met in the model, not by two people")
        let nothing = try #require(formulation.startValues(for: .allUnmet(problem)))
        let lns = FixAndOptimize(formulation: formulation, problem: problem, interrupt: nil)
        let improvement = lns.improvement(candidate, on: nothing)
        let repaired = try #require(improvement)
        let (plan, exact) = assembledPlan(of: repaired, formulation, problem)
        #expect(exact)
        #expect((1...2).contains(plan.unmet.count), "\(plan.unmet)")
        #expect(plan.unmet.allSatisfy { $0.need == "host" })
        expectCheckerAccepts(plan, problem: problem, registry: registry)
        // Against the plan it repairs to, the candidate is no improvement.
        let again = lns.improvement(candidate, on: repaired)
        #expect(again == nil)
    }

    @Test("five hosts in a cycle and a sixth apart met at once: the cycle is the unplaceable set; nothing for plans or fractions")
    func unplaceableSets() throws {
        let problem = try Problem.load(json: Array(Self.fiveCycle(late: true).text.utf8), registry: makeRegistry())
        let formulation = TypedFormulation(problem)
        let solved = try GLPKSolver.solve(GLPKOptimizer.linearProblem(formulation.model), options: SolveOptions())
        let all = try #require(solved.values)
        let met = problem.needs.indices.flatMap { formulation.columns(ofNeed: $0) }.filter { all[$0] > 0.5 }
        #expect(met.count == 6)
        // The sixth host is not part of the proof: the set is minimal.
        let late = try #require(problem.needs.indices.first { problem.day.visits[problem.needs[$0].id.visit].id == "V5" })
        let hosts = met.filter { !formulation.columns(ofNeed: late).contains($0) }
        #expect(formulation.unplaceableSets(all) == [hosts.sorted()])
        // Without any one host the rest fit: no set.
        var four = all
        four[hosts[2]] = 0
        for j in problem.needs.indices where formulation.columns(ofNeed: j).contains(hosts[2]) {
            if let u = formulation.unmetColumns[j] { four[u] = 1 }
        }
        #expect(formulation.unplaceableSets(four).isEmpty)
        var half = all
        half[hosts[0]] = 0.5
        #expect(formulation.unplaceableSets(half).isEmpty)
    }

    @Test("the optimizer proves the five-cycle day: one host unmet, bound equal to the plan")
    func fiveCycleOptimal() throws {
        let (_, plan) = try solve(Self.fiveCycle())
        #expect(plan.status == .optimal)
        #expect(plan.unmet.count == 1 && plan.unmet.allSatisfy { $0.need == "host" }, "\(plan.unmet)")
    }
}

/// The neighbourhoods beside the time windows: where the LP relaxation and the
/// incumbent disagree, and the narrow rounds that give hosts back.
@Suite("Fix-and-optimize: relaxation-induced neighbourhood and narrow rounds")
struct NeighbourhoodTests {
    /// The day's LP relaxation, solved.
    static func relaxation(of formulation: TypedFormulation) throws -> [Double] {
        var linear = GLPKOptimizer.linearProblem(formulation.model)
        for k in linear.columns.indices { linear.columns[k].kind = .continuous }
        return try #require(try GLPKSolver.solve(linear, options: SolveOptions()).values)
    }

    @Test("the relaxation-induced neighbourhood fixes exactly the integer columns where LP and incumbent agree")
    func fixesAgreement() throws {
        let (problem, formulation) = try FixAndOptimizeTests.setting(visits: 30, tightness: 1.4)
        let lp = try Self.relaxation(of: formulation)
        let start = try #require(formulation.startValues(for: GreedyPlanner.select(problem)))
        var lns = FixAndOptimize(formulation: formulation, problem: problem, interrupt: nil)
        let neighbourhoods = lns.relaxationInduced(by: lp, around: start)
        #expect(neighbourhoods.count == 1)
        let fixed = try #require(neighbourhoods.first)
        let columns = formulation.model.columns
        for c in columns.indices {
            let agrees = columns[c].kind != .continuous && abs(lp[c] - start[c]) < 1e-6
            #expect(fixed.contains(c) == agrees, "column \(c): LP \(lp[c]), incumbent \(start[c])")
        }
        let free = columns.count - fixed.count
        #expect(free > 0 && free < columns.count / 2, "\(free) of \(columns.count) free")
        // Larger than the target: one part per group of resource kinds, each within
        // the target and freeing only what the whole frees, together covering the
        // disagreements of the groups that fit.
        lns.targetColumns = free * 2 / 3
        let parts = lns.relaxationInduced(by: lp, around: start)
        #expect(parts.count >= 2)
        for part in parts {
            #expect(columns.count - part.count <= lns.targetColumns)
            #expect(part.isSuperset(of: fixed))
            #expect(columns.indices.contains { !part.contains($0) && columns[$0].kind != .continuous }, "an integer column free")
        }
        // None when the incumbent takes the LP's values on every integer column.
        lns.targetColumns = columns.count
        var integral = start
        for c in columns.indices where columns[c].kind != .continuous { integral[c] = lp[c] }
        #expect(lns.relaxationInduced(by: lp, around: integral).isEmpty)
    }

    @Test("searched from the greedy plan of a tight day, the relaxation-induced neighbourhood gives a better plan the checker accepts")
    func improvesGreedy() throws {
        let registry = try makeRegistry()
        let (problem, formulation) = try FixAndOptimizeTests.setting(visits: 30, tightness: 1.4)
        let lp = try Self.relaxation(of: formulation)
        let start = try #require(formulation.startValues(for: GreedyPlanner.select(problem)))
        let lns = FixAndOptimize(formulation: formulation, problem: problem, interrupt: nil)
        let columns = try #require(lns.relaxationInduced(by: lp, around: start).first)
        var fixed: [Int: Double] = [:]
        for c in columns { fixed[c] = start[c].rounded() }
        let found = try lns.searchRounds(fixing: fixed, from: start, limit: 20, label: "rins", verbose: false)
        let improved = try #require(found.values.compactMap { lns.improvement($0, on: start) }.first)
        let model = formulation.model
        #expect(model.objective(of: improved) < model.objective(of: start) - 1)
        let (plan, exact) = assembledPlan(of: improved, formulation, problem)
        #expect(exact)
        expectCheckerAccepts(plan, problem: problem, registry: registry)
    }

    @Test("a round whose hosts clash in a cycle is followed by a narrow one: only host needs free, the rooms kept")
    func narrowRound() throws {
        let registry = try makeRegistry()
        let problem = try Problem.load(json: Array(FixAndOptimizeTests.fiveCycle(rooms: true).text.utf8), registry: registry)
        let formulation = TypedFormulation(problem)
        let nothing = try #require(formulation.startValues(for: .allUnmet(problem)))
        let lns = FixAndOptimize(formulation: formulation, problem: problem, interrupt: nil)
        let found = try lns.searchRounds(fixing: [:], from: nothing, limit: 20, label: "all", verbose: false)
        #expect(found.values.count >= 2)
        let first = try #require(found.values.first)
        let last = try #require(found.values.last)
        #expect(!formulation.decode(first).isExact, "the first round meets all five hosts with two people")
        #expect(formulation.decode(last).isExact)
        let rooms = problem.needs.indices.filter { problem.needs[$0].id.key == "venue" }
        #expect(rooms.count == 5)
        for j in rooms {
            for c in formulation.columns(ofNeed: j) { #expect(first[c] == last[c], "room need \(j) kept as the first round chose") }
        }
        let (plan, _) = assembledPlan(of: last, formulation, problem)
        #expect(plan.unmet.count == 1 && plan.unmet.allSatisfy { $0.need == "host" }, "\(plan.unmet)")
        expectCheckerAccepts(plan, problem: problem, registry: registry)
    }
}

extension NeighbourhoodTests {
    @Test("a whole-day solution whose hosts clash in a cycle is given back by narrow rounds, rooms kept; not when no time is left")
    func optimizerGivesBack() throws {
        let registry = try makeRegistry()
        let problem = try Problem.load(json: Array(FixAndOptimizeTests.fiveCycle(rooms: true).text.utf8), registry: registry)
        let formulation = TypedFormulation(problem)
        // GLPK on the model without the rows against the cycle, as the presolved search solves it.
        let solved = try GLPKSolver.solve(GLPKOptimizer.linearProblem(formulation.model), options: SolveOptions())
        let values = try #require(solved.values)
        #expect(!formulation.decode(values).isExact)
        let optimizer = GLPKOptimizer()
        let result = try optimizer.giveBack(values, formulation, problem, options: OptimizeOptions(timeLimit: 30), elapsed: 0)
        let given = try #require(result.exact)
        let best = try #require(result.plan)
        #expect(close(best.1, PlanAssembler.objective(of: formulation.decode(given).selection, in: problem)))
        let (plan, exact) = assembledPlan(of: given, formulation, problem)
        #expect(exact)
        #expect(plan.unmet.count == 1 && plan.unmet.allSatisfy { $0.need == "host" }, "\(plan.unmet)")
        for j in problem.needs.indices where problem.needs[j].id.key == "venue" {
            for c in formulation.columns(ofNeed: j) { #expect(given[c] == values[c]) }
        }
        expectCheckerAccepts(plan, problem: problem, registry: registry)
        let late = try optimizer.giveBack(values, formulation, problem, options: OptimizeOptions(timeLimit: 30), elapsed: 29.9)
        #expect(late.exact == nil && late.plan == nil)
    }
}

/// What a window's search returns and how its solution becomes the incumbent.
@Suite("Fix-and-optimize: completing and re-solving windows")
struct WindowSolutionTests {
    @Test("a window's solution that leaves a need unmet which free resources can take comes back with it met")
    func completesUnmet() throws {
        let registry = try makeRegistry()
        let (problem, formulation) = try FixAndOptimizeTests.setting(visits: 20)
        let greedy = GreedyPlanner.select(problem)
        let j = try #require(problem.needs.indices.first { !problem.needs[$0].isTrivial && greedy.chosen[$0] != nil })
        var without = greedy
        without.chosen[j] = nil
        let candidate = try #require(formulation.startValues(for: without))
        let nothing = try #require(formulation.startValues(for: .allUnmet(problem)))
        let lns = FixAndOptimize(formulation: formulation, problem: problem, interrupt: nil)
        let improved = try #require(lns.improvement(candidate, on: nothing))
        let unmet = try #require(formulation.unmetColumns[j])
        #expect(candidate[unmet] == 1)
        #expect(improved[unmet] == 0, "need \(j) is met again: what it had is still free")
        #expect(formulation.model.objective(of: improved) < formulation.model.objective(of: candidate) - 1)
        let (plan, exact) = assembledPlan(of: improved, formulation, problem)
        #expect(exact)
        expectCheckerAccepts(plan, problem: problem, registry: registry)
    }

    @Test("windows around unmet needs skip the needs an earlier window has met")
    func focusSkipsMet() throws {
        let (problem, formulation) = try FixAndOptimizeTests.setting(visits: 20)
        let nothing = try #require(formulation.startValues(for: .allUnmet(problem)))
        let unmet = formulation.unmetColumns.compactMap { $0 }.filter { nothing[$0] > 0.5 }.count
        var lns = FixAndOptimize(formulation: formulation, problem: problem, interrupt: nil)
        // Windows in the order searched, until the first of the sweep.
        let seen = Windows()
        lns.onWindow = { window in seen.add(window) }
        _ = try lns.improve(nothing, budget: 20, verbose: false)
        let focused = seen.all.prefix { $0.competing != nil }.count
        #expect(focused >= 1)
        #expect(focused < unmet / 2, "\(focused) focus windows for \(unmet) unmet needs: each meets many around it")
    }

    @Test("a window whose solution cannot be given to hosts is solved again without it: five hosts in a cycle")
    func solvesAgain() throws {
        let problem = try Problem.load(json: Array(FixAndOptimizeTests.fiveCycle().text.utf8), registry: makeRegistry())
        let formulation = TypedFormulation(problem)
        let nothing = try #require(formulation.startValues(for: .allUnmet(problem)))
        let lns = FixAndOptimize(formulation: formulation, problem: problem, interrupt: nil)
        let found = try #require(try lns.searchRounds(fixing: [:], from: nothing, limit: 20, label: "all", verbose: false).values.last)
        let decoded = formulation.decode(found)
        #expect(decoded.isExact, "the second solve keeps to rows for the cycle")
        let met = problem.needs.indices.filter { decoded.selection.chosen[$0] != nil && !problem.needs[$0].isTrivial }
        #expect(met.count == 4, "two executives host four of five visits in a cycle")
    }
}

/// The plan a solution of the typed model gives, and whether every count in it
/// was given to members (``DecodedSelection/isExact``).
private func assembledPlan(of values: [Double], _ formulation: TypedFormulation, _ problem: Problem) -> (plan: Plan, isExact: Bool) {
    let decoded = formulation.decode(values)
    let result = OptimizationResult(status: .feasible, selection: decoded.selection, bound: nil, seconds: 0)
    return (PlanAssembler.assemble(problem, result: result, solverName: "glpk"), decoded.isExact)
}

/// Windows told to a test, in order.
private final class Windows: @unchecked Sendable {
    private(set) var all: [FixAndOptimize.Window] = []
    func add(_ window: FixAndOptimize.Window) { all.append(window) }
}
