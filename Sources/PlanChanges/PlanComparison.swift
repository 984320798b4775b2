import PlanReports
import SchedulingCore

/// What changed between two plans of one day, per resource: the lines a
/// dispatcher reads out on the phone.
///
/// Two assignments are the same when they have the same resource, visit and
/// segment (``Assignment/Identity`` without the role). For each resource the
/// comparison lists the assignments it gains, those it loses, and those it
/// keeps with another role, other partners (the car beside a driver), other
/// times, another place or another number of rooms. Resources without a
/// difference are not listed.
public struct PlanComparison: Sendable {
    /// What differs between two versions of one assignment.
    public enum Aspect: String, Sendable, Hashable, CaseIterable {
        /// Another role for the same visit and segment (escort to host).
        case role
        /// Other partners in the plan's entry (another car beside a driver).
        case partners
        /// Other times (the old plan read against an earlier day file), or other nights.
        case times
        /// Another place (`from`, `to` or location).
        case place
        /// Another number of rooms at a hotel.
        case rooms
    }

    /// One difference for a resource.
    public enum Change: Sendable, Hashable {
        /// The new plan gives the resource this assignment; the old one did not.
        case added(Assignment)
        /// The old plan gave the resource this assignment; the new one does not.
        case dropped(Assignment)
        /// Both plans give the resource this visit and segment, differently.
        case changed(before: Assignment, after: Assignment, aspects: [Aspect])

        /// The assignment as the new plan has it, else as the old one had it.
        public var current: Assignment {
            switch self {
            case .added(let a), .dropped(let a): return a
            case .changed(_, let after, _): return after
            }
        }
    }

    /// The differences of one resource, in time order.
    public struct ResourceChanges: Sendable {
        /// The resource.
        public var resource: ResourceKey
        /// Its name in the day, when it has one.
        public var name: String?
        /// Its differences, in time order.
        public var changes: [Change]
    }

    /// Every resource with a difference: staff, drivers, vehicles, venues,
    /// catering, hotels, then other kinds by name; by id within a kind.
    public let resources: [ResourceChanges]
    /// Needs the old plan met and the new one leaves unmet.
    public let nowUnmet: [NeedReference]
    /// Needs the old plan left unmet and the new one meets.
    public let nowMet: [NeedReference]
    /// The day's date, when it has one.
    public let date: String?

    /// Whether the two plans give every resource the same assignments and meet the same needs.
    public var isEmpty: Bool { resources.isEmpty && nowUnmet.isEmpty && nowMet.isEmpty }

    /// Compares two plans of one day (the old one may be read against the day as it was).
    public init(old: PlanAssignments, new: PlanAssignments) {
        struct Slot: Hashable { var resource: ResourceKey; var visit: String; var segment: String? }
        var before: [Slot: [Assignment]] = [:], after: [Slot: [Assignment]] = [:]
        for a in old.assignments { before[Slot(resource: a.resource, visit: a.visit, segment: a.segment), default: []].append(a) }
        for a in new.assignments { after[Slot(resource: a.resource, visit: a.visit, segment: a.segment), default: []].append(a) }

        var byResource: [ResourceKey: [Change]] = [:]
        for slot in Set(before.keys).union(after.keys) {
            var olds = before[slot] ?? [], news = after[slot] ?? []
            var changes: [Change] = []
            // The same role first, then any role (a role change), then what is left.
            for (i, a) in news.enumerated().reversed() {
                if let k = olds.firstIndex(where: { $0.role == a.role }) {
                    let b = olds.remove(at: k)
                    news.remove(at: i)
                    let aspects = PlanComparison.aspects(b, a)
                    if !aspects.isEmpty { changes.append(.changed(before: b, after: a, aspects: aspects)) }
                }
            }
            while let a = news.first, let b = olds.first {
                news.removeFirst()
                olds.removeFirst()
                changes.append(.changed(before: b, after: a, aspects: PlanComparison.aspects(b, a)))
            }
            changes += news.map(Change.added) + olds.map(Change.dropped)
            if !changes.isEmpty { byResource[slot.resource, default: []] += changes }
        }
        self.resources = byResource.keys.sorted(by: PlanComparison.order).compactMap { key in
            guard let changes = byResource[key] else { return nil }
            let sorted = changes.sorted { x, y in
                let a = x.current, b = y.current
                return (a.start, a.visit, a.segment ?? "", a.role) < (b.start, b.visit, b.segment ?? "", b.role)
            }
            let entry = new.dayPlan.catalog.entries[key] ?? old.dayPlan.catalog.entries[key]
            return ResourceChanges(resource: key, name: entry?.name, changes: sorted)
        }
        let oldUnmet = old.unmetNeeds, newUnmet = new.unmetNeeds
        let oldNeeds = Set(old.dayPlan.problem.needs.map { NeedReference($0.id, in: old.dayPlan.problem.day) })
        let newNeeds = Set(new.dayPlan.problem.needs.map { NeedReference($0.id, in: new.dayPlan.problem.day) })
        self.nowUnmet = newUnmet.filter { oldNeeds.contains($0) && !oldUnmet.contains($0) }.sorted()
        self.nowMet = oldUnmet.filter { newNeeds.contains($0) && !newUnmet.contains($0) }.sorted()
        self.date = new.date ?? old.date
    }

