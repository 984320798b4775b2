import SchedulingCore

/// Why a day and a plan cannot be reported on, with a message that says what to do.
public struct PlanReportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, for callers that react differently (a CLI exit code, a test).
    public enum Kind: String, Sendable, Equatable {
        /// The plan file is not JSON.
        case planSyntax
        /// The plan is JSON but not shaped like `plan.json` (PROBLEM.md §6).
        case planShape
        /// The plan names none of the day's visits: it belongs to another day.
        case planForAnotherDay
        /// `--visit` names a visit that the day does not have.
        case unknownVisit
        /// `--resource` names a resource that the day does not have.
        case unknownResource
    }

    /// What went wrong.
    public var kind: Kind
    /// One sentence naming the place and the fix.
    public var message: String

    /// An error of `kind` with a message that names the place and the fix.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The message.
    public var description: String { message }
}

/// What a plan did with one need of the day.
public enum NeedOutcome: Sendable, Equatable {
    /// Met with these candidates (indices into the need's ``NeedDeclaration/candidates``).
    case met([Int])
    /// `null` in the plan: the plan leaves the need unmet.
    case unmet
    /// The plan has no entry for the need at all.
    case absent
    /// The plan names values that are not eligible candidates of the need
    /// (shown as JSON excerpts); `matched` are the ones that are.
    case unrecognized(values: [String], matched: [Int])
    /// The plan's choices are eligible but together do not meet the need (too
    /// few, too few seats, or they break the need's rules on combining them).
    case insufficient([Int])

    /// The candidates the plan uses, eligible or not.
    public var chosen: [Int] {
        switch self {
        case .met(let c): return c
        case .unrecognized(_, let matched): return matched
        case .insufficient(let c): return c
        case .unmet, .absent: return []
        }
    }

    /// Whether the plan meets the need with eligible candidates only.
    public var isMet: Bool {
        if case .met = self { return true }
        return false
    }
}

/// One use of a resource by the plan: a candidate's ``Usage`` that the plan chose.
public struct ResourceUse: Sendable, Hashable {
    /// Index of the need in ``Problem/needs``.
    public var need: Int
    /// Index of the chosen candidate in the need's candidates.
    public var candidate: Int
    /// The candidate's use of the resource: when, where from and to, what load.
    public var usage: Usage

    /// The resource used.
    public var resource: ResourceKey { usage.resource }
    /// When it is used.
    public var span: TimeSpan { usage.span }
}

/// An approval the plan needs: a visit's category overrun, or the day budget's.
public struct PlanApproval: Sendable, Hashable {
    /// The visit's index in the day; `nil` for the day budget.
    public var visit: Int?
    /// A cost category, or `day` for the day budget.
    public var category: String
    /// The cap: `perVisit + perGuest * guests + approvedOverrun`, or the day budget.
    public var cap: Double
    /// What the plan spends against the cap.
    public var spend: Double
    /// The programme day of a day-budget overrun (version-2 programmes, PROBLEM.md §9);
    /// `nil` for a visit's overrun and for a one-day file's day budget.
    public var day: Int? = nil

    /// `spend - cap`, the amount to approve.
    public var amount: Double { spend - cap }
}

/// The plan's own statements: status, objective, bound and solver, as written in `plan.json`.
public struct PlanHeader: Sendable, Hashable {
    /// `optimal`, `feasible`, `no-solution`, or `unknown` when the plan does not say.
    public var status: String
    /// The objective the plan declares.
    public var objective: Double?
    /// The proven lower bound the plan declares, when it has one.
    public var bound: Double?
    /// The optimizer that wrote the plan (`solver.plugin`).
    public var solver: String?
    /// How long the optimizer ran (`solver.seconds`).
    public var seconds: Double?
}

