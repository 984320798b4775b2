import SchedulingCore

/// Why a need is unmet, in terms a planner can act on: what it asks for, every
/// eligible resource and what holds each of them at that time in the plan, and
/// what the free ones could do together.
public struct UnmetDiagnosis: Sendable {
    /// One eligible resource and what keeps it from the need (nothing when free).
    public struct Holding: Sendable {
        /// The eligible resource.
        public var resource: ResourceKey
        /// Planner's sentences, e.g. `held by V-003 negotiation 10:00-11:30`; empty when free.
        public var blockers: [String]
        /// Whether nothing in the plan keeps it from the need.
        public var isFree: Bool { blockers.isEmpty }
    }

    /// Index of the need in ``Problem/needs``.
    public var need: Int
    /// `V-010 to-plant transport`.
    public var title: String
    /// What the need asks for, in the plugin's words.
    public var requirement: String
    /// The reason the plan gives, when it gives one.
    public var planReason: String?
    /// The short answer: why it could not be met.
    public var summary: String
    /// Every eligible resource, grouped by list and by id.
    public var holdings: [Holding]
    /// For a need by night (a visit's lodging), the resources of its kinds that
    /// are not eligible at all; empty otherwise.
    public var ineligible: [ResourceKey] = []
}

/// An approval with what makes it up: the cap's parts and what drove the spend.
public struct ApprovalExplanation: Sendable {
    /// The approval explained.
    public var approval: PlanApproval
    /// `1,000.00 per visit`, `80.00 × 5 guests`, `500.00 approved`; `day budget` for the day.
    public var capParts: [String]
    /// The choices that make up the spend, largest first: what and how much.
    public var drivers: [(what: String, amount: Double)]
}

/// A cheaper choice the plan did not take, and why it was not possible.
public struct Alternative: Sendable {
    /// Index of the candidate in the need's candidates.
    public var candidate: Int
    /// The chosen candidate it would replace.
    public var replaces: Int
    /// The candidate's cost plus its grade premium in the objective.
    public var score: Double
    /// What rules it out; empty when nothing in the plan does.
    public var reasons: [String]
}

/// One choice of a visit and the cheaper alternatives that were not possible.
public struct ChoiceExplanation: Sendable {
    /// Index of the need in ``Problem/needs``.
    public var need: Int
    /// The chosen candidates.
    public var chosen: [Int]
    /// Cheaper eligible candidates, cheapest first, each with why it was not taken.
    public var alternatives: [Alternative]
    /// Resources of the same lists that are not eligible for the need at all.
    public var ineligible: [ResourceKey]
}

/// The cost of one visit and, for each choice, the cheaper alternatives that
/// were not possible and why: the answer to "why does V-017 cost this much?".
public struct VisitExplanation: Sendable {
    /// One category of the visit's spend against its cap.
    public struct CategoryLine: Sendable {
        /// The cost category.
        public var category: String
        /// What the visit spends in it.
        public var spend: Double
        /// Its cap, `nil` when the tier has none for it.
        public var cap: Double?
        /// The cap's parts, for people.
        public var capParts: [String]
        /// `max(0, spend - cap)`.
        public var overrun: Double
    }

    /// Index of the visit in the day.
    public var visit: Int
    /// Each cost category of the day: spend against the cap.
    public var categories: [CategoryLine]
    /// Every chosen candidate with a cost or a grade above the minimum: need, candidate.
    public var costLines: [(need: Int, candidate: Int)]
    /// Grade steps above the tier's minimums, summed over the visit's choices.
    public var overGrade: Double
    /// Needs of the visit that are not met.
    public var unmet: [UnmetDiagnosis]
    /// Each met need of the visit with its cheaper alternatives.
    public var choices: [ChoiceExplanation]

    /// Cost plus the weighted grade premium, overruns and unmet needs: the visit's share of the objective.
    public func objectiveShare(_ weights: ObjectiveWeights) -> Double {
        categories.reduce(0) { $0 + $1.spend } + weights.overGrade * overGrade
            + weights.overrun * categories.reduce(0) { $0 + $1.overrun } + weights.unmet * Double(unmet.count)
    }
}

