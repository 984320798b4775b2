/// Writes the reason for an unmet need: what is eligible, and which visits
/// hold those resources at that time in the plan.
struct UnmetExplainer {
    let problem: Problem
    let selection: Selection
    let status: OptimizationStatus
    /// Chosen uses per resource: (need index, usage).
    private let uses: [ResourceKey: [(need: Int, usage: Usage)]]

    init(problem: Problem, selection: Selection, status: OptimizationStatus) {
        self.problem = problem
        self.selection = selection
        self.status = status
        var uses: [ResourceKey: [(Int, Usage)]] = [:]
        for (j, need) in problem.needs.enumerated() {
            for i in selection.chosen[j] ?? [] {
                for usage in need.candidates[i].usages { uses[usage.resource, default: []].append((j, usage)) }
            }
        }
        self.uses = uses
    }

    func reason(for j: Int) -> String {
        let need = problem.needs[j]
        if need.candidates.isEmpty {
            return need.ineligibility ?? "nothing is eligible for \(need.requirement)"
        }
        let names = uniqueResources(need.candidates).map(\.id)
        let eligible = list(names)
        switch need.rule {
        case .exactly(let n) where need.candidates.count < n:
            return "needs \(n) for \(need.requirement) but only \(need.candidates.count) eligible: \(eligible)"
        case .cover(let demand) where need.candidates.reduce(0, { $0 + $1.weight }) < demand:
            return "\(need.requirement): all eligible together offer only \(format(need.candidates.reduce(0) { $0 + $1.weight })) of \(format(demand)); eligible: \(eligible)"
        default: break
        }
        if let tag = need.requiredTag, !need.candidates.contains(where: { $0.tags.contains(tag.tag) }) {
            return "nobody eligible can \(tag.phrase) (\(need.requirement)); eligible otherwise: \(eligible)"
        }

        var text = "\(need.requirement); eligible: \(eligible)"
        var keys = uniqueResources(need.candidates)
        if let tag = need.requiredTag {
            // The scarce part first: those with the required property.
            let tagged = uniqueResources(need.candidates.filter { $0.tags.contains(tag.tag) })
            let (held, _) = holders(of: tagged, for: need, j)
            text += ". Of those who \(tag.phrase) (\(list(tagged.map(\.id)))): " + (held.isEmpty ? "none is held by another visit" : held.prefix(6).joined(separator: "; "))
            keys.removeAll { tagged.contains($0) }
        }
        let (held, free) = holders(of: keys, for: need, j)
        if !held.isEmpty { text += ". " + held.prefix(6).joined(separator: "; ") + (held.count > 6 ? "; and \(held.count - 6) more" : "") }
        if !free.isEmpty {
            let why = status == .optimal
                ? "the rest (\(list(free))) cannot complete it without breaking another rule or cost more than leaving it unmet under the day's weights"
                : "the search stopped before using \(list(free))"
            text += ". " + why
        }
        return text
    }

    /// For each resource, the chosen uses that keep it from this need.
    private func holders(of keys: [ResourceKey], for need: NeedDeclaration, _ j: Int) -> (held: [String], free: [String]) {
        var held: [String] = []
        var free: [String] = []
        // Each resource's usages in the need's candidates, in candidate order: one pass
        // (filtering the candidates per resource was quadratic: a host need has
        // hundreds of both, and 126 unmet needs took seconds at 1000 visits).
        var usagesOf: [ResourceKey: [Usage]] = [:]
        for c in need.candidates { for u in c.usages { usagesOf[u.resource, default: []].append(u) } }
        for key in keys {
            let spans = usagesOf[key] ?? []
            var holders: [String] = []
            for usage in spans {
                for other in uses[key] ?? [] where other.need != j && conflicts(key, usage, other.usage) {
                    let text = describe(other.need, other.usage)
                    if !holders.contains(text) { holders.append(text) }
                }
            }
            if let over = budgetExhausted(key, spans) { holders.append(over) }
            if holders.isEmpty { free.append(key.id) } else { held.append("\(key.id) is held by \(holders.prefix(3).joined(separator: ", "))") }
        }
        return (held, free)
    }

    private func uniqueResources(_ candidates: [Candidate]) -> [ResourceKey] {
        var seen = Set<ResourceKey>()
        var out: [ResourceKey] = []
        for c in candidates { for u in c.usages where seen.insert(u.resource).inserted { out.append(u.resource) } }
        return out
    }

    private func conflicts(_ key: ResourceKey, _ a: Usage, _ b: Usage) -> Bool {
        guard let resource = problem.resources[key] else { return false }
        switch resource.sharing {
        case .exclusive(let t):
            let (first, second) = a.span.start <= b.span.start ? (a, b) : (b, a)
            return Double(second.span.start) < Double(first.span.end) + t
        case .capacity(let capacity):
            guard a.span.overlaps(b.span) else { return false }
            let load = (uses[key] ?? []).filter { $0.usage.span.overlaps(a.span) }.reduce(0) { $0 + $1.usage.load }
            return load + a.load > capacity
        case .consumable(let stock):
            let used = (uses[key] ?? []).reduce(0) { $0 + $1.usage.load }
            return used + a.load > stock
        case .mobile:
            let (first, second) = a.span.start <= b.span.start ? (a, b) : (b, a)
            if first.span.overlaps(second.span) { return true }
            let gap = first.to.flatMap { f in second.from.flatMap { problem.day.travel.minutes(from: f, to: $0) } } ?? 0
            return second.span.start < first.span.end + gap
        }
    }

    private func budgetExhausted(_ key: ResourceKey, _ usages: [Usage]) -> String? {
        guard let budget = problem.resources[key]?.minuteBudget, let need = usages.map(\.budgetMinutes).max(), need > 0 else { return nil }
        let used = (uses[key] ?? []).reduce(0) { $0 + $1.usage.budgetMinutes }
        return Double(used + need) > budget ? "its \(JSONWriter.format(budget))-minute limit (\(used) used)" : nil
    }

    private func describe(_ j: Int, _ usage: Usage) -> String {
        let id = problem.needs[j].id
        let visit = problem.day.visits[id.visit]
        let place = id.segment.map { "\(visit.id) \(visit.segments[$0].id)" } ?? "\(visit.id) \(id.key)"
        return "\(place) \(usage.span)"
    }

    private func list(_ names: [String]) -> String {
        names.count <= 8 ? names.joined(separator: ", ") : names.prefix(8).joined(separator: ", ") + " and \(names.count - 8) more"
    }

    private func format(_ x: Double) -> String { JSONWriter.format(x) }
}
