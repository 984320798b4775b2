import SchedulingCore

/// One resource a plan assigned to a need: `host S-001`, `venue R301`, the
/// `vehicle` and `driver` of a transport pair, ...
public struct AssignmentRecord: Sendable, Hashable {
    /// The segment, or `""` for visit-level needs (host, escorts).
    public var segment: String
    /// The need key (`venue`, `transport`, `host`, `escorts`, ...).
    public var need: String
    /// The position in the need's list (0 for single values).
    public var position: Int
    /// The member name for structured values (`vehicle`, `driver`), else the need key.
    public var role: String
    /// The resource's id.
    public var resource: String

    public init(segment: String, need: String, position: Int, role: String, resource: String) {
        self.segment = segment
        self.need = need
        self.position = position
        self.role = role
        self.resource = resource
    }
}

/// A need the plan left unmet, with the plan's reason.
public struct UnmetRecord: Sendable, Hashable {
    /// The segment, or `""` for visit-level needs.
    public var segment: String
    /// The need key.
    public var need: String
    /// The plan's reason, for a planner.
    public var reason: String

    public init(segment: String, need: String, reason: String) {
        self.segment = segment
        self.need = need
        self.reason = reason
    }
}

/// One visit's planned (and perhaps actual) spend in one cost category.
public struct CategoryCost: Sendable, Hashable {
    /// The cost category (`venue`, `transport`, `catering`, ...).
    public var category: String
    /// The plan's cost.
    public var planned: Double
    /// `perVisit + perGuest * guests + approved`; `nil` when the tier has no cap for the category.
    public var cap: Double?
    /// The visit's `approvedOverrun` for the category (already part of `cap`).
    public var approved: Double
    /// What was really spent, when known.
    public var actual: Double?

    public init(category: String, planned: Double, cap: Double?, approved: Double, actual: Double?) {
        self.category = category
        self.planned = planned
        self.cap = cap
        self.approved = approved
        self.actual = actual
    }
}

/// A staff member as the day listed them.
public struct StaffRecord: Sendable, Hashable {
    /// The staff id.
    public var id: String
    /// The person's name, when the day gives it.
    public var name: String?
    /// `executive`, `manager` or `staff`.
    public var rank: String
    /// The department, which KPIs group by.
    public var department: String

    public init(id: String, name: String?, rank: String, department: String) {
        self.id = id
        self.name = name
        self.rank = rank
        self.department = department
    }
}

/// One visit of a day or programme as archived: its dates and times, the
/// client, the assignments, the unmet needs and the costs.
///
/// A reception of a programme over several days (PROBLEM.md §9) runs from
/// ``start`` on programme day ``firstDay`` to ``end`` on ``lastDay``; its dates
/// are those of its ``DayRecord`` (``DayRecord/startDate(of:)``).
public struct ReceptionRecord: Sendable, Hashable {
    /// The visit id (unique within its day).
    public var visit: String
    /// The client's company (`client.company`).
    public var company: String?
    /// The client's contact person (`client.contact`).
    public var contact: String?
    /// The contact's title (`client.title`).
    public var contactTitle: String?
    /// The visit's `purpose`.
    public var purpose: String?
    /// The visit's tier.
    public var tier: TierName
    /// The number of guests.
    public var guests: Int
    /// The visit's language, when it has one.
    public var language: String?
    /// First segment start, `HH:MM` on programme day ``firstDay``.
    public var start: String
    /// Last segment end, `HH:MM` (`24:00` at the end of a day) on programme day ``lastDay``.
    public var end: String
    /// The programme day (1-based) of the first segment: 1 on a one-day file.
    public var firstDay: Int
    /// The programme day (1-based) of the last segment's end: 1 on a one-day file.
    public var lastDay: Int
    /// Every resource the plan assigned to the visit.
    public var assignments: [AssignmentRecord]
    /// The visit's unmet needs.
    public var unmet: [UnmetRecord]
    /// One entry per cost category of the registry.
    public var costs: [CategoryCost]
    /// Whether ``costs`` carry actuals to store (a visit the actuals file listed).
    public var hasActuals: Bool
    /// Why the visit needs a special reception plan (`tier high`, `24 guests >= 15`,
    /// as plans write them); empty when it needs none.
    public var specialPlan: [String]

