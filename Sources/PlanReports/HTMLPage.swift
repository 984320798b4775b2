import SchedulingCore

/// The report as one self-contained HTML page: inline CSS, no scripts, no
/// fetches, so it opens from disk and prints. A Gantt-style timeline has one
/// row per resource, grouped by the day's resource lists, with bars coloured
/// by the visit's tier; unmet needs get their own rows and visits with
/// overruns are outlined. Each visit's run sheet is a section that a bar
/// links to; the linked visit's bars are highlighted.
struct HTMLPage {
    let report: PlanReport
    let selection: PlanReport.Selection
    let document: ReportDocument

    private var plan: DayPlan { report.plan }
    private var day: Day { plan.problem.day }

    func render() -> String {
        var out = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="generator" content="schedule report">
            <title>\(HTML.escape(document.title))</title>
            <style>
            \(HTMLPage.css)\(plan.isProgramme ? "\n" + HTMLPage.programmeCSS : "")
            \(highlightCSS())
            </style>
            </head>
            <body>
            <header class="page-header">
            <h1>\(HTML.escape(document.title))</h1>

            """
        out += visitIndex()
        out += "</header>\n<main>\n"
        var ganttPlaced = false
        for section in document.sections {
            if !ganttPlaced && section.anchor != "summary" {
                out += gantt()
                ganttPlaced = true
            }
            if selection.wholeDay && (section.anchor.hasPrefix("timelines") || section.anchor.hasPrefix("group-")) {
                out += "<details class=\"timeline-details\"><summary>\(HTML.escape(section.title))</summary>\n" + section.html() + "</details>\n"
            } else {
                out += section.html()
            }
        }
        if !ganttPlaced { out += gantt() }
        out += "</main>\n<footer><p>Written by <code>schedule report</code> from the day and its plan; "
        out += "status \(HTML.escape(plan.header.status)).</p></footer>\n</body>\n</html>\n"
        return out
    }

    // MARK: Visit index

    private func visitIndex() -> String {
        guard !selection.visits.isEmpty else { return "" }
        var out = "<nav class=\"visit-index\" aria-label=\"Visits\">\n"
        for v in selection.visits {
            let visit = day.visits[v]
            var classes = ["chip", "tier-\(visit.tier.rawValue)"]
            if hasUnmet(v) { classes.append("has-unmet") }
            if hasOverrun(v) { classes.append("has-overrun") }
            out += "<a class=\"\(classes.joined(separator: " "))\" href=\"#\(PlanReport.anchor(visit: visit.id))\" title=\"\(HTML.escape(visit.label)), \(visit.tier.rawValue) tier\">\(HTML.escape(visit.id))</a>\n"
        }
        return out + "</nav>\n"
    }

    private func hasUnmet(_ v: Int) -> Bool { plan.needs(ofVisit: v).contains { !plan.problem.needs[$0].isTrivial && !plan.outcomes[$0].isMet } }
    private func hasOverrun(_ v: Int) -> Bool { plan.approvals.contains { $0.visit == v } }

    /// Linking to a visit (`#visit-V-001`) outlines its bars in the timeline.
    private func highlightCSS() -> String {
        selection.visits.map { v in
            let anchor = PlanReport.anchor(visit: day.visits[v].id)
            return "body:has(#\(anchor):target) .g-bar[data-visit=\"\(anchor)\"] { outline: 3px solid #111; outline-offset: 1px; z-index: 3; }"
        }.joined(separator: "\n")
    }

    // MARK: Gantt

    /// The timeline: one for the day, or one section per day of a programme.
    private func gantt() -> String {
        plan.isProgramme ? plan.dayNumbers.map { gantt(day: $0) }.joined() : gantt(day: nil)
    }

    /// The timeline of the day, or of day `day` of a programme (times within the day).
    private func gantt(day k: Int?) -> String {
        let window = k.map { plan.window(onDay: $0) } ?? plan.window
        let hours = max(1, window.minutes / 60)
        func position(_ span: TimeSpan) -> String {
            let start = max(window.start, span.start), end = min(window.end, span.end)
            let left = Double(start - window.start) / Double(window.minutes) * 100
            let width = Double(max(0, end - start)) / Double(window.minutes) * 100
            return "left:\(percent(left));width:\(percent(width))"
        }
        var rows: [ResourceKey] = selection.resources
        if !selection.wholeDay {
            // A visit's view shows the resources it uses.
            let used = plan.uses.filter { selection.visits.contains(plan.problem.needs[$0.need].id.visit) }.map(\.resource)
            for key in used where !rows.contains(key) { rows.append(key) }
        }
        var out: String
        if let k {
            out = "<section id=\"timeline-day-\(k)\" class=\"report-section level-2 gantt-section\" data-day=\"\(k)\">\n<h2>\(HTML.escape("Timeline, " + plan.title(ofDay: k)))</h2>\n"
            out += "<div class=\"gantt\" role=\"table\" aria-label=\"Resources on day \(k), \(plan.timeOfDay(window))\" style=\"--hours:\(hours)\">\n"
        } else {
            out = "<section id=\"timeline\" class=\"report-section level-2 gantt-section\">\n<h2>Timeline</h2>\n"
            out += "<div class=\"gantt\" role=\"table\" aria-label=\"Resources over the day, \(window)\" style=\"--hours:\(hours)\">\n"
        }
        out += "<div class=\"g-row g-head\" role=\"row\"><div class=\"g-label\" role=\"columnheader\">resource</div><div class=\"g-track g-axis\" role=\"columnheader\">"
        for h in 0...hours {
            let minute = window.start + h * 60
            let tick = k == nil ? Clock.format(minute) : Clock.timeOfDay(minute, asStart: h < hours)
            out += "<span class=\"tick\" style=\"left:\(percent(Double(h) / Double(hours) * 100))\">\(tick)</span>"
        }
        out += "</div></div>\n"
        for group in report.catalog.groups {
            let keys = group.keys.filter(rows.contains)
            guard !keys.isEmpty else { continue }
            out += "<div class=\"g-group\" role=\"rowgroup\" data-group=\"\(HTML.escape(group.name))\">\n"
            out += "<div class=\"g-group-title\" role=\"row\"><span role=\"rowheader\">\(HTML.escape(ResourceCatalog.title(ofGroup: group.name)))</span></div>\n"
            for key in keys {
                if let k, plan.isNightly(key) {
                    out += nightRow(key, night: k)
                } else {
                    out += row(key, day: k, window: window, position: position)
                }
            }
            out += "</div>\n"
        }
        out += unmetRows(day: k, position: position)
        out += "</div>\n" + legend() + "</section>\n"
        return out
    }

    private func row(_ key: ResourceKey, day k: Int?, window: TimeSpan, position: (TimeSpan) -> String) -> String {
        let entry = report.catalog[key]
        let timeline = plan.timeline(of: key, catalog: report.catalog, onDay: k)
        // Lanes, so that uses of a shared resource at the same time stay visible.
        var laneEnds: [Int] = []
        var lanes: [Int] = []
        for use in timeline.uses {
            if let lane = laneEnds.firstIndex(where: { $0 <= use.span.start }) {
                laneEnds[lane] = use.span.end
                lanes.append(lane)
            } else {
                laneEnds.append(use.span.end)
                lanes.append(laneEnds.count - 1)
            }
        }
        var availability = k.map { entry.availabilityText(onDay: $0) } ?? entry.availabilityText
        if let k, let limit = entry.minuteBudget, timeline.budgetMinutes > 0 {
            availability += " · day \(k): \(timeline.budgetMinutes) of \(Pretty.number(limit)) min used"
        }
        let tooltip = [entry.label, entry.detailText, availability].filter { !$0.isEmpty }.joined(separator: " · ")
        var out = "<div class=\"g-row\" role=\"row\" data-resource=\"\(HTML.escape("\(key.kind):\(key.id)"))\" style=\"--lanes:\(max(1, laneEnds.count))\">"
        out += "<div class=\"g-label\" role=\"rowheader\" title=\"\(HTML.escape(tooltip))\">"
        out += "<span class=\"g-id\">\(HTML.escape(key.id))</span>"
        if let name = entry.name { out += " <small>\(HTML.escape(name))</small>" }
        out += "</div><div class=\"g-track\" role=\"cell\">"
        // Unavailable stretches.
        if let available = k.map({ entry.availability(onDay: $0) }) ?? entry.availability {
            let off = ResourceTimeline.subtract(available, from: window)
            for span in off { out += "<span class=\"g-off\" style=\"\(position(span))\" title=\"not available \(span)\"></span>" }
        }
        var useIndex = 0
        for item in timeline.entries {
            switch item {
            case .use(let use):
                let lane = lanes[useIndex]
                useIndex += 1
                let need = plan.problem.needs[use.need]
                let visit = day.visits[need.id.visit]
                var classes = ["g-bar", "tier-\(visit.tier.rawValue)"]
                if hasOverrun(visit.index) { classes.append("overrun") }
                let what = plan.purpose(of: use)
                let title = "\(what) \(use.span) · \(need.id.key) · \(visit.label) · \(visit.tier.rawValue) tier" + (hasOverrun(visit.index) ? " · overrun: approval needed" : "")
                // A bar links to its visit's run sheet when the page has it.
                let anchor = PlanReport.anchor(visit: visit.id)
                let tag = selection.visits.contains(visit.index) ? "a" : "span"
                out += "<\(tag) class=\"\(classes.joined(separator: " "))\" data-visit=\"\(anchor)\"\(tag == "a" ? " href=\"#\(anchor)\"" : "") "
                out += "style=\"\(position(use.span));--lane:\(lane)\" title=\"\(HTML.escape(title))\">\(HTML.escape(what))</\(tag)>"
            case .turnover(let span):
                out += "<span class=\"g-gap turnover\" style=\"\(position(span))\" title=\"turnover \(span)\"></span>"
            case .travel(let span, let from, let to):
                out += "<span class=\"g-gap travel\" style=\"\(position(span))\" title=\"\(HTML.escape("travel \(from) → \(to) \(span)"))\"></span>"
            case .free:
                break
            }
        }
        return out + "</div></div>\n"
    }

    /// A resource used by nights on night `k`: a bar per visit as wide as its
    /// share of the rooms, and the rooms taken that night.
    private func nightRow(_ key: ResourceKey, night k: Int) -> String {
        let entry = report.catalog[key]
        let night = plan.night(k, of: key, catalog: report.catalog)
        let tooltip = [entry.label, entry.detailText, night.summary].filter { !$0.isEmpty }.joined(separator: " · ")
        var out = "<div class=\"g-row g-night\" role=\"row\" data-resource=\"\(HTML.escape("\(key.kind):\(key.id)"))\" data-night=\"\(k)\" style=\"--lanes:1\">"
        out += "<div class=\"g-label\" role=\"rowheader\" title=\"\(HTML.escape(tooltip))\">"
        out += "<span class=\"g-id\">\(HTML.escape(key.id))</span>"
        if let name = entry.name { out += " <small>\(HTML.escape(name))</small>" }
        out += "</div><div class=\"g-track g-nights\" role=\"cell\">"
        if !night.isHeld && night.uses.isEmpty {
            out += "<span class=\"g-off\" style=\"left:0%;width:100%\" title=\"no rooms held on night \(k)\"></span>"
        }
        let capacity = max(night.capacity ?? night.taken, night.taken, 1)
        var offset = 0.0
        for use in night.uses {
            let need = plan.problem.needs[use.need]
            let visit = day.visits[need.id.visit]
            var classes = ["g-bar", "tier-\(visit.tier.rawValue)"]
            if hasOverrun(visit.index) { classes.append("overrun") }
            let rooms = Pretty.number(use.usage.load)
            let title = "\(visit.id) \(need.id.key) night \(k) · \(rooms) of \(Pretty.number(capacity)) · \(visit.label) · \(visit.tier.rawValue) tier"
                + (hasOverrun(visit.index) ? " · overrun: approval needed" : "")
            let anchor = PlanReport.anchor(visit: visit.id)
            let tag = selection.visits.contains(visit.index) ? "a" : "span"
            // Bars share 70 % of the track; the night's note takes the rest.
            let left = offset / capacity * 70, width = use.usage.load / capacity * 70
            offset += use.usage.load
            out += "<\(tag) class=\"\(classes.joined(separator: " "))\" data-visit=\"\(anchor)\"\(tag == "a" ? " href=\"#\(anchor)\"" : "") "
            out += "style=\"left:\(percent(left));width:\(percent(width));--lane:0\" title=\"\(HTML.escape(title))\">\(HTML.escape("\(visit.id) \(rooms)"))</\(tag)>"
        }
        out += "<span class=\"g-night-note\">\(HTML.escape(night.summary))</span>"
        return out + "</div></div>\n"
    }

    private func unmetRows(day k: Int?, position: (TimeSpan) -> String) -> String {
        let unmet = plan.unmetNeeds.filter { j in
            let id = plan.problem.needs[j].id
            guard selection.visits.contains(id.visit) else { return false }
            guard let k else { return true }
            // On a programme, a segment's need on its day, a visit's need on the visit's first day.
            let visit = day.visits[id.visit]
            return (id.segment.map { visit.segments[$0].day } ?? visit.firstDay) == k
        }
        guard !unmet.isEmpty else { return "" }
        var out = "<div class=\"g-group unmet-group\" role=\"rowgroup\" data-group=\"unmet\">\n"
        out += "<div class=\"g-group-title\" role=\"row\"><span role=\"rowheader\">Unmet needs</span></div>\n"
        for j in unmet {
            let id = plan.problem.needs[j].id
            let visit = day.visits[id.visit]
            let span = id.segment.map { visit.segments[$0].span } ?? (k == nil ? visit.span : visit.daySpans.first ?? visit.span)
            let diagnosis = plan.diagnose(need: j)
            let title = plan.title(ofNeed: j)
            out += "<div class=\"g-row\" role=\"row\" data-unmet=\"\(HTML.escape(title))\" style=\"--lanes:1\"><div class=\"g-label\" role=\"rowheader\">\(HTML.escape(title))</div><div class=\"g-track\" role=\"cell\">"
            out += "<a class=\"g-bar unmet tier-\(visit.tier.rawValue)\" data-visit=\"\(PlanReport.anchor(visit: visit.id))\" href=\"#\(PlanReport.anchor(visit: visit.id))\" style=\"\(position(span));--lane:0\" title=\"\(HTML.escape("UNMET \(title) \(span): \(diagnosis.summary)"))\">\(HTML.escape(title))</a>"
            out += "</div></div>\n"
        }
        return out + "</div>\n"
    }

    private func legend() -> String {
        """
        <ul class="legend" aria-label="Legend">
        <li><span class="swatch tier-high"></span>high tier</li>
        <li><span class="swatch tier-medium"></span>medium tier</li>
        <li><span class="swatch tier-low"></span>low tier</li>
        <li><span class="swatch overrun"></span>visit over a cap (approval needed)</li>
        <li><span class="swatch unmet"></span>unmet need</li>
        <li><span class="swatch turnover"></span>turnover</li>
        <li><span class="swatch travel"></span>travel</li>
        <li><span class="swatch off"></span>not available</li>
        \(plan.isProgramme ? "<li>hotels: each night, a bar per visit as wide as its share of the rooms</li>\n" : "")</ul>

        """
    }

    private func percent(_ x: Double) -> String {
        let rounded = (x * 1000).rounded() / 1000
        return JSONWriter.format(rounded) + "%"
    }

    // MARK: Style

    /// What only a programme's page needs: hotel rows by night.
    static let programmeCSS = """
        .g-track.g-nights { background-image: none; }
        .g-night-note { position: absolute; right: .4rem; top: 2px; color: #444; z-index: 1; white-space: nowrap; line-height: calc(var(--row) - 4px); }
        """

    static let css = """
        :root { --high: #6a3d9a; --medium: #1f6fb4; --low: #2e8b3a; --unmet: #d7191c; --overrun: #f28e00;
                --row: 22px; --label: 14rem; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1b1b; }
        body { margin: 0 auto; padding: 1rem 1.5rem 3rem; max-width: 1400px; line-height: 1.4; }
        h1 { font-size: 1.5rem; margin: 0 0 .5rem; }
        h2 { font-size: 1.2rem; border-bottom: 2px solid #ccc; padding-bottom: .2rem; margin-top: 2rem; }
        h3 { font-size: 1.05rem; margin: 1.5rem 0 .4rem; }
        h4 { font-size: .95rem; margin: 1rem 0 .3rem; }
        table { border-collapse: collapse; margin: .5rem 0 1rem; font-size: .9rem; }
        th, td { text-align: left; padding: .2rem .6rem; border-bottom: 1px solid #e3e3e3; vertical-align: top; }
        th { background: #f3f3f3; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        tr.unmet td, tr.overrun td { background: #fdecea; }
        tr.free td { color: #2e7d32; }
        tr.gap td { color: #777; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: .5rem 0; }
        dl.facts dt { font-weight: 600; }
        dl.facts dd { margin: 0; }
        ul.items { padding-left: 1.2rem; }
        ul.items li { margin: .3rem 0; }
        ul.items li.ok { list-style: "✓  "; }
        ul.items li.problem { list-style: "✗  "; color: #9b1c1c; }
        ul.items li dl { display: grid; grid-template-columns: max-content 1fr; gap: 0 .8rem; margin: .2rem 0 .4rem; color: #1b1b1b; font-size: .9rem; }
        ul.items li dt { font-style: italic; }
        ul.items li dd { margin: 0; }
        .visit-index { display: flex; flex-wrap: wrap; gap: .3rem; margin: .5rem 0; }
        .chip { color: #fff; padding: .1rem .5rem; border-radius: .8rem; text-decoration: none; font-size: .85rem; }
        .chip.has-overrun { box-shadow: 0 0 0 2px var(--overrun); }
        .chip.has-unmet { box-shadow: 0 0 0 2px var(--unmet); }
        .tier-high { background-color: var(--high); }
        .tier-medium { background-color: var(--medium); }
        .tier-low { background-color: var(--low); }
        section.visit { border-left: 6px solid #999; padding-left: .8rem; margin-top: 1.5rem; }
        section.visit.tier-high { border-left-color: var(--high); background: none; }
        section.visit.tier-medium { border-left-color: var(--medium); background: none; }
        section.visit.tier-low { border-left-color: var(--low); background: none; }
        section.visit.has-unmet > h3::after { content: "  unmet needs"; color: var(--unmet); font-size: .8rem; }
        section.visit.has-overrun > h3::after { content: "  approval needed"; color: var(--overrun); font-size: .8rem; }
        section.visit.has-unmet.has-overrun > h3::after { content: "  unmet needs · approval needed"; color: var(--unmet); }
        section.visit:target { background: #fffbe6; }
        .gantt { border: 1px solid #ccc; font-size: .8rem; }
        .g-row { display: flex; border-top: 1px solid #eee; min-height: calc(var(--row) * var(--lanes, 1) + 4px); }
        .g-label { flex: 0 0 var(--label); padding: 2px .4rem; overflow: hidden; white-space: nowrap; text-overflow: ellipsis; border-right: 1px solid #ccc; }
        .g-label small { color: #666; }
        .g-track { position: relative; flex: 1 1 auto; background-image: linear-gradient(to right, #e6e6e6 1px, transparent 1px);
                   background-size: calc(100% / var(--hours)) 100%; }
        .g-head { position: sticky; top: 0; background: #fafafa; z-index: 5; min-height: 1.4rem; }
        .g-axis { background-image: none; }
        .tick { position: absolute; top: 2px; transform: translateX(-50%); color: #555; font-variant-numeric: tabular-nums; }
        .tick:first-child { transform: none; }
        .tick:last-child { transform: translateX(-100%); }
        .g-group-title { font-weight: 700; background: #f3f3f3; padding: 2px .4rem; border-top: 1px solid #ccc; }
        .g-bar { position: absolute; top: calc(var(--lane, 0) * var(--row) + 2px); height: calc(var(--row) - 4px); box-sizing: border-box;
                 color: #fff; text-decoration: none; padding: 0 3px; overflow: hidden; white-space: nowrap; border-radius: 3px; z-index: 2;
                 line-height: calc(var(--row) - 4px); font-size: .75rem; }
        .g-bar.overrun { box-shadow: inset 0 0 0 2px var(--overrun); }
        .g-bar.overrun::before { content: "! "; font-weight: 700; }
        .g-bar.unmet { background: repeating-linear-gradient(45deg, var(--unmet), var(--unmet) 6px, #f26b6b 6px, #f26b6b 12px); }
        .g-gap { position: absolute; top: 2px; height: calc(var(--row) - 4px); z-index: 1; }
        .g-gap.turnover, .swatch.turnover { background: repeating-linear-gradient(45deg, #bbb, #bbb 3px, #eee 3px, #eee 6px); }
        .g-gap.travel, .swatch.travel { background: repeating-linear-gradient(45deg, #e6c200, #e6c200 3px, #fff6cc 3px, #fff6cc 6px); }
        .g-off, .swatch.off { position: absolute; top: 0; bottom: 0; background: rgba(0, 0, 0, .08); }
        .swatch.off { position: static; }
        .unmet-group .g-label { color: var(--unmet); font-weight: 600; }
        .legend { display: flex; flex-wrap: wrap; gap: .3rem 1.2rem; list-style: none; padding: 0; font-size: .85rem; }
        .swatch { display: inline-block; width: 1.2rem; height: .8rem; margin-right: .35rem; vertical-align: middle; border-radius: 2px; }
        .swatch.overrun { box-shadow: inset 0 0 0 2px var(--overrun); background: #ddd; }
        .swatch.unmet { background: var(--unmet); }
        details.timeline-details > summary { cursor: pointer; font-weight: 600; margin: 1rem 0 .3rem; }
        footer { margin-top: 3rem; color: #666; font-size: .8rem; }
        @media print {
          @page { size: A4 landscape; margin: 10mm; }
          :root { --label: 10rem; --row: 16px; }
          body { max-width: none; padding: 0; font-size: 9pt; }
          * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
          .visit-index { display: none; }
          .g-head { position: static; }
          .g-row, tr, li, dl.facts, h2, h3, h4 { break-inside: avoid; }
          h2, h3, h4 { break-after: avoid; }
          .gantt-section { break-after: page; }
          section.visit { break-inside: avoid-page; }
          section.visit:target { background: none; }
          a { color: inherit; text-decoration: none; }
          .g-bar { color: #fff; }
        }
        """
}
