/// A need left unmet, with a reason a planner can act on.
public struct UnmetNeed: Sendable, Hashable {
    public var visit: String
    public var segment: String?
    public var need: String
    public var reason: String
}

/// A need whose value a replan changed (PROBLEM.md §10).
public struct PlanChange: Sendable, Equatable {
    public var visit: String
    /// `nil` for visit-level needs.
    public var segment: String?
    public var need: String
    /// The value in the plan being carried out, and in this plan (`null`: unmet).
    public var before: JSONValue
    public var after: JSONValue
    public var why: Replanning.Reason
}

/// An overrun that needs prior approval; `visit == nil` for the day budget.
public struct ApprovalNeeded: Sendable, Hashable {
    public var visit: String?
    public var category: String
    public var amount: Double
    /// The programme day of a day-budget overrun (version-2 plans only, §9).
    public var day: Int? = nil
}

/// The totals of PROBLEM.md §6.
public struct PlanTotals: Sendable, Hashable {
    public var cost: Double
    public var byCategory: [(category: String, amount: Double)]
    public var overGrade: Double
    public var overrun: Double
    public var dayOverrun: Double
    public var unmet: Int

    public static func == (a: PlanTotals, b: PlanTotals) -> Bool {
        a.cost == b.cost && a.overGrade == b.overGrade && a.overrun == b.overrun && a.dayOverrun == b.dayOverrun
            && a.unmet == b.unmet && a.byCategory.map(\.category) == b.byCategory.map(\.category)
            && a.byCategory.map(\.amount) == b.byCategory.map(\.amount)
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(cost) }
}

/// A complete plan (PROBLEM.md §6) and its JSON form.
public struct Plan: Sendable {
    public var status: OptimizationStatus
    public var objective: Double
    public var bound: Double?
    public var totals: PlanTotals
    public var unmet: [UnmetNeed]
    public var approvalsNeeded: [ApprovalNeeded]
    public var solverName: String
    public var seconds: Double
    public var statistics: ModelStatistics?
    /// The needs a replan changed, in need order; empty for a plan made from scratch.
    public var changes: [PlanChange] = []
    /// The document written to `plan.json`.
    public var json: JSONValue

    /// Relative gap between objective and bound, when a bound is known.
    public var gap: Double? {
        guard let bound else { return nil }
        return max(0, objective - bound) / max(1, abs(objective))
    }
}

/// Turns a selection into a plan: costs, caps, overruns, approvals, totals,
/// objective and the reasons for unmet needs. The figures come from one pure
/// function of the selection, which ``objective(of:in:)`` also uses.
public enum PlanAssembler {
    /// The plan of `result`'s selection (every need unmet when it holds none),
    /// with its status checked against its bound.
    public static func assemble(_ problem: Problem, result: OptimizationResult, solverName: String) -> Plan {
        let selection = result.selection ?? Selection.allUnmet(problem)
        let day = problem.day
        let costs = PlanCosts(selection, in: problem)
        let objective = costs.objective

        let explainer = UnmetExplainer(problem: problem, selection: selection, status: result.status)
        var unmet: [UnmetNeed] = []
        for (j, need) in problem.needs.enumerated() where selection.chosen[j] == nil {
            let visit = day.visits[need.id.visit]
            unmet.append(UnmetNeed(visit: visit.id, segment: need.id.segment.map { visit.segments[$0].id },
                                   need: need.id.key, reason: explainer.reason(for: j)))
        }

        var status = result.status
        // The solver's bound can exceed the recomputed objective by rounding only: clamp
        // within that tolerance, and leave a real disagreement visible to the checker.
        let tolerance = 1e-9 * max(1, abs(objective))
        let bound = result.bound.flatMap { $0.isFinite && abs($0) < 1e300 ? $0 : nil }
            .map { $0 > objective && $0 - objective <= tolerance ? objective : $0 }
        if status == .optimal, bound.map({ objective - $0 > 1e-6 * max(1, abs(objective)) }) ?? true {
            // Never call a plan optimal that the bound does not prove.
            status = .feasible
        }

        var plan = Plan(status: status, objective: objective, bound: bound, totals: costs.totals, unmet: unmet,
                        approvalsNeeded: costs.approvals, solverName: solverName, seconds: result.seconds,
                        statistics: result.statistics, json: .null)
        let doc = document(problem, selection: selection, plan: plan, visitCosts: costs.visitCosts, visitOverruns: costs.visitOverruns)
        guard let replanning = problem.replanning, case .object(var object) = doc else {
            plan.json = doc
            return plan
        }
        // A replan's changes (§10), their values read from the document just built,
        // listed before the solver.
        let view = PlanView(document: object)
        for j in costs.changed {
            let need = problem.needs[j], visit = day.visits[need.id.visit]
            let segment = need.id.segment.map { visit.segments[$0].id }
            let after = view.value(of: need.id, in: day) ?? .null
            plan.changes.append(PlanChange(visit: visit.id, segment: segment, need: need.id.key,
                                           before: replanning.earlier[j] ?? .null, after: after, why: replanning.reason(j)))
        }
        let changes = JSONValue.array(plan.changes.map { c in
            var o = JSONObject([(key: "visit", value: .string(c.visit))])
            if let s = c.segment { o["segment"] = .string(s) }
            o["need"] = .string(c.need)
            o["before"] = c.before
            o["after"] = c.after
            o["why"] = .string(c.why.rawValue)
            return .object(o)
        })
        object.members.insert((key: "changes", value: changes), at: max(0, object.members.count - 1))
        plan.json = .object(object)
        return plan
    }

