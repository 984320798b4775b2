import PlanReports
import SchedulingCore

/// One resource serving one visit in one role: a driver on a transfer, a room
/// for a segment, a host or an escort for a visit, a hotel for a stay.
///
/// Assignments are read from the plan's values, not only from the candidates
/// the day offers now, so a plan made before a car was withdrawn still shows
/// that car's transfers.
public struct Assignment: Sendable, Hashable {
    /// What identifies an assignment across plans of one day: the resource, the
    /// visit, the segment (`nil` for a visit-level role) and the role.
    public struct Identity: Sendable, Hashable, Comparable {
        /// The resource.
        public var resource: ResourceKey
        /// The visit's id.
        public var visit: String
        /// The segment's id; `nil` for host, escort and hotel.
        public var segment: String?
        /// `host`, `escort`, `presenter`, a service role (`minute-taker`), `driver`, `vehicle`, `venue`, `catering`, `hotel`.
        public var role: String

        /// By resource, visit, segment, then role.
        public static func < (a: Identity, b: Identity) -> Bool {
            (a.resource, a.visit, a.segment ?? "", a.role) < (b.resource, b.visit, b.segment ?? "", b.role)
        }
    }

    /// The resource.
    public var resource: ResourceKey
    /// `host`, `escort`, `presenter` or a service role (`minute-taker`) for staff; the resource's kind for every other resource.
    public var role: String
    /// The visit's id.
    public var visit: String
    /// The segment's id; `nil` for a visit-level role (host, escort, hotel).
    public var segment: String?
    /// The need's key in the plan (`transport`, `escorts`, `lodging`).
    public var need: String
    /// When, in programme minutes: the segment's span, a host's attended
    /// segments, an escort's span on each day of the visit. Empty for a hotel.
    public var spans: [TimeSpan]
    /// The nights of a hotel stay (night k is the night after day k); empty otherwise.
    public var nights: [Int]
    /// Where a move starts.
    public var from: String?
    /// Where a move ends.
    public var to: String?
    /// Where it happens when it is not a move: the segment's location, or the
    /// room's, the caterer's or the hotel's own.
    public var location: String?
    /// The resources that serve with it in one entry of the plan: the car of a driver, the driver of a car.
    public var partners: [ResourceKey]
    /// Rooms taken each night at a hotel; `nil` otherwise.
    public var rooms: Int?

    /// Its identity across plans.
    public var identity: Identity { Identity(resource: resource, visit: visit, segment: segment, role: role) }

    /// The first minute it covers (for a hotel, the evening of its first night).
    public var start: Minute {
        if let first = spans.map(\.start).min() { return first }
        return ((nights.min() ?? 1) - 1) * minutesPerDay + 20 * 60
    }

    /// Its spans merged per programme day into `[first start, last end)`, in day order.
    public var daySpans: [TimeSpan] {
        var byDay: [Int: TimeSpan] = [:]
        for s in spans {
            let known = byDay[s.day] ?? s
            byDay[s.day] = TimeSpan(min(known.start, s.start), max(known.end, s.end))
        }
        return byDay.keys.sorted().compactMap { byDay[$0] }
    }

    /// `08:30-09:20`, `day 2 09:00-12:00`, `nights 1-2`.
    public var timeText: String {
        if !nights.isEmpty { return Assignment.describe(nights: nights) }
        return daySpans.map(\.description).joined(separator: ", ")
    }

    /// `PVG → HQ` for a move, else the location id; `nil` when neither is known.
    public var placeText: String? {
        if let from, let to { return "\(from) → \(to)" }
        return location
    }

    /// `night 2`, `nights 1-3`, `nights 1, 3`.
    public static func describe(nights: [Int]) -> String {
        let sorted = nights.sorted()
        guard let first = sorted.first, let last = sorted.last else { return "no night" }
        if sorted.count == 1 { return "night \(first)" }
        if last - first + 1 == sorted.count { return "nights \(first)-\(last)" }
        return "nights " + sorted.map(String.init).joined(separator: ", ")
    }
}

/// A plan read against its day as a list of ``Assignment``s, one per resource
/// and role, with the ``DayPlan`` it comes from for names and details.
///
/// Consumable stock (gifts) is left out: nobody is called about it.
public struct PlanAssignments: Sendable {
    /// The plan matched against its day.
    public let dayPlan: DayPlan
    /// Every assignment, by resource, then by time.
    public let assignments: [Assignment]

    /// Parses `plan.json` and reads it against `problem`. A plan of schema
    /// version 2 is read against a version-2 day (a programme), a version-1 plan
    /// against a version-1 day.
    ///
    /// - Parameters:
    ///   - planJSON: the bytes of `plan.json`.
    ///   - dayDocument: the parsed `day.json`, for display-only details (a client's contact, a purpose).
    /// - Throws: ``PlanChangesError`` when the plan is not JSON, not a plan, of
    ///   the other schema version, or of another day.
    public init(problem: Problem, planJSON: [UInt8], dayDocument: JSONValue? = nil) throws(PlanChangesError) {
        let value: JSONValue
        do {
            value = try JSONParser.parse(planJSON).value
        } catch {
            throw PlanChangesError(.planSyntax, "the plan is not valid JSON: \(error.description)")
        }
        let dayPlan: DayPlan
        do {
            // DayPlan checks the plan's shape and that its version is the day's.
            dayPlan = try DayPlan(problem: problem, plan: value, dayDocument: dayDocument)
        } catch {
            throw PlanChangesError(error)
        }
        self.init(dayPlan: dayPlan)
    }

