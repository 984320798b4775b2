import SchedulingCore

/// The constructive plan both optimizers build on: meets needs one at a time,
/// most constrained first, with the cheapest candidates that break no rule given
/// what is already chosen (the core's sharing rules, ``ResourceDeclaration/admits(_:beside:travel:)``).
/// The greedy optimizer returns it; the GLPK optimizer starts from it, rounds LP
/// solutions with it and completes window plans with it. It lives below both, so
/// that optimizers do not import each other.
public enum GreedyPlanner {
    /// The greedy selection.
    public static func select(_ problem: Problem) -> Selection { select(problem, guide: nil) }

    /// The greedy plan, preferring among a need's fitting candidates those with
    /// the larger `guide[need][candidate]` (an LP solution's values) before the
    /// cheaper ones.
    public static func select(_ problem: Problem, guide: [[Double]]?) -> Selection {
        select(problem, guide: guide, keeping: nil)
    }

    /// Completes `kept` (a valid selection): its choices stay, and the greedy tries to
    /// meet the needs it leaves unmet.
    public static func complete(_ kept: Selection, in problem: Problem) -> Selection {
        select(problem, guide: nil, keeping: kept)
    }

    private static func select(_ problem: Problem, guide: [[Double]]?, keeping kept: Selection?) -> Selection {
        var state = Occupancy(problem: problem)
        var chosen: [[Int]?] = problem.needs.map { $0.isTrivial ? [] : nil }
        if let kept, kept.chosen.count == chosen.count {
            for (j, choice) in kept.chosen.enumerated() {
                guard let choice else { continue }
                chosen[j] = choice
                for i in choice { state.add(problem.needs[j].candidates[i], need: j) }
            }
        } else if let replanning = problem.replanning {
            // A replan starts from the plan being carried out (§10): each need keeps its
            // earlier value where it still fits beside those kept before it, the needs
            // under way first, then by start.
            let order = problem.needs.indices.sorted { a, b in
                (replanning.underWay[a] ? 0 : 1, start(problem.needs[a], problem), a) < (replanning.underWay[b] ? 0 : 1, start(problem.needs[b], problem), b)
            }
            for j in order where !problem.needs[j].isTrivial {
                guard let earlier = replanning.earlierCandidates[j], !earlier.isEmpty else { continue }
                let need = problem.needs[j]
                var trial = state
                var picked: [Int] = []
                var fits = true
                for i in earlier {
                    guard trial.fits(need.candidates[i], need: j, chosen: chosen, picked: picked) else { fits = false; break }
                    trial.add(need.candidates[i], need: j)
                    picked.append(i)
                }
                guard fits, need.constraints.allSatisfy({ $0.holds(for: picked) }) else { continue }
                chosen[j] = picked.sorted()
                state = trial
            }
        }
        let weights = problem.day.policy.weights
        // Most constrained first: fewest candidates per unit asked, then earliest.
        let order = problem.needs.indices.filter { !problem.needs[$0].isTrivial && chosen[$0] == nil }.sorted { a, b in
            let na = problem.needs[a], nb = problem.needs[b]
            let ka = Double(na.candidates.count) / demand(na), kb = Double(nb.candidates.count) / demand(nb)
            if ka != kb { return ka < kb }
            return start(na, problem) < start(nb, problem)
        }
        // How many needs could use each resource: among equal prices, the resource
        // fewer other needs can use is taken first, keeping scarce ones free.
        var popularity: [ResourceKey: Int] = [:]
        for need in problem.needs { for key in Set(need.candidates.flatMap(\.assigned)) { popularity[key, default: 0] += 1 } }
        for j in order {
            let need = problem.needs[j]
            let price = { (c: Candidate) in
                c.cost + weights.overGrade * c.overGrade + 1e-6 * Double(c.assigned.reduce(0) { $0 + (popularity[$1] ?? 0) })
            }
            var picked: [Int] = []
            var trial = state
            // An equality among non-negative terms (a service role's count) that a pick would
            // pass can never be brought back by further picks: such a candidate is skipped.
            let capped = need.constraints.filter { $0.sense == .equal && $0.terms.allSatisfy { $0.coefficient >= 0 } }
            func overshoots(_ i: Int) -> Bool {
                capped.contains { rule in
                    guard let own = rule.terms.first(where: { $0.candidate == i }), own.coefficient > 0 else { return false }
                    let lhs = rule.terms.reduce(0.0) { $0 + (picked.contains($1.candidate) ? $1.coefficient : 0) }
                    return lhs + own.coefficient > rule.rhs + 1e-9
                }
            }
            func take(_ i: Int) -> Bool {
                guard !overshoots(i), trial.fits(need.candidates[i], need: j, chosen: chosen, picked: picked) else { return false }
                trial.add(need.candidates[i], need: j)
                picked.append(i)
                return true
            }
            let preference = guide.map { j < $0.count ? $0[j] : [] } ?? []
            let favour = { (i: Int) in preference.count == need.candidates.count ? -(preference[i] * 1000).rounded() : 0 }
            // Each candidate's price once, not per comparison (a host need has hundreds).
            let prices = need.candidates.map(price)
            let byPrice = need.candidates.indices.sorted { (favour($0), prices[$0]) < (favour($1), prices[$1]) }
            if let tag = need.requiredTag {
                guard byPrice.first(where: { need.candidates[$0].tags.contains(tag.tag) && take($0) }) != nil else { continue }
            }
            switch need.rule {
            case .exactly(let n):
                for i in byPrice where picked.count < n && !picked.contains(i) { _ = take(i) }
                guard picked.count == n else { continue }
            case .cover(let target):
                // Cheapest per unit of weight first, then what the need's rules still ask for.
                let weighted = need.candidates.indices.filter { need.candidates[$0].weight > 0 }.sorted {
                    (favour($0), prices[$0] / need.candidates[$0].weight) < (favour($1), prices[$1] / need.candidates[$1].weight)
                }
                var covered = picked.reduce(0.0) { $0 + need.candidates[$1].weight }
                for i in weighted where covered < target && !picked.contains(i) {
                    if take(i) { covered += need.candidates[i].weight }
                }
                guard covered >= target else { continue }
            }
            // Complete side rules (as many drivers as vehicles, licences) with the cheapest helpers.
            var guardCount = 0
            while let broken = need.constraints.first(where: { !$0.holds(for: picked) }), guardCount < need.candidates.count {
                guardCount += 1
                let lhs = broken.terms.reduce(0.0) { $0 + (picked.contains($1.candidate) ? $1.coefficient : 0) }
                let raise = broken.sense == .greaterOrEqual || (broken.sense == .equal && lhs < broken.rhs)
                let helpers = broken.terms.filter { term in
                    !picked.contains(term.candidate) && (raise ? term.coefficient > 0 : term.coefficient < 0)
                }.map(\.candidate).sorted { prices[$0] < prices[$1] }
                if helpers.first(where: { take($0) }) == nil { break }
            }
            guard need.constraints.allSatisfy({ $0.holds(for: picked) }) else { continue }
            chosen[j] = picked.sorted()
            state = trial
        }
        return Selection(chosen: chosen)
    }