    /// What differs between two versions of one assignment.
    static func aspects(_ a: Assignment, _ b: Assignment) -> [Aspect] {
        var out: [Aspect] = []
        if a.role != b.role { out.append(.role) }
        if Set(a.partners) != Set(b.partners) { out.append(.partners) }
        if a.spans != b.spans || a.nights != b.nights { out.append(.times) }
        if a.placeText != b.placeText { out.append(.place) }
        if a.rooms != b.rooms { out.append(.rooms) }
        return out
    }

    /// Staff, drivers, vehicles, venues, catering, hotels, then other kinds by name; ids within a kind.
    static func order(_ a: ResourceKey, _ b: ResourceKey) -> Bool {
        let ra = kindRank(a.kind), rb = kindRank(b.kind)
        return ra != rb ? ra < rb : a < b
    }

    static let kindOrder = ["staff", "driver", "vehicle", "venue", "catering", "hotel"]

    static func kindRank(_ kind: String) -> Int { kindOrder.firstIndex(of: kind) ?? kindOrder.count }

    /// `Staff`, `Drivers`, `Catering`, `Hotels`.
    static func title(ofKind kind: String) -> String {
        switch kind {
        case "staff": return "Staff"
        case "catering": return "Catering"
        default: return kind.prefix(1).uppercased() + kind.dropFirst() + "s"
        }
    }
}

// MARK: Rendering

extension PlanComparison {
    /// Output formats of `schedule changes`.
    public enum Format: String, Sendable, CaseIterable {
        /// Plain text, one line per resource.
        case text
        /// Markdown, one list item per resource.
        case md
        /// JSON for tools (see ``json``).
        case json
    }

    /// The comparison in `format`, ending with a newline.
    public func render(_ format: Format) -> String {
        switch format {
        case .text: return text
        case .md: return markdown
        case .json: return JSONWriter.pretty(json)
        }
    }

    /// `DRV-03 (driver): now V-014 pickup 13:00-13:50 PVG → HQ with CAR-07 (was CAR-02); no longer V-009 sendoff 15:00-15:40`.
    public func line(_ resource: ResourceChanges) -> String {
        "\(resource.resource.id) (\(resource.resource.kind)): " + resource.changes.map(PlanComparison.phrase).joined(separator: "; ")
    }

    /// One change as a dispatcher says it.
    public static func phrase(_ change: Change) -> String {
        switch change {
        case .added(let a):
            return "now " + describe(a, withPlace: true, withPartners: true)
        case .dropped(let a):
            return "no longer " + describe(a, withPlace: false, withPartners: false)
        case .changed(let b, let a, let aspects):
            let was = aspects.map { aspect -> String in
                switch aspect {
                case .role: return b.role
                case .partners: return b.partners.isEmpty ? "without a partner" : (a.partners.isEmpty ? "with " : "") + ids(b.partners)
                case .times: return b.timeText
                case .place: return b.placeText ?? "no place"
                case .rooms: return b.rooms.map { "\($0) room\($0 == 1 ? "" : "s")" } ?? "no rooms"
                }
            }
            return "now " + describe(a, withPlace: true, withPartners: true) + " (was " + was.joined(separator: ", ") + ")"
        }
    }

