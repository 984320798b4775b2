import SchedulingCore

/// What the checker found in a plan, and what it recomputed from the plan's assignments.
public struct CheckOutcome: Sendable {
    /// Every broken rule, in the order found, without repeats.
    public var violations: [Violation]
    /// Totals and objective recomputed from the assignments (PROBLEM.md §5); `nil` when
    /// the plan could not be read at all.
    public var recomputed: RecomputedTotals?

    public init(violations: [Violation], recomputed: RecomputedTotals?) {
        self.violations = violations
        self.recomputed = recomputed
    }

    public var isValid: Bool { violations.isEmpty }

    /// The names of the broken rules, without repeats.
    public var rules: Set<String> { Set(violations.map(\.rule)) }
}

/// The checker's own computation of §5 from a plan's assignments.
public struct RecomputedTotals: Sendable, Equatable {
    /// Spend by visit id, then category (every category of the registry, 0 when unused).
    public var visitCosts: [String: [String: Double]]
    /// Positive overruns by visit id, then category.
    public var visitOverruns: [String: [String: Double]]
    public var cost: Double
    public var byCategory: [String: Double]
    public var overGrade: Double
    /// Sum of the visits' overruns.
    public var overrun: Double
    public var dayOverrun: Double
    /// Each programme day's overrun of the day budget, by day (1-based); positive ones only.
    public var dayOverruns: [Int: Double] = [:]
    /// Needs the plan leaves `null`.
    public var unmet: Int
    public var objective: Double
    /// Needs whose value differs from the plan a replan was made from (§10); 0 otherwise.
    public var changes: Int = 0
}

/// The independent plan checker: reads a `plan.json` and checks it against a
/// day and PROBLEM.md, sharing nothing with how plans are built.
///
/// The core rules (structure, unmet list, costs, caps, approvals, totals,
/// objective, bound) are checked here; each resource plugin checks its own
/// kind's eligibility and conflicts in `check(_:day:report:)` and reports the
/// cost and overGrade of each assignment.
///
/// Rules checked here: plan.json, plan.duplicate-key, plan.shape,
/// plan.schema-version, plan.status, plan.visit-missing, plan.visit-unknown,
/// plan.visit-duplicate, plan.segment-unknown, plan.segment-duplicate,
/// plan.need-missing, plan.need-extra, plan.unmet-shape, plan.unmet-reason,
/// plan.unmet-missing, plan.unmet-extra, plan.unmet-duplicate, plan.visit-costs,
/// plan.visit-overruns, plan.approval-shape, plan.approval-missing,
/// plan.approval-extra, plan.approval-amount, plan.approval-duplicate,
/// plan.special-plan-shape, plan.special-plan-missing, plan.special-plan-extra,
/// plan.special-plan-reasons, plan.special-plan-duplicate,
/// plan.totals, plan.objective, plan.bound, plan.optimal-gap, plan.pin.
public struct PlanChecker: Sendable {
    /// The plan a replanned plan was made from, and the moment (PROBLEM.md §10).
    public struct ReplanBasis: Sendable {
        /// The parsed plan that was being carried out.
        public var previous: JSONValue
        /// The moment of the replan, in programme minutes.
        public var now: Minute

        public init(previous: JSONValue, now: Minute) {
            self.previous = previous
            self.now = now
        }
    }

    /// Checks the bytes of a `plan.json`; a replanned plan with the plan it was made
    /// from (`basis`).
    public static func check(planJSON: [UInt8], problem: Problem, registry: PluginRegistry, basis: ReplanBasis? = nil) -> CheckOutcome {
        let parsed: (value: JSONValue, duplicateKeys: [JSONPath])
        do {
            parsed = try JSONParser.parse(planJSON)
        } catch {
            return CheckOutcome(violations: [Violation(rule: "plan.json", message: "the plan is not valid JSON: \(error.description)")], recomputed: nil)
        }
        var prefix: [Violation] = []
        for path in parsed.duplicateKeys {
            prefix.append(Violation(rule: "plan.duplicate-key", message: "\(path) appears more than once in its object"))
        }
        var outcome = check(plan: parsed.value, problem: problem, registry: registry, basis: basis)
        outcome.violations = unique(prefix + outcome.violations)
        return outcome
    }

