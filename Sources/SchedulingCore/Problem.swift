/// A validated day with every need and resource its plugins declared: what
/// optimizers solve.
public struct Problem: Sendable {
    public var resolved: ResolvedDay
    /// Every resource, by key.
    public var resources: [ResourceKey: ResourceDeclaration]
    /// Every need of the day, ordered by visit, segment, then declaration.
    public var needs: [NeedDeclaration]
    /// Cost categories of the registry, in order.
    public var categories: [String]
    /// Warnings from decoding (unknown keys ignored, ...).
    public var warnings: [InputIssue]
    /// What plugins add to visits' caps (``CapAllowance``), by visit index and category.
    public var capAllowances: [Int: [String: Double]] = [:]
    /// Set when the day is being replanned from the plan being carried out
    /// (``replanned(from:now:)``): the objective then counts changed needs.
    public var replanning: Replanning?

    public var day: Day { resolved.day }

    /// Each visit's needs (indices into ``needs``), by visit index; computed on each
    /// call, so a caller that looks up often keeps the result.
    public var needsByVisit: [Int: [Int]] {
        var byVisit: [Int: [Int]] = [:]
        for (j, need) in needs.enumerated() { byVisit[need.id.visit, default: []].append(j) }
        return byVisit
    }

    /// The largest day file accepted, in bytes (a generated day of 5,000 visits is far smaller).
    public static let maximumBytes = 32 * 1_048_576

    /// Parses, validates and expands `day.json`. Throws every input error at once.
    public static func load(json bytes: [UInt8], registry: PluginRegistry) throws(InputError) -> Problem {
        guard bytes.count <= maximumBytes else {
            throw InputError(JSONPath(), "the file is \(bytes.count / 1_048_576) MiB; days larger than \(maximumBytes / 1_048_576) MiB are not supported (docs/limits.md)")
        }
        let root: JSONValue
        var d = Diagnostics()
        do {
            let parsed = try JSONParser.parse(bytes)
            root = parsed.value
            for path in parsed.duplicateKeys {
                d.error(path, "this key appears more than once in its object; keep one")
            }
        } catch {
            throw InputError(error.path, "not valid JSON: \(error.description)")
        }
        return try load(root, registry: registry, diagnostics: d)
    }

    /// Validates and expands an already parsed day.
    public static func load(_ root: JSONValue, registry: PluginRegistry, diagnostics initial: Diagnostics = Diagnostics()) throws(InputError) -> Problem {
        var d = initial
        guard let day = DayDecoder.decode(root, registry: registry, diagnostics: &d) else {
            d.identifyResourceEntries(in: root)
            throw InputError(issues: d.issues)
        }
        let withoutHost = registry.needKeysWithoutHost
        let hostAttends = day.visits.map { visit in
            visit.segments.map { segment in
                segment.hostAttendsExplicit ?? !(segment.needs.members.count > 0 && segment.needs.keys.allSatisfy { withoutHost.contains($0) })
            }
        }
        let resolved = ResolvedDay(day: day, hostAttends: hostAttends)
        var resources: [ResourceKey: ResourceDeclaration] = [:]
        var needs: [NeedDeclaration] = []
        var allowances: [Int: [String: Double]] = [:]
        for plugin in registry.resourceKinds {
            let contribution = plugin.contribute(to: resolved, diagnostics: &d)
            for resource in contribution.resources { resources[resource.key] = resource }
            needs.append(contentsOf: contribution.needs)
            for a in contribution.capAllowances { allowances[a.visit, default: [:]][a.category, default: 0] += a.amount }
        }
        d.identifyResourceEntries(in: root)
        if d.hasErrors { throw InputError(issues: d.issues) }
        // Stable order: by visit, then visit-level needs, then segments; ties keep declaration order.
        let ordered = needs.enumerated().sorted { a, b in
            let ka = (a.element.id.visit, a.element.id.segment ?? -1), kb = (b.element.id.visit, b.element.id.segment ?? -1)
            return ka != kb ? ka < kb : a.offset < b.offset
        }.map { entry in
            // §10: a pinned need keeps only its pinned value, for every optimizer alike.
            Pins.pin(of: entry.element.id, in: day).map { entry.element.pinned(to: $0) } ?? entry.element
        }
        return Problem(resolved: resolved, resources: resources, needs: ordered,
                       categories: categories(of: day, registry: registry), warnings: d.warnings, capAllowances: allowances)
    }

    /// The cost categories a plan of `day` lists: every registered plugin's, except
    /// those of plugins that list theirs only when the day uses them.
    static func categories(of day: Day, registry: PluginRegistry) -> [String] {
        let usedNeeds = Set(day.visits.flatMap { $0.segments.flatMap(\.needs.keys) })
        let usedFields = Set(day.visits.flatMap(\.fields.keys))
        var seen = Set<String>()
        return registry.resourceKinds.map(\.descriptor).filter { d in
            !d.listsCategoriesOnlyWhenUsed || d.resourceKeys.contains { day.resources[$0] != nil } || d.needKeys.contains { usedNeeds.contains($0) }
                || d.visitFields.contains { usedFields.contains($0) }
        }.flatMap(\.costCategories).filter { seen.insert($0).inserted }
    }

