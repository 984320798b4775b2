/// The three visit tiers of the reception regulation.
public enum TierName: String, Sendable, CaseIterable, Hashable {
    case high, medium, low
}

/// The cap parameters of one cost category in a tier: `perVisit + perGuest * guests`.
public struct CostLimit: Sendable, Hashable {
    public var perVisit: Double
    public var perGuest: Double

    public init(perVisit: Double = 0, perGuest: Double = 0) {
        self.perVisit = perVisit
        self.perGuest = perGuest
    }
}

/// A tier's policy. The core reads `limits`; every other field belongs to a
/// plugin, which reads it from ``fields`` (see ``PluginDescriptor/tierFields``).
public struct TierPolicy: Sendable {
    public var name: TierName
    /// Cost caps by category; a category absent here has no cap.
    public var limits: [String: CostLimit]
    /// The tier's JSON object, for plugins to read their own fields.
    public var fields: JSONObject
    /// Where the tier is in the input, e.g. `policy.tiers.high`.
    public var path: JSONPath
}

/// The objective's weights.
public struct ObjectiveWeights: Sendable, Hashable {
    public var unmet: Double = 100_000
    public var overrun: Double = 10
    public var overGrade: Double = 20
    /// Added for each need a replan changes (PROBLEM.md §10).
    public var change: Double = 50

    public init(unmet: Double = 100_000, overrun: Double = 10, overGrade: Double = 20, change: Double = 50) {
        self.unmet = unmet
        self.overrun = overrun
        self.overGrade = overGrade
        self.change = change
    }
}

/// The day's policy: tiers, the day budget and the weights.
public struct Policy: Sendable {
    public var tiers: [TierName: TierPolicy]
    public var dayBudget: Double?
    public var weights: ObjectiveWeights
    /// The `policy.weights` object, for plugins to read their own keys
    /// (see ``PluginDescriptor/weightFields``); empty when absent.
    public var weightFields: JSONObject = JSONObject()
    /// Where `policy.weights` is, for plugins' error paths.
    public var weightsPath: JSONPath = JSONPath([.key("policy"), .key("weights")])
    /// What each step of the flow asks of the people who act (``Checklists``).
    public var checklists: Checklists = .regulation
    /// Which visits need a special reception plan (``SpecialPlanPolicy``); `nil`
    /// when the day has no `policy.specialPlans`, and then no visit needs one and
    /// plans do not list them.
    public var specialPlans: SpecialPlanPolicy? = nil

    public func tier(_ name: TierName) -> TierPolicy {
        // Decoding guarantees all three tiers; a missing one has no fields.
        tiers[name] ?? TierPolicy(name: name, limits: [:], fields: JSONObject(), path: JSONPath(["policy", "tiers", name.rawValue].map { .key($0) }))
    }
}

/// A place of the day.
public struct Location: Sendable, Hashable {
    public var id: String
    public var name: String?
}

/// Travel minutes between locations; symmetric, zero from a location to itself.
public struct TravelTable: Sendable {
    private var minutes: [String: [String: Int]] = [:]

    public init() {}

    public mutating func set(_ from: String, _ to: String, _ value: Int) {
        minutes[from, default: [:]][to] = value
        minutes[to, default: [:]][from] = value
    }

    /// Minutes from `a` to `b`; `nil` when the pair was not given.
    public func minutes(from a: String, to b: String) -> Int? {
        if a == b { return 0 }
        return minutes[a]?[b]
    }
}

/// One segment of a visit's itinerary.
public struct Segment: Sendable {
    public var id: String
    public var index: Int
    /// In programme minutes (see ``Minute``).
    public var span: TimeSpan
    /// The programme day (1-based) the segment is on.
    public var day: Int { span.day }
    public var location: String?
    public var from: String?
    public var to: String?
    public var internalAttendees: Double
    /// `nil` when not written; see ``Problem`` for the resolved value.
    public var hostAttendsExplicit: Bool?
    /// The segment's `needs` object; each key belongs to a plugin.
    public var needs: JSONObject
    public var path: JSONPath
}

/// One client visit.
public struct Visit: Sendable {
    public var id: String
    public var index: Int
    public var tier: TierName
    public var guests: Int
    public var company: String?
    public var language: String?
    public var dietary: [String]
    public var host: String?
    public var escorts: Int?
    public var approvedOverrun: [String: Double]
    public var segments: [Segment]
    public var path: JSONPath
    /// The visit's keys that plugins decode (``PluginDescriptor/visitFields``), as
    /// written; a plugin reads its own at `path + key`.
    public var fields = JSONObject()

    /// `[earliest start, latest end)` over the segments.
    public var span: TimeSpan {
        TimeSpan(segments.map(\.span.start).min() ?? 0, segments.map(\.span.end).max() ?? 0)
    }

    /// `[first start, last end)` of each day's segments, in day order: the spans an
    /// escort is busy over (PROBLEM.md §9: each day of the visit, not the nights).
    /// One span, ``span``, on a one-day visit.
    public var daySpans: [TimeSpan] {
        var byDay: [Int: TimeSpan] = [:]
        for s in segments.map(\.span) {
            let known = byDay[s.day] ?? s
            byDay[s.day] = TimeSpan(min(known.start, s.start), max(known.end, s.end))
        }
        return byDay.keys.sorted().compactMap { byDay[$0] }
    }

    /// The programme day (1-based) the visit starts on.
    public var firstDay: Int { span.day }

    /// A short name for messages: `V-017 (Acme GmbH)`.
    public var label: String { company.map { "\(id) (\($0))" } ?? id }
}

/// A reception day as read from `day.json` (PROBLEM.md §2). Plugin sections
/// (`resources` and each segment's `needs`) stay as JSON for their plugins.
public struct Day: Sendable {
    /// 1, or 2 for a file that may cover several days and ask for lodging (§9).
    public var schemaVersion: Int
    public var date: String?
    /// Days the programme covers, numbered 1...days (1 for a version-1 file).
    public var days: Int = 1
    public var currency: String
    public var policy: Policy
    public var locations: [Location]
    public var travel: TravelTable
    /// The `resources` object; each key belongs to a plugin.
    public var resources: JSONObject
    public var visits: [Visit]

    public func hasLocation(_ id: String) -> Bool { locations.contains { $0.id == id } }

    /// Whether the file is a version-2 programme: its plans are version 2 and name
    /// the day of a day-budget overrun.
    public var isProgramme: Bool { schemaVersion >= 2 }
}
