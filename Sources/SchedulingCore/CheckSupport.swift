/// Rules that checkers of several kinds share, written from PROBLEM.md
/// independently of the formulation: a checker never asks the optimizer's
/// code whether a plan is valid.
public enum CheckSupport {
    /// One use of a room-like resource (venue or catering) in a plan.
    public struct RoomUse: Sendable {
        public var visit: String
        public var segment: String
        public var span: TimeSpan
        public var attendees: Double

        public init(visit: String, segment: String, span: TimeSpan, attendees: Double) {
            self.visit = visit
            self.segment = segment
            self.span = span
            self.attendees = attendees
        }
    }

    /// §3, §8 and §9: one `available` entry contains the whole interval; an
    /// interval reaching before the first day or across a midnight fits no entry.
    public static func fits(_ span: TimeSpan, _ availability: Availability) -> Bool {
        guard span.start >= 0, span.start < span.end else { return false }
        // The day a span starts on must hold its last minute too.
        guard span.start / (24 * 60) == (span.end - 1) / (24 * 60) else { return false }
        guard let windows = availability.windows else { return true }
        return windows.contains { $0.start <= span.start && span.end <= $0.end }
    }

    /// "available 08:00-12:00, 13:00-18:00", for messages.
    public static func describe(_ availability: Availability) -> String {
        guard let windows = availability.windows else { return "available all day" }
        return windows.isEmpty ? "never available" : "available " + windows.map(\.description).joined(separator: ", ")
    }

    /// §4 exclusive: for every two uses `a.start <= b.start`, `b.start >= a.end + turnover`,
    /// also between two segments of one visit. Reports `<prefix>.double-booked` for
    /// overlapping uses and `<prefix>.turnover` for uses too close.
    public static func checkExclusive(_ resource: String, _ uses: [RoomUse], turnover: Double, rule prefix: String, _ report: inout CheckReport) {
        let list = uses.sorted { ($0.span.start, $0.span.end) < ($1.span.start, $1.span.end) }
        for i in list.indices {
            for j in list.indices where j > i {
                let a = list[i], b = list[j]
                guard Double(b.span.start) < Double(a.span.end) + turnover else { continue }
                if b.span.start < a.span.end {
                    report.fail("\(prefix).double-booked", visit: b.visit, segment: b.segment, resource: resource,
                                "\(resource) is exclusive but \(b.visit) \(b.segment) \(b.span) overlaps \(a.visit) \(a.segment) \(a.span)")
                } else {
                    report.fail("\(prefix).turnover", visit: b.visit, segment: b.segment, resource: resource,
                                "\(resource) needs \(JSONWriter.format(turnover)) min turnover after \(a.visit) \(a.segment) ends at \(Clock.format(a.span.end)); \(b.visit) \(b.segment) starts at \(Clock.format(b.span.start)), \(b.span.start - a.span.end) min later")
                }
            }
        }
    }

    /// §4 shared: at every minute the attendees of the uses add up to at most
    /// `capacity`. Load only rises at a start, so starts are the minutes to look at.
    public static func checkShared(_ resource: String, _ uses: [RoomUse], capacity: Double, rule: String, _ report: inout CheckReport) {
        var reported: Set<Int> = []
        for p in Set(uses.map(\.span.start)).sorted() {
            let active = uses.indices.filter { uses[$0].span.start <= p && p < uses[$0].span.end }
            let load = active.reduce(0.0) { $0 + uses[$1].attendees }
            guard load > capacity + 1e-9, let last = active.last, !Set(active).isSubset(of: reported) else { continue }
            reported = Set(active)
            let who = active.map { "\(uses[$0].visit) \(uses[$0].segment) (\(JSONWriter.format(uses[$0].attendees)))" }.joined(separator: ", ")
            report.fail(rule, visit: uses[last].visit, segment: uses[last].segment, resource: resource,
                        "at \(Clock.format(p)) \(who) use shared \(resource) together: \(JSONWriter.format(load)) attendees, it holds \(JSONWriter.format(capacity))")
        }
    }

    /// Reads a segment need whose plan value is one resource id (`"venue": "R301"`).
    /// Reports a missing key (`plan.need-missing`), a wrong shape (`<prefix>.shape`) and an
    /// id not in `known` (`<prefix>.unknown`); returns `nil` for those and for `null` (unmet,
    /// which the core checker matches against the unmet list).
    public static func singleID<T>(_ plan: PlanView, _ visit: Visit, _ segment: Segment, key: String, rule prefix: String,
                                   noun: String, in known: [String: T], _ report: inout CheckReport) -> T? {
        guard let value = plan.segmentValue(visit.id, segment.id, key) else {
            report.fail("plan.need-missing", visit: visit.id, segment: segment.id,
                        "the plan has no \"\(key)\" entry; write the assignment, or null and list the need in unmet")
            return nil
        }
        if value == .null { return nil }
        guard case .string(let id) = value else {
            report.fail("\(prefix).shape", visit: visit.id, segment: segment.id,
                        "\(value.excerpt) is \(value.typeName); a \(key) need takes one \(noun) id (a string) or null")
            return nil
        }
        guard let resource = known[id] else {
            report.fail("\(prefix).unknown", visit: visit.id, segment: segment.id, resource: id, "\"\(id)\" is not a \(noun) of the day")
            return nil
        }
        return resource
    }
}
