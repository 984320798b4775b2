import SchedulingCore

/// The planner's view of a plan: a day summary, the unmet needs and approvals
/// with their reasons, a run sheet per visit and a timeline per resource, as
/// text for a terminal, Markdown or one self-contained HTML page.
///
/// ```swift
/// let report = PlanReport(plan: try DayPlan(problem: problem, planJSON: bytes))
/// print(try report.render(.text, scope: .init(visits: ["V-017"])))
/// ```
public struct PlanReport: Sendable {
    /// Output formats.
    public enum Format: String, Sendable, CaseIterable {
        /// Plain text that reads well at 80 columns.
        case text
        /// GitHub-flavoured Markdown.
        case md
        /// One self-contained HTML page with a Gantt-style timeline.
        case html
    }

    /// What to print: the whole day, or only some visits' run sheets and some
    /// resources' timelines.
    public struct Scope: Sendable, Equatable {
        /// Visit ids; their run sheets are printed.
        public var visits: [String]
        /// Resource ids (`CAR-01`) or `kind:id` (`vehicle:CAR-01`); their timelines are printed.
        public var resources: [String]

        /// Only these visits' run sheets and these resources' timelines; both empty = the whole day.
        public init(visits: [String] = [], resources: [String] = []) {
            self.visits = visits
            self.resources = resources
        }

        /// Everything.
        public static let wholeDay = Scope()

        /// Whether nothing narrows the report.
        public var isWholeDay: Bool { visits.isEmpty && resources.isEmpty }
    }

    /// The day and its plan, matched.
    public let plan: DayPlan
    /// The day's resources with their names and details.
    public let catalog: ResourceCatalog
    /// Recorded approvals of special reception plans by visit id, printed in
    /// place of the blanks; empty by default.
    public var specialPlanSignatures: [String: SpecialPlanSignature] = [:]

    /// A report of a day and its plan.
    public init(plan: DayPlan) {
        self.plan = plan
        self.catalog = plan.catalog
    }

    /// Renders the report.
    ///
    /// - Throws: ``PlanReportError/Kind/unknownVisit`` or
    ///   ``PlanReportError/Kind/unknownResource`` when the scope names something the day lacks.
    public func render(_ format: Format, scope: Scope = .wholeDay) throws(PlanReportError) -> String {
        let selection = try resolve(scope)
        let document = self.document(selection)
        switch format {
        case .text: return document.text()
        case .md: return document.markdown()
        case .html: return HTMLPage(report: self, selection: selection, document: document).render()
        }
    }

    // MARK: Scope

    /// A scope with its ids resolved.
    struct Selection {
        var wholeDay: Bool
        var visits: [Int]
        var resources: [ResourceKey]
    }

    func resolve(_ scope: Scope) throws(PlanReportError) -> Selection {
        let day = plan.problem.day
        if scope.isWholeDay {
            return Selection(wholeDay: true, visits: day.visits.map(\.index), resources: catalog.groups.flatMap(\.keys))
        }
        var visits: [Int] = []
        for id in scope.visits {
            guard let visit = day.visits.first(where: { $0.id == id }) else {
                throw PlanReportError(.unknownVisit, "the day has no visit \"\(id)\"" + PlanReport.suggestion(id, among: day.visits.map(\.id)))
            }
            if !visits.contains(visit.index) { visits.append(visit.index) }
        }
        var resources: [ResourceKey] = []
        for id in scope.resources {
            let keys = catalog.keys(matching: id)
            guard !keys.isEmpty else {
                throw PlanReportError(.unknownResource, "the day has no resource \"\(id)\"" + PlanReport.suggestion(id, among: catalog.entries.keys.map(\.id)))
            }
            for key in keys where !resources.contains(key) { resources.append(key) }
        }
        return Selection(wholeDay: false, visits: visits, resources: resources)
    }