extension DayPlan {
    // MARK: Unmet needs

    /// Why need `j` is unmet, from the plan's uses of every eligible resource.
    public func diagnose(need j: Int) -> UnmetDiagnosis {
        let need = problem.needs[j]
        let occupancy = Occupancy(self)
        var diagnosis = UnmetDiagnosis(need: j, title: title(ofNeed: j), requirement: need.requirement,
                                       planReason: unmetReasons[j], summary: "", holdings: [])
        guard !need.candidates.isEmpty else {
            diagnosis.summary = need.ineligibility ?? "nothing in the day is eligible"
            return diagnosis
        }
        // Blockers by resource, over the distinct uses the candidates would make.
        var keys: [ResourceKey] = []
        var blockers: [ResourceKey: [String]] = [:]
        var seenUsage = Set<Usage>()
        for candidate in need.candidates {
            for usage in candidate.usages {
                if blockers[usage.resource] == nil {
                    keys.append(usage.resource)
                    blockers[usage.resource] = []
                }
                guard seenUsage.insert(usage).inserted else { continue }
                for b in occupancy.blockers(usage, ignoring: { $0.need == j }) {
                    let text = occupancy.describe(b)
                    if blockers[usage.resource]?.contains(text) == false { blockers[usage.resource, default: []].append(text) }
                }
            }
        }
        let groupOrder = catalog.groups.map(\.name)
        // Those with a required property first (the scarce part), then by list and id.
        let tagged = Set(need.requiredTag.map { tag in need.candidates.filter { $0.tags.contains(tag.tag) }.flatMap(\.assigned) } ?? [])
        keys.sort { a, b in
            if tagged.contains(a) != tagged.contains(b) { return tagged.contains(a) }
            let ga = groupOrder.firstIndex(of: catalog[a].group) ?? .max, gb = groupOrder.firstIndex(of: catalog[b].group) ?? .max
            return ga != gb ? ga < gb : a.id < b.id
        }
        diagnosis.holdings = keys.map { UnmetDiagnosis.Holding(resource: $0, blockers: blockers[$0] ?? []) }
        if !self.nights(ofNeed: j).isEmpty {
            // By night, the resources of the kind that the need cannot use at all (a
            // hotel without a block on one of the nights) are part of the answer.
            diagnosis.ineligible = ineligible(need: j, catalog: catalog)
        }

        // What the free candidates could do together.
        let taken = takenResources(excludingNeed: j, forVisit: need.id.visit, distinctFrom: need.distinctFrom)
        let usable = need.candidates.indices.filter { i in
            need.candidates[i].usages.allSatisfy { blockers[$0.resource]?.isEmpty ?? true }
                && need.candidates[i].assigned.allSatisfy { taken[$0] == nil }
        }
        let excludedAsOther = need.candidates.indices.filter { i in need.candidates[i].assigned.contains { taken[$0] != nil } }
        let otherNote = excludedAsOther.isEmpty ? "" : " (" + Pretty.list(Array(Set(excludedAsOther.flatMap { need.candidates[$0].assigned.filter { taken[$0] != nil } })).sorted().map { "\($0.id) is the visit's \(taken[$0] ?? "")" }) + ")"
        let all = Set(need.candidates.flatMap { $0.usages.map(\.resource) })
        // When: the need's time, or its nights for a need by night (a visit's lodging).
        let nights = self.nights(ofNeed: j)
        let then = nights.isEmpty ? "then" : "on \(Nights.describe(nights))"
        let free = keys.filter { blockers[$0]?.isEmpty ?? true }
        switch need.rule {
        case .exactly(let n):
            let freeLabels = usable.map { need.candidates[$0].label }
            if need.candidates.count < n {
                diagnosis.summary = "it needs \(n) but only \(need.candidates.count) \(need.candidates.count == 1 ? "is" : "are") eligible at all"
            } else if usable.count < n {
                let noneFree = all.count == 1 ? "the only eligible one, \(all.first?.id ?? ""), is not free \(then)" : "none of the \(all.count) eligible is free \(then)"
                diagnosis.summary = (usable.isEmpty ? noneFree : "only \(usable.count) of the eligible \(usable.count == 1 ? "is" : "are") free \(then) (\(Pretty.list(freeLabels, limit: 6))); \(n) needed") + otherNote
            } else if let tag = need.requiredTag, !usable.contains(where: { need.candidates[$0].tags.contains(tag.tag) }) {
                let tagged = need.candidates.filter { $0.tags.contains(tag.tag) }.map(\.label)
                diagnosis.summary = tagged.isEmpty
                    ? "nobody eligible can \(tag.phrase)"
                    : "of those who \(tag.phrase) (\(Pretty.list(tagged, limit: 6))) none is free \(then)"
            } else {
                diagnosis.summary = combinable(usable, need) == false
                    ? "\(Pretty.list(freeLabels, limit: 6)) \(usable.count == 1 ? "is" : "are") free \(then), but no \(n) of them can be combined as the need's own rules require"
                    : leftUnmetAnyway("\(Pretty.list(freeLabels, limit: 6)) \(usable.count == 1 ? "is" : "are") free \(then)")
            }
            if let tag = need.requiredTag, usable.count < n {
                let speakers = need.candidates.indices.filter { need.candidates[$0].tags.contains(tag.tag) }
                let free = speakers.filter(usable.contains)
                if speakers.isEmpty {
                    diagnosis.summary += "; and nobody eligible can \(tag.phrase)"
                } else {
                    diagnosis.summary += "; of those who \(tag.phrase) (\(Pretty.list(speakers.map { need.candidates[$0].label }, limit: 6))) "
                        + (free.isEmpty ? "none is free" : "\(Pretty.list(free.map { need.candidates[$0].label })) \(free.count == 1 ? "is" : "are") free")
                }
            }
        case .cover(let demand):
            let total = need.candidates.reduce(0) { $0 + $1.weight }
            var picked: [Int] = []
            var used = Set<ResourceKey>()
            for i in usable.sorted(by: { need.candidates[$0].weight > need.candidates[$1].weight }) where need.candidates[i].assigned.allSatisfy({ !used.contains($0) }) {
                picked.append(i)
                used.formUnion(need.candidates[i].assigned)
            }
            let reach = picked.reduce(0) { $0 + need.candidates[$1].weight }
            if total < demand {
                diagnosis.summary = "all eligible together offer only \(Pretty.number(total)) of the \(Pretty.number(demand)) needed"
            } else if picked.isEmpty {
                diagnosis.summary = "no eligible combination is free \(then)" + bottleneck(keys: keys, free: free)
            } else if reach < demand {
                let offering = picked.filter { need.candidates[$0].weight > 0 }
                diagnosis.summary = "the free ones offer at most \(Pretty.number(reach)) of the \(Pretty.number(demand)) needed (\(Pretty.list(offering.map { "\(label(need.candidates[$0])): \(Pretty.number(need.candidates[$0].weight))" })))"
            } else {
                let offer = "\(Pretty.list(picked.map { label(need.candidates[$0]) })) \(picked.count == 1 ? "is" : "are") free \(then) and offer \(Pretty.number(reach)) of \(Pretty.number(demand))"
                let others = usable.filter { !picked.contains($0) && need.candidates[$0].weight == 0 }.map { label(need.candidates[$0]) }
                diagnosis.summary = combinable(usable, need) == false
                    ? offer + (others.isEmpty ? "" : " with \(Pretty.list(others, limit: 6)) free too") + ", but no combination of them meets the need's own rules (how its choices go together)"
                    : leftUnmetAnyway(offer)
            }
        }
        return diagnosis
    }

