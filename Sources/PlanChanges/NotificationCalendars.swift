import PlanReports
import SchedulingCore

/// One calendar event for one assignment (or one day or stay of it).
public struct CalendarEvent: Sendable, Hashable {
    /// When an event is, as iCalendar writes it.
    public enum When: Sendable, Hashable {
        /// Floating local date-times (RFC 5545 §3.3.5 form 1, no `Z`, no `TZID`):
        /// the clock time of the day file wherever the calendar is.
        case times(start: CivilDateTime, end: CivilDateTime)
        /// Whole dates (`VALUE=DATE`), the end exclusive: a hotel stay from the
        /// first night's date to the morning after the last.
        case dates(start: CivilDate, end: CivilDate)
    }

    /// Stable across replans: the day's date, the visit, the segment (or `visit`),
    /// the role and the resource, plus `/day-k` or `/night-k` for a later part of a multi-day assignment.
    public var uid: String
    /// The resource whose calendar holds it.
    public var resource: ResourceKey
    /// When.
    public var when: When
    /// `V-017 pickup (Acme GmbH): driver`.
    public var summary: String
    /// `Pudong airport → Headquarters`, `Headquarters, R301 Board room`.
    public var location: String
    /// Visit, client, purpose, partners, host and escorts, run-sheet notes.
    public var description: String
    /// 0, or 1 when the event moved (time, place or partners) since the previous plan, or is cancelled.
    public var sequence: Int
    /// Whether the previous plan had it and the new one does not.
    public var isCancelled: Bool
    /// The partners by kind and label (`vehicle CAR-01`), for the change note; they decide ``sequence`` with time, place and rooms.
    var partners: [String]
    /// Rooms at a hotel.
    var rooms: Int?

    /// What moved since `old`, for the note of an event with a raised ``sequence``: empty when nothing did.
    func differences(from old: CalendarEvent, first: CivilDate) -> [String] {
        var out: [String] = []
        if old.when != when { out.append("was " + old.whenText(first: first)) }
        if old.location != location { out.append("place was " + (old.location.isEmpty ? "not given" : old.location)) }
        if old.partners != partners { out.append(old.partners.isEmpty ? "was alone" : "was with " + old.partners.joined(separator: ", ")) }
        if old.rooms != rooms { out.append("was \(old.rooms.map(String.init) ?? "no") rooms") }
        return out
    }
}

/// A date and a clock time without a zone.
public struct CivilDateTime: Sendable, Hashable {
    /// The date.
    public var date: CivilDate
    /// Minutes since midnight, 0..<1440.
    public var minute: Int

    /// The programme minute `m` of a programme that starts on `first`.
    public init(programmeMinute m: Minute, first: CivilDate) {
        let days = m >= 0 ? m / minutesPerDay : (m - minutesPerDay + 1) / minutesPerDay
        self.date = first.adding(days: days)
        self.minute = m - days * minutesPerDay
    }

    /// `20261201T083000`.
    public var compact: String { date.compact + "T" + pad(minute / 60, 2) + pad(minute % 60, 2) + "00" }
}

/// The iCalendar files of `schedule notify`: one per staff member, driver,
/// vehicle, venue, catering option and hotel with assignments (or with
/// cancelled ones), and `all.ics` with every event.
///
/// Every file is a `METHOD:PUBLISH` calendar. With a previous plan, an event
/// whose time, place, partners or rooms differ from the previous plan's gets
/// `SEQUENCE:1` (0 otherwise), and an assignment the previous plan had and the
/// new one has not comes as the previous event with `STATUS:CANCELLED` and
/// `SEQUENCE:1` in the same files.
public struct NotificationCalendars: Sendable {
    /// One file to write.
    public struct File: Sendable, Hashable {
        /// `staff-S-001.ics`, `driver-DRV-01.ics`, `all.ics`.
        public var name: String
        /// The resource it is for; `nil` for `all.ics`.
        public var resource: ResourceKey?
        /// The calendar, with CRLF line ends.
        public var text: String
    }

    /// Every event, by resource, then by time; cancelled ones after the others of their resource.
    public let events: [CalendarEvent]
    /// The files: one per resource with events, sorted like `schedule changes` sorts resources, then
    /// `all.ics`; none when there is no event (a calendar needs at least one component).
    public let files: [File]