    /// `; did you mean V-017?` from ids that share the query's letters, or the first few ids.
    static func suggestion(_ query: String, among ids: [String]) -> String {
        let q = query.lowercased()
        let close = Set(ids).filter { id in
            let l = id.lowercased()
            return l.contains(q) || q.contains(l) || (l.count == q.count && zip(l, q).filter { $0 != $1 }.count == 1)
        }.sorted()
        if !close.isEmpty { return "; did you mean \(Pretty.list(close, limit: 5, conjunction: "or"))?" }
        let all = Array(Set(ids)).sorted()
        return all.isEmpty ? "" : " (it has \(Pretty.list(all, limit: 8)))"
    }

    // MARK: Document

    func document(_ selection: Selection) -> ReportDocument {
        let day = plan.problem.day
        var title = plan.isProgramme ? programmeTitle : "Reception day" + (day.date.map { " \($0)" } ?? "")
        if !selection.wholeDay {
            let names = selection.visits.map { day.visits[$0].id } + selection.resources.map(\.id)
            title += ": " + names.joined(separator: ", ")
        }
        var sections: [ReportSection] = []
        if selection.wholeDay {
            sections.append(summarySection())
            let unmet = plan.unmetNeeds
            if !unmet.isEmpty {
                sections.append(ReportSection(anchor: "unmet", title: "Unmet needs (\(unmet.count))",
                                              blocks: [.items(unmet.map { unmetItem(plan.diagnose(need: $0)) })]))
            }
            if !plan.approvals.isEmpty {
                sections.append(ReportSection(anchor: "approvals", title: "Approvals to ask for (\(plan.approvals.count))",
                                              blocks: [.items(plan.approvals.map { approvalItem(plan.explain($0)) })]))
            }
            if let special = specialPlansSection() { sections.append(special) }
        }
        if !selection.visits.isEmpty {
            if selection.wholeDay {
                let byDay = plan.isProgramme ? ", day by day with its nights," : ","
                sections.append(ReportSection(anchor: "run-sheets", title: "Run sheets", blocks: [
                    .paragraph("One per visit\(byDay) segments by time, each labelled with its step of the reception flow (pickup, sign-in, opening, business exchange, tour, negotiation, meal, send-off)."),
                ]))
            }
            sections += selection.visits.map { runSheet($0, level: selection.wholeDay ? 3 : 2) }
        }
        if !selection.resources.isEmpty {
            var byGroup: [(String, [ResourceKey])] = []
            for group in catalog.groups {
                let keys = group.keys.filter(selection.resources.contains)
                if !keys.isEmpty { byGroup.append((group.name, keys)) }
            }
            if plan.isProgramme {
                sections += programmeTimelines(byGroup, wholeDay: selection.wholeDay)
            } else {
                if selection.wholeDay {
                    sections.append(ReportSection(anchor: "timelines", title: "Resource timelines", blocks: [
                        .paragraph("What each resource does when, with the turnover and travel around its uses and the windows when it is free (within its availability, \(plan.window))."),
                    ]))
                }
                for (group, keys) in byGroup {
                    sections.append(ReportSection(anchor: "group-" + HTML.slug(group), title: ResourceCatalog.title(ofGroup: group),
                                                  level: selection.wholeDay ? 3 : 2,
                                                  blocks: keys.flatMap { timelineBlocks($0) }))
                }
            }
        }
        if !plan.warnings.isEmpty {
            sections.append(ReportSection(anchor: "warnings", title: "About this plan",
                                          blocks: [.items(plan.warnings.map { ReportItem(.problem, $0) })]))
        }
        return ReportDocument(title: title, sections: sections)
    }

    // MARK: Summary