    /// `: no drivers are free (vehicles free: CAR-002 and CAR-008)`: the lists of
    /// which nothing eligible is free, and what is free in the others.
    private func bottleneck(keys: [ResourceKey], free: [ResourceKey]) -> String {
        var groups: [String] = []
        for key in keys where !groups.contains(catalog[key].group) { groups.append(catalog[key].group) }
        let empty = groups.filter { g in !free.contains { catalog[$0].group == g } }
        let others = groups.filter { !empty.contains($0) }.map { g in
            "\(g) free: \(Pretty.list(free.filter { catalog[$0].group == g }.map(\.id), limit: 6))"
        }
        guard !empty.isEmpty else { return others.isEmpty ? "" : " (\(others.joined(separator: "; ")))" }
        return ": no \(Pretty.list(empty, conjunction: "or")) \(empty.count == 1 && !empty[0].hasSuffix("s") ? "is" : "are") free"
            + (others.isEmpty ? "" : " (\(others.joined(separator: "; ")))")
    }

    /// Whether some of `pool` together meet the need's rule and constraints;
    /// `nil` when there are too many to try them all.
    private func combinable(_ pool: [Int], _ need: NeedDeclaration) -> Bool? {
        guard pool.count <= 16 else { return nil }
        if need.constraints.isEmpty {
            switch need.rule {
            case .exactly(let n): return pool.count >= n
            case .cover(let demand): return pool.reduce(0) { $0 + need.candidates[$1].weight } >= demand - 1e-9
            }
        }
        for mask in 1..<(1 << pool.count) {
            let subset = pool.indices.filter { mask & (1 << $0) != 0 }.map { pool[$0] }
            if PlanValues.satisfies(subset, need) { return true }
        }
        return false
    }