    /// Reads the assignments of a plan already matched against its day.
    public init(dayPlan: DayPlan) {
        self.dayPlan = dayPlan
        let problem = dayPlan.problem
        var kindsByNeedKey: [String: Set<String>] = [:]
        for need in problem.needs {
            for candidate in need.candidates {
                for key in candidate.assigned + candidate.usages.map(\.resource) { kindsByNeedKey[need.id.key, default: []].insert(key.kind) }
            }
        }
        var out: [Assignment] = []
        for j in problem.needs.indices {
            guard let value = dayPlan.values[j], value != .null else { continue }
            out += PlanAssignments.read(value, need: j, dayPlan: dayPlan, kindsByNeedKey: kindsByNeedKey)
        }
        out.sort { ($0.resource, $0.start, $0.visit, $0.segment ?? "", $0.role) < ($1.resource, $1.start, $1.visit, $1.segment ?? "", $1.role) }
        // A plan that names one resource twice in one need (which `schedule check` rejects) gives it once.
        var seen: Set<Assignment.Identity> = []
        self.assignments = out.filter { seen.insert($0.identity).inserted }
    }

    /// The day's date, `YYYY-MM-DD`, when it has one.
    public var date: String? { dayPlan.problem.day.date }

    /// The assignments of one visit.
    public func assignments(ofVisit visit: String) -> [Assignment] {
        assignments.filter { $0.visit == visit }
    }

    /// `S-001 Li Wei`, or the id when the day gives no name (or no longer lists the resource).
    public func label(_ key: ResourceKey) -> String { dayPlan.catalog[key].label }

    /// The needs the plan leaves unmet (`null`), as `(visit, segment, need)`.
    public var unmetNeeds: Set<NeedReference> {
        var out: Set<NeedReference> = []
        for (j, need) in dayPlan.problem.needs.enumerated() where !need.isTrivial && dayPlan.values[j] == .null {
            out.insert(NeedReference(need.id, in: dayPlan.problem.day))
        }
        return out
    }

    // MARK: Reading a need's value

    /// The resources that a need's value names, each with the other resources of its entry.
    private static func read(_ value: JSONValue, need j: Int, dayPlan: DayPlan, kindsByNeedKey: [String: Set<String>]) -> [Assignment] {
        let problem = dayPlan.problem
        let need = problem.needs[j]
        let day = problem.day
        let visit = day.visits[need.id.visit]
        let segment = need.id.segment.map { visit.segments[$0] }
        let entries: [JSONValue]
        if case .array(let items) = value {
            entries = items
        } else if case .object(let o) = value, !o.members.isEmpty, o.members.allSatisfy({ if case .array = $0.value { true } else { false } }) {
            // Service roles, `{"minute-taker": ["S-12"], "sign-in-desk": ["S-3"]}`: each person is an entry of their own.
            entries = o.members.flatMap { member -> [JSONValue] in
                guard case .array(let people) = member.value else { return [] }
                return people.map { .object(JSONObject([(key: member.key, value: $0)])) }
            }
        } else {
            entries = [value]
        }

        var out: [Assignment] = []
        for entry in entries {
            let leaves = PlanAssignments.leaves(entry)
            // Each resource with the member key naming it: a kind (`vehicle`) or a staff role (`minute-taker`).
            let named = leaves.compactMap { leaf -> (key: ResourceKey, member: String?)? in
                guard case .string(let id) = leaf.value,
                      let key = resolve(id: id, member: leaf.key, need: j, problem: problem, kindsByNeedKey: kindsByNeedKey) else { return nil }
                return (key, leaf.key)
            }
            let keys = named.map(\.key)
            var rooms: Int?
            if let n = leaves.first(where: { $0.key == "rooms" }), case .number(let r) = n.value { rooms = Int(r) }
            for (key, member) in named {
                if case .consumable? = problem.resources[key]?.sharing { continue }
                if key.kind == "gift" { continue }
                var a = Assignment(resource: key, role: role(of: key, needKey: need.id.key, member: member), visit: visit.id, segment: segment?.id,
                                   need: need.id.key, spans: [], nights: [], from: nil, to: nil, location: nil,
                                   partners: keys.filter { $0 != key }, rooms: rooms)
                let usages = usages(of: key, need: j, dayPlan: dayPlan)
                if let segment {
                    a.spans = [segment.span]
                    a.from = segment.from
                    a.to = segment.to
                    a.location = segment.location
                } else if need.id.key == "lodging" || key.kind == "hotel" {
                    a.nights = usages.isEmpty ? lodgingNights(visit) : Array(Set(usages.map(\.span.day))).sorted()
                } else {
                    a.spans = usages.isEmpty ? visit.daySpans : usages.map(\.span)
                    // Where it starts: the first segment within its spans (a host's first attended one).
                    let start = a.spans.map(\.start).min() ?? visit.span.start
                    if let first = visit.segments.filter({ $0.span.start >= start }).min(by: { $0.span.start < $1.span.start }) {
                        a.location = first.location ?? first.from
                    }
                }
                if a.from == nil || a.to == nil, a.location == nil || key.kind == "hotel" {
                    a.location = dayPlan.catalog[key].details.first(where: { $0.field == "location" })?.value ?? a.location
                }
                out.append(a)
            }
        }
        return out
    }

