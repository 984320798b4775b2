import SchedulingCore

extension RepairReport {
    /// Output formats of `schedule repairs`.
    public enum Format: String, Sendable, CaseIterable {
        /// Plain text for a planner.
        case text
        /// Markdown.
        case md
        /// JSON for tools: each repair with its RFC 6902 edits of the day file.
        case json
    }

    /// The report in `format`, amounts in `currency`, ending with a newline.
    public func render(_ format: Format, currency: String) -> String {
        switch format {
        case .text: return text(currency: currency, markdown: false)
        case .md: return text(currency: currency, markdown: true)
        case .json: return JSONWriter.pretty(json)
        }
    }

    /// `+180.00`, `-20.00`, `0.00`.
    static func signed(_ amount: Double) -> String {
        let cents = (amount * 100).rounded() / 100
        return (cents > 0 ? "+" : cents < 0 ? "-" : "") + Money.format(abs(cents))
    }

    private func line(_ r: Repair, markdown: Bool, currency: String, showMeets: Bool) -> String {
        var text = "\(r.id)  \(RepairReport.signed(r.costChange)) \(currency)  \(r.summary)"
        if showMeets { text += ": meets " + r.meets.map(\.description).joined(separator: ", ") }
        if r.approvalChange > 0.005 { text += " (then \(Money.format(r.approvalChange)) more needs approval)" }
        return markdown ? "- **\(r.id)** " + text.dropFirst(r.id.count + 2) : "  " + text
    }

    private func text(currency: String, markdown: Bool) -> String {
        var out: [String] = []
        let heading = markdown ? "# Repairs" : "Repairs"
        let counts = "\(needs.count) unmet need\(needs.count == 1 ? "" : "s") and \(approvals.count) approval\(approvals.count == 1 ? "" : "s")"
        out.append("\(heading) for \(counts) (\(checks) changed day\(checks == 1 ? "" : "s") solved in \(Money.format(seconds)) s)")
        if needs.isEmpty && approvals.isEmpty {
            out.append("The plan meets every need within its caps: nothing to repair.")
        } else if !markdown {
            out.append("Cost: the change in the plan's total cost. Apply one with --apply ID --out day.json.")
        } else {
            out.append("")
        }
        if !groups.isEmpty {
            out.append("")
            out.append(markdown ? "## Repairs that meet several needs" : "Repairs that meet several needs")
            for r in groups { out.append(line(r, markdown: markdown, currency: currency, showMeets: true)) }
        }
        if !needs.isEmpty {
            out.append("")
            out.append(markdown ? "## Unmet needs" : "Unmet needs")
        }
        for n in needs {
            let also = groups.filter { $0.meets.contains(n.need) }.map(\.id)
            let reason = n.reason.isEmpty ? "" : " — \(n.reason)"
            out.append(markdown ? "\n### \(n.need)\n\nUnmet\(reason)\n" : "\(n.need): unmet\(reason)")
            for r in n.repairs { out.append(line(r, markdown: markdown, currency: currency, showMeets: r.meets.count > 1)) }
            if n.repairs.isEmpty && also.isEmpty {
                out.append((markdown ? "- " : "  ") + "no verified repair: no single change tried (a pin released, the segment moved up to an hour, availability extended, a cap raised, one more resource like those that fit) meets it")
            }
            if !also.isEmpty { out.append((markdown ? "- " : "  ") + "see also \(also.joined(separator: ", ")), which meet\(also.count == 1 ? "s" : "") it with others") }
        }
        if !approvals.isEmpty {
            out.append("")
            out.append(markdown ? "## Approvals needed" : "Approvals needed")
        }
        for a in approvals {
            let day = a.approval.day.map { " on day \($0)" } ?? ""
            let what = a.approval.visit.map { "\($0) \(a.approval.category)" } ?? "the day budget\(day)"
            out.append(markdown ? "\n### \(what): \(Money.format(a.approval.amount)) \(currency) over\n" : "\(what): \(Money.format(a.approval.amount)) \(currency) over")
            for r in a.repairs { out.append(line(r, markdown: markdown, currency: currency, showMeets: false)) }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// `{"needs": [...], "groups": [...], "approvals": [...], "checks", "seconds"}`.
    public var json: JSONValue {
        func repair(_ r: Repair) -> JSONValue {
            .object(JSONObject([
                (key: "id", value: .string(r.id)), (key: "kind", value: .string(r.kind.rawValue)),
                (key: "summary", value: .string(r.summary)),
                (key: "meets", value: .array(r.meets.map(\.json))),
                (key: "costChange", value: .number((r.costChange * 100).rounded() / 100)),
                (key: "approvalChange", value: .number((r.approvalChange * 100).rounded() / 100)),
                (key: "edits", value: .array(r.edits.map(\.json))),
            ]))
        }
        let needItems: [JSONValue] = needs.map { n in
            guard case .object(var o) = n.need.json else { return .null }
            o["reason"] = .string(n.reason)
            o["repairs"] = .array(n.repairs.map(repair))
            return .object(o)
        }
        let approvalItems: [JSONValue] = approvals.map { a in
            var o = JSONObject()
            o["visit"] = a.approval.visit.map(JSONValue.string) ?? .null
            o["category"] = .string(a.approval.category)
            if let day = a.approval.day { o["day"] = .number(Double(day)) }
            o["amount"] = .number(a.approval.amount)
            o["repairs"] = .array(a.repairs.map(repair))
            return .object(o)
        }
        return .object(JSONObject([
            (key: "needs", value: .array(needItems)),
            (key: "groups", value: .array(groups.map(repair))),
            (key: "approvals", value: .array(approvalItems)),
            (key: "checks", value: .number(Double(checks))),
            (key: "seconds", value: .number((seconds * 100).rounded() / 100)),
        ]))
    }
}
