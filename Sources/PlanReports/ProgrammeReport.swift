import SchedulingCore

/// The parts of a report that a version-2 programme reads day by day: its
/// title, the spend of each day against the day budget, and the resource
/// timelines, one section per day with hotels by night.
extension PlanReport {
    /// `Programme 2026-12-07 to 2026-12-09 (3 days)`.
    var programmeTitle: String {
        let days = plan.dayNumbers
        let count = Pretty.plural(days.count, "day")
        guard let first = plan.date(ofDay: days.lowerBound) else {
            return "Programme" + (plan.problem.day.date.map { " \($0)" } ?? "") + " (\(count))"
        }
        guard days.count > 1, let last = plan.date(ofDay: days.upperBound) else { return "Programme \(first) (\(count))" }
        return "Programme \(first) to \(last) (\(count))"
    }

    // MARK: Spend by day

    /// Each day's spend by category against the day budget (PROBLEM.md §9: a
    /// use's cost on its segment's day, a night's lodging on the day it begins).
    func spendByDayBlocks() -> [ReportBlock] {
        let problem = plan.problem
        let budget = problem.day.policy.dayBudget
        var byCategory: [[String: Double]] = Array(repeating: [:], count: plan.dayNumbers.count)
        for (j, need) in problem.needs.enumerated() {
            for i in plan.outcomes[j].chosen {
                guard let category = need.candidates[i].category else { continue }
                for part in problem.costByDay(of: i, in: need) where byCategory.indices.contains(part.day - 1) {
                    byCategory[part.day - 1][category, default: 0] += part.amount
                }
            }
        }
        var rows: [[String]] = []
        var classes: [String?] = []
        for k in plan.dayNumbers {
            let spend = plan.daySpend.indices.contains(k - 1) ? plan.daySpend[k - 1] : 0
            let over = plan.approvals.first { $0.visit == nil && $0.day == k }
            let left = budget.map { over == nil ? Money.format($0 - spend) : "-" } ?? "-"
            let parts = problem.categories.compactMap { c in byCategory[k - 1][c].flatMap { $0 != 0 ? "\(c) \(Money.format($0))" : nil } }
            rows.append([plan.title(ofDay: k), Money.format(spend), left, over.map { Money.format($0.amount) } ?? "-",
                         parts.isEmpty ? "nothing" : parts.joined(separator: " · ")])
            classes.append(over == nil ? nil : "overrun")
        }
        return [.subheading("Spend by day" + (budget.map { " (day budget \(Money.format($0)) a day)" } ?? " (no day budget)"), anchor: "spend-by-day"),
                .table(ReportTable(header: ["day", "spend", "left", "over", "by category"], rows: rows, rightAligned: [1, 2, 3], rowClasses: classes))]
    }

    // MARK: Timelines by day

    /// One section per day, each with the day's timelines by resource list;
    /// resources used by nights (hotels) show the rooms taken that night.
    func programmeTimelines(_ byGroup: [(String, [ResourceKey])], wholeDay: Bool) -> [ReportSection] {
        var sections: [ReportSection] = []
        if wholeDay {
            let hours = plan.timeOfDay(plan.window(onDay: 1))
            sections.append(ReportSection(anchor: "timelines", title: "Resource timelines", blocks: [
                .paragraph("Day by day, what each resource does when, with the turnover and travel around its uses and the windows when it is free (within its availability, \(hours) each day); hotels by night, with the rooms each visit takes."),
            ]))
        }
        for k in plan.dayNumbers {
            sections.append(ReportSection(anchor: "timelines-day-\(k)", title: "Resource timelines, \(plan.title(ofDay: k))", blocks: []))
            for (group, keys) in byGroup {
                sections.append(ReportSection(anchor: "group-" + HTML.slug(group) + "-day-\(k)", title: ResourceCatalog.title(ofGroup: group) + ", day \(k)",
                                              level: 3, blocks: keys.flatMap { timelineBlocks($0, day: k) }))
            }
        }
        return sections
    }