    /// What a resource of `key` does for a need: staff by the need (`host`,
    /// `escort`, `presenter`) or by the role the value names it under
    /// (`minute-taker` in `{"minute-taker": ["S-12"]}`), every other resource by its kind.
    private static func role(of key: ResourceKey, needKey: String, member: String?) -> String {
        guard key.kind == "staff" else { return key.kind }
        if let member, member != key.kind { return member }
        switch needKey {
        case "escorts": return "escort"
        case "presenters": return "presenter"
        default: return needKey
        }
    }

    /// The usages of `key` in the need: the chosen candidate's, else any
    /// candidate's (a host's attended segments are the same for every host).
    private static func usages(of key: ResourceKey, need j: Int, dayPlan: DayPlan) -> [Usage] {
        let need = dayPlan.problem.needs[j]
        for i in dayPlan.outcomes[j].chosen {
            let own = need.candidates[i].usages.filter { $0.resource == key }
            if !own.isEmpty { return own }
        }
        if let any = need.candidates.first(where: { !$0.usages.isEmpty }) {
            let kind = any.usages.filter { $0.resource.kind == key.kind }
            return kind.isEmpty ? [] : kind.filter { $0.resource == kind[0].resource }.map { Usage(resource: key, span: $0.span, load: $0.load, from: $0.from, to: $0.to) }
        }
        return []
    }

    /// The nights of a visit's `lodging` need as the day writes them.
    private static func lodgingNights(_ visit: Visit) -> [Int] {
        guard case .object(let lodging)? = visit.fields["lodging"], case .array(let items)? = lodging["nights"] else { return [] }
        return items.compactMap { if case .number(let n) = $0 { return Int(n) }; return nil }.sorted()
    }

    /// The resource a plan value names: among the need's candidates (of the kind
    /// the member's key names when there are several), else among the day's
    /// resources, else by the kind that need keys of the built-in plugins name —
    /// so a resource the day no longer lists is still read.
    private static func resolve(id: String, member: String?, need j: Int, problem: Problem, kindsByNeedKey: [String: Set<String>]) -> ResourceKey? {
        let need = problem.needs[j]
        let named = need.candidates.lazy.flatMap { $0.assigned + $0.usages.map(\.resource) }.filter { $0.id == id }
        if let member, let key = named.first(where: { $0.kind == member }) { return key }
        if let key = named.first { return key }
        let kinds = kindsByNeedKey[need.id.key] ?? []
        if let member, problem.resources[ResourceKey(kind: member, id: id)] != nil { return ResourceKey(kind: member, id: id) }
        if let kind = kinds.sorted().first(where: { problem.resources[ResourceKey(kind: $0, id: id)] != nil }) { return ResourceKey(kind: kind, id: id) }
        switch member ?? need.id.key {
        case "host", "escorts", "presenters": return ResourceKey(kind: "staff", id: id)
        case "vehicle", "driver", "venue", "catering", "hotel": return ResourceKey(kind: member ?? need.id.key, id: id)
        default:
            if kinds.count == 1, let kind = kinds.first { return ResourceKey(kind: kind, id: id) }
            return member.map { ResourceKey(kind: $0, id: id) }
        }
    }

    /// The scalar members of a plan value with the key holding them.
    private static func leaves(_ value: JSONValue, key: String? = nil) -> [(key: String?, value: JSONValue)] {
        switch value {
        case .string, .number: return [(key, value)]
        case .array(let items): return items.flatMap { leaves($0, key: key) }
        case .object(let o): return o.members.flatMap { leaves($0.value, key: $0.key) }
        case .null, .bool: return []
        }
    }
}

/// A need named by ids rather than indices, so that it can be compared across two days.
public struct NeedReference: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The visit's id.
    public var visit: String
    /// The segment's id; `nil` for a visit-level need.
    public var segment: String?
    /// The need's key (`transport`, `host`).
    public var need: String

    /// The need `id` of `day`.
    public init(_ id: NeedID, in day: Day) {
        let visit = day.visits[id.visit]
        self.visit = visit.id
        self.segment = id.segment.map { visit.segments[$0].id }
        self.need = id.key
    }

    /// `V-009 sendoff transport`, `V-003 host`.
    public var description: String { ([visit] + (segment.map { [$0] } ?? []) + [need]).joined(separator: " ") }

    /// By visit, segment, then need.
    public static func < (a: NeedReference, b: NeedReference) -> Bool {
        (a.visit, a.segment ?? "", a.need) < (b.visit, b.segment ?? "", b.need)
    }
}
