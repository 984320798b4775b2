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
            var over: String?
            let others = (uses[key] ?? []).filter { $0.need != j }
            for usage in spans {
                let conflicts = problem.resources[key]?.conflicts(of: usage, with: others.map(\.usage), travel: problem.day.travel) ?? []
                for conflict in conflicts {
                    if case .budget(let used, _, let budget) = conflict.cause {
                        over = over ?? "its \(format(budget))-minute limit (\(used) used)"
                    }
                }
                // In the plan's order of uses, whatever the rule that each one breaks.
                let holding = Set(conflicts.flatMap(\.holders))
                for (k, other) in others.enumerated() where holding.contains(k) {
                    let text = describe(other.need, other.usage)
                    if !holders.contains(text) { holders.append(text) }
                }
            }
            if let over { holders.append(over) }
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