    private func leftUnmetAnyway(_ fact: String) -> String {
        switch header.status {
        case "optimal":
            return fact + ", but using them breaks a rule elsewhere in the plan (the same resource on a visit's other needs, travel between uses) or costs more than the day's weight for an unmet need"
        default:
            return fact + "; the search stopped (status \(header.status)) before using them: a longer run may meet it"
        }
    }

    /// Resources a visit's other needs hold that `distinctFrom` says this need
    /// may not use (an escort is never the host): resource to need key.
    private func takenResources(excludingNeed j: Int, forVisit visit: Int, distinctFrom: [String]) -> [ResourceKey: String] {
        var out: [ResourceKey: String] = [:]
        for k in needs(ofVisit: visit) where k != j && problem.needs[k].id.segment == nil && distinctFrom.contains(problem.needs[k].id.key) {
            for i in outcomes[k].chosen { for key in problem.needs[k].candidates[i].assigned { out[key] = problem.needs[k].id.key } }
        }
        return out
    }

    // MARK: Approvals

    /// The cap's parts and what drove the spend of an approval.
    public func explain(_ approval: PlanApproval) -> ApprovalExplanation {
        let day = problem.day
        guard let v = approval.visit else {
            // The day budget: spend by visit (on that day of a programme), largest first.
            let drivers = day.visits.map { visit in
                let amount = approval.day.map { k in visitDaySpend[visit.index].indices.contains(k - 1) ? visitDaySpend[visit.index][k - 1] : 0 }
                    ?? visitSpend[visit.index].values.reduce(0, +)
                return (what: "\(visit.label)", amount: amount)
            }.filter { $0.amount > 0 }.sorted { $0.amount > $1.amount }
            return ApprovalExplanation(approval: approval, capParts: ["day budget"], drivers: drivers)
        }
        let visit = day.visits[v]
        var drivers: [(what: String, amount: Double)] = []
        for j in needs(ofVisit: v) {
            for i in outcomes[j].chosen {
                let c = problem.needs[j].candidates[i]
                guard c.category == approval.category, c.cost > 0 else { continue }
                drivers.append(("\(choicePlace(j)) \(label(c))", c.cost))
            }
        }
        drivers.sort { $0.amount > $1.amount }
        return ApprovalExplanation(approval: approval, capParts: capParts(visit: visit, category: approval.category), drivers: drivers)
    }