    /// Checks an already parsed plan. A plan with `changes` is a replan (§10): give
    /// the plan it was made from and the moment as `basis`.
    ///
    /// Replan rules: plan.replan-basis, plan.changes, plan.kept.
    public static func check(plan: JSONValue, problem: Problem, registry: PluginRegistry, basis: ReplanBasis? = nil) -> CheckOutcome {
        guard case .object(let document) = plan else {
            return CheckOutcome(violations: [Violation(rule: "plan.shape", message: "the plan is \(plan.typeName), expected an object")], recomputed: nil)
        }
        var run = Run(document: document, problem: problem, registry: registry)
        run.checkHeader()
        run.checkVisits()
        run.checkNeedKeys()
        run.checkPins()
        run.checkUnmetList()
        var report = CheckReport()
        for plugin in registry.resourceKinds {
            plugin.check(run.view, day: problem.resolved, report: &report)
        }
        run.violations += report.violations
        var totals = run.recompute(report)
        if let basis {
            // What the earlier plan's assignments break in the day as it now stands.
            let earlier = check(plan: basis.previous, problem: problem, registry: registry)
            // The special-plan list says nothing of assignments: an earlier plan made
            // before the day's policy.specialPlans breaks no need by lacking it.
            let changes = run.checkReplan(basis, earlierViolations: earlier.violations.filter { !$0.rule.hasPrefix("plan.special-plan-") })
            totals.changes = changes
            totals.objective += problem.day.policy.weights.change * Double(changes)
        } else if document["changes"] != nil {
            run.fail("plan.replan-basis", "the plan is a replan (it lists changes): check it with the plan it was made from and the moment (schedule check --previous old.json --now HH:MM)")
        }
        run.checkVisitCosts(totals)
        run.checkVisitOverruns(totals)
        run.checkApprovals(totals)
        run.checkSpecialPlans()
        run.checkTotals(totals)
        run.checkObjective(totals)
        return CheckOutcome(violations: unique(run.violations), recomputed: totals)
    }

    /// Tolerance for comparing a declared number with a recomputed one: `max(1e-6, 1e-9 * |x|)`.
    public static func tolerance(_ x: Double) -> Double { max(1e-6, 1e-9 * abs(x)) }

    /// Whether two amounts agree to the cent (and well below).
    public static func agree(_ declared: Double, _ computed: Double) -> Bool {
        abs(declared - computed) <= tolerance(max(abs(declared), abs(computed)))
    }

    /// The checker's own equality of two plan values: JSON text with object members
    /// sorted, and a list as the sorted texts of its items (order does not matter).
    public static func same(_ a: JSONValue, _ b: JSONValue) -> Bool {
        func canonical(_ v: JSONValue) -> String {
            switch v {
            case .object(let o):
                return "{" + o.members.sorted { $0.key < $1.key }.map { "\(JSONWriter.compact(.string($0.key))):\(canonical($0.value))" }
                    .joined(separator: ",") + "}"
            case .array(let items): return "[" + items.map(canonical).joined(separator: ",") + "]"
            default: return JSONWriter.compact(v)
            }
        }
        func list(_ v: JSONValue) -> [String] {
            if case .array(let items) = v { return items.map(canonical).sorted() }
            return [canonical(v)]
        }
        if case .array = a, case .array = b { return list(a) == list(b) }
        return canonical(a) == canonical(b)
    }

    private static func unique(_ list: [Violation]) -> [Violation] {
        var seen = Set<Violation>()
        return list.filter { seen.insert($0).inserted }
    }
}

/// One need of the day by the ids a plan uses; `segment == nil` for visit-level needs.
private struct NeedRef: Hashable, Comparable {
    var visit: String
    var segment: String?
    var key: String

    var label: String { "\(visit)\(segment.map { " " + $0 } ?? "") \(key)" }

    static func < (a: NeedRef, b: NeedRef) -> Bool { (a.visit, a.segment ?? "", a.key) < (b.visit, b.segment ?? "", b.key) }
}

/// The state of one check.
private struct Run {
    let document: JSONObject
    let problem: Problem
    let registry: PluginRegistry
    let view: PlanView
    var violations: [Violation] = []
    /// Visits of the day that the plan has an entry for.
    var planned: Set<String> = []
    /// Needs the plan leaves `null`.
    var nulls: Set<NeedRef> = []

    var day: Day { problem.day }
    /// The categories this day's plans list (the core's reading of which plugins the day uses).
    var categories: [String] { problem.categories }
    var visitKeys: [String] { registry.resourceKinds.flatMap(\.descriptor.visitNeedKeys) }

    /// The visit-level needs `visit` has: every visit need key, except that a key that
    /// is also a visit field (a kind's own visit need, such as `lodging`) is a need
    /// only of the visits that give the field.
    func visitKeys(of visit: Visit) -> [String] {
        let fields = Set(registry.visitFields)
        return visitKeys.filter { key in
            guard fields.contains(key) else { return true }
            if let value = visit.fields[key], value != .null { return true }
            return false
        }
    }
    var allNeedKeys: Set<String> { Set(registry.needKeys + visitKeys) }

    init(document: JSONObject, problem: Problem, registry: PluginRegistry) {
        self.document = document
        self.problem = problem
        self.registry = registry
        self.view = PlanView(document: document)
    }

    mutating func fail(_ rule: String, visit: String? = nil, segment: String? = nil, resource: String? = nil, _ message: String) {
        violations.append(Violation(rule: rule, visit: visit, segment: segment, resource: resource, message: message))
    }

    func number(_ value: JSONValue?) -> Double? {
        if case .number(let n)? = value { return n }
        return nil
    }

    func money(_ x: Double) -> String { JSONWriter.format((x * 1e6).rounded() / 1e6) }

    // MARK: Header

