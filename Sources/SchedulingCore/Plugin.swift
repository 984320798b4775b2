import Synchronization

/// What a resource-kind plugin handles, for the registry, validation and
/// `schedule plugins`.
public struct PluginDescriptor: Sendable, Hashable {
    /// Short name, e.g. `venues`.
    public var name: String
    /// One line for people.
    public var summary: String
    /// Keys under `resources` that this plugin decodes.
    public var resourceKeys: [String]
    /// Keys under a segment's `needs` that this plugin decodes.
    public var needKeys: [String]
    /// Visit-level needs this plugin states (`host`, `escorts`): keys of a plan's visit entry.
    public var visitNeedKeys: [String]
    /// Keys of a day's visit object that this plugin decodes (a kind's visit-level
    /// need, such as `lodging`): the core keeps them in ``Visit/fields`` for it,
    /// unread, instead of warning about an unknown key. A key listed here and in
    /// ``visitNeedKeys`` is a need only of the visits that give it: the plan
    /// checker expects its plan key on those visits and on no other.
    public var visitFields: [String]
    /// Tier policy fields this plugin reads (from ``TierPolicy/fields``).
    public var tierFields: [String]
    /// `policy.weights` keys this plugin reads (from ``Policy/weightFields``).
    public var weightFields: [String]
    /// Keys of a tier's `limits.<category>` objects, beside `perVisit` and
    /// `perGuest`, that this plugin reads from ``TierPolicy/fields`` (lodging's
    /// `perGuestNight`); it states what they add to a visit's cap as a
    /// ``CapAllowance``.
    public var limitFields: [String]
    /// Cost categories this plugin's choices cost in.
    public var costCategories: [String]
    /// Whether plans list this plugin's categories only on days that use the plugin
    /// (a `resources` or `needs` key of its own). PROBLEM.md v1 plans list exactly its
    /// three categories, so a kind beyond the spec sets this and stays out of such days' plans.
    public var listsCategoriesOnlyWhenUsed: Bool
    /// Need keys that, alone on a segment, mean the host does not attend by default
    /// (PROBLEM.md §2: a segment whose only need is `transport`).
    public var needKeysWithoutHost: [String]
    /// For each of ``resourceKeys`` whose resources hold a number of people, the
    /// field that says how many (`venues`: `capacity`): when no resource is large
    /// enough for a need, `schedule repairs` offers a copy of one with a larger value.
    public var sizeFields: [String: String]

    public init(name: String, summary: String, resourceKeys: [String], needKeys: [String],
                visitNeedKeys: [String] = [], visitFields: [String] = [], tierFields: [String] = [],
                weightFields: [String] = [], limitFields: [String] = [], costCategories: [String] = [], listsCategoriesOnlyWhenUsed: Bool = false,
                needKeysWithoutHost: [String] = [], sizeFields: [String: String] = [:]) {
        self.sizeFields = sizeFields
        self.listsCategoriesOnlyWhenUsed = listsCategoriesOnlyWhenUsed
        self.name = name
        self.summary = summary
        self.resourceKeys = resourceKeys
        self.needKeys = needKeys
        self.visitNeedKeys = visitNeedKeys
        self.visitFields = visitFields
        self.tierFields = tierFields
        self.weightFields = weightFields
        self.limitFields = limitFields
        self.costCategories = costCategories
        self.needKeysWithoutHost = needKeysWithoutHost
    }
}

/// Identifies one resource across kinds: `venue:R301`, `vehicle:CAR-01`.
/// Equal ids of different kinds never conflict.
public struct ResourceKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var kind: String
    public var id: String

    public init(kind: String, id: String) {
        self.kind = kind
        self.id = id
    }

    public var description: String { "\(kind) \(id)" }

    public static func < (a: ResourceKey, b: ResourceKey) -> Bool { (a.kind, a.id) < (b.kind, b.id) }
}

/// How a resource is shared over the day.
public enum Sharing: Sendable, Hashable {
    /// One use at a time; two uses `a`, `b` (`a.start <= b.start`) need
    /// `b.start >= a.end + turnoverMinutes`.
    case exclusive(turnoverMinutes: Double)
    /// Any number of uses at once while their loads add up to at most `capacity` at every minute.
    case capacity(Double)
    /// Moves between locations: two uses need `b.start >= a.end + travel(a.to, b.from)`.
    case mobile
    /// Used up over the day (a stock of gifts): the loads of all uses add up to at
    /// most `stock`, whenever they happen.
    case consumable(stock: Double)
}