    public init(visit: String, company: String?, contact: String?, contactTitle: String?, purpose: String?,
                tier: TierName, guests: Int, language: String?, start: String, end: String, firstDay: Int = 1, lastDay: Int = 1,
                assignments: [AssignmentRecord], unmet: [UnmetRecord], costs: [CategoryCost], hasActuals: Bool,
                specialPlan: [String] = []) {
        self.visit = visit
        self.company = company
        self.contact = contact
        self.contactTitle = contactTitle
        self.purpose = purpose
        self.tier = tier
        self.guests = guests
        self.language = language
        self.start = start
        self.end = end
        self.firstDay = firstDay
        self.lastDay = lastDay
        self.assignments = assignments
        self.unmet = unmet
        self.costs = costs
        self.hasActuals = hasActuals
        self.specialPlan = specialPlan
    }
}

/// Everything `schedule archive add` stores for one day or programme, built
/// from the day file, its plan and (optionally) the actual costs, without
/// touching the database.
public struct DayRecord: Sendable, Hashable {
    /// The day's date, the first of a programme's: the archive holds one plan
    /// per date, and a programme is filed under its first date.
    public var date: CalendarDate
    /// The number of dates the programme covers, from ``date`` (1 for one day).
    public var days: Int
    /// The day's currency.
    public var currency: String
    /// The day's budget, when it has one.
    public var dayBudget: Double?
    /// The plan's `status`.
    public var planStatus: String
    /// The plan's `objective`.
    public var objective: Double
    /// The day as compact JSON (whitespace-free, members in their order).
    public var dayJSON: String
    /// The plan as compact JSON.
    public var planJSON: String
    /// The day's staff list, for departments and follow-up owners.
    public var staff: [StaffRecord]
    /// One record per visit, in the day's order.
    public var receptions: [ReceptionRecord]

    public init(date: CalendarDate, days: Int = 1, currency: String, dayBudget: Double?, planStatus: String, objective: Double,
                dayJSON: String, planJSON: String, staff: [StaffRecord], receptions: [ReceptionRecord]) {
        self.date = date
        self.days = days
        self.currency = currency
        self.dayBudget = dayBudget
        self.planStatus = planStatus
        self.objective = objective
        self.dayJSON = dayJSON
        self.planJSON = planJSON
        self.staff = staff
        self.receptions = receptions
    }

    /// The last date of the programme (``date`` for one day).
    public var lastDate: CalendarDate { date.adding(days: max(days, 1) - 1) }

    /// The date a reception starts on: ``date`` plus its first programme day.
    public func startDate(of reception: ReceptionRecord) -> CalendarDate { date.adding(days: reception.firstDay - 1) }

    /// The date a reception ends on: ``date`` plus its last programme day.
    public func endDate(of reception: ReceptionRecord) -> CalendarDate { date.adding(days: reception.lastDay - 1) }

    /// The plan's content without `solver` (the solver's name and seconds), so
    /// that re-running the optimizer to the same assignments counts as the same plan.
    static func planContent(_ planJSON: String) -> String {
        guard case .object(var plan)? = try? JSONParser.parse(planJSON) else { return planJSON }
        plan["solver"] = nil
        return JSONWriter.compact(.object(plan))
    }