/// A day and a plan for it, matched need by need through the candidates the
/// resource plugins declare. Works for every registered kind: a plan value is
/// recognised by comparing it with the candidates' plan values, and what a
/// choice occupies comes from the candidates' ``Usage``s.
///
/// Costs, overruns and approvals are recomputed from the matched candidates;
/// where they disagree with what the plan declares, ``warnings`` says so.
public struct DayPlan: Sendable {
    /// The day with its plugins' declarations.
    public let problem: Problem
    /// The plan document, looked up by the ids it names.
    public let plan: PlanView
    /// The day's resources with their names and details.
    public let catalog: ResourceCatalog
    /// The day document as written, for names and details that the day model does not keep
    /// (a client's contact, a resource's name); `nil` when not given.
    public let dayDocument: JSONObject?
    /// What the plan did with each need, parallel to ``Problem/needs``.
    public let outcomes: [NeedOutcome]
    /// The plan's value for each need (`nil` when it has no entry), parallel to ``Problem/needs``.
    public let values: [JSONValue?]
    /// Every use of a resource by a chosen candidate, ordered by start time.
    public let uses: [ResourceUse]
    /// The plan's reasons for unmet needs, by need index.
    public let unmetReasons: [Int: String]
    /// What the plan says about itself.
    public let header: PlanHeader
    /// Spend by visit index and category, recomputed from the chosen candidates.
    public let visitSpend: [[String: Double]]
    /// Every overrun to approve, recomputed: visits first, then the day budget
    /// (on a programme, one per day over it, in day order).
    public let approvals: [PlanApproval]
    /// Spend by programme day (index 0 is day 1), recomputed: a use's cost on
    /// its segment's day, a night's on the day the night begins (PROBLEM.md §9).
    /// One entry, the whole cost, on a one-day file.
    public let daySpend: [Double]
    /// Spend by visit index and programme day (index 0 is day 1), as ``daySpend``.
    public let visitDaySpend: [[Double]]
    /// Resources used by nights (hotels), shown by night rather than by time.
    let nightlyResources: Set<ResourceKey>
    /// The need keys each resource kind serves (`staff`: host, escorts, presenters).
    let needKeysByKind: [String: Set<String>]
    /// Things a reader should know about the plan: values that are not eligible,
    /// missing entries, totals that disagree with the day's prices.
    public let warnings: [String]

    /// Parses `plan.json` and matches it against `problem`.
    ///
    /// - Parameters:
    ///   - planJSON: the bytes of `plan.json`.
    ///   - dayDocument: the parsed `day.json`, for display-only details; optional.
    public init(problem: Problem, planJSON: [UInt8], dayDocument: JSONValue? = nil) throws(PlanReportError) {
        let value: JSONValue
        do {
            value = try JSONParser.parse(planJSON).value
        } catch {
            throw PlanReportError(.planSyntax, "the plan is not valid JSON: \(error.description)")
        }
        try self.init(problem: problem, plan: value, dayDocument: dayDocument)
    }