    private static func demand(_ need: NeedDeclaration) -> Double {
        switch need.rule {
        case .exactly(let n): return Double(max(1, n))
        case .cover(let d): return max(1, d / 4)
        }
    }

    private static func start(_ need: NeedDeclaration, _ problem: Problem) -> Int {
        let visit = problem.day.visits[need.id.visit]
        return need.id.segment.map { visit.segments[$0].span.start } ?? visit.span.start
    }
}

/// What is taken so far, by resource, to test a candidate against every
/// sharing rule the plugins declared.
struct Occupancy {
    let problem: Problem
    private var uses: [ResourceKey: [(need: Int, usage: Usage)]] = [:]
    private var assigned: [Int: Set<ResourceKey>] = [:]   // by need

    /// Each visit's needs, for the distinct-needs test.
    private let needsOfVisit: [Int: [Int]]

    init(problem: Problem) {
        self.problem = problem
        needsOfVisit = problem.needsByVisit
    }

    mutating func add(_ candidate: Candidate, need: Int) {
        for usage in candidate.usages { uses[usage.resource, default: []].append((need, usage)) }
        assigned[need, default: []].formUnion(candidate.assigned)
    }

    func fits(_ candidate: Candidate, need j: Int, chosen: [[Int]?], picked: [Int]) -> Bool {
        // Distinct needs of one visit (escorts are never the host), both ways.
        let need = problem.needs[j]
        for k in needsOfVisit[need.id.visit] ?? [] where k != j {
            let other = problem.needs[k]
            let related = (other.id.segment == nil && need.distinctFrom.contains(other.id.key))
                || (need.id.segment == nil && other.distinctFrom.contains(need.id.key))
            if related, !(assigned[k] ?? []).isDisjoint(with: candidate.assigned) { return false }
        }
        for (n, usage) in candidate.usages.enumerated() {
            guard let resource = problem.resources[usage.resource] else { return false }
            let others = (uses[usage.resource] ?? []).map(\.usage) + candidate.usages[..<n].filter { $0.resource == usage.resource }
            if !resource.admits(usage, beside: others, travel: problem.day.travel) { return false }
        }
        return true
    }
}