    func summarySection() -> ReportSection {
        let problem = plan.problem
        let day = problem.day
        let currency = day.currency
        var blocks: [ReportBlock] = []
        var facts: [(String, String)] = []
        var status = plan.header.status
        if let objective = plan.header.objective { status += ", objective \(Money.format(objective))" }
        if let bound = plan.header.bound { status += ", bound \(Money.format(bound))" }
        if let solver = plan.header.solver { status += " (\(solver)\(plan.header.seconds.map { ", \(Pretty.number($0)) s" } ?? ""))" }
        facts.append(("plan", status))
        let guests = day.visits.reduce(0) { $0 + $1.guests }
        if plan.isProgramme {
            let hours = plan.window(onDay: 1)
            facts.append(("visits", "\(day.visits.count) with \(Pretty.plural(guests, "guest")) over \(Pretty.plural(plan.dayNumbers.count, "day")), \(plan.timeOfDay(hours)) each day"))
        } else {
            facts.append(("visits", "\(day.visits.count) with \(Pretty.plural(guests, "guest")), \(plan.window)"))
        }
        let real = problem.needs.indices.filter { !problem.needs[$0].isTrivial }
        let unmet = plan.unmetNeeds.count
        facts.append(("needs", "\(real.count - unmet) of \(real.count) met" + (unmet > 0 ? ", \(unmet) unmet (see Unmet needs)" : "")))
        let total = plan.visitSpend.reduce(0) { $0 + $1.values.reduce(0, +) }
        let dayApprovals = plan.approvals.filter { $0.visit == nil }
        if plan.isProgramme {
            var text = "\(Money.format(total)) \(currency) over \(Pretty.plural(plan.dayNumbers.count, "day"))"
            if let budget = day.policy.dayBudget {
                text += "; day budget \(Money.format(budget)) a day, "
                text += dayApprovals.isEmpty ? "kept every day"
                    : "over on " + Pretty.list(dayApprovals.map { "day \($0.day ?? 1) by \(Money.format($0.amount))" }) + " (see Spend by day)"
            } else {
                text += " (no day budget)"
            }
            facts.append(("cost", text))
        } else if let budget = day.policy.dayBudget {
            let left = budget - total
            facts.append(("cost", "\(Money.format(total)) \(currency) of the day budget \(Money.format(budget)): " + (left >= -1e-9 ? "\(Money.format(left)) left" : "\(Money.format(-left)) over")))
        } else {
            facts.append(("cost", "\(Money.format(total)) \(currency) (no day budget)"))
        }
        facts.append(("approvals", plan.approvals.isEmpty ? "none needed" : "\(plan.approvals.count) needed, \(Money.format(plan.approvals.reduce(0) { $0 + $1.amount })) \(currency) in all (see Approvals)"))
        if day.policy.specialPlans != nil {
            let special = day.specialPlanRequirements.count
            facts.append(("special plans", special == 0 ? "none needed" : "\(special) needed, each approved by a superior (see Special reception plans)"))
        }
        blocks.append(.facts(facts))

        // Visits by tier.
        var tierRows: [[String]] = []
        for tier in TierName.allCases {
            let visits = day.visits.filter { $0.tier == tier }
            guard !visits.isEmpty else { continue }
            tierRows.append([tier.rawValue, String(visits.count), String(visits.reduce(0) { $0 + $1.guests }), Pretty.list(visits.map(\.id), limit: 8)])
        }
        blocks.append(.table(ReportTable(header: ["tier", "visits", "guests", "ids"], rows: tierRows, rightAligned: [1, 2])))

        // Needs by key.
        var keys: [String] = []
        for j in real where !keys.contains(problem.needs[j].id.key) { keys.append(problem.needs[j].id.key) }
        let needRows = keys.map { key -> [String] in
            let all = real.filter { problem.needs[$0].id.key == key }
            let met = all.filter { plan.outcomes[$0].isMet }.count
            return [key, String(all.count), String(met), String(all.count - met)]
        }
        blocks.append(.table(ReportTable(header: ["need", "count", "met", "unmet"], rows: needRows, rightAligned: [1, 2, 3],
                                         rowClasses: needRows.map { $0[3] == "0" ? nil : "unmet" })))

        // Cost by category against the visits' caps.
        var costRows: [[String]] = []
        for category in problem.categories {
            let spend = plan.visitSpend.reduce(0) { $0 + ($1[category] ?? 0) }
            let caps = day.visits.compactMap { problem.cap(visit: $0, category: category) }
            let capText = caps.isEmpty ? "no cap" : Money.format(caps.reduce(0, +)) + (caps.count < day.visits.count ? " (\(caps.count) capped)" : "")
            let over = plan.approvals.filter { $0.category == category }
            costRows.append([category, Money.format(spend), capText, over.isEmpty ? "-" : Money.format(over.reduce(0) { $0 + $1.amount }),
                             over.isEmpty ? "" : Pretty.list(over.compactMap { $0.visit.map { day.visits[$0].id } }, limit: 4)])
        }
        if plan.isProgramme {
            costRows.append(["total", Money.format(total), day.policy.dayBudget.map { "\(Money.format($0)) a day" } ?? "no budget",
                             dayApprovals.isEmpty ? "-" : Money.format(dayApprovals.reduce(0) { $0 + $1.amount }), ""])
        } else {
            costRows.append(["total", Money.format(total), day.policy.dayBudget.map { "\(Money.format($0)) budget" } ?? "no budget",
                             plan.approvals.contains { $0.visit == nil } ? Money.format(max(0, total - (day.policy.dayBudget ?? total))) : "-", ""])
        }
        blocks.append(.table(ReportTable(header: ["category", "spend \(currency)", "caps", "over", "visits over"], rows: costRows, rightAligned: [1, 2, 3],
                                         rowClasses: costRows.map { $0[3] == "-" ? nil : "overrun" })))
        if plan.isProgramme { blocks += spendByDayBlocks() }

        // Places.
        if !day.locations.isEmpty {
            blocks.append(.facts([("places", day.locations.map { location in location.name.map { "\(location.id) \($0)" } ?? location.id }.joined(separator: " · "))]))
        }
        return ReportSection(anchor: "summary", title: "Day summary", blocks: blocks)
    }