    /// The heading of a resource's timeline: label, details, availability, budget.
    func timelineHeading(_ key: ResourceKey, availability: String, budget: String?) -> String {
        let entry = catalog[key]
        var heading = entry.label
        if !entry.detailText.isEmpty { heading += " — " + entry.detailText }
        heading += " — " + availability
        if let budget { heading += " — " + budget }
        return heading
    }

    /// One resource on day `k` of a programme: a timeline within the day, or
    /// the rooms taken on night `k` for a resource used by nights.
    func timelineBlocks(_ key: ResourceKey, day k: Int) -> [ReportBlock] {
        let anchor = PlanReport.anchor(resource: key) + "-day-\(k)"
        if plan.isNightly(key) {
            let night = plan.night(k, of: key, catalog: catalog)
            let heading = timelineHeading(key, availability: night.isHeld ? "held on night \(k)" : "no rooms held on night \(k)", budget: nil)
            return [.subheading(heading, anchor: anchor),
                    .table(ReportTable(header: ["night", "taken", "by"], rows: [["night \(k)", night.takenText, night.byText]],
                                       rowClasses: [night.uses.isEmpty ? "free" : "use"]))]
        }
        let entry = catalog[key]
        let timeline = plan.timeline(of: key, catalog: catalog, onDay: k)
        var budget: String?
        if let limit = entry.minuteBudget, timeline.budgetMinutes > 0 {
            budget = "day \(k): \(timeline.budgetMinutes) of \(Pretty.number(limit)) min used"
        }
        var table = timelineTable(entry, timeline)
        if case .table(var rows) = table, rows.rows.isEmpty {
            // A day without a window of its availability in the shown hours.
            let unavailable = entry.availability(onDay: k)?.isEmpty == true
            rows.rows = [["-", unavailable ? "not available on day \(k)" : "not available in these hours", "", "", ""]]
            rows.rowClasses = ["gap"]
            table = .table(rows)
        }
        return [.subheading(timelineHeading(key, availability: entry.availabilityText(onDay: k), budget: budget), anchor: anchor), table]
    }
}

/// What a resource used by nights (a hotel's room block) holds on one night.
struct NightOccupancy {
    /// The night, 1-based: the night after day `night`.
    var night: Int
    /// Whether the block is held that night (its `nights`, default every night).
    var isHeld: Bool
    /// Its places (rooms), when it is shared by capacity.
    var capacity: Double?
    /// The plan's uses on that night.
    var uses: [ResourceUse]
    /// `V-01 3, V-02 2`: each use's visit and load.
    var byText: String
    /// Rooms taken in all.
    var taken: Double { uses.reduce(0) { $0 + $1.usage.load } }

    /// `3 of 4 rooms`, `0 of 6 rooms`, or `-` when the block is not held that night.
    var takenText: String {
        guard isHeld || !uses.isEmpty else { return "-" }
        guard let capacity else { return Pretty.number(taken) }
        return "\(Pretty.number(taken)) of \(Pretty.number(capacity)) rooms"
    }

    /// `night 1: 3 of 4 rooms — V-01 3`.
    var summary: String {
        guard isHeld || !uses.isEmpty else { return "night \(night): no rooms held" }
        return "night \(night): \(takenText)" + (uses.isEmpty ? ", none taken" : " — \(byText)")
    }
}

extension DayPlan {
    /// What a resource used by nights holds on night `k`.
    func night(_ k: Int, of key: ResourceKey, catalog: ResourceCatalog) -> NightOccupancy {
        let entry = catalog[key]
        let span = Nights.span(ofNight: k)
        let uses = self.uses.filter { $0.resource == key && $0.span == span }
        var capacity: Double?
        if case .capacity(let c) = entry.sharing { capacity = c }
        let by = uses.map { "\(problem.day.visits[problem.needs[$0.need].id.visit].id) \(Pretty.number($0.usage.load))" }
        return NightOccupancy(night: k, isHeld: entry.nights?.contains(k) ?? true, capacity: capacity, uses: uses,
                              byText: by.isEmpty ? "-" : by.joined(separator: ", "))
    }
}