    /// Matches an already parsed plan against `problem`.
    public init(problem: Problem, plan value: JSONValue, dayDocument: JSONValue? = nil) throws(PlanReportError) {
        guard case .object(let document) = value else {
            throw PlanReportError(.planShape, "the plan is \(value.typeName); plan.json is an object with \"visits\", \"unmet\" and \"totals\"")
        }
        if let version = document["schemaVersion"] {
            let expected = problem.day.isProgramme ? 2 : 1
            if version == .number(1) || version == .number(2) {
                guard version == .number(Double(expected)) else {
                    throw PlanReportError(.planShape, "the plan's schemaVersion is \(version.excerpt) but the day is a version-\(expected) file, whose plans are version \(expected); give the plan written for this day")
                }
            } else {
                throw PlanReportError(.planShape, "the plan's schemaVersion is \(version.excerpt); this tool reads schemaVersion 1 and 2")
            }
        }
        guard case .array(let planVisits)? = document["visits"] else {
            throw PlanReportError(.planShape, "the plan has no \"visits\" array; is it a plan.json written by `schedule optimize`?")
        }
        self.problem = problem
        self.plan = PlanView(document: document)
        self.catalog = ResourceCatalog(problem: problem)
        self.dayDocument = dayDocument?.objectValue
        let day = problem.day
        var warnings: [String] = []

        let dayVisitIDs = Set(day.visits.map(\.id))
        let planVisitIDs = planVisits.compactMap { item -> String? in
            if case .object(let o) = item, case .string(let id)? = o["id"] { return id }
            return nil
        }
        if !day.visits.isEmpty, !planVisitIDs.contains(where: dayVisitIDs.contains) {
            let named = planVisitIDs.isEmpty ? "no visit ids" : Pretty.list(planVisitIDs, limit: 4)
            throw PlanReportError(.planForAnotherDay,
                                  "the plan names none of the day's visits (it has \(named); the day has \(Pretty.list(day.visits.map(\.id), limit: 4))); give the plan written for this day")
        }
        let unknown = planVisitIDs.filter { !dayVisitIDs.contains($0) }
        if !unknown.isEmpty {
            warnings.append("the plan has visits the day does not: \(Pretty.list(unknown, limit: 6)); they are left out")
        }

        // Match every need's plan value with its candidates.
        var outcomes: [NeedOutcome] = []
        var values: [JSONValue?] = []
        var uses: [ResourceUse] = []
        for (j, need) in problem.needs.enumerated() {
            let visit = day.visits[need.id.visit]
            let value = plan.value(of: need.id, in: day)
            values.append(value)
            let outcome = PlanValues.match(value, need)
            let place = DayPlan.place(of: need.id, in: day)
            switch outcome {
            case .absent where !need.isTrivial && planVisitIDs.contains(visit.id):
                warnings.append("\(place): the plan has no entry for this need")
            case .absent where !need.isTrivial:
                warnings.append("\(visit.id): the plan does not list this visit")
            case .unrecognized(let values, _):
                warnings.append("\(place): \(Pretty.list(values)) \(values.count == 1 ? "is not an eligible choice" : "are not eligible choices") for \(need.requirement); run `schedule check`")
            case .insufficient:
                warnings.append("\(place): the plan's choice does not meet \(need.requirement); run `schedule check`")
            default: break
            }
            outcomes.append(outcome)
            for i in outcome.chosen {
                for usage in need.candidates[i].usages { uses.append(ResourceUse(need: j, candidate: i, usage: usage)) }
            }
        }
        uses.sort { ($0.span.start, $0.span.end, $0.need, $0.resource) < ($1.span.start, $1.span.end, $1.need, $1.resource) }
        self.outcomes = outcomes
        self.values = values
        self.uses = uses
        var keysByKind: [String: Set<String>] = [:]
        for need in problem.needs {
            for candidate in need.candidates { for key in candidate.assigned { keysByKind[key.kind, default: []].insert(need.id.key) } }
        }
        self.needKeysByKind = keysByKind
        self.nightlyResources = DayPlan.nightly(problem)

        // The plan's reasons for unmet needs.
        var reasons: [Int: String] = [:]
        if case .array(let items)? = document["unmet"] {
            var index: [String: Int] = [:]
            for (j, need) in problem.needs.enumerated() { index[DayPlan.unmetKey(need.id, day)] = j }
            for item in items {
                guard case .object(let o) = item, case .string(let v)? = o["visit"], case .string(let key)? = o["need"] else { continue }
                var segment: String?
                if case .string(let s)? = o["segment"] { segment = s }
                guard let j = index["\(v)\u{1}\(segment ?? "")\u{1}\(key)"] else { continue }
                if case .string(let reason)? = o["reason"] { reasons[j] = reason }
            }
        }
        self.unmetReasons = reasons

        func number(_ v: JSONValue?) -> Double? {
            if case .number(let n)? = v { return n }
            return nil
        }
        var header = PlanHeader(status: "unknown", objective: number(document["objective"]), bound: number(document["bound"]))
        if case .string(let s)? = document["status"] { header.status = s }
        if case .object(let solver)? = document["solver"] {
            if case .string(let name)? = solver["plugin"] { header.solver = name }
            header.seconds = number(solver["seconds"])
        }
        self.header = header

        // Spend and approvals, from the chosen candidates (PROBLEM.md §5).
        var spend: [[String: Double]] = Array(repeating: [:], count: day.visits.count)
        let days = max(1, day.days)
        var byDay: [[Double]] = Array(repeating: Array(repeating: 0, count: days), count: day.visits.count)
        for (j, need) in problem.needs.enumerated() {
            for i in outcomes[j].chosen {
                let c = need.candidates[i]
                if let category = c.category {
                    spend[need.id.visit][category, default: 0] += c.cost
                    for part in problem.costByDay(of: i, in: need) where (1...days).contains(part.day) {
                        byDay[need.id.visit][part.day - 1] += part.amount
                    }
                }
            }
        }
        var approvals: [PlanApproval] = []
        for visit in day.visits {
            for category in problem.categories {
                let s = spend[visit.index][category] ?? 0
                if let cap = problem.cap(visit: visit, category: category), s > cap + 1e-9 {
                    approvals.append(PlanApproval(visit: visit.index, category: category, cap: cap, spend: s))
                }
            }
        }
        let total = spend.reduce(0) { $0 + $1.values.reduce(0, +) }
        let daySpend = (0..<days).map { d in byDay.reduce(0) { $0 + $1[d] } }
        if let budget = day.policy.dayBudget {
            // Each day against the budget (§9); a one-day file's day spends the whole cost.
            let spends = days > 1 ? daySpend : [total]
            for (k, s) in spends.enumerated() where s > budget + 1e-9 {
                approvals.append(PlanApproval(visit: nil, category: "day", cap: budget, spend: s, day: day.isProgramme ? k + 1 : nil))
            }
        }
        self.visitSpend = spend
        self.approvals = approvals
        self.daySpend = days > 1 ? daySpend : [total]
        self.visitDaySpend = days > 1 ? byDay : spend.map { [$0.values.reduce(0, +)] }

        // Declared totals against the recomputed ones.
        if case .object(let totals)? = document["totals"], let declared = number(totals["cost"]), abs(declared - total) > 0.005 {
            warnings.append("the plan declares a total cost of \(Money.format(declared)) but its assignments cost \(Money.format(total)) at the day's prices; this report uses the latter (run `schedule check`)")
        }
        if day.isProgramme, case .array(let declaredApprovals)? = document["approvalsNeeded"] {
            // The days the plan asks a day-budget approval for, against those recomputed.
            let declaredDays = declaredApprovals.compactMap { item -> Int? in
                guard case .object(let o) = item, o["category"] == .string("day"), case .number(let k)? = o["day"] else { return nil }
                return Int(k)
            }
            let recomputed = approvals.compactMap(\.day)
            if declaredDays.sorted() != recomputed {
                let named = { (days: [Int]) in days.isEmpty ? "no day" : "day " + Pretty.list(days.sorted().map(String.init)) }
                warnings.append("the plan asks for day-budget approvals on \(named(declaredDays)) but its assignments are over the budget on \(named(recomputed)); this report uses the latter (run `schedule check`)")
            }
        }
        self.warnings = warnings
    }