    /// The day's `schemaVersion` (1, or 2 for a programme, §9) and a known `status`.
    mutating func checkHeader() {
        let version = day.schemaVersion >= 2 ? 2.0 : 1.0
        if number(document["schemaVersion"]) != version {
            fail("plan.schema-version", "schemaVersion is \(document["schemaVersion"]?.excerpt ?? "missing"); plans of a schemaVersion \(Int(version)) day are schemaVersion \(Int(version))")
        }
        let statuses = ["optimal", "feasible", "no-solution"]
        guard case .string(let status)? = document["status"], statuses.contains(status) else {
            fail("plan.status", "status is \(document["status"]?.excerpt ?? "missing"); use optimal, feasible or no-solution")
            return
        }
    }

    // MARK: Visits and segments

    /// Every visit of the day exactly once, no unknown visits, segments known and not repeated.
    mutating func checkVisits() {
        guard case .array(let items)? = document["visits"] else {
            fail("plan.shape", "visits is \(document["visits"]?.excerpt ?? "missing"); expected an array with one entry per visit")
            return
        }
        let known = Dictionary(day.visits.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for (i, item) in items.enumerated() {
            guard case .object(let entry) = item, case .string(let id)? = entry["id"] else {
                fail("plan.shape", "visits[\(i)] is \(item.excerpt); each visit entry is an object with a string id")
                continue
            }
            guard let visit = known[id] else {
                fail("plan.visit-unknown", visit: id, "\"\(id)\" is not a visit of the day")
                continue
            }
            guard planned.insert(id).inserted else {
                fail("plan.visit-duplicate", visit: id, "the visit appears more than once; only the first entry is read")
                continue
            }
            checkSegments(entry, visit)
        }
        for visit in day.visits where !planned.contains(visit.id) {
            fail("plan.visit-missing", visit: visit.id, "the plan has no entry for this visit; every visit appears once")
        }
    }

    mutating func checkSegments(_ entry: JSONObject, _ visit: Visit) {
        guard let value = entry["segments"] else {
            if visit.segments.contains(where: { !$0.needs.members.isEmpty }) {
                fail("plan.shape", visit: visit.id, "the visit entry has no segments array")
            }
            return
        }
        guard case .array(let items) = value else {
            fail("plan.shape", visit: visit.id, "segments is \(value.typeName); expected an array")
            return
        }
        let ids = Set(visit.segments.map(\.id))
        var seen = Set<String>()
        for (i, item) in items.enumerated() {
            guard case .object(let s) = item, case .string(let sid)? = s["id"] else {
                fail("plan.shape", visit: visit.id, "segments[\(i)] is \(item.excerpt); each segment entry is an object with a string id")
                continue
            }
            if !ids.contains(sid) {
                fail("plan.segment-unknown", visit: visit.id, segment: sid, "\"\(sid)\" is not a segment of \(visit.id)")
            } else if !seen.insert(sid).inserted {
                fail("plan.segment-duplicate", visit: visit.id, segment: sid, "the segment appears more than once; only the first entry is read")
            }
        }
    }

    // MARK: Need keys

    /// Every need has its key (visit keys from the plugins, segment keys from the
    /// segment's `needs`), no other need key appears; collects the `null` needs.
    mutating func checkNeedKeys() {
        let needKeys = allNeedKeys
        for visit in day.visits where planned.contains(visit.id) {
            guard let entry = view.visits[visit.id] else { continue }
            let own = visitKeys(of: visit)
            for key in own {
                guard let value = entry[key] else {
                    fail("plan.need-missing", visit: visit.id,
                         "the plan has no \"\(key)\" entry; write the assignment, or null and list the need in unmet")
                    continue
                }
                if value == .null { nulls.insert(NeedRef(visit: visit.id, segment: nil, key: key)) }
            }
            for key in entry.keys where needKeys.contains(key) && !visitKeys.contains(key) {
                fail("plan.need-extra", visit: visit.id, "\"\(key)\" is a segment need; it belongs in a segment entry, not on the visit")
            }
            for key in entry.keys where visitKeys.contains(key) && !own.contains(key) {
                fail("plan.need-extra", visit: visit.id, "the visit asks for no \"\(key)\"; remove the key")
            }
            let segments = view.segments[visit.id] ?? [:]
            for segment in visit.segments {
                let s = segments[segment.id]
                for key in segment.needs.keys {
                    guard let value = s?[key] else {
                        fail("plan.need-missing", visit: visit.id, segment: segment.id,
                             "the plan has no \"\(key)\" entry; write the assignment, or null and list the need in unmet")
                        continue
                    }
                    if value == .null { nulls.insert(NeedRef(visit: visit.id, segment: segment.id, key: key)) }
                }
                for key in s?.keys ?? [] where needKeys.contains(key) && segment.needs[key] == nil {
                    fail("plan.need-extra", visit: visit.id, segment: segment.id,
                         "the segment has no \"\(key)\" need; remove the key")
                }
            }
        }
    }

    // MARK: Replans (§10)

    /// A replan against the plan it was made from: every need whose value differs
    /// from the earlier plan is listed once in `changes` with its values; a need under
    /// way at `now` keeps its earlier value (an unmet one stays unmet) unless the
    /// earlier plan's assignment for it breaks a rule of the day as it now stands
    /// (then it is `broken`); the others change as `freed` or `cheaper`. Returns the
    /// number of changed needs, which the objective counts at `weights.change`.
    mutating func checkReplan(_ basis: PlanChecker.ReplanBasis, earlierViolations: [Violation]) -> Int {
        guard case .object(let old) = basis.previous else {
            fail("plan.replan-basis", "the previous plan is \(basis.previous.typeName), expected a plan object")
            return 0
        }
        let before = PlanView(document: old)
        struct Need: Hashable { var visit: String; var segment: String?; var key: String }
        var changed: [Need: (before: JSONValue, after: JSONValue, underWay: Bool)] = [:]
        for visit in day.visits where planned.contains(visit.id) {
            let visitStart = visit.segments.map(\.span.start).min() ?? 0
            var needs: [(Need, JSONValue?, JSONValue?, Int)] = []
            for key in visitKeys(of: visit) {
                needs.append((Need(visit: visit.id, segment: nil, key: key), before.visitValue(visit.id, key), view.visitValue(visit.id, key), visitStart))
            }
            for segment in visit.segments {
                for key in segment.needs.keys {
                    needs.append((Need(visit: visit.id, segment: segment.id, key: key), before.segments[visit.id]?[segment.id]?[key],
                                  view.segmentValue(visit.id, segment.id, key), segment.span.start))
                }
            }
            for (need, was, now, start) in needs {
                // A need the earlier plan did not have, or left unmet, changes nothing when met now.
                guard let was, let now else { continue }
                let underWay = start < basis.now
                if was == .null {
                    if underWay, now != .null {
                        fail("plan.kept", visit: need.visit, segment: need.segment, "\(need.key) was unmet and under way at the replan; it stays unmet")
                    }
                    continue
                }
                guard !PlanChecker.same(was, now) else { continue }
                changed[need] = (was, now, underWay)
                if underWay {
                    let broken = earlierViolations.contains { $0.visit == need.visit && (need.segment == nil || $0.segment == nil || $0.segment == need.segment) }
                    if !broken {
                        fail("plan.kept", visit: need.visit, segment: need.segment,
                             "\(need.key) was under way at the replan and its earlier value \(was.excerpt) is still valid; it must keep it")
                    }
                }
            }
        }
        guard case .array(let items)? = document["changes"] else {
            if !changed.isEmpty || document["changes"] != nil {
                fail("plan.changes", "a replan lists its changes in a \"changes\" array (\(changed.count) needs changed)")
            }
            return changed.count
        }
        var listed = Set<Need>()
        for (i, item) in items.enumerated() {
            guard case .object(let o) = item, case .string(let visit)? = o["visit"], case .string(let key)? = o["need"],
                  let was = o["before"], let now = o["after"], case .string(let why)? = o["why"] else {
                fail("plan.changes", "changes[\(i)] is \(item.excerpt); each entry is {visit, segment (segment needs), need, before, after, why}")
                continue
            }
            var segment: String?
            if case .string(let s)? = o["segment"] { segment = s }
            let need = Need(visit: visit, segment: segment, key: key)
            guard let actual = changed[need] else {
                fail("plan.changes", visit: visit, segment: segment, "changes[\(i)] lists \(key), whose value did not change")
                continue
            }
            if !listed.insert(need).inserted {
                fail("plan.changes", visit: visit, segment: segment, "\(key) is listed in changes more than once")
            }
            if !PlanChecker.same(was, actual.before) || !PlanChecker.same(now, actual.after) {
                fail("plan.changes", visit: visit, segment: segment, "changes[\(i)] says \(was.excerpt) -> \(now.excerpt); the plans give \(actual.before.excerpt) -> \(actual.after.excerpt)")
            }
            let expected = actual.underWay ? ["broken"] : ["freed", "cheaper"]
            if !expected.contains(why) {
                fail("plan.changes", visit: visit, segment: segment, "changes[\(i)].why is \(why); a need \(actual.underWay ? "under way" : "not yet under way") at the replan changes as \(expected.joined(separator: " or "))")
            }
        }
        for need in changed.keys.sorted(by: { ($0.visit, $0.segment ?? "", $0.key) < ($1.visit, $1.segment ?? "", $1.key) }) where !listed.contains(need) {
            fail("plan.changes", visit: need.visit, segment: need.segment, "\(need.key) changed but is not listed in changes")
        }
        return changed.count
    }

    // MARK: Pins (§10)

    /// A need the day pins is met by exactly its pin, or is `null`: `"pin"` in a
    /// segment need's object; for a visit-level need `K`, the visit's `KPin` or
    /// `"pin"` in the visit's `K` object. Lists compare whatever their order.
    mutating func checkPins() {
        for visit in day.visits where planned.contains(visit.id) {
            for segment in visit.segments {
                for key in segment.needs.keys {
                    guard case .object(let need)? = segment.needs[key], let pin = need["pin"],
                          let value = view.segmentValue(visit.id, segment.id, key), value != .null else { continue }
                    if !PlanChecker.same(value, pin) {
                        fail("plan.pin", visit: visit.id, segment: segment.id, "\(key) is pinned to \(pin.excerpt) but the plan gives \(value.excerpt); give the pinned value or null (unmet)")
                    }
                }
            }
            for key in visitKeys(of: visit) {
                var pin = visit.fields[key + "Pin"]
                if pin == nil, case .object(let own)? = visit.fields[key] { pin = own["pin"] }
                guard let pin, let value = view.visitValue(visit.id, key), value != .null else { continue }
                if !PlanChecker.same(value, pin) {
                    fail("plan.pin", visit: visit.id, "\(key) is pinned to \(pin.excerpt) but the plan gives \(value.excerpt); give the pinned value or null (unmet)")
                }
            }
        }
    }

    // MARK: Unmet list

    /// `null` needs match the `unmet` entries one to one; every reason is non-empty.
    mutating func checkUnmetList() {
        guard let value = document["unmet"] else {
            fail("plan.shape", "the plan has no unmet array")
            for need in nulls.sorted() { fail("plan.unmet-missing", visit: need.visit, segment: need.segment, "\(need.label) is null but not listed in unmet") }
            return
        }
        guard case .array(let items) = value else {
            fail("plan.shape", "unmet is \(value.typeName); expected an array")
            return
        }
        let visitKeys = Set(self.visitKeys)
        var listed = Set<NeedRef>()
        for (i, item) in items.enumerated() {
            guard case .object(let o) = item, case .string(let visit)? = o["visit"], case .string(let key)? = o["need"] else {
                fail("plan.unmet-shape", "unmet[\(i)] is \(item.excerpt); each entry is {\"visit\", \"segment\" (segment needs only), \"need\", \"reason\"}")
                continue
            }
            var segment: String?
            if let s = o["segment"] {
                guard case .string(let sid) = s else {
                    fail("plan.unmet-shape", visit: visit, "unmet[\(i)].segment is \(s.excerpt); a segment id string, or no segment key for host and escorts")
                    continue
                }
                segment = sid
            }
            if case .string(let reason)? = o["reason"], !reason.allSatisfy(\.isWhitespace) {} else {
                fail("plan.unmet-reason", visit: visit, segment: segment, "unmet[\(i)] (\(key)) has no reason; say what a planner can do")
            }
            let ref = NeedRef(visit: visit, segment: segment, key: key)
            if nulls.contains(ref) {
                if !listed.insert(ref).inserted {
                    fail("plan.unmet-duplicate", visit: visit, segment: segment, "\(ref.label) is listed in unmet more than once")
                }
                continue
            }
            // Say why the entry matches nothing.
            let why: String
            if visitKeys.contains(key), let segment {
                why = "\(key) is a visit need: its unmet entry has no segment (found \"\(segment)\")"
            } else if !visitKeys.contains(key), segment == nil {
                why = "\(key) is a segment need: its unmet entry names the segment"
            } else if let assigned = assignment(ref) {
                why = "the plan assigns \(assigned.excerpt) to \(ref.label), so it is not unmet"
            } else {
                why = "\(ref.label) is not a need of the day"
            }
            fail("plan.unmet-extra", visit: visit, segment: segment, "unmet[\(i)] matches no null need: \(why)")
        }
        for need in nulls.subtracting(listed).sorted() {
            fail("plan.unmet-missing", visit: need.visit, segment: need.segment,
                 "\(need.label) is null but unmet has no entry for it; add {\"visit\", \(need.segment == nil ? "" : "\"segment\", ")\"need\": \"\(need.key)\", \"reason\"}")
        }
    }