    func unmetItem(_ d: UnmetDiagnosis) -> ReportItem {
        var details: [(String, String)] = [("needs", d.requirement), ("why", d.summary)]
        var byGroup: [(String, [String])] = []
        for h in d.holdings {
            let group = catalog[h.resource].group
            let text = "\(h.resource.id): " + (h.isFree ? "free" : h.blockers.joined(separator: "; "))
            if let i = byGroup.firstIndex(where: { $0.0 == group }) { byGroup[i].1.append(text) } else { byGroup.append((group, [text])) }
        }
        for (group, lines) in byGroup {
            details.append((group, lines.count > 12 ? lines.prefix(12).joined(separator: " · ") + " · and \(lines.count - 12) more" : lines.joined(separator: " · ")))
        }
        if !d.ineligible.isEmpty {
            let shown = d.ineligible.prefix(6).map { key -> String in
                let entry = catalog[key]
                return entry.detailText.isEmpty ? entry.label : "\(entry.label) (\(entry.detailText))"
            }
            details.append(("not eligible", shown.joined(separator: "; ") + (d.ineligible.count > 6 ? "; and \(d.ineligible.count - 6) more" : "")))
        }
        if let reason = d.planReason, d.holdings.isEmpty, reason != d.summary { details.append(("plan says", reason)) }
        return ReportItem(.problem, d.title, details: details)
    }

    func approvalItem(_ e: ApprovalExplanation) -> ReportItem {
        let day = plan.problem.day
        let a = e.approval
        let currency = day.currency
        let title: String
        if let v = a.visit {
            title = "\(day.visits[v].label) \(a.category): ask for \(Money.format(a.amount)) \(currency)"
        } else if let k = a.day {
            title = "\(plan.title(ofDay: k)) budget: ask for \(Money.format(a.amount)) \(currency)"
        } else {
            title = "Day budget: ask for \(Money.format(a.amount)) \(currency)"
        }
        let dayCap = a.day.map { " (the day budget, for day \($0))" } ?? " (the day budget)"
        var details: [(String, String)] = [
            ("cap", Money.format(a.cap) + (a.visit == nil ? dayCap : " = " + e.capParts.joined(separator: " + "))),
            ("spend", Money.format(a.spend)),
        ]
        let drivers = e.drivers.prefix(6).map { "\($0.what) \(Money.format($0.amount))" }
        if !drivers.isEmpty {
            details.append(("drivers", drivers.joined(separator: "; ") + (e.drivers.count > 6 ? "; and \(e.drivers.count - 6) more" : "")))
        }
        return ReportItem(.problem, title, details: details)
    }