    /// The day (1-based) a need's costs fall on unless its candidate splits them:
    /// its segment's day, or the visit's first day for a visit-level need.
    public func day(of need: NeedDeclaration) -> Int {
        let visit = day.visits[need.id.visit]
        return need.id.segment.map { visit.segments[$0].day } ?? visit.firstDay
    }

    /// Where candidate `i` of `need` costs, day by day (§9: a use's cost belongs to
    /// its segment's day, a night's lodging to the day the night begins).
    public func costByDay(of i: Int, in need: NeedDeclaration) -> [DayCost] {
        let c = need.candidates[i]
        return c.costByDay.isEmpty ? [DayCost(day: day(of: need), amount: c.cost)] : c.costByDay
    }

    /// A visit's cap for a category: `perVisit + perGuest * guests + allowances +
    /// approvedOverrun` (allowances: what plugins add, ``CapAllowance``), `nil` = no cap.
    public func cap(visit: Visit, category: String) -> Double? {
        guard let limit = day.policy.tier(visit.tier).limits[category] else { return nil }
        let allowance = capAllowances[visit.index]?[category] ?? 0
        return limit.perVisit + limit.perGuest * Double(visit.guests) + allowance + (visit.approvedOverrun[category] ?? 0)
    }
}

/// Where a running search stands, for progress lines.
public struct SearchStatus: Sendable, Equatable {
    public var elapsed: Double
    public var incumbent: Double?
    public var bound: Double?

    public init(elapsed: Double, incumbent: Double?, bound: Double?) {
        self.elapsed = elapsed
        self.incumbent = incumbent
        self.bound = bound
    }
}

/// Options every optimizer understands.
public struct OptimizeOptions: Sendable {
    /// Wall-clock seconds; `nil` = until proven optimal.
    public var timeLimit: Double?
    /// Stop at this relative gap; `nil` = prove optimality.
    public var relativeGap: Double?
    /// Show the solver's own output on stderr.
    public var verbose: Bool
    /// Called during a long search, at most once a second.
    public var progress: (@Sendable (SearchStatus) -> Void)?

    public init(timeLimit: Double? = nil, relativeGap: Double? = nil, verbose: Bool = false,
                progress: (@Sendable (SearchStatus) -> Void)? = nil) {
        self.timeLimit = timeLimit
        self.relativeGap = relativeGap
        self.verbose = verbose
        self.progress = progress
    }
}

/// Which candidates an optimizer chose: for each need (by index into
/// ``Problem/needs``), the chosen candidate indices, or `nil` when unmet.
public struct Selection: Sendable, Equatable {
    public var chosen: [[Int]?]

    public init(chosen: [[Int]?]) { self.chosen = chosen }

    /// Everything unmet except trivial needs: always a valid plan.
    public static func allUnmet(_ problem: Problem) -> Selection {
        Selection(chosen: problem.needs.map { $0.isTrivial ? [] : nil })
    }
}

/// Why an optimizer stopped; separate from the selection it holds.
public enum OptimizationStatus: String, Sendable {
    /// The selection is proven optimal.
    case optimal
    /// A limit (time, gap, interrupt) stopped the search; the selection is valid.
    case feasible
    /// The optimizer could not produce any selection.
    case noSolution = "no-solution"
}

/// Why an optimizer ended, told apart from the status of what it holds: a
/// `feasible` plan may come from a time limit, a reached gap or Ctrl-C, and a
/// planner reads which one in the summary.
public enum StopReason: String, Sendable, CaseIterable {
    /// The search finished: the plan is proven optimal.
    case proven
    /// The time limit ended the search.
    case timeLimit = "time-limit"
    /// The plan came within the requested relative gap of the bound.
    case gapLimit = "gap-limit"
    /// The caller interrupted the search (Ctrl-C).
    case interrupted
    /// A constructive optimizer built its plan; it has no search to prove it.
    case constructed
    /// The search ran out of ways to improve without proving the plan optimal.
    case exhausted
}

/// Model size, for summaries and benchmarks.
public struct ModelStatistics: Sendable, Hashable {
    public var rows: Int
    public var columns: Int
    public var nonzeros: Int
    public var binaries: Int

    public init(rows: Int, columns: Int, nonzeros: Int, binaries: Int) {
        self.rows = rows
        self.columns = columns
        self.nonzeros = nonzeros
        self.binaries = binaries
    }
}

/// What an optimizer returns.
public struct OptimizationResult: Sendable {
    public var status: OptimizationStatus
    public var selection: Selection?
    /// Best proven lower bound on the objective, when known.
    public var bound: Double?
    public var seconds: Double
    public var statistics: ModelStatistics?
    /// Why the optimizer ended: ``StopReason/proven`` for an optimal status.
    public var stop: StopReason

    public init(status: OptimizationStatus, selection: Selection?, bound: Double?, seconds: Double,
                statistics: ModelStatistics? = nil, stop: StopReason? = nil) {
        self.stop = stop ?? (status == .optimal ? .proven : .exhausted)
        self.status = status
        self.selection = selection
        self.bound = bound
        self.seconds = seconds
        self.statistics = statistics
    }
}

/// An optimizer plugin: turns a ``Problem`` into a ``Selection``.
public protocol OptimizerPlugin: Sendable {
    /// Name used in plans (`solver.plugin`) and on the command line.
    var name: String { get }
    /// One line for people.
    var summary: String { get }
    func optimize(_ problem: Problem, options: OptimizeOptions) throws -> OptimizationResult
}