    private func assignment(_ ref: NeedRef) -> JSONValue? {
        if let s = ref.segment {
            guard day.visits.first(where: { $0.id == ref.visit })?.segments.first(where: { $0.id == s })?.needs[ref.key] != nil else { return nil }
            return view.segmentValue(ref.visit, s, ref.key)
        }
        guard let visit = day.visits.first(where: { $0.id == ref.visit }), visitKeys(of: visit).contains(ref.key) else { return nil }
        return view.visitValue(ref.visit, ref.key)
    }

    // MARK: Accounting (§5)

    /// Costs by visit and category, overruns against the caps, totals and the objective.
    func recompute(_ report: CheckReport) -> RecomputedTotals {
        var visitCosts: [String: [String: Double]] = [:]
        var visitOverruns: [String: [String: Double]] = [:]
        var byCategory = Dictionary(uniqueKeysWithValues: categories.map { ($0, 0.0) })
        var overrun = 0.0
        for visit in day.visits {
            var costs = Dictionary(uniqueKeysWithValues: categories.map { ($0, 0.0) })
            for (category, amount) in report.costs[visit.id] ?? [:] { costs[category, default: 0] += amount }
            for (category, spend) in costs {
                byCategory[category, default: 0] += spend
                // cap = perVisit + perGuest * guests + what the kind's own limit fields
                // add (lodging's perGuestNight) + approvedOverrun; no limits entry = no cap.
                guard let limit = day.policy.tier(visit.tier).limits[category] else { continue }
                let allowance = report.capAllowances[visit.id]?[category] ?? 0
                let cap = limit.perVisit + limit.perGuest * Double(visit.guests) + allowance + (visit.approvedOverrun[category] ?? 0)
                let over = spend - cap
                if over > PlanChecker.tolerance(cap) {
                    visitOverruns[visit.id, default: [:]][category] = over
                    overrun += over
                }
            }
            visitCosts[visit.id] = costs
        }
        let cost = byCategory.values.reduce(0, +)
        // §5, §9: the budget caps each day's cost (the whole cost on a one-day file).
        var dayOverruns: [Int: Double] = [:]
        if let budget = day.policy.dayBudget {
            let spends: [Int: Double] = day.days > 1 ? report.costsByDay : [1: cost]
            for (k, spend) in spends where spend - budget > PlanChecker.tolerance(budget) { dayOverruns[k] = spend - budget }
        }
        let dayOverrun = dayOverruns.keys.sorted().reduce(0.0) { $0 + (dayOverruns[$1] ?? 0) }
        let w = day.policy.weights
        let unmet = nulls.count
        let objective = cost + w.overGrade * report.overGrade + w.overrun * (overrun + dayOverrun) + w.unmet * Double(unmet)
        return RecomputedTotals(visitCosts: visitCosts, visitOverruns: visitOverruns, cost: cost, byCategory: byCategory,
                                overGrade: report.overGrade, overrun: overrun, dayOverrun: dayOverrun, dayOverruns: dayOverruns,
                                unmet: unmet, objective: objective)
    }