    /// Builds the record of a day.
    ///
    /// - Parameters:
    ///   - problem: The loaded day (`Problem.load`).
    ///   - day: The day's parsed JSON (for client details the core does not keep).
    ///   - plan: The plan's parsed JSON; it must be the plan of this day
    ///     (the CLI checks it with `schedule check`'s checker first).
    ///   - actuals: The actual costs, or `nil`.
    ///   - dayFile: The day file's name, for messages.
    ///   - planFile: The plan file's name, for messages.
    /// - Throws: ``ArchiveError/invalidInput(_:)`` naming every field to fix.
    public static func make(problem: Problem, day: JSONValue, plan: JSONValue, actuals: ActualCosts?,
                            dayFile: String = "day.json", planFile: String = "plan.json") throws(ArchiveError) -> DayRecord {
        var issues: [ArchiveInputIssue] = []
        func fail(_ field: String, _ message: String) { issues.append(ArchiveInputIssue(field: field, message: message)) }

        let core = problem.day
        var date: CalendarDate?
        if let text = core.date {
            do {
                date = try CalendarDate(parsing: text)
            } catch {
                fail("\(dayFile): date", "\(error); the archive files receptions by date")
            }
        } else {
            fail("\(dayFile): date", "the day has no date, and the archive files receptions by date: add \"date\": \"YYYY-MM-DD\"")
        }
        if let actualsDate = actuals?.date, let date, actualsDate != date {
            fail("\(actuals?.file ?? "actuals.json"): date", "\(actualsDate) is not the day's date \(date); use the actuals of this day")
        }

        guard case .object(let planObject) = plan else {
            throw .input(planFile, "expected a plan object (the output of `schedule optimize`), found \(plan.typeName)")
        }
        let view = PlanView(document: planObject)
        var status = ""
        if case .string(let s)? = planObject["status"] { status = s } else { fail("\(planFile): status", "is required (a string)") }
        var objective = 0.0
        if case .number(let n)? = planObject["objective"] { objective = n } else { fail("\(planFile): objective", "is required (a number)") }

        var unmetByVisit: [String: [UnmetRecord]] = [:]
        if case .array(let items)? = planObject["unmet"] {
            for (i, item) in items.enumerated() {
                guard case .object(let u) = item, case .string(let visit)? = u["visit"], case .string(let need)? = u["need"] else {
                    fail("\(planFile): unmet[\(i)]", "expected {\"visit\", \"need\", \"reason\"}")
                    continue
                }
                var segment = ""
                if case .string(let s)? = u["segment"] { segment = s }
                var reason = ""
                if case .string(let r)? = u["reason"] { reason = r }
                unmetByVisit[visit, default: []].append(UnmetRecord(segment: segment, need: need, reason: reason))
            }
        }

        let rawVisits: [JSONValue]
        if case .object(let root) = day, case .array(let items)? = root["visits"] { rawVisits = items } else { rawVisits = [] }

        var receptions: [ReceptionRecord] = []
        for visit in core.visits {
            let planPath = "\(planFile): visits[id=\(visit.id)]"
            guard let entry = view.visits[visit.id] else {
                fail("\(planFile): visits", "\(visit.id) of the day is missing; archive the plan that was made for this day")
                continue
            }
            var assignments: [AssignmentRecord] = []
            for member in entry.members where !["id", "segments", "costs", "overruns"].contains(member.key) {
                assignments += flatten(member.value, segment: "", need: member.key, field: "\(planPath).\(member.key)", fail: fail)
            }
            for segment in visit.segments {
                guard let s = view.segments[visit.id]?[segment.id] else { continue }
                for member in s.members where member.key != "id" {
                    assignments += flatten(member.value, segment: segment.id, need: member.key,
                                           field: "\(planPath).segments[id=\(segment.id)].\(member.key)", fail: fail)
                }
            }
            var planned: JSONObject?
            if case .object(let c)? = entry["costs"] { planned = c } else {
                fail("\(planPath).costs", "is required (an object of costs by category)")
            }
            let visitActuals = actuals?.byVisit[visit.id]
            var costs: [CategoryCost] = []
            for category in problem.categories {
                var amount = 0.0
                if let planned {
                    switch planned[category] {
                    case .number(let n)? where n >= 0 && n.isFinite: amount = n
                    case nil: fail("\(planPath).costs.\(category)", "is missing; a plan lists every category")
                    case let other?: fail("\(planPath).costs.\(category)", "\(other.excerpt) is not a cost (a number >= 0)")
                    }
                }
                costs.append(CategoryCost(category: category, planned: amount, cap: problem.cap(visit: visit, category: category),
                                          approved: visit.approvedOverrun[category] ?? 0,
                                          actual: visitActuals.map { $0[category] ?? 0 }))
            }
            var client: JSONObject?
            var purpose: String?
            if visit.index < rawVisits.count, case .object(let raw) = rawVisits[visit.index] {
                if case .object(let c)? = raw["client"] { client = c }
                if case .string(let p)? = raw["purpose"] { purpose = p }
            }
            func clientString(_ key: String) -> String? {
                if case .string(let s)? = client?[key], !s.isEmpty { return s }
                return nil
            }
            // Times of day on the reception's first and last programme days (a
            // start on a day's boundary is 00:00 of the next day, an end 24:00 of its day).
            let span = visit.span
            receptions.append(ReceptionRecord(
                visit: visit.id, company: visit.company.flatMap { $0.isEmpty ? nil : $0 },
                contact: clientString("contact"), contactTitle: clientString("title"), purpose: purpose,
                tier: visit.tier, guests: visit.guests, language: visit.language,
                start: Clock.timeOfDay(span.start, asStart: true), end: Clock.timeOfDay(span.end, asStart: false),
                firstDay: Clock.day(ofStart: span.start), lastDay: max(Clock.day(ofStart: span.start), Clock.day(ofEnd: span.end)),
                assignments: assignments, unmet: unmetByVisit[visit.id] ?? [], costs: costs,
                hasActuals: visitActuals != nil,
                specialPlan: core.policy.specialPlans?.reasons(for: visit).map(\.description) ?? []))
        }

        guard issues.isEmpty, let date else { throw .invalidInput(issues) }
        return DayRecord(date: date, days: max(core.days, 1), currency: core.currency, dayBudget: core.policy.dayBudget, planStatus: status,
                         objective: objective, dayJSON: JSONWriter.compact(day), planJSON: JSONWriter.compact(plan),
                         staff: staffList(core.resources), receptions: receptions)
    }