/// A resource as the optimizer sees it: a key, a way of being shared, and an
/// optional budget of used minutes (a driver's `maxDrivingMinutes`).
public struct ResourceDeclaration: Sendable, Hashable {
    public var key: ResourceKey
    public var sharing: Sharing
    /// Upper limit on the sum of ``Usage/budgetMinutes`` over each day of the
    /// programme; a use counts on the day its span starts (a driver's
    /// `maxDrivingMinutes` is per day, PROBLEM.md §9).
    public var minuteBudget: Double?

    public init(key: ResourceKey, sharing: Sharing, minuteBudget: Double? = nil) {
        self.key = key
        self.sharing = sharing
        self.minuteBudget = minuteBudget
    }
}

/// One use of a resource by a candidate.
public struct Usage: Sendable, Hashable {
    public var resource: ResourceKey
    public var span: TimeSpan
    /// What a ``Sharing/capacity(_:)`` resource counts (attendees).
    public var load: Double
    /// Where a ``Sharing/mobile`` resource starts and ends this use.
    public var from: String?
    public var to: String?
    /// Minutes counted against the resource's ``ResourceDeclaration/minuteBudget``.
    public var budgetMinutes: Int

    public init(resource: ResourceKey, span: TimeSpan, load: Double = 1, from: String? = nil, to: String? = nil, budgetMinutes: Int = 0) {
        self.resource = resource
        self.span = span
        self.load = load
        self.from = from
        self.to = to
        self.budgetMinutes = budgetMinutes
    }
}

/// The part of a candidate's cost that falls on one day of a programme (§9: a
/// night's lodging belongs to the day the night begins).
public struct DayCost: Sendable, Hashable {
    /// The programme day, 1-based.
    public var day: Int
    public var amount: Double

    public init(day: Int, amount: Double) {
        self.day = day
        self.amount = amount
    }
}

/// One eligible way to (help) meet a need: a venue, a (vehicle, driver) pair,
/// a staff member. Plugins list only eligible candidates.
public struct Candidate: Sendable {
    /// How the candidate appears in the plan (`"R301"`, `{"vehicle":..., "driver":...}`).
    public var value: JSONValue
    /// A short name for explanations.
    public var label: String
    public var usages: [Usage]
    /// Resources the candidate assigns, busy or not (a host with no attended
    /// segment is still the host); defaults to the resources of ``usages``.
    public var assigned: [ResourceKey]
    /// Cost of choosing it, in ``category``.
    public var cost: Double
    public var category: String?
    /// Grade above the tier's minimum.
    public var overGrade: Double
    /// What it contributes to a ``SelectionRule/cover(_:)`` rule (seats).
    public var weight: Double
    /// Properties a ``NeedDeclaration/requiredTag`` can ask for (a language).
    public var tags: Set<String>
    /// How ``cost`` splits over the programme's days, for the per-day budget; empty
    /// (the default) puts it all on the need's day (see ``Problem/costByDay(of:in:)``).
    /// The amounts add up to ``cost``.
    public var costByDay: [DayCost]

    public init(value: JSONValue, label: String, usages: [Usage], assigned: [ResourceKey]? = nil, cost: Double = 0,
                category: String? = nil, overGrade: Double = 0, weight: Double = 1, tags: Set<String> = [],
                costByDay: [DayCost] = []) {
        self.costByDay = costByDay
        self.value = value
        self.label = label
        self.usages = usages
        if let assigned {
            self.assigned = assigned
        } else if usages.count <= 1 {
            // Most candidates use one resource: no set needed to keep it once.
            self.assigned = usages.map(\.resource)
        } else {
            var seen = Set<ResourceKey>()
            self.assigned = usages.map(\.resource).filter { seen.insert($0).inserted }
        }
        self.cost = cost
        self.category = category
        self.overGrade = overGrade
        self.weight = weight
        self.tags = tags
    }
}

/// How many candidates a met need selects.
public enum SelectionRule: Sendable, Hashable {
    /// Exactly `n` distinct candidates (one venue, `count` presenters, `n` escorts).
    /// `exactly(0)` is always met with nothing.
    case exactly(Int)
    /// Candidates whose weights add up to at least `demand` (seats for guests).
    case cover(Double)
}

/// How a need's selection appears in the plan.
public enum PlanShape: Sendable {
    /// The one selected candidate's value, or `null`.
    case single
    /// An array of the selected candidates' values, or `null`.
    case list
    /// The plugin renders the selected candidates (by index) itself, e.g. pairing
    /// chosen vehicles with chosen drivers.
    case custom(@Sendable ([Int]) -> JSONValue)
}