    /// `visits[].costs` lists every category with the recomputed spend.
    mutating func checkVisitCosts(_ t: RecomputedTotals) {
        for visit in day.visits where planned.contains(visit.id) {
            guard case .object(let costs)? = view.visits[visit.id]?["costs"] else {
                fail("plan.visit-costs", visit: visit.id, "the visit entry has no costs object; list \(categories.joined(separator: ", "))")
                continue
            }
            for category in categories {
                let expected = t.visitCosts[visit.id]?[category] ?? 0
                guard let declared = number(costs[category]) else {
                    fail("plan.visit-costs", visit: visit.id, "costs.\(category) is \(costs[category]?.excerpt ?? "missing"); the assignments cost \(money(expected))")
                    continue
                }
                if !PlanChecker.agree(declared, expected) {
                    fail("plan.visit-costs", visit: visit.id, "costs.\(category) says \(money(declared)); the assignments cost \(money(expected))")
                }
            }
            for key in costs.keys where !categories.contains(key) {
                fail("plan.visit-costs", visit: visit.id, "costs.\(key) is not a cost category (\(categories.joined(separator: ", ")))")
            }
        }
    }

    /// `visits[].overruns` lists exactly the positive overruns.
    mutating func checkVisitOverruns(_ t: RecomputedTotals) {
        for visit in day.visits where planned.contains(visit.id) {
            let expected = t.visitOverruns[visit.id] ?? [:]
            guard case .object(let overruns)? = view.visits[visit.id]?["overruns"] else {
                fail("plan.visit-overruns", visit: visit.id, "the visit entry has no overruns object (write {} when nothing is over its cap)")
                continue
            }
            for key in overruns.keys {
                guard let declared = number(overruns[key]) else {
                    fail("plan.visit-overruns", visit: visit.id, "overruns.\(key) is \((overruns[key] ?? .null).excerpt); expected a number")
                    continue
                }
                let computed = expected[key] ?? 0
                if !PlanChecker.agree(declared, computed) {
                    fail("plan.visit-overruns", visit: visit.id,
                         "overruns.\(key) says \(money(declared)); the visit is \(computed > 0 ? "\(money(computed)) over" : "not over") its \(key) cap")
                } else if declared <= 0 {
                    fail("plan.visit-overruns", visit: visit.id, "overruns.\(key) is \(money(declared)); list only positive overruns")
                }
            }
            for (category, amount) in expected.sorted(by: { $0.key < $1.key }) where overruns[category] == nil {
                fail("plan.visit-overruns", visit: visit.id, "the visit is \(money(amount)) over its \(category) cap; add overruns.\(category)")
            }
        }
    }