    // MARK: Run sheets

    func label(_ candidate: Candidate) -> String { plan.label(candidate) }

    /// The plan's value for a need, as people read it.
    func assignmentText(_ j: Int) -> String {
        let written = plan.values[j].map { plan.display($0, inNeed: j) } ?? ""
        switch plan.outcomes[j] {
        case .met(let chosen): return chosen.isEmpty ? "none needed" : written
        case .unmet: return "UNMET"
        case .absent: return "not in the plan"
        case .unrecognized(let values, _): return "\(written) (not eligible: \(values.joined(separator: ", ")))"
        case .insufficient: return "\(written) (does not meet the need)"
        }
    }

    func runSheet(_ v: Int, level: Int) -> ReportSection {
        let problem = plan.problem
        let visit = problem.day.visits[v]
        let raw = rawVisit(visit.id)
        let tier = problem.day.policy.tier(visit.tier)
        let needs = plan.needs(ofVisit: v)
        var facts: [(String, String)] = []
        var who = "\(visit.tier.rawValue) tier, \(Pretty.plural(visit.guests, "guest")), \(plan.describeSpan(of: visit))"
        if let language = visit.language { who += ", language \(language)" }
        facts.append(("visit", who))
        if let client = raw?["client"]?.objectValue {
            let contact = [client["contact"], client["title"]].compactMap { value -> String? in
                if case .string(let s)? = value, !s.isEmpty { return s }
                return nil
            }
            if !contact.isEmpty { facts.append(("contact", contact.joined(separator: ", "))) }
        }
        if !visit.dietary.isEmpty { facts.append(("dietary", visit.dietary.joined(separator: ", "))) }
        for j in needs where problem.needs[j].id.segment == nil {
            let need = problem.needs[j]
            var text = assignmentText(j)
            if need.id.key == "host", visit.host != nil, plan.outcomes[j].isMet { text += " (pinned)" }
            let nights = plan.nights(ofNeed: j)
            if !nights.isEmpty { text += plan.outcomes[j].isMet ? ", \(Nights.describe(nights))" : " (\(Nights.describe(nights)))" }
            if let tag = need.requiredTag, plan.outcomes[j].isMet {
                let speakers = plan.outcomes[j].chosen.filter { need.candidates[$0].tags.contains(tag.tag) }.map { need.candidates[$0].label }
                if !speakers.isEmpty { text += "; \(Pretty.list(speakers)) \(speakers.count == 1 ? "can" : "can") \(tag.phrase)" }
            }
            facts.append((need.id.key, need.isTrivial ? "none needed" : text))
        }

        // The segments in the flow's order; on a programme, day by day with the visit's nights.
        let stages = FlowStage.ordered(visit)
        var rows: [(day: Int, cells: [String], htmlClass: String?)] = []
        for (segment, stage) in stages {
            let own = needs.filter { problem.needs[$0].id.segment == segment.index }
            var parts = own.map { "\(problem.needs[$0].id.key) \(assignmentText($0))" }
            if own.isEmpty { parts.append("no needs") }
            if stage == .meal, !visit.dietary.isEmpty { parts.append("dietary: \(visit.dietary.joined(separator: ", "))") }
            if !(problem.resolved.hostAttends[v][segment.index]) { parts.append("host does not attend") }
            rows.append((segment.day, [plan.timeOfDay(segment.span), stage.description, segment.id, place(segment) + ": " + parts.joined(separator: "; ")],
                         own.contains { !plan.outcomes[$0].isMet } ? "unmet" : nil))
        }
        var blocks: [ReportBlock] = [.facts(facts)] + specialPlanBlocks(v)
        let header = ["time", "step", "segment", "where: assignments"]
        if plan.isProgramme {
            for j in needs where problem.needs[j].id.segment == nil {
                for night in plan.nights(ofNeed: j) {
                    rows.append((night, ["night \(night)", "overnight", problem.needs[j].id.key, assignmentText(j)], plan.outcomes[j].isMet ? nil : "unmet"))
                }
            }
            for k in plan.dayNumbers {
                let today = rows.filter { $0.day == k }
                guard !today.isEmpty else { continue }
                blocks.append(.subheading(plan.title(ofDay: k), anchor: nil))
                blocks.append(.table(ReportTable(header: header, rows: today.map(\.cells), rowClasses: today.map(\.htmlClass))))
            }
        } else {
            blocks.append(.table(ReportTable(header: header, rows: rows.map(\.cells), rowClasses: rows.map(\.htmlClass))))
        }

        // What the people who act see to at each step (policy.checklists, the regulation's by default).
        // Beside them, who is on duty in the segment's roles, and the language note where the guests are greeted.
        var checklist: [ReportItem] = []
        let greeting = stages.first(where: { $0.stage == .opening })?.segment.index ?? stages.first?.segment.index
        for (segment, stage) in stages {
            var items = problem.day.policy.checklists.items(for: stage, tier: visit.tier) + dutyNotes(visit: v, segment: segment)
            if segment.index == greeting, let note = languageNote(visit: v) { items.append(note) }
            for item in items {
                checklist.append(ReportItem(.none, "\(plan.timeOfDay(segment.span)) \(segment.id) (\(stage.description)): \(item)"))
            }
        }
        if !checklist.isEmpty {
            blocks.append(.paragraph("Checklist for the people who act (\(visit.tier.rawValue) tier):"))
            blocks.append(.items(checklist))
        }

        // The tier's standards, and the caps.
        var standards: [ReportItem] = []
        for j in needs where plan.outcomes[j].isMet && !problem.needs[j].isTrivial {
            let need = problem.needs[j]
            let chosen = plan.outcomes[j].chosen.map { need.candidates[$0] }
            let above = chosen.reduce(0) { $0 + $1.overGrade }
            let grade = above > 0 ? " (\(Pretty.number(above)) grade\(above == 1 ? "" : "s") above the minimum)" : ""
            let what = need.id.segment.map { "\(visit.segments[$0].id) \(need.id.key)" } ?? need.id.key
            standards.append(ReportItem(.ok, "\(what): \(need.requirement)\(grade)"))
        }
        for category in problem.categories {
            let spend = plan.visitSpend[v][category] ?? 0
            guard let cap = problem.cap(visit: visit, category: category) else { continue }
            let capText = "\(Money.format(cap)) (\(plan.capParts(visit: visit, category: category).joined(separator: " + ")))"
            if spend > cap + 1e-9 {
                standards.append(ReportItem(.problem, "\(category) \(Money.format(spend)) is over its cap \(capText) by \(Money.format(spend - cap)): ask for approval"))
            } else {
                standards.append(ReportItem(.ok, "\(category) \(Money.format(spend)) within its cap \(capText)"))
            }
        }
        let tierFields = tier.fields.members.filter { $0.key != "limits" }.compactMap { m -> String? in
            switch m.value {
            case .string(let s): return "\(m.key) \(s)"
            case .number(let n): return "\(m.key) \(Pretty.number(n))"
            default: return nil
            }
        }
        blocks.append(.subheading("Standards of the \(visit.tier.rawValue) tier" + (tierFields.isEmpty ? "" : " (\(tierFields.joined(separator: ", ")))"), anchor: nil))
        blocks.append(.items(standards))
        let unmet = needs.filter { !problem.needs[$0].isTrivial && !plan.outcomes[$0].isMet }
        if !unmet.isEmpty {
            blocks.append(.subheading("Unmet", anchor: nil))
            blocks.append(.items(unmet.map { unmetItem(plan.diagnose(need: $0)) }))
        }
        var title = visit.id
        if let company = visit.company { title += " · \(company)" }
        if case .string(let purpose)? = raw?["purpose"], !purpose.isEmpty { title += " · \(purpose)" }
        let flags = (unmet.isEmpty ? [] : ["has-unmet"]) + (plan.approvals.contains { $0.visit == v } ? ["has-overrun"] : [])
        return ReportSection(anchor: PlanReport.anchor(visit: visit.id), title: title, level: level,
                             htmlClass: (["visit", "tier-\(visit.tier.rawValue)"] + flags).joined(separator: " "), blocks: blocks)
    }