    /// `1,000.00 per visit`, `80.00 × 5 guests`, `500.00 approved`.
    public func capParts(visit: Visit, category: String) -> [String] {
        guard let limit = problem.day.policy.tier(visit.tier).limits[category] else { return [] }
        var parts: [String] = []
        if limit.perVisit > 0 { parts.append("\(Money.format(limit.perVisit)) per visit") }
        if limit.perGuest > 0 { parts.append("\(Money.format(limit.perGuest)) × \(Pretty.plural(visit.guests, "guest"))") }
        if let allowance = problem.capAllowances[visit.index]?[category], allowance > 0 {
            parts.append(allowanceText(allowance, visit: visit, category: category))
        }
        if let approved = visit.approvedOverrun[category], approved > 0 { parts.append("\(Money.format(approved)) approved") }
        return parts.isEmpty ? ["0"] : parts
    }

    /// What a plugin adds to a visit's cap (``CapAllowance``), in words: `900.00 ×
    /// 3 guests × 2 nights` when the tier's limit has one per-guest rate by nights
    /// (lodging's `perGuestNight`) that explains the amount, else `5,400.00 for nights`
    /// when the visit's needs are by night, else `5,400.00 allowed by the tier`.
    func allowanceText(_ allowance: Double, visit: Visit, category: String) -> String {
        let nights = needs(ofVisit: visit.index).map { self.nights(ofNeed: $0).count }.max() ?? 0
        let raw = problem.day.policy.tier(visit.tier).fields["limits"]?.objectValue?[category]?.objectValue
        let rates = raw?.members.compactMap { m -> Double? in
            guard m.key.hasPrefix("perGuest"), m.key != "perGuest", case .number(let n) = m.value else { return nil }
            return n
        } ?? []
        if nights > 0, rates.count == 1, let rate = rates.first, abs(rate * Double(visit.guests) * Double(nights) - allowance) < 1e-6 {
            return "\(Money.format(rate)) × \(Pretty.plural(visit.guests, "guest")) × \(Pretty.plural(nights, "night"))"
        }
        return "\(Money.format(allowance)) " + (nights > 0 ? "for nights" : "allowed by the tier")
    }

    /// `lunch 12:00-13:30 catering` for a segment's need; `host`, or `lodging
    /// nights 1-2` for a visit-level need by night.
    func choiceTitle(_ j: Int) -> String {
        let id = problem.needs[j].id
        guard id.segment == nil else { return "\(choicePlace(j)) \(id.key)" }
        let nights = self.nights(ofNeed: j)
        return nights.isEmpty ? id.key : "\(id.key) \(Nights.describe(nights))"
    }

    /// `lunch 12:00-13:30` for a segment's need, `host` for a visit-level one.
    func choicePlace(_ j: Int) -> String {
        let id = problem.needs[j].id
        guard let s = id.segment else { return id.key }
        let segment = problem.day.visits[id.visit].segments[s]
        return "\(segment.id) \(segment.span)"
    }

    // MARK: One visit

    /// A visit's cost breakdown and, for each choice, the cheaper alternatives
    /// that were not possible and why.
    public func explain(visit v: Int) -> VisitExplanation {
        let visit = problem.day.visits[v]
        let weights = problem.day.policy.weights
        var categories: [VisitExplanation.CategoryLine] = []
        for category in problem.categories {
            let spend = visitSpend[v][category] ?? 0
            let cap = problem.cap(visit: visit, category: category)
            categories.append(.init(category: category, spend: spend, cap: cap,
                                    capParts: cap == nil ? [] : capParts(visit: visit, category: category),
                                    overrun: cap.map { max(0, spend - $0) } ?? 0))
        }
        var lines: [(Int, Int)] = []
        var overGrade = 0.0
        var choices: [ChoiceExplanation] = []
        var unmet: [UnmetDiagnosis] = []
        let occupancy = Occupancy(self)
        for j in needs(ofVisit: v) {
            let need = problem.needs[j]
            guard !need.isTrivial else { continue }
            if !outcomes[j].isMet { unmet.append(diagnose(need: j)) }
            let chosen = outcomes[j].chosen
            for i in chosen {
                overGrade += need.candidates[i].overGrade
                if need.candidates[i].cost > 0 || need.candidates[i].overGrade > 0 { lines.append((j, i)) }
            }
            guard !chosen.isEmpty else { continue }
            choices.append(ChoiceExplanation(need: j, chosen: chosen,
                                             alternatives: alternatives(need: j, chosen: chosen, weights: weights, occupancy: occupancy),
                                             ineligible: ineligible(need: j, catalog: catalog)))
        }
        return VisitExplanation(visit: v, categories: categories, costLines: lines, overGrade: overGrade, unmet: unmet, choices: choices)
    }