    /// `approvalsNeeded` holds exactly every visit overrun, and the day overrun as
    /// `{"visit": null, "category": "day", "amount": X}` (in a version-2 plan one
    /// per day over budget, with `"day": k`, §9).
    mutating func checkApprovals(_ t: RecomputedTotals) {
        struct Key: Hashable { var visit: String?; var category: String; var day: Int? = nil }
        let programme = day.schemaVersion >= 2
        var expected: [Key: Double] = [:]
        for (visit, byCategory) in t.visitOverruns { for (category, amount) in byCategory { expected[Key(visit: visit, category: category)] = amount } }
        for (k, amount) in t.dayOverruns where amount > 0 { expected[Key(visit: nil, category: "day", day: programme ? k : nil)] = amount }
        func name(_ k: Key) -> String { k.visit.map { "\($0) \(k.category)" } ?? (k.day.map { "the budget of day \($0)" } ?? "the day budget") }

        guard case .array(let items)? = document["approvalsNeeded"] else {
            fail("plan.shape", "approvalsNeeded is \(document["approvalsNeeded"]?.excerpt ?? "missing"); expected an array")
            return
        }
        var seen = Set<Key>()
        for (i, item) in items.enumerated() {
            guard case .object(let o) = item, case .string(let category)? = o["category"], let amount = number(o["amount"]) else {
                fail("plan.approval-shape", "approvalsNeeded[\(i)] is \(item.excerpt); each entry is {\"visit\", \"category\", \"amount\"}")
                continue
            }
            let visit: String?
            switch o["visit"] {
            case .string(let v)?: visit = v
            case .null?: visit = nil
            default:
                fail("plan.approval-shape", "approvalsNeeded[\(i)].visit is \(o["visit"]?.excerpt ?? "missing"); a visit id, or null for the day budget")
                continue
            }
            var dayNumber: Int?
            if programme, visit == nil {
                guard let k = number(o["day"]), k == k.rounded(), k >= 1 else {
                    fail("plan.approval-shape", "approvalsNeeded[\(i)].day is \(o["day"]?.excerpt ?? "missing"); a programme's day overrun names its day")
                    continue
                }
                dayNumber = Int(k)
            }
            let key = Key(visit: visit, category: category, day: dayNumber)
            if (visit == nil) != (category == "day") {
                fail("plan.approval-shape", visit: visit, "approvalsNeeded[\(i)]: the day overrun is {\"visit\": null, \"category\": \"day\"}; a visit overrun names its visit and category")
                continue
            }
            guard let computed = expected[key] else {
                // An overrun within the tolerance of zero may be listed or not (rounding of the spend).
                if amount > 0, PlanChecker.agree(amount, 0), seen.insert(key).inserted { continue }
                fail("plan.approval-extra", visit: visit, "approvalsNeeded[\(i)] asks approval for \(name(key)), which is not over its cap")
                continue
            }
            guard seen.insert(key).inserted else {
                fail("plan.approval-duplicate", visit: visit, "\(name(key)) is listed in approvalsNeeded more than once")
                continue
            }
            if !PlanChecker.agree(amount, computed) {
                fail("plan.approval-amount", visit: visit, "approval for \(name(key)) says \(money(amount)); the overrun is \(money(computed))")
            }
        }
        for (key, amount) in expected.sorted(by: { ($0.key.visit ?? "", $0.key.category, $0.key.day ?? 0) < ($1.key.visit ?? "", $1.key.category, $1.key.day ?? 0) }) where !seen.contains(key) {
            let entry = key.visit.map { "{\"visit\": \"\($0)\", \"category\": \"\(key.category)\", ...}" }
                ?? (key.day.map { "{\"visit\": null, \"category\": \"day\", \"day\": \($0), ...}" } ?? "{\"visit\": null, \"category\": \"day\", ...}")
            fail("plan.approval-missing", visit: key.visit, "\(name(key)) is \(money(amount)) over; add \(entry) to approvalsNeeded")
        }
    }