    /// The calendars of `plan`, compared with `previous` when given.
    ///
    /// - Parameter stamp: every event's `DTSTAMP`: when the calendars were made.
    /// - Throws: ``PlanChangesError`` of kind `missingDate` when the day has no `date`.
    public init(plan: PlanAssignments, previous: PlanAssignments? = nil, stamp: CalendarStamp) throws(PlanChangesError) {
        guard let text = plan.date, let first = CivilDate(iso: text) else {
            throw PlanChangesError(.missingDate, "the day has no \"date\" of the form YYYY-MM-DD, which calendars need to place events; add \"date\": \"2026-12-01\" to day.json")
        }
        var events = NotificationCalendars.events(of: plan, first: first)
        if let previous {
            let earlier = NotificationCalendars.events(of: previous, first: first)
            let byUID = Dictionary(earlier.map { ($0.uid, $0) }, uniquingKeysWith: { a, _ in a })
            let current = Set(events.map(\.uid))
            for i in events.indices {
                if let old = byUID[events[i].uid] {
                    let moved = events[i].differences(from: old, first: first)
                    if !moved.isEmpty {
                        events[i].sequence = 1
                        events[i].description += "\n\nChanged since the previous plan: " + moved.joined(separator: "; ") + "."
                    }
                }
            }
            for old in earlier where !current.contains(old.uid) {
                var cancelled = old
                cancelled.isCancelled = true
                cancelled.sequence = 1
                cancelled.summary = "Cancelled: " + old.summary
                cancelled.description = "Cancelled: the new plan no longer has this assignment.\n\n" + old.description
                events.append(cancelled)
            }
        }
        events.sort { a, b in
            if a.resource != b.resource { return PlanComparison.order(a.resource, b.resource) }
            return (a.isCancelled ? 1 : 0, a.when.sortKey, a.uid) < (b.isCancelled ? 1 : 0, b.when.sortKey, b.uid)
        }
        self.events = events

        var files: [File] = []
        var used: Set<String> = ["all.ics"]
        var start = 0
        let dayLabel = first.description
        while start < events.count {
            let key = events[start].resource
            var end = start
            while end < events.count, events[end].resource == key { end += 1 }
            var name = NotificationCalendars.fileName(key)
            var n = 2
            while used.contains(name) {
                name = NotificationCalendars.fileName(key, suffix: "-\(n)")
                n += 1
            }
            used.insert(name)
            let title = "\(plan.label(key)) (\(key.kind == "staff" ? "staff" : key.kind)) \(dayLabel)"
            files.append(File(name: name, resource: key, text: NotificationCalendars.calendar(title, events[start..<end], stamp: stamp)))
            start = end
        }
        // A calendar needs at least one component (RFC 5545 §3.6): no events, no all.ics.
        if !events.isEmpty {
            files.append(File(name: "all.ics", resource: nil, text: NotificationCalendars.calendar("Reception \(dayLabel)", events[...], stamp: stamp)))
        }
        self.files = files
    }

    /// `staff-S-001.ics`: the kind, then the id with every character outside
    /// `A-Z a-z 0-9 . _ -` written as `_`.
    public static func fileName(_ key: ResourceKey, suffix: String = "") -> String {
        var id = ""
        for scalar in key.id.unicodeScalars {
            let ok = ("A"..."Z").contains(scalar) || ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_"
                || (scalar == "." && !id.isEmpty)
            id.unicodeScalars.append(ok ? scalar : "_")
        }
        return "\(key.kind)-\(id)\(suffix).ics"
    }

    /// A `VCALENDAR` with `events`.
    static func calendar(_ name: String, _ events: ArraySlice<CalendarEvent>, stamp: CalendarStamp) -> String {
        var w = ICalendarWriter()
        w.raw("BEGIN", "VCALENDAR")
        w.raw("VERSION", "2.0")
        w.text("PRODID", "-//Reception Scheduler//schedule notify//EN")
        w.raw("CALSCALE", "GREGORIAN")
        w.raw("METHOD", "PUBLISH")
        w.text("X-WR-CALNAME", name)
        for e in events {
            w.raw("BEGIN", "VEVENT")
            w.text("UID", e.uid)
            w.raw("DTSTAMP", stamp.description)
            switch e.when {
            case .times(let s, let t):
                w.raw("DTSTART", s.compact)
                w.raw("DTEND", t.compact)
            case .dates(let s, let t):
                w.raw("DTSTART;VALUE=DATE", s.compact)
                w.raw("DTEND;VALUE=DATE", t.compact)
                w.raw("TRANSP", "TRANSPARENT")
            }
            w.raw("SEQUENCE", String(e.sequence))
            w.raw("STATUS", e.isCancelled ? "CANCELLED" : "CONFIRMED")
            w.text("SUMMARY", e.summary)
            if !e.location.isEmpty { w.text("LOCATION", e.location) }
            w.text("DESCRIPTION", e.description)
            w.raw("END", "VEVENT")
        }
        w.raw("END", "VCALENDAR")
        return w.text
    }