    /// `PVG → HQ` for a transfer, the location otherwise.
    func place(_ segment: Segment) -> String {
        if let from = segment.from, let to = segment.to { return "\(from) → \(to)" }
        return segment.location ?? "-"
    }

    /// The visit's object in the day document, for its client and purpose.
    func rawVisit(_ id: String) -> JSONObject? {
        guard case .array(let visits)? = plan.dayDocument?["visits"] else { return nil }
        for item in visits {
            if case .object(let o) = item, o["id"] == .string(id) { return o }
        }
        return nil
    }

    static func anchor(visit id: String) -> String { "visit-" + HTML.slug(id) }
    static func anchor(resource key: ResourceKey) -> String { "resource-" + HTML.slug(key.kind) + "-" + HTML.slug(key.id) }

    // MARK: Timelines

    func timelineBlocks(_ key: ResourceKey) -> [ReportBlock] {
        let entry = catalog[key]
        let timeline = plan.timeline(of: key, catalog: catalog)
        var budget: String?
        if let limit = entry.minuteBudget, timeline.budgetMinutes > 0 {
            budget = "\(timeline.budgetMinutes) of \(Pretty.number(limit)) min used"
        }
        return [.subheading(timelineHeading(key, availability: entry.availabilityText, budget: budget), anchor: PlanReport.anchor(resource: key)),
                timelineTable(entry, timeline)]
    }