    // MARK: Special reception plans

    /// On a day with `policy.specialPlans`, `specialPlans` lists exactly the visits
    /// whose tier is in `tiers` or whose guests are at least `minGuests`, each once,
    /// with its reasons (`"tier high"`, `"24 guests >= 15"`); on a day without,
    /// the plan has no such list, or an empty one. Read from the day here, not from
    /// how plans are written.
    mutating func checkSpecialPlans() {
        var expected: [String: Set<String>] = [:]
        if let policy = day.policy.specialPlans {
            for visit in day.visits {
                var reasons = Set<String>()
                if policy.tiers.contains(visit.tier) { reasons.insert("tier " + visit.tier.rawValue) }
                if let least = policy.minGuests, visit.guests >= least {
                    reasons.insert("\(visit.guests) \(visit.guests == 1 ? "guest" : "guests") >= \(least)")
                }
                if !reasons.isEmpty { expected[visit.id] = reasons }
            }
        }
        let items: [JSONValue]
        switch document["specialPlans"] {
        case nil:
            guard day.policy.specialPlans == nil else {
                fail("plan.special-plan-shape", "the day's policy says which visits need a special reception plan, but the plan has no specialPlans list; expected an array of {\"visit\", \"reasons\"}")
                return
            }
            return
        case .array(let list)?: items = list
        case let other?:
            fail("plan.special-plan-shape", "specialPlans is \(other.excerpt); expected an array of {\"visit\", \"reasons\"}")
            return
        }
        var seen = Set<String>()
        for (i, item) in items.enumerated() {
            guard case .object(let o) = item, case .string(let visit)? = o["visit"], case .array(let given)? = o["reasons"] else {
                fail("plan.special-plan-shape", "specialPlans[\(i)] is \(item.excerpt); each entry is {\"visit\": id, \"reasons\": [text, ...]}")
                continue
            }
            var reasons: [String] = []
            for reason in given {
                if case .string(let text) = reason { reasons.append(text) } else {
                    fail("plan.special-plan-shape", visit: visit, "specialPlans[\(i)].reasons holds \(reason.excerpt); each reason is a string")
                }
            }
            guard let wanted = expected[visit] else {
                let known = day.visits.contains { $0.id == visit }
                fail("plan.special-plan-extra", visit: visit, known
                     ? "specialPlans[\(i)] lists \(visit), which needs no special reception plan under the day's policy.specialPlans"
                     : "specialPlans[\(i)] lists \(visit), which is not a visit of the day")
                continue
            }
            guard seen.insert(visit).inserted else {
                fail("plan.special-plan-duplicate", visit: visit, "\(visit) is listed in specialPlans more than once")
                continue
            }
            if Set(reasons) != wanted || reasons.count != wanted.count {
                fail("plan.special-plan-reasons", visit: visit, "specialPlans[\(i)] gives \(visit) the reasons \(reasons.map { "\"\($0)\"" }.joined(separator: ", ")); the day's policy gives \(wanted.sorted().map { "\"\($0)\"" }.joined(separator: ", "))")
            }
        }
        for visit in day.visits where expected[visit.id] != nil && !seen.contains(visit.id) {
            let reasons = (expected[visit.id] ?? []).sorted().joined(separator: "; ")
            fail("plan.special-plan-missing", visit: visit.id, "\(visit.id) needs a special reception plan (\(reasons)) but specialPlans does not list it")
        }
    }

    /// `totals` equal the recomputed cost, byCategory, overGrade, overrun, dayOverrun and unmet.
    mutating func checkTotals(_ t: RecomputedTotals) {
        guard case .object(let totals)? = document["totals"] else {
            fail("plan.totals", "the plan has no totals object")
            return
        }
        func compare(_ field: String, _ declared: JSONValue?, _ computed: Double) {
            guard let d = number(declared) else {
                fail("plan.totals", "totals.\(field) is \(declared?.excerpt ?? "missing"); it should be \(money(computed))")
                return
            }
            if !PlanChecker.agree(d, computed) { fail("plan.totals", "totals.\(field) says \(money(d)); recomputed \(money(computed))") }
        }
        compare("cost", totals["cost"], t.cost)
        if case .object(let by)? = totals["byCategory"] {
            for category in categories { compare("byCategory.\(category)", by[category], t.byCategory[category] ?? 0) }
            for key in by.keys where !categories.contains(key) {
                fail("plan.totals", "totals.byCategory.\(key) is not a cost category (\(categories.joined(separator: ", ")))")
            }
        } else {
            fail("plan.totals", "totals.byCategory is \(totals["byCategory"]?.excerpt ?? "missing"); expected an object by category")
        }
        compare("overGrade", totals["overGrade"], t.overGrade)
        compare("overrun", totals["overrun"], t.overrun)
        compare("dayOverrun", totals["dayOverrun"], t.dayOverrun)
        if number(totals["unmet"]) != Double(t.unmet) {
            fail("plan.totals", "totals.unmet is \(totals["unmet"]?.excerpt ?? "missing"); the plan leaves \(t.unmet) need\(t.unmet == 1 ? "" : "s") null")
        }
    }

    /// The declared objective equals §5's; `bound <= objective`; `optimal` with a bound has
    /// `objective - bound <= 1e-6 * max(1, |objective|)`.
    mutating func checkObjective(_ t: RecomputedTotals) {
        if let declared = number(document["objective"]) {
            if !PlanChecker.agree(declared, t.objective) {
                fail("plan.objective", "objective says \(money(declared)); §5 gives \(money(t.objective)) (cost \(money(t.cost)), overGrade \(money(t.overGrade)), overrun \(money(t.overrun)) + day \(money(t.dayOverrun)), unmet \(t.unmet)\(t.changes > 0 ? ", changes \(t.changes)" : ""))")
            }
        } else {
            fail("plan.objective", "objective is \(document["objective"]?.excerpt ?? "missing"); §5 gives \(money(t.objective))")
        }
        let bound: Double?
        switch document["bound"] {
        case .number(let b)?: bound = b
        case .null?, nil: bound = nil
        case let other?:
            fail("plan.bound", "bound is \(other.excerpt); a number or null")
            return
        }
        guard let bound else { return }
        if bound > t.objective + PlanChecker.tolerance(t.objective) {
            fail("plan.bound", "bound \(money(bound)) is above the objective \(money(t.objective)); a lower bound cannot exceed it")
        }
        if case .string("optimal")? = document["status"], t.objective - bound > 1e-6 * max(1, abs(t.objective)) {
            fail("plan.optimal-gap", "status is optimal but the bound \(money(bound)) is \(money(t.objective - bound)) below the objective \(money(t.objective)); call it feasible or prove the bound")
        }
    }
}