    // MARK: Lookups

    /// The day's visits.
    public var visits: [Visit] { problem.day.visits }

    /// Indices of the needs of a visit, visit-level needs first, then by segment.
    public func needs(ofVisit visit: Int) -> [Int] {
        problem.needs.indices.filter { problem.needs[$0].id.visit == visit }
    }

    /// Indices of the needs that are not met, trivial needs aside.
    public var unmetNeeds: [Int] {
        problem.needs.indices.filter { !problem.needs[$0].isTrivial && !outcomes[$0].isMet }
    }

    /// `V-017 lunch catering`, `V-017 host`.
    public func title(ofNeed j: Int) -> String { DayPlan.place(of: problem.needs[j].id, in: problem.day) }

    /// What a use is for, on its resource's timeline: `V-001 talks` for a room,
    /// `V-001 tour (presenters)`, `V-001 talks (minute-taker)` or `V-002 host at tour` for a person, who serves several needs.
    public func purpose(of use: ResourceUse) -> String {
        let need = problem.needs[use.need]
        let visit = problem.day.visits[need.id.visit]
        if let s = need.id.segment {
            let base = "\(visit.id) \(visit.segments[s].id)"
            return (needKeysByKind[use.resource.kind]?.count ?? 0) > 1 ? base + " (\(duty(of: use)))" : base
        }
        if use.span != visit.span, let segment = visit.segments.first(where: { $0.span == use.span }) {
            return "\(visit.id) \(need.id.key) at \(segment.id)"
        }
        return "\(visit.id) \(need.id.key)"
    }

    /// What a person does through a need: the need's key (`presenters`), or the
    /// role a candidate's value names when it is a one-member object
    /// (`{"minute-taker": "S-12"}` of a segment's service roles).
    public func duty(of use: ResourceUse) -> String {
        let need = problem.needs[use.need]
        guard need.candidates.indices.contains(use.candidate), case .object(let o) = need.candidates[use.candidate].value,
              o.members.count == 1, let member = o.members.first, case .string = member.value else { return need.id.key }
        return member.key
    }

    /// Where a use happens: `PVG → HQ` for a move, else the segment's location.
    public func place(of use: ResourceUse) -> String {
        if let from = use.usage.from, let to = use.usage.to { return "\(from) → \(to)" }
        let id = problem.needs[use.need].id
        let visit = problem.day.visits[id.visit]
        if let s = id.segment { return visit.segments[s].location ?? "" }
        return visit.segments.first(where: { $0.span == use.span })?.location ?? ""
    }

    /// How a candidate reads: its resources with their names, `CAR-01 + DRV-01 Zhang Min`.
    public func label(_ candidate: Candidate) -> String {
        guard !candidate.assigned.isEmpty else { return candidate.label }
        return candidate.assigned.map { catalog[$0].label }.joined(separator: " + ")
    }

    /// Who holds a resource through a need: `V-003 negotiation` for a segment's
    /// need, `V-011 escorts` for a visit-level one.
    public func occupant(ofNeed j: Int) -> String {
        let id = problem.needs[j].id
        let visit = problem.day.visits[id.visit]
        return "\(visit.id) " + (id.segment.map { visit.segments[$0].id } ?? id.key)
    }

    static func place(of id: NeedID, in day: Day) -> String {
        let visit = day.visits[id.visit]
        return ([visit.id] + (id.segment.map { [visit.segments[$0].id] } ?? []) + [id.key]).joined(separator: " ")
    }

    private static func unmetKey(_ id: NeedID, _ day: Day) -> String {
        let visit = day.visits[id.visit]
        return "\(visit.id)\u{1}\(id.segment.map { visit.segments[$0].id } ?? "")\u{1}\(id.key)"
    }
}