    /// A timeline's rows: uses, turnover, travel and free windows (times within
    /// the day on a programme), then assignments that occupy no time.
    func timelineTable(_ entry: ResourceCatalog.Entry, _ timeline: ResourceTimeline) -> ReportBlock {
        var rows: [[String]] = []
        var classes: [String?] = []
        for item in timeline.entries {
            switch item {
            case .use(let use):
                let need = plan.problem.needs[use.need]
                var with = plan.partners(of: use).map { catalog[$0].label }
                if case .capacity(let capacity) = entry.sharing { with.insert("\(Pretty.number(use.usage.load)) of \(Pretty.number(capacity))", at: 0) }
                let visit = plan.problem.day.visits[need.id.visit]
                rows.append([plan.timeOfDay(use.span), plan.purpose(of: use), plan.place(of: use), visit.tier.rawValue, with.joined(separator: ", ")])
                classes.append("use")
            case .turnover(let span):
                rows.append([plan.timeOfDay(span), "turnover", "", "", ""])
                classes.append("gap")
            case .travel(let span, let from, let to):
                rows.append([plan.timeOfDay(span), "travel", "\(from) → \(to)", "", Pretty.duration(span.minutes)])
                classes.append("gap")
            case .free(let span):
                rows.append([plan.timeOfDay(span), "free", "", "", ""])
                classes.append("free")
            }
        }
        for (j, _) in timeline.untimed {
            rows.append(["all day", plan.occupant(ofNeed: j), "", plan.problem.day.visits[plan.problem.needs[j].id.visit].tier.rawValue, "attends no segment"])
            classes.append("use")
        }
        return .table(ReportTable(header: ["time", "what", "where", "tier", "with"], rows: rows, rowClasses: classes))
    }

}
