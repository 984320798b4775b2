import SchedulingCore

extension PlanReport {
    /// Explains one visit: its cost by category against the caps, what each
    /// choice costs in the objective, and for each choice the cheaper
    /// alternatives that were not possible and why; unmet needs with their reasons.
    ///
    /// - Throws: ``PlanReportError/Kind/unknownVisit`` when the day has no such visit.
    public func explain(visit id: String, format: Format = .text) throws(PlanReportError) -> String {
        let selection = try resolve(Scope(visits: [id]))
        guard let v = selection.visits.first else {
            throw PlanReportError(.unknownVisit, "the day has no visit \"\(id)\"")
        }
        let document = explanationDocument(v)
        switch format {
        case .text: return document.text()
        case .md: return document.markdown()
        case .html: return HTMLPage(report: self, selection: selection, document: document).render()
        }
    }

    func explanationDocument(_ v: Int) -> ReportDocument {
        let problem = plan.problem
        let day = problem.day
        let visit = day.visits[v]
        let weights = day.policy.weights
        let e = plan.explain(visit: v)
        let currency = day.currency

        // The visit's share of the objective.
        let cost = e.categories.reduce(0) { $0 + $1.spend }
        let overrun = e.categories.reduce(0) { $0 + $1.overrun }
        var share = "\(Money.format(cost)) cost"
        if e.overGrade > 0 { share += " + \(Money.format(weights.overGrade * e.overGrade)) for grades (\(Pretty.number(e.overGrade)) × \(Pretty.number(weights.overGrade)))" }
        if overrun > 0 { share += " + \(Money.format(weights.overrun * overrun)) for overruns (\(Money.format(overrun)) × \(Pretty.number(weights.overrun)))" }
        if !e.unmet.isEmpty { share += " + \(Money.format(weights.unmet * Double(e.unmet.count))) for \(Pretty.plural(e.unmet.count, "unmet need")) (× \(Pretty.number(weights.unmet)))" }
        share += " = \(Money.format(e.objectiveShare(weights)))"
        var facts: [(String, String)] = [("visit", "\(visit.tier.rawValue) tier, \(Pretty.plural(visit.guests, "guest")), \(plan.describeSpan(of: visit))"),
                                         ("objective", share)]
        if plan.header.status != "optimal" {
            facts.append(("plan", "status \(plan.header.status): the search stopped early, so cheaper choices may be possible"))
        }
        var sections: [ReportSection] = []
        sections.append(ReportSection(anchor: PlanReport.anchor(visit: visit.id), title: "The visit", blocks: [.facts(facts)]))

        // Cost by category and by choice.
        var categoryRows: [[String]] = []
        for line in e.categories {
            let cap = line.cap.map { "\(Money.format($0)) = \(line.capParts.joined(separator: " + "))" } ?? "no cap"
            categoryRows.append([line.category, Money.format(line.spend), line.overrun > 0 ? Money.format(line.overrun) : "-", cap])
        }
        var choiceRows: [[String]] = []
        for (j, i) in e.costLines {
            let c = problem.needs[j].candidates[i]
            choiceRows.append([plan.choiceTitle(j), Money.format(c.cost),
                               c.overGrade > 0 ? "+\(Pretty.number(c.overGrade))" : "-", label(c)])
        }
        var costBlocks: [ReportBlock] = [
            .table(ReportTable(header: ["category", "spend", "over", "cap"], rows: categoryRows, rightAligned: [1, 2],
                               rowClasses: categoryRows.map { $0[2] == "-" ? nil : "overrun" })),
        ]
        if choiceRows.isEmpty {
            costBlocks.append(.paragraph("No choice of this visit costs anything or is above the tier's minimum grade."))
        } else {
            costBlocks.append(.table(ReportTable(header: ["need", "cost", "grade", "choice"], rows: choiceRows, rightAligned: [1])))
            if e.overGrade > 0 {
                costBlocks.append(.paragraph("grade: steps above the tier's minimum; each adds \(Pretty.number(weights.overGrade)) to the objective."))
            }
        }
        sections.append(ReportSection(anchor: "costs", title: "Cost breakdown (\(currency))", blocks: costBlocks))

        // Each choice and its cheaper alternatives.
        var items: [ReportItem] = []
        for choice in e.choices {
            let need = problem.needs[choice.need]
            let chosen = choice.chosen.map { need.candidates[$0] }
            let what = plan.choiceTitle(choice.need)
            let total = chosen.reduce(0) { $0 + plan.score($1) }
            let written = plan.values[choice.need].map { plan.display($0, inNeed: choice.need) } ?? chosen.map(label).joined(separator: ", ")
            var text = "\(what): \(written)"
            text += " — \(Money.format(total)) in the objective"
            var details: [(String, String)] = []
            if choice.alternatives.isEmpty {
                details.append(("cheaper", total > 0 ? "none: no eligible choice costs less in the objective" : "none: it costs nothing"))
            }
            for alt in choice.alternatives.prefix(8) {
                let c = need.candidates[alt.candidate]
                let replaced = choice.chosen.count > 1 ? " instead of \(need.candidates[alt.replaces].label)" : ""
                let verdict = alt.reasons.isEmpty
                    ? "nothing in the plan rules it out; a cheaper plan may exist (run `schedule optimize` again, or `schedule check`)"
                    : "not possible: " + alt.reasons.joined(separator: "; ")
                details.append((label(c), "\(Money.format(alt.score))\(replaced), \(verdict)"))
            }
            if choice.alternatives.count > 8 {
                details.append(("…", "and \(choice.alternatives.count - 8) more cheaper choices, all ruled out the same ways"))
            }
            // Resources that are not eligible at all matter only when the choice costs something.
            if total > 0, !choice.ineligible.isEmpty {
                let shown = choice.ineligible.prefix(4).map { key -> String in
                    let entry = catalog[key]
                    return entry.detailText.isEmpty ? entry.label : "\(entry.label) (\(entry.detailText))"
                }
                let rest = choice.ineligible.dropFirst(4).map(\.id)
                let more = rest.isEmpty ? "" : "; and \(Pretty.list(rest, limit: 8))"
                details.append(("not eligible", shown.joined(separator: "; ") + more + ". The need asks for \(need.requirement)."))
            }
            items.append(ReportItem(.ok, text, details: details))
        }
        sections.append(ReportSection(anchor: "choices", title: "Choices and cheaper alternatives", blocks: [
            .paragraph("Alternatives are ordered by what they would add to the objective: cost plus \(Pretty.number(weights.overGrade)) per grade above the tier's minimum."),
            .items(items),
        ]))
        if !e.unmet.isEmpty {
            sections.append(ReportSection(anchor: "unmet", title: "Unmet needs", blocks: [.items(e.unmet.map(unmetItem))]))
        }
        let approvals = plan.approvals.filter { $0.visit == v }
        if !approvals.isEmpty {
            sections.append(ReportSection(anchor: "approvals", title: "Approvals to ask for", blocks: [.items(approvals.map { approvalItem(plan.explain($0)) })]))
        }
        if !plan.warnings.isEmpty {
            sections.append(ReportSection(anchor: "warnings", title: "About this plan", blocks: [.items(plan.warnings.map { ReportItem(.problem, $0) })]))
        }
        return ReportDocument(title: "\(visit.label): costs and choices", sections: sections)
    }
}