    // MARK: Events of a plan

    /// The events of every assignment of `plan`.
    static func events(of plan: PlanAssignments, first: CivilDate) -> [CalendarEvent] {
        let context = EventContext(plan: plan)
        var out: [CalendarEvent] = []
        let base = first.compact
        for a in plan.assignments {
            let uid = [base, a.visit, a.segment ?? "visit", a.role, a.resource.id].map(uidPart).joined(separator: "/")
            let summary = NotificationCalendars.summary(a, plan: plan)
            let location = context.location(of: a)
            let description = context.description(of: a)
            let partners = a.partners.sorted().map { "\($0.kind) \(plan.label($0))" }
            var parts: [(suffix: String, when: CalendarEvent.When)] = []
            if !a.nights.isEmpty {
                // One event per run of consecutive nights: night k is the date of day k to the next morning.
                var runs: [[Int]] = []
                for night in a.nights.sorted() {
                    if let last = runs.last?.last, last + 1 == night { runs[runs.count - 1].append(night) } else { runs.append([night]) }
                }
                for (i, run) in runs.enumerated() {
                    let startDate = first.adding(days: run[0] - 1), endDate = first.adding(days: (run.last ?? run[0]))
                    parts.append((i == 0 ? "" : "/night-\(run[0])", .dates(start: startDate, end: endDate)))
                }
            } else {
                for (i, span) in a.daySpans.enumerated() {
                    parts.append((i == 0 ? "" : "/day-\(span.day)",
                                  .times(start: CivilDateTime(programmeMinute: span.start, first: first),
                                         end: CivilDateTime(programmeMinute: span.end, first: first))))
                }
            }
            for part in parts {
                let when = part.when
                out.append(CalendarEvent(uid: uid + part.suffix + "@reception-scheduler", resource: a.resource, when: when,
                                         summary: summary, location: location, description: description, sequence: 0, isCancelled: false,
                                         partners: partners, rooms: a.rooms))
            }
        }
        return out
    }

    /// `V-017 pickup (Acme GmbH): driver`, `V-017 (Acme GmbH): host`.
    static func summary(_ a: Assignment, plan: PlanAssignments) -> String {
        let visit = plan.dayPlan.visits.first { $0.id == a.visit }
        let company = visit?.company.map { " (\($0))" } ?? ""
        return a.visit + (a.segment.map { " " + $0 } ?? "") + company + ": " + a.role
    }

    /// A UID part with every character outside `A-Z a-z 0-9 - . _ ~` percent-encoded,
    /// so that `/` separates the parts unambiguously.
    static func uidPart(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            let c = UnicodeScalar(byte)
            if ("A"..."Z").contains(c) || ("a"..."z").contains(c) || ("0"..."9").contains(c) || "-._~".unicodeScalars.contains(c) {
                out.unicodeScalars.append(c)
            } else {
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                out += "%"
                out.unicodeScalars.append(hex[Int(byte >> 4)])
                out.unicodeScalars.append(hex[Int(byte & 15)])
            }
        }
        return out
    }
}

extension CalendarEvent.When {
    /// `20261201T083000-20261201T092000`, `20261207/20261209`: orders events and tells a moved one.
    var sortKey: String {
        switch self {
        case .times(let s, let e): return s.compact + "-" + e.compact
        case .dates(let s, let e): return s.compact + "/" + e.compact
        }
    }
}

extension CalendarEvent {
    /// `2026-12-01 13:00-13:50`, `2026-12-07 to 2026-12-09`: for the change note.
    func whenText(first: CivilDate) -> String {
        switch when {
        case .times(let s, let e):
            let t = { (m: Int) in pad(m / 60, 2) + ":" + pad(m % 60, 2) }
            return "\(s.date) \(t(s.minute))-" + (e.date == s.date ? t(e.minute) : "\(e.date) \(t(e.minute))")
        case .dates(let s, let e):
            return "\(s) to \(e)"
        }
    }
}

/// What an event says beyond its resource: places by name, the visit's
/// client, purpose, host and escorts, the segment's other assignments.
struct EventContext {
    let plan: PlanAssignments
    let locations: [String: String]
    let rawVisits: [String: JSONObject]
    let byVisit: [String: [Assignment]]