/// A linear rule among one need's candidates, beyond its ``SelectionRule``:
/// `Σ coefficient·x(candidate) + unmetCoefficient·unmet  (sense)  rhs`.
///
/// It lets a plugin state how its candidates combine without enumerating
/// combinations: as many drivers as vehicles, and enough drivers licensed for
/// every set of vehicle types (Hall's condition), instead of one column per pair.
public struct NeedConstraint: Sendable, Hashable {
    public enum Sense: Sendable, Hashable { case lessOrEqual, greaterOrEqual, equal }

    public var terms: [Term]
    public var sense: Sense
    public var rhs: Double
    public var unmetCoefficient: Double

    public struct Term: Sendable, Hashable {
        public var candidate: Int
        public var coefficient: Double
        public init(candidate: Int, coefficient: Double) {
            self.candidate = candidate
            self.coefficient = coefficient
        }
    }

    public init(terms: [Term], sense: Sense, rhs: Double, unmetCoefficient: Double = 0) {
        self.terms = terms
        self.sense = sense
        self.rhs = rhs
        self.unmetCoefficient = unmetCoefficient
    }

    /// Whether a selection (chosen candidate indices; `nil` = unmet) satisfies it.
    public func holds(for chosen: [Int]?) -> Bool {
        let set = Set(chosen ?? [])
        let lhs = terms.reduce(chosen == nil ? unmetCoefficient : 0) { $0 + (set.contains($1.candidate) ? $1.coefficient : 0) }
        switch sense {
        case .lessOrEqual: return lhs <= rhs + 1e-9
        case .greaterOrEqual: return lhs >= rhs - 1e-9
        case .equal: return abs(lhs - rhs) <= 1e-9
        }
    }
}

/// Where a need sits: a visit-level need (`host`) has no segment.
public struct NeedID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var visit: Int
    public var segment: Int?
    public var key: String

    public init(visit: Int, segment: Int?, key: String) {
        self.visit = visit
        self.segment = segment
        self.key = key
    }

    public var description: String { "visit \(visit) segment \(segment.map(String.init) ?? "-") \(key)" }

    public static func < (a: NeedID, b: NeedID) -> Bool {
        (a.visit, a.segment ?? -1, a.key) < (b.visit, b.segment ?? -1, b.key)
    }
}

/// A need with its eligible candidates, as a plugin states it.
public struct NeedDeclaration: Sendable {
    public var id: NeedID
    public var rule: SelectionRule
    public var shape: PlanShape
    /// The eligible candidates. A plugin may state them as a recipe (see
    /// ``init(id:rule:shape:deferredCandidates:requiredTag:distinctFrom:constraints:requirement:ineligibility:)``),
    /// which runs when they are first read; copies of the need share the built list.
    public var candidates: [Candidate] {
        get {
            switch candidateStore {
            case .built(let candidates): return candidates
            case .deferred(let list): return list.candidates
            }
        }
        set { candidateStore = .built(newValue) }
    }
    private var candidateStore: CandidateStore
    /// At least one selected candidate must carry this tag; `phrase` completes "those who ..." (e.g. "speak de").
    public var requiredTag: (tag: String, phrase: String)?
    /// Keys of visit-level needs of the same visit that may not use a resource this need uses
    /// (escorts are never the visit's host).
    public var distinctFrom: [String]
    /// Further linear rules among the candidates (see ``NeedConstraint``).
    public var constraints: [NeedConstraint]
    /// What the need asks for, in a planner's words: "a showroom at HQ for 14 attendees, grade >= 4".
    public var requirement: String
    /// Why no candidate is eligible, when none is.
    public var ineligibility: String?
    /// For a need whose plan value is built from several candidates
    /// (``PlanShape/custom(_:)``): the values of the candidates one element of a plan
    /// value is made of (a transfer's `{"vehicle", "driver"}` pair: the vehicle's and
    /// the driver's). Pins and replans match a plan value with candidates through it;
    /// `nil` matches each element with one candidate's value.
    public var valueParts: (@Sendable (JSONValue) -> [JSONValue])?

    public init(id: NeedID, rule: SelectionRule, shape: PlanShape, candidates: [Candidate],
                requiredTag: (tag: String, phrase: String)? = nil, distinctFrom: [String] = [],
                constraints: [NeedConstraint] = [], requirement: String, ineligibility: String? = nil) {
        self.id = id
        self.rule = rule
        self.shape = shape
        self.candidateStore = .built(candidates)
        self.requiredTag = requiredTag
        self.distinctFrom = distinctFrom
        self.constraints = constraints
        self.requirement = requirement
        self.ineligibility = ineligibility
    }