    /// A candidate's cost plus its grade premium in the objective.
    public func score(_ c: Candidate) -> Double { c.cost + problem.day.policy.weights.overGrade * c.overGrade }

    /// Unchosen candidates cheaper than a chosen one, each with what rules it
    /// out as a replacement for that choice.
    private func alternatives(need j: Int, chosen: [Int], weights: ObjectiveWeights, occupancy: Occupancy) -> [Alternative] {
        let need = problem.needs[j]
        let taken = takenResources(excludingNeed: j, forVisit: need.id.visit, distinctFrom: need.distinctFrom)
        var out: [Alternative] = []
        var seen = Set<Int>()
        for c in chosen.sorted(by: { score(need.candidates[$0]) > score(need.candidates[$1]) }) {
            let current = need.candidates[c]
            let rest = chosen.filter { $0 != c }
            let held = Set(rest.flatMap { need.candidates[$0].assigned })
            let kinds = Set(current.assigned.map(\.kind))
            for a in need.candidates.indices where !chosen.contains(a) && !seen.contains(a) {
                let alt = need.candidates[a]
                // A replacement of the same sort: a vehicle for a vehicle, a pair for a pair.
                guard score(alt) < score(current) - 1e-9, Set(alt.assigned.map(\.kind)) == kinds else { continue }
                var reasons: [String] = []
                if case .cover(let demand) = need.rule {
                    let offered = rest.reduce(0) { $0 + need.candidates[$1].weight } + alt.weight
                    if offered < demand { reasons.append("instead of \(current.label) it leaves \(Pretty.number(offered)) of the \(Pretty.number(demand)) needed") }
                }
                for key in alt.assigned where held.contains(key) {
                    reasons.append("\(key.id) is already one of this need's other choices")
                }
                for key in alt.assigned {
                    if let what = taken[key] { reasons.append("\(key.id) is the visit's \(what)") }
                }
                if !need.constraints.isEmpty, !need.constraints.allSatisfy({ $0.holds(for: rest + [a]) }) {
                    reasons.append("with it instead of \(label(current)) the need's own rules on combining its choices do not hold")
                }
                if let tag = need.requiredTag, current.tags.contains(tag.tag), !alt.tags.contains(tag.tag),
                   !rest.contains(where: { need.candidates[$0].tags.contains(tag.tag) }) {
                    reasons.append("without \(current.label) nobody chosen can \(tag.phrase)")
                }
                // The plan's other uses of its resources; this need's own uses are
                // replaced or counted above.
                for usage in alt.usages {
                    for b in occupancy.blockers(usage, ignoring: { $0.need == j }) {
                        let text = "\(usage.resource.id): " + occupancy.describe(b)
                        if !reasons.contains(text) { reasons.append(text) }
                    }
                }
                seen.insert(a)
                out.append(Alternative(candidate: a, replaces: c, score: score(alt), reasons: reasons))
            }
        }
        return out.sorted { ($0.score, $0.candidate) < ($1.score, $1.candidate) }
    }

    /// Resources of the lists a need draws from that are not among its candidates.
    private func ineligible(need j: Int, catalog: ResourceCatalog) -> [ResourceKey] {
        let need = problem.needs[j]
        let eligible = Set(need.candidates.flatMap(\.assigned))
        let kinds = Set(eligible.map(\.kind))
        return problem.resources.keys.filter { kinds.contains($0.kind) && !eligible.contains($0) }.sorted()
    }
}