    init(plan: PlanAssignments) {
        self.plan = plan
        var names: [String: String] = [:]
        for l in plan.dayPlan.problem.day.locations { names[l.id] = l.name ?? l.id }
        self.locations = names
        var raw: [String: JSONObject] = [:]
        if case .array(let items)? = plan.dayPlan.dayDocument?["visits"] {
            for case .object(let o) in items { if case .string(let id)? = o["id"], raw[id] == nil { raw[id] = o } }
        }
        self.rawVisits = raw
        var byVisit: [String: [Assignment]] = [:]
        for a in plan.assignments { byVisit[a.visit, default: []].append(a) }
        self.byVisit = byVisit
    }

    func name(_ location: String) -> String { locations[location] ?? location }

    /// `Pudong airport → Headquarters`; `Headquarters, R301 Board room` for a
    /// segment in a room; a hotel's or a caterer's place with its name.
    func location(of a: Assignment) -> String {
        if let from = a.from, let to = a.to { return "\(name(from)) → \(name(to))" }
        var parts: [String] = []
        if let location = a.location { parts.append(name(location)) }
        if ["venue", "catering", "hotel"].contains(a.resource.kind) {
            parts.append(plan.label(a.resource))
        } else if let segment = a.segment, let venue = byVisit[a.visit]?.first(where: { $0.segment == segment && $0.resource.kind == "venue" }) {
            parts.append(plan.label(venue.resource))
        }
        return parts.joined(separator: ", ")
    }

    /// The run-sheet lines of an assignment.
    func description(of a: Assignment) -> String {
        var lines: [String] = []
        let visit = plan.dayPlan.visits.first { $0.id == a.visit }
        let raw = rawVisits[a.visit]
        var head = "Visit " + (visit?.label ?? a.visit)
        if case .string(let purpose)? = raw?["purpose"], !purpose.isEmpty { head += ": " + purpose }
        lines.append(head)
        if case .object(let client)? = raw?["client"] {
            let contact = [client["contact"], client["title"]].compactMap { v -> String? in
                if case .string(let s)? = v, !s.isEmpty { return s }
                return nil
            }
            if !contact.isEmpty { lines.append("Contact: " + contact.joined(separator: ", ")) }
        }
        if let visit {
            var facts = ["tier \(visit.tier.rawValue)", "\(visit.guests) guest\(visit.guests == 1 ? "" : "s")"]
            if let language = visit.language { facts.append("language \(language)") }
            if !visit.dietary.isEmpty { facts.append("dietary " + visit.dietary.joined(separator: ", ")) }
            lines.append("Tier " + facts.joined(separator: " · ").dropFirst("tier ".count))
        }
        var role = "Role: \(a.role) (\(plan.label(a.resource)))"
        if let segment = a.segment, let visit, let s = visit.segments.first(where: { $0.id == segment }) {
            role += ", segment \(s.id) \(s.span)"
            if let stage = FlowStage.stages(of: visit)[s.index], stage.description != s.id { role += " (\(stage.description))" }
            if let from = s.from, let to = s.to { role += " from \(name(from)) to \(name(to))" }
            if let v = plan.dayPlan.visits.firstIndex(where: { $0.id == a.visit }), a.role != "host",
               !plan.dayPlan.problem.resolved.hostAttends[v][s.index] {
                role += "; the host does not attend"
            }
        } else if !a.nights.isEmpty {
            role += ", " + Assignment.describe(nights: a.nights) + (a.rooms.map { ", \($0) room\($0 == 1 ? "" : "s")" } ?? "")
        } else {
            role += ", " + a.timeText
        }
        lines.append(role)
        if !a.partners.isEmpty { lines.append("With: " + a.partners.map { "\($0.kind) \(plan.label($0))" }.joined(separator: ", ")) }
        let mine = byVisit[a.visit] ?? []
        let host = mine.filter { $0.role == "host" }.map { plan.label($0.resource) }
        let escorts = mine.filter { $0.role == "escort" }.map { plan.label($0.resource) }
        lines.append("Host: " + (host.isEmpty ? "none" : host.joined(separator: ", ")) + "; escorts: " + (escorts.isEmpty ? "none" : escorts.joined(separator: ", ")))
        if let segment = a.segment {
            let others = mine.filter { $0.segment == segment && $0.identity != a.identity && !a.partners.contains($0.resource) }
            if !others.isEmpty {
                lines.append("Also on \(segment): " + others.map { "\($0.role) \(plan.label($0.resource))" }.joined(separator: ", "))
            }
        }
        return lines.joined(separator: "\n")
    }
}
