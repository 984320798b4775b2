import SchedulingCore

/// A need of the day as a planner names it: `V-014 pickup transport`.
public struct NeedRef: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var visit: String
    /// `nil` for a visit-level need (`host`, `escorts`, `lodging`).
    public var segment: String?
    public var need: String

    public init(visit: String, segment: String?, need: String) {
        self.visit = visit
        self.segment = segment
        self.need = need
    }

    public var description: String { [visit, segment, need].compactMap { $0 }.joined(separator: " ") }

    public static func < (a: NeedRef, b: NeedRef) -> Bool { a.description < b.description }

    var json: JSONValue {
        var o = JSONObject([(key: "visit", value: .string(visit))])
        if let segment { o["segment"] = .string(segment) }
        o["need"] = .string(need)
        return .object(o)
    }
}

/// A change to the day that meets one or more unmet needs (or ends an approval),
/// verified by solving the changed day with every other need kept as planned.
public struct Repair: Sendable {
    /// The kinds of change, in the order a planner would rather make them when
    /// they cost the same.
    public enum Kind: String, Sendable, CaseIterable, Comparable {
        /// No change to the day: solving again meets the need (the plan was cut short
        /// by its time limit).
        case resolve
        /// A pin of the day file released.
        case releasePin = "release-pin"
        /// A segment moved earlier or later.
        case moveSegment = "move-segment"
        /// A resource's availability extended by a window.
        case extendAvailability = "extend-availability"
        /// A visit's cap (or the day budget) raised: an approval to ask for.
        case raiseCap = "raise-cap"
        /// One more resource like an existing one, for the windows it is needed.
        case addResource = "add-resource"

        var order: Int { Kind.allCases.firstIndex(of: self) ?? 0 }
        public static func < (a: Kind, b: Kind) -> Bool { a.order < b.order }
    }

    /// `R1`, `R2`, … in the order the report lists them; `schedule repairs --apply` takes it.
    public var id: String = ""
    public var kind: Kind
    /// What to do, for a planner: `one more vehicle like CAR-03 available 12:40-14:05`.
    public var summary: String
    /// The change as RFC 6902 operations on the day file.
    public var edits: [PatchOperation]
    /// The needs the verified plan of the changed day meets that the plan did not.
    public var meets: [NeedRef]
    /// The plan's total cost after the repair minus before.
    public var costChange: Double
    /// Overruns the changed plan needs approved, minus those the plan needed.
    public var approvalChange: Double
    /// The size of the change within its kind (minutes moved or added, amount raised).
    public var size: Double
    /// The verified plan of the changed day, when the search was asked to keep it.
    public var plan: JSONValue?
    /// Repairs of one family (a resource copied at several sizes) are listed once.
    var family: String?

    /// Cheapest first; then the smaller kind of change, then the smaller change.
    static func ranked(_ a: Repair, _ b: Repair) -> Bool {
        let ca = (a.costChange * 100).rounded(), cb = (b.costChange * 100).rounded()
        if ca != cb { return ca < cb }
        if a.kind != b.kind { return a.kind < b.kind }
        if a.size != b.size { return a.size < b.size }
        return a.summary < b.summary
    }
}

/// The repairs found for one unmet need, cheapest first.
public struct NeedRepairs: Sendable {
    public var need: NeedRef
    /// Why the plan left it unmet, as the plan says.
    public var reason: String
    public var repairs: [Repair]
}

/// The repairs found for one approval the plan needs.
public struct ApprovalRepairs: Sendable {
    public var approval: ApprovalNeeded
    public var repairs: [Repair]
}

/// What `schedule repairs` reports.
public struct RepairReport: Sendable {
    /// Each unmet need of the plan, in the plan's order.
    public var needs: [NeedRepairs] = []
    /// Repairs that meet several needs at once.
    public var groups: [Repair] = []
    /// Each approval the plan needs.
    public var approvals: [ApprovalRepairs] = []
    /// How many changed days were solved.
    public var checks = 0
    public var seconds = 0.0

    /// Every repair listed, groups first.
    public var all: [Repair] { groups + needs.flatMap(\.repairs) + approvals.flatMap(\.repairs) }

    /// The repair listed as `id` (`R3`).
    public func repair(_ id: String) -> Repair? { all.first { $0.id.lowercased() == id.lowercased() } }
}