    /// `V-014 pickup 13:00-13:50 PVG → HQ with CAR-07`, `V-001 host 09:30-13:30`,
    /// `V-003 tour (presenter) 11:00-11:45 at HQ`, `V-01 hotel nights 1-2, 2 rooms`.
    public static func describe(_ a: Assignment, withPlace: Bool, withPartners: Bool) -> String {
        var text = a.visit
        if let segment = a.segment {
            text += " " + segment + (a.resource.kind == "staff" ? " (\(a.role))" : "")
        } else {
            text += " " + a.role
        }
        let time = a.timeText
        if !time.isEmpty { text += " " + time }
        if let rooms = a.rooms { text += ", \(rooms) room\(rooms == 1 ? "" : "s")" }
        if withPlace, let place = a.placeText, !["venue", "hotel"].contains(a.resource.kind) {
            text += a.from != nil && a.to != nil ? " " + place : " at " + place
        }
        if withPartners, !a.partners.isEmpty { text += " with " + ids(a.partners) }
        return text
    }

    private static func ids(_ keys: [ResourceKey]) -> String { keys.map(\.id).joined(separator: " + ") }

    /// Plain text: a heading per kind, a line per resource, then needs met or unmet anew.
    public var text: String {
        var lines: [String] = []
        let heading = "Changes to the plan" + (date.map { " of \($0)" } ?? "")
        if isEmpty {
            return heading + ": no changes\n"
        }
        lines.append(heading + ": " + summary)
        for (kind, group) in groups {
            lines.append("")
            lines.append(PlanComparison.title(ofKind: kind))
            for r in group { lines.append("  " + line(r)) }
        }
        if !nowUnmet.isEmpty || !nowMet.isEmpty {
            lines.append("")
            lines.append("Needs")
            for n in nowUnmet { lines.append("  \(n): now unmet") }
            for n in nowMet { lines.append("  \(n): now met") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Markdown: a section per kind, an item per resource.
    public var markdown: String {
        var lines: [String] = []
        let heading = "# Changes to the plan" + (date.map { " of \($0)" } ?? "")
        lines.append(heading)
        lines.append("")
        if isEmpty {
            lines.append("No changes.")
            return lines.joined(separator: "\n") + "\n"
        }
        lines.append(summary.prefix(1).uppercased() + summary.dropFirst() + ".")
        for (kind, group) in groups {
            lines.append("")
            lines.append("## " + PlanComparison.title(ofKind: kind))
            lines.append("")
            for r in group {
                lines.append("- **\(markdownEscaped(r.resource.id))** (\(r.resource.kind)): "
                             + r.changes.map { markdownEscaped(PlanComparison.phrase($0)) }.joined(separator: "; "))
            }
        }
        if !nowUnmet.isEmpty || !nowMet.isEmpty {
            lines.append("")
            lines.append("## Needs")
            lines.append("")
            for n in nowUnmet { lines.append("- \(markdownEscaped(n.description)): now unmet") }
            for n in nowMet { lines.append("- \(markdownEscaped(n.description)): now met") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `4 resources, 1 need now unmet`.
    private var summary: String {
        var parts = ["\(resources.count) resource\(resources.count == 1 ? "" : "s") affected"]
        if !nowUnmet.isEmpty { parts.append("\(nowUnmet.count) need\(nowUnmet.count == 1 ? "" : "s") now unmet") }
        if !nowMet.isEmpty { parts.append("\(nowMet.count) need\(nowMet.count == 1 ? "" : "s") now met") }
        return parts.joined(separator: ", ")
    }

    private var groups: [(kind: String, resources: [ResourceChanges])] {
        var out: [(kind: String, resources: [ResourceChanges])] = []
        for r in resources {
            if out.last?.kind == r.resource.kind { out[out.count - 1].resources.append(r) } else { out.append((r.resource.kind, [r])) }
        }
        return out
    }

    private func markdownEscaped(_ text: String) -> String {
        var out = ""
        for c in text {
            if "\\`*_[]<>|#".contains(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }

    /// The comparison for tools; the shape is documented in `docs/reports.md`:
    ///
    /// ```
    /// { "schemaVersion": 1, "date": "2026-12-01", "changed": false,
    ///   "resources": [ { "kind": "driver", "id": "DRV-03", "name": "Liu Yang",
    ///                    "line": "DRV-03 (driver): now ...",
    ///                    "changes": [ { "change": "added" | "dropped" | "changed",
    ///                                   "aspects": ["partners"],       // changed only
    ///                                   "before": ASSIGNMENT | null, "after": ASSIGNMENT | null } ] } ],
    ///   "needs": { "nowUnmet": [NEED], "nowMet": [NEED] } }
    /// ```
    public var json: JSONValue {
        var root = JSONObject()
        root["schemaVersion"] = 1
        root["date"] = date.map { .string($0) } ?? .null
        root["changed"] = .bool(!isEmpty)
        root["resources"] = .array(resources.map { r in
            var o = JSONObject()
            o["kind"] = .string(r.resource.kind)
            o["id"] = .string(r.resource.id)
            o["name"] = r.name.map { .string($0) } ?? .null
            o["line"] = .string(line(r))
            o["changes"] = .array(r.changes.map { change in
                var c = JSONObject()
                switch change {
                case .added(let a):
                    c["change"] = "added"
                    c["aspects"] = .array([])
                    c["before"] = .null
                    c["after"] = PlanComparison.json(a)
                case .dropped(let b):
                    c["change"] = "dropped"
                    c["aspects"] = .array([])
                    c["before"] = PlanComparison.json(b)
                    c["after"] = .null
                case .changed(let b, let a, let aspects):
                    c["change"] = "changed"
                    c["aspects"] = .array(aspects.map { .string($0.rawValue) })
                    c["before"] = PlanComparison.json(b)
                    c["after"] = PlanComparison.json(a)
                }
                c["text"] = .string(PlanComparison.phrase(change))
                return .object(c)
            })
            return .object(o)
        })
        var needs = JSONObject()
        needs["nowUnmet"] = .array(nowUnmet.map(PlanComparison.json))
        needs["nowMet"] = .array(nowMet.map(PlanComparison.json))
        root["needs"] = .object(needs)
        return .object(root)
    }

    /// `{"visit", "segment", "role", "need", "spans": [{"day", "start", "end"}], "nights",
    /// "from", "to", "location", "partners": [{"kind", "id"}], "rooms"}`.
    public static func json(_ a: Assignment) -> JSONValue {
        var o = JSONObject()
        o["visit"] = .string(a.visit)
        o["segment"] = a.segment.map { .string($0) } ?? .null
        o["role"] = .string(a.role)
        o["need"] = .string(a.need)
        o["spans"] = .array(a.daySpans.map { span in
            [
                "day": .number(Double(span.day)),
                "start": .string(Clock.timeOfDay(span.start, asStart: true)),
                "end": .string(Clock.day(ofEnd: span.end) == span.day ? Clock.timeOfDay(span.end, asStart: false) : Clock.format(span.end)),
            ]
        })
        o["nights"] = .array(a.nights.map { .number(Double($0)) })
        o["from"] = a.from.map { .string($0) } ?? .null
        o["to"] = a.to.map { .string($0) } ?? .null
        o["location"] = a.location.map { .string($0) } ?? .null
        o["partners"] = .array(a.partners.map { ["kind": .string($0.kind), "id": .string($0.id)] })
        o["rooms"] = a.rooms.map { .number(Double($0)) } ?? .null
        return .object(o)
    }

    static func json(_ n: NeedReference) -> JSONValue {
        ["visit": .string(n.visit), "segment": n.segment.map { .string($0) } ?? .null, "need": .string(n.need)]
    }
}
