/// A plan read back from `plan.json`, for checkers. Lookups are by the ids
/// the plan names, so a checker never depends on how a plan was built.
public struct PlanView: Sendable {
    public var document: JSONObject
    /// Visit entries by id (the first one when an id repeats).
    public var visits: [String: JSONObject]
    /// Segment entries by visit id, then segment id.
    public var segments: [String: [String: JSONObject]]

    public init(document: JSONObject) {
        self.document = document
        var visits: [String: JSONObject] = [:]
        var segments: [String: [String: JSONObject]] = [:]
        if case .array(let items)? = document["visits"] {
            for item in items {
                guard case .object(let v) = item, case .string(let id)? = v["id"], visits[id] == nil else { continue }
                visits[id] = v
                var segs: [String: JSONObject] = [:]
                if case .array(let ss)? = v["segments"] {
                    for s in ss {
                        if case .object(let so) = s, case .string(let sid)? = so["id"], segs[sid] == nil { segs[sid] = so }
                    }
                }
                segments[id] = segs
            }
        }
        self.visits = visits
        self.segments = segments
    }

    /// The plan's value for a visit-level need key (`host`), `nil` when the key is absent.
    public func visitValue(_ visit: String, _ key: String) -> JSONValue? { visits[visit]?[key] }

    /// The plan's value for a segment need key (`venue`), `nil` when the key or segment is absent.
    public func segmentValue(_ visit: String, _ segment: String, _ key: String) -> JSONValue? {
        segments[visit]?[segment]?[key]
    }

    /// The plan's value for `need` of `day`: its segment's entry, or its visit's for a
    /// visit-level need; `nil` when absent.
    public func value(of need: NeedID, in day: Day) -> JSONValue? {
        guard day.visits.indices.contains(need.visit) else { return nil }
        let visit = day.visits[need.visit]
        if let s = need.segment {
            guard visit.segments.indices.contains(s) else { return nil }
            return segmentValue(visit.id, visit.segments[s].id, need.key)
        }
        return visitValue(visit.id, need.key)
    }
}

/// One broken rule found by a checker.
public struct Violation: Sendable, Hashable, CustomStringConvertible {
    /// A stable rule name, e.g. `venue.capacity`, `transport.travel-gap`.
    public var rule: String
    public var visit: String?
    public var segment: String?
    public var resource: String?
    public var message: String

    public init(rule: String, visit: String? = nil, segment: String? = nil, resource: String? = nil, message: String) {
        self.rule = rule
        self.visit = visit
        self.segment = segment
        self.resource = resource
        self.message = message
    }

    public var description: String {
        var place: [String] = []
        if let visit { place.append(visit) }
        if let segment { place.append(segment) }
        if let resource { place.append(resource) }
        return "[\(rule)] " + (place.isEmpty ? "" : place.joined(separator: " / ") + ": ") + message
    }
}

/// What checkers find: broken rules, and the costs and overGrade they
/// recompute from the assignments for the totals.
public struct CheckReport: Sendable {
    public private(set) var violations: [Violation] = []
    /// Recomputed spend by visit id and category.
    public private(set) var costs: [String: [String: Double]] = [:]
    /// Recomputed spend by programme day (1-based), for the per-day budget (§9).
    public private(set) var costsByDay: [Int: Double] = [:]
    public private(set) var overGrade: Double = 0

    public init() {}

    public mutating func fail(_ rule: String, visit: String? = nil, segment: String? = nil, resource: String? = nil, _ message: String) {
        violations.append(Violation(rule: rule, visit: visit, segment: segment, resource: resource, message: message))
    }

    /// Adds the cost of one assignment: to its visit's spend in `category`, and to
    /// the spend of programme day `day` (the segment's day; a night's lodging
    /// counts on the day the night begins).
    public mutating func addCost(_ amount: Double, visit: String, category: String, day: Int) {
        costs[visit, default: [:]][category, default: 0] += amount
        costsByDay[day, default: 0] += amount
    }

    public mutating func addOverGrade(_ amount: Double) { overGrade += amount }

    /// What the plugin's own limit fields add to a visit's cap in `category`,
    /// recomputed from the day (see ``CapAllowance``).
    public private(set) var capAllowances: [String: [String: Double]] = [:]

    public mutating func addCapAllowance(_ amount: Double, visit: String, category: String) {
        capAllowances[visit, default: [:]][category, default: 0] += amount
    }

    public var isValid: Bool { violations.isEmpty }
}
