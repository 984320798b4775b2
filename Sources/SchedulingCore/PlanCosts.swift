/// What a selection costs, as its plan states it (PROBLEM.md §5 and §6): each
/// visit's spend and overruns, the approvals they need, the totals and the
/// objective. A pure function of the selection and the day, computed in one
/// place: ``PlanAssembler`` writes these figures into the plan, and
/// ``PlanAssembler/objective(of:in:)`` gives optimizers the same objective
/// without the rest of a plan (its document and the reasons for unmet needs).
struct PlanCosts {
    /// Each visit's spend per cost category, by visit index.
    var visitCosts: [[String: Double]]
    /// Each visit's overruns (category, amount) in the order of the categories, by visit index.
    var visitOverruns: [[(String, Double)]]
    /// The overruns that need approval: the visits' in order, then the day budget's.
    var approvals: [ApprovalNeeded]
    var totals: PlanTotals
    /// `cost + overGrade·w + (overrun + dayOverrun)·w + unmet·w` with the day's weights,
    /// plus `change·w` for each changed need of a replan (§10).
    var objective: Double
    /// The needs a replan changed (indices into ``Problem/needs``); empty otherwise.
    var changed: [Int] = []

    /// The costs of `selection` (one entry per need of `problem`).
    ///
    /// Sums run in a fixed order (needs, then visits and categories), which is
    /// what makes the objective the same to the bit wherever it is computed.
    init(_ selection: Selection, in problem: Problem) {
        let day = problem.day
        let weights = day.policy.weights
        let categories = problem.categories

        var visitCosts: [[String: Double]] = Array(repeating: [:], count: day.visits.count)
        var overGrade = 0.0
        var unmetCount = 0
        // Spend by programme day, for the per-day budget of a programme (§9).
        var daySpend = [Double](repeating: 0, count: day.days + 1)
        for (j, need) in problem.needs.enumerated() {
            guard let chosen = selection.chosen[j] else { unmetCount += 1; continue }
            for i in chosen {
                let c = need.candidates[i]
                overGrade += c.overGrade
                if let category = c.category { visitCosts[need.id.visit][category, default: 0] += c.cost }
                if day.days > 1, c.category != nil {
                    for part in problem.costByDay(of: i, in: need) where daySpend.indices.contains(part.day) { daySpend[part.day] += part.amount }
                }
            }
        }
        var approvals: [ApprovalNeeded] = []
        var visitOverruns: [[(String, Double)]] = Array(repeating: [], count: day.visits.count)
        var totalOverrun = 0.0
        var byCategory = categories.map { (category: $0, amount: 0.0) }
        for visit in day.visits {
            for (k, category) in categories.enumerated() {
                let spend = visitCosts[visit.index][category] ?? 0
                byCategory[k].amount += spend
                if let cap = problem.cap(visit: visit, category: category), spend > cap + 1e-9 {
                    let over = spend - cap
                    visitOverruns[visit.index].append((category, over))
                    totalOverrun += over
                    approvals.append(ApprovalNeeded(visit: visit.id, category: category, amount: over))
                }
            }
        }
        let cost = byCategory.reduce(0) { $0 + $1.amount }
        var dayOverrun = 0.0
        if let budget = day.policy.dayBudget {
            // A one-day file's day spends the whole cost, summed as above.
            let spends = day.days > 1 ? Array(daySpend.dropFirst()) : [cost]
            for (k, spend) in spends.enumerated() where spend > budget + 1e-9 {
                dayOverrun += spend - budget
                approvals.append(ApprovalNeeded(visit: nil, category: "day", amount: spend - budget,
                                                day: day.isProgramme ? k + 1 : nil))
            }
        }
        objective = cost + weights.overGrade * overGrade + weights.overrun * (totalOverrun + dayOverrun) + weights.unmet * Double(unmetCount)
        if let replanning = problem.replanning {
            changed = problem.needs.indices.filter { replanning.changed($0, chosen: selection.chosen[$0]) }
            objective += replanning.weight * Double(changed.count)
        }
        totals = PlanTotals(cost: cost, byCategory: byCategory, overGrade: overGrade, overrun: totalOverrun,
                            dayOverrun: dayOverrun, unmet: unmetCount)
        self.visitCosts = visitCosts
        self.visitOverruns = visitOverruns
        self.approvals = approvals
    }
}

extension PlanAssembler {
    /// The objective of `selection` exactly as its plan will state it: the same
    /// sums in the same order as ``assemble(_:result:solverName:)``, so the two
    /// agree to the bit. For optimizers comparing selections: it assembles no
    /// plan (no document, no reasons for unmet needs).
    ///
    /// - Parameters:
    ///   - selection: one entry per need of `problem` (`nil`: unmet).
    ///   - problem: the day the selection is for.
    public static func objective(of selection: Selection, in problem: Problem) -> Double {
        PlanCosts(selection, in: problem).objective
    }
}