    private static func document(_ problem: Problem, selection: Selection, plan: Plan,
                                 visitCosts: [[String: Double]], visitOverruns: [[(String, Double)]]) -> JSONValue {
        let day = problem.day
        let needsByVisit = problem.needsByVisit

        func value(_ j: Int) -> JSONValue {
            let need = problem.needs[j]
            guard let chosen = selection.chosen[j] else { return .null }
            switch need.shape {
            case .single: return chosen.first.map { need.candidates[$0].value } ?? .null
            case .list: return .array(chosen.map { need.candidates[$0].value })
            case .custom(let render): return render(chosen)
            }
        }

        var visits: [JSONValue] = []
        for visit in day.visits {
            let needs = needsByVisit[visit.index] ?? []
            var entry = JSONObject([(key: "id", value: .string(visit.id))])
            for j in needs where problem.needs[j].id.segment == nil {
                entry[problem.needs[j].id.key] = value(j)
            }
            var segments: [JSONValue] = []
            for segment in visit.segments {
                let own = needs.filter { problem.needs[$0].id.segment == segment.index }
                guard !own.isEmpty else { continue }
                var s = JSONObject([(key: "id", value: .string(segment.id))])
                // Keys in the order the day lists them.
                for key in segment.needs.keys {
                    if let j = own.first(where: { problem.needs[$0].id.key == key }) { s[key] = value(j) }
                }
                for j in own where s[problem.needs[j].id.key] == nil { s[problem.needs[j].id.key] = value(j) }
                segments.append(.object(s))
            }
            entry["segments"] = .array(segments)
            entry["costs"] = .object(JSONObject(problem.categories.map { (key: $0, value: .number(visitCosts[visit.index][$0] ?? 0)) }))
            entry["overruns"] = .object(JSONObject(visitOverruns[visit.index].map { (key: $0.0, value: .number($0.1)) }))
            visits.append(.object(entry))
        }

        let totals = plan.totals
        var members: [(String, JSONValue)] = [
            ("schemaVersion", .number(Double(day.isProgramme ? 2 : 1))),
            ("status", .string(plan.status.rawValue)),
            ("objective", .number(plan.objective)),
            ("bound", plan.bound.map { .number($0) } ?? .null),
            ("totals", .object(JSONObject([
                ("cost", .number(totals.cost)),
                ("byCategory", .object(JSONObject(totals.byCategory.map { (key: $0.category, value: .number($0.amount)) }))),
                ("overGrade", .number(totals.overGrade)),
                ("overrun", .number(totals.overrun)),
                ("dayOverrun", .number(totals.dayOverrun)),
                ("unmet", .number(Double(totals.unmet))),
            ]))),
            ("visits", .array(visits)),
            ("unmet", .array(plan.unmet.map { u in
                var o = JSONObject([(key: "visit", value: .string(u.visit))])
                if let s = u.segment { o["segment"] = .string(s) }
                o["need"] = .string(u.need)
                o["reason"] = .string(u.reason)
                return .object(o)
            })),
            ("approvalsNeeded", .array(plan.approvalsNeeded.map { a in
                var o = JSONObject([
                    ("visit", a.visit.map { .string($0) } ?? .null),
                    ("category", .string(a.category)),
                ])
                if let k = a.day { o["day"] = .number(Double(k)) }
                o["amount"] = .number(a.amount)
                return .object(o)
            })),
        ]
        // The visits that need a special reception plan, only on a day whose policy
        // says which do: plans of other days keep their bytes.
        if day.policy.specialPlans != nil {
            members.append(("specialPlans", .array(day.specialPlanRequirements.map { r in
                .object(JSONObject([
                    (key: "visit", value: .string(r.visit)),
                    (key: "reasons", value: .array(r.reasons.map { .string($0.description) })),
                ]))
            })))
        }
        // No `seconds`: the plan's bytes depend only on the day and the options
        // (docs/readings.md); the time is in the summary on stderr.
        members.append(("solver", .object(JSONObject([
            ("plugin", .string(plan.solverName)),
        ]))))
        return .object(JSONObject(members.map { (key: $0.0, value: $0.1) }))
    }
}