    /// A plan value as assignment rows: an id, a list of ids, an object whose
    /// string members are ids (`{"vehicle", "driver"}`, lodging's
    /// `{"hotel", "rooms"}`: its number members, such as `rooms`, are not
    /// resources and are left out), a list of such objects, or an object of
    /// lists of ids (service roles, `{"minute-taker": ["S-12"]}`: each id a row
    /// with the member's key as its role, numbered within it); `null` is unmet.
    private static func flatten(_ value: JSONValue, segment: String, need: String, field: String,
                                fail: (String, String) -> Void) -> [AssignmentRecord] {
        func item(_ value: JSONValue, position: Int, field: String) -> [AssignmentRecord] {
            switch value {
            case .string(let id):
                return [AssignmentRecord(segment: segment, need: need, position: position, role: need, resource: id)]
            case .object(let o):
                return o.members.compactMap { member in
                    guard case .string(let id) = member.value else { return nil }
                    return AssignmentRecord(segment: segment, need: need, position: position, role: member.key, resource: id)
                }
            default:
                fail(field, "\(value.excerpt) is not a resource id (expected a string, an object of ids, a list of them, or null)")
                return []
            }
        }
        switch value {
        case .null: return []
        case .array(let items): return items.enumerated().flatMap { item($1, position: $0, field: "\(field)[\($0)]") }
        case .object(let o) where !o.members.isEmpty && o.members.allSatisfy({ if case .array = $0.value { true } else { false } }):
            return o.members.flatMap { member -> [AssignmentRecord] in
                guard case .array(let ids) = member.value else { return [] }
                return ids.enumerated().compactMap { position, id in
                    guard case .string(let id) = id else {
                        fail("\(field).\(member.key)[\(position)]", "\(id.excerpt) is not a staff id")
                        return nil
                    }
                    return AssignmentRecord(segment: segment, need: need, position: position, role: member.key, resource: id)
                }
            }
        default: return item(value, position: 0, field: field)
        }
    }

    /// `resources.staff` as PROBLEM.md §2 gives it (the core keeps it as JSON for the staff plugin).
    private static func staffList(_ resources: JSONObject) -> [StaffRecord] {
        guard case .array(let items)? = resources["staff"] else { return [] }
        return items.compactMap { item in
            guard case .object(let o) = item, case .string(let id)? = o["id"] else { return nil }
            func text(_ key: String) -> String? {
                if case .string(let s)? = o[key] { return s }
                return nil
            }
            return StaffRecord(id: id, name: text("name"), rank: text("rank") ?? "", department: text("department") ?? "")
        }
    }
}