    /// A need whose candidates `deferredCandidates` builds when they are first read,
    /// once. A day has about as many resources of a kind as visits, so the lists of
    /// all needs grow as visits times resources; loading a day to check it never
    /// reads them. `deferredCandidates` must return the same list whenever it runs,
    /// and `ineligibility` must be stated without it.
    public init(id: NeedID, rule: SelectionRule, shape: PlanShape, deferredCandidates: @escaping @Sendable () -> [Candidate],
                requiredTag: (tag: String, phrase: String)? = nil, distinctFrom: [String] = [],
                constraints: [NeedConstraint] = [], requirement: String, ineligibility: String? = nil) {
        self.init(id: id, rule: rule, shape: shape, candidates: [], requiredTag: requiredTag, distinctFrom: distinctFrom,
                  constraints: constraints, requirement: requirement, ineligibility: ineligibility)
        self.candidateStore = .deferred(DeferredCandidates(deferredCandidates))
    }

    /// Whether the rule asks for nothing (met with an empty selection).
    public var isTrivial: Bool { rule == .exactly(0) && constraints.isEmpty }
}

/// Where a need keeps its candidates: built, or a recipe built on first read.
private enum CandidateStore: Sendable {
    case built([Candidate])
    case deferred(DeferredCandidates)
}

/// A list of candidates built once, on first read, by whichever thread reads first.
final class DeferredCandidates: Sendable {
    private enum State {
        case pending(@Sendable () -> [Candidate])
        case built([Candidate])
    }

    private let state: Mutex<State>

    init(_ build: @escaping @Sendable () -> [Candidate]) { state = Mutex(.pending(build)) }

    var candidates: [Candidate] {
        state.withLock { state in
            switch state {
            case .built(let candidates): return candidates
            case .pending(let build):
                let candidates = build()
                // Drop the recipe (and what it holds) once built.
                state = .built(candidates)
                return candidates
            }
        }
    }
}

/// An amount a plugin adds to one visit's cap in one category, from limit fields
/// of its own (``PluginDescriptor/limitFields``): lodging's `perGuestNight *
/// guests * nights`. The cap is `perVisit + perGuest * guests + allowances +
/// approvedOverrun` when the tier caps the category at all.
public struct CapAllowance: Sendable, Hashable {
    /// The visit's index.
    public var visit: Int
    public var category: String
    public var amount: Double

    public init(visit: Int, category: String, amount: Double) {
        self.visit = visit
        self.category = category
        self.amount = amount
    }
}

/// What a plugin contributes to one day: its resources, its needs and what it
/// adds to visits' caps.
public struct KindContribution: Sendable {
    public var resources: [ResourceDeclaration]
    public var needs: [NeedDeclaration]
    public var capAllowances: [CapAllowance]

    public init(resources: [ResourceDeclaration] = [], needs: [NeedDeclaration] = [], capAllowances: [CapAllowance] = []) {
        self.resources = resources
        self.needs = needs
        self.capAllowances = capAllowances
    }
}

/// A resource kind: decodes its part of `day.json`, states eligible candidates
/// and how its resources are shared, and checks plans on its own.
///
/// The core and the optimizers know kinds only through this protocol; the
/// registry passed to the CLI decides which kinds exist.
public protocol ResourceKindPlugin: Sendable {
    var descriptor: PluginDescriptor { get }

    /// Validates this kind's resources, needs and tier fields and states its
    /// resources and needs. Errors go to `diagnostics` with their JSON paths;
    /// the result is used only when the whole day has no errors.
    func contribute(to day: ResolvedDay, diagnostics: inout Diagnostics) -> KindContribution

    /// Checks this kind's part of a plan from the spec's rules, independently of
    /// ``contribute(to:diagnostics:)``: eligibility and conflicts, and the cost
    /// and overGrade of each assignment for the checker's totals.
    func check(_ plan: PlanView, day: ResolvedDay, report: inout CheckReport)
}

/// The day with the core's defaults resolved, as plugins see it.
public struct ResolvedDay: Sendable {
    public var day: Day
    /// `hostAttends` of each segment, by visit and segment index.
    public var hostAttends: [[Bool]]

    public var visits: [Visit] { day.visits }

    public func tier(of visit: Visit) -> TierPolicy { day.policy.tier(visit.tier) }
}
