import SchedulingCore

/// Builds the mixed-integer program of a ``Problem`` from what the plugins
/// declared, knowing no resource kind by name.
///
/// Column families: one binary per eligible candidate of each need, one
/// binary "unmet" per need that can be met, one continuous overrun per visit
/// and capped category that can be exceeded, one for the day budget.
/// Row families: selection, required tags, distinct needs, resource conflicts
/// (maximal-clique rows over the interval structure, capacity rows at event
/// points, travel-gap rows for mobile resources), minute budgets, caps.
public struct Formulation: Sendable {
    /// The program, ready for a solver.
    public private(set) var model = LinearModel()
    /// Column of each candidate, by need then candidate.
    public private(set) var candidateColumns: [[Int]] = []
    /// Column of each need's unmet indicator; `nil` for trivial or never-meetable needs.
    public private(set) var unmetColumns: [Int?] = []
    /// Needs that no selection can meet (no or too few eligible candidates).
    public private(set) var neverMeetable: [Bool] = []
    /// Overrun columns: visit index, category, column.
    private var overrunColumns: [(visit: Int, category: String, column: Int)] = []
    /// The day budget's overrun column.
    private var dayOverrunColumns: [(day: Int, column: Int)] = []
    /// A replan's change column of each need that has one (§10).
    private var changeColumns: [Int: Int] = [:]

    /// One resource's use by one need: the need's candidates that use the
    /// resource at the same time and place, merged because at most one of them
    /// can be chosen anyway.
    private struct Occupation {
        var need: Int
        var span: TimeSpan
        var from: String?
        var to: String?
        var terms: [(column: Int, load: Double, budget: Int)]
    }

    /// Finds a need's occupation of a resource in constant time while the model is built.
    private struct OccupationKey: Hashable {
        var resource: ResourceKey
        var need: Int
        var span: TimeSpan
        var from: String?
        var to: String?
    }

    /// Builds the model of `problem`: one column per eligible candidate.
    public init(_ problem: Problem) {
        let weights = problem.day.policy.weights
        var m = LinearModel()
        var occupations: [ResourceKey: [Occupation]] = [:]
        var occupationIndex: [OccupationKey: Int] = [:]

        for (j, need) in problem.needs.enumerated() {
            let name = Formulation.name(of: need.id, in: problem)
            var columns: [Int] = []
            let meetable = need.canBeMet
            if need.isTrivial {
                _ = ChangeRows.add(problem, need: j, columns: [], name: name, &m)
                candidateColumns.append([]); unmetColumns.append(nil); neverMeetable.append(false)
                continue
            }
            guard meetable else {
                m.objectiveConstant += weights.unmet
                _ = ChangeRows.add(problem, need: j, columns: [], name: name, &m)
                candidateColumns.append([]); unmetColumns.append(nil); neverMeetable.append(true)
                continue
            }
            for (i, c) in need.candidates.enumerated() {
                columns.append(m.addColumn("x_\(name)_\(i)", kind: .binary, objective: c.cost + weights.overGrade * c.overGrade))
            }
            let u = m.addColumn("unmet_\(name)", kind: .binary, objective: weights.unmet)
            switch need.rule {
            case .exactly(let n):
                m.addRow("select_\(name)", columns.map { ($0, 1.0) } + [(u, Double(n))], lower: Double(n), upper: Double(n))
            case .cover(let demand):
                // Coefficients capped at the demand: same integer points, tighter LP.
                m.addRow("cover_\(name)", zip(columns, need.candidates).map { ($0, min($1.weight, demand)) } + [(u, demand)], lower: demand)
                for (i, column) in columns.enumerated() {
                    m.addRow("off_\(name)_\(i)", [(column, 1), (u, 1)], upper: 1)
                }
            }
            for (k, rule) in need.constraints.enumerated() {
                let terms = rule.terms.map { (columns[$0.candidate], $0.coefficient) } + [(u, rule.unmetCoefficient)]
                switch rule.sense {
                case .lessOrEqual: m.addRow("rule_\(name)_\(k)", terms, upper: rule.rhs)
                case .greaterOrEqual: m.addRow("rule_\(name)_\(k)", terms, lower: rule.rhs)
                case .equal: m.addRow("rule_\(name)_\(k)", terms, lower: rule.rhs, upper: rule.rhs)
                }
            }
            if let tag = need.requiredTag {
                let tagged = zip(columns, need.candidates).filter { $0.1.tags.contains(tag.tag) }.map { ($0.0, 1.0) }
                m.addRow("tag_\(name)", tagged + [(u, 1)], lower: 1)
            }
            for (column, candidate) in zip(columns, need.candidates) {
                for usage in candidate.usages {
                    let key = OccupationKey(resource: usage.resource, need: j, span: usage.span, from: usage.from, to: usage.to)
                    if let k = occupationIndex[key] {
                        occupations[usage.resource, default: []][k].terms.append((column, usage.load, usage.budgetMinutes))
                    } else {
                        occupationIndex[key] = occupations[usage.resource, default: []].count
                        occupations[usage.resource, default: []].append(Occupation(
                            need: j, span: usage.span, from: usage.from, to: usage.to, terms: [(column, usage.load, usage.budgetMinutes)]))
                    }
                }
            }
            if let c = ChangeRows.add(problem, need: j, columns: columns.enumerated().map { ChangeRows.Column(column: $0.element, candidates: [$0.offset], units: 1) },
                                      name: name, &m) {
                changeColumns[j] = c
            }
            candidateColumns.append(columns)
            unmetColumns.append(u)
            neverMeetable.append(false)
        }

        Formulation.addDistinctRows(problem, candidateColumns, &m)
        for key in occupations.keys.sorted() {
            guard let resource = problem.resources[key], let list = occupations[key] else { continue }
            Formulation.addConflictRows(resource, list, travel: problem.day.travel, &m)
        }
        (overrunColumns, dayOverrunColumns) = Formulation.addCostRows(problem, candidateColumns, &m)
        model = m
    }

    // MARK: Distinct needs

    private static func addDistinctRows(_ problem: Problem, _ candidateColumns: [[Int]], _ m: inout LinearModel) {
        var visitLevel: [Int: [Int]] = [:]
        for (b, other) in problem.needs.enumerated() where other.id.segment == nil { visitLevel[other.id.visit, default: []].append(b) }
        for (a, need) in problem.needs.enumerated() where !need.distinctFrom.isEmpty {
            for b in visitLevel[need.id.visit] ?? [] where b != a && need.distinctFrom.contains(problem.needs[b].id.key) {
                let other = problem.needs[b]
                var byResource: [ResourceKey: [(Int, Double)]] = [:]
                var inOther = Set<ResourceKey>()
                for (column, c) in zip(candidateColumns[b], other.candidates) {
                    for key in Set(c.assigned) { byResource[key, default: []].append((column, 1)); inOther.insert(key) }
                }
                var inNeed = Set<ResourceKey>()
                for (column, c) in zip(candidateColumns[a], need.candidates) {
                    for key in Set(c.assigned) where inOther.contains(key) {
                        byResource[key, default: []].append((column, 1)); inNeed.insert(key)
                    }
                }
                for key in inNeed.sorted() {
                    m.addRow("distinct_\(name(of: need.id, in: problem))_\(key.id)", byResource[key] ?? [], upper: 1)
                }
            }
        }
    }

    // MARK: Conflicts

    private static func addConflictRows(_ resource: ResourceDeclaration, _ list: [Occupation], travel: TravelTable, _ m: inout LinearModel) {
        let tag = "\(resource.key.kind)_\(resource.key.id)"
        switch resource.sharing {
        case .exclusive(let turnover):
            // Starts are whole minutes, so `b.start < a.end + t` is `b.start < ceil(a.end + t)`.
            let padded = list.map { TimeSpan($0.span.start, Int((Double($0.span.end) + turnover).rounded(.up))) }
            for (n, clique) in maximalCliques(padded).enumerated() {
                let terms = clique.flatMap { list[$0].terms.map { ($0.column, 1.0) } }
                if terms.count > 1 { m.addRow("busy_\(tag)_\(n)", terms, upper: 1) }
            }
        case .capacity(let capacity):
            addCapacityRows(list.map(\.span), list.map(\.terms), capacity: capacity, tag: tag, &m)
        case .mobile:
            let spans = list.map(\.span)
            var n = 0
            for clique in maximalCliques(spans) {
                let terms = clique.flatMap { list[$0].terms.map { ($0.column, 1.0) } }
                guard terms.count > 1 else { continue }
                m.addRow("busy_\(tag)_\(n)", terms, upper: 1)
                n += 1
            }
            // Uses that do not overlap but leave too little time to travel between them.
            let order = list.indices.sorted { (spans[$0].start, spans[$0].end) < (spans[$1].start, spans[$1].end) }
            for (p, a) in order.enumerated() {
                for b in order[(p + 1)...] {
                    let first = list[a], second = list[b]
                    guard second.span.start >= first.span.end else { continue }
                    let gap = travelMinutes(first.to, second.from, travel)
                    if second.span.start >= first.span.end + gap { continue }
                    m.addRow("travel_\(tag)_\(n)", (first.terms + second.terms).map { ($0.column, 1.0) }, upper: 1)
                    n += 1
                }
            }
        case .consumable(let stock):
            addStockRow(list.map(\.terms), stock: stock, tag: tag, &m)
        }
        if let budget = resource.minuteBudget {
            // One row per day: uses count on the day they start.
            let days = Dictionary(grouping: list, by: \.span.day)
            for dayNumber in days.keys.sorted() {
                let uses = days[dayNumber] ?? []
                let terms = uses.flatMap { $0.terms.filter { $0.budget > 0 } }
                let worst = uses.reduce(0) { $0 + ($1.terms.map(\.budget).max() ?? 0) }
                if Double(worst) > budget {
                    m.addRow("budget_\(tag)" + (dayNumber == 1 ? "" : "_day\(dayNumber)"), terms.map { ($0.column, Double($0.budget)) }, upper: budget)
                }
            }
        }
    }

    /// A use's columns with their loads and budgeted minutes, as both models keep them.
    typealias Terms = [(column: Int, load: Double, budget: Int)]

    /// A shared resource's rows: at each maximal set of overlapping uses whose loads
    /// could exceed `capacity`, the loads taken stay within it.
    static func addCapacityRows(_ spans: [TimeSpan], _ terms: [Terms], capacity: Double, tag: String, _ m: inout LinearModel) {
        for (n, clique) in maximalCliques(spans).enumerated() {
            let peak = clique.reduce(0.0) { $0 + (terms[$1].map(\.load).max() ?? 0) }
            guard peak > capacity + 1e-9 else { continue }
            m.addRow("capacity_\(tag)_\(n)", clique.flatMap { terms[$0].map { ($0.column, $0.load) } }, upper: capacity)
        }
    }

    /// A consumable's row: the day's loads stay within `stock`, when they could exceed it.
    static func addStockRow(_ terms: [Terms], stock: Double, tag: String, _ m: inout LinearModel) {
        let demand = terms.reduce(0.0) { $0 + ($1.map(\.load).max() ?? 0) }
        if demand > stock + 1e-9 {
            m.addRow("stock_\(tag)", terms.flatMap { $0.map { ($0.column, $0.load) } }, upper: stock)
        }
    }

    /// Minutes from `a` to `b`; a pair the input left out counts as unreachable.
    private static func travelMinutes(_ a: String?, _ b: String?, _ travel: TravelTable) -> Int {
        guard let a, let b else { return 0 }
        return travel.minutes(from: a, to: b) ?? 1440
    }

    /// The maximal sets of pairwise-overlapping half-open intervals (an interval
    /// graph's maximal cliques), each as indices into `spans`.
    static func maximalCliques(_ spans: [TimeSpan]) -> [[Int]] {
        let points = Array(Set(spans.map(\.start))).sorted()
        var cliques: [[Int]] = []
        let byStart = spans.indices.sorted { spans[$0].start < spans[$1].start }
        for (k, p) in points.enumerated() {
            let active = byStart.filter { spans[$0].start <= p && p < spans[$0].end }
            guard !active.isEmpty else { continue }
            let next = k + 1 < points.count ? points[k + 1] : Int.max
            if next == Int.max || active.contains(where: { spans[$0].end <= next }) {
                cliques.append(active)
            }
        }
        return cliques
    }

    // MARK: Costs, caps, day budget

    private static func addCostRows(_ problem: Problem, _ candidateColumns: [[Int]], _ m: inout LinearModel)
        -> (overruns: [(visit: Int, category: String, column: Int)], days: [(day: Int, column: Int)]) {
        let columns = candidateColumns.map { list in list.enumerated().map { (column: $0.element, candidate: $0.offset) } }
        return TypedFormulation.addCostRows(problem, columns, &m)
    }

    // MARK: Start solutions

    /// The column values of a selection (overruns at their least), for a solver's
    /// first incumbent; `nil` when the selection breaks a row of this model.
    public func startValues(for selection: Selection, in problem: Problem) -> [Double]? {
        guard selection.chosen.count == candidateColumns.count else { return nil }
        var values = [Double](repeating: 0, count: model.columns.count)
        var spend: [Int: [String: Double]] = [:]
        for (j, chosen) in selection.chosen.enumerated() {
            guard let chosen else {
                if let u = unmetColumns[j] { values[u] = 1 }
                continue
            }
            guard !neverMeetable[j] else { return nil }
            for i in chosen {
                guard i < candidateColumns[j].count else { return nil }
                values[candidateColumns[j][i]] = 1
                let c = problem.needs[j].candidates[i]
                if let category = c.category { spend[problem.needs[j].id.visit, default: [:]][category, default: 0] += c.cost }
            }
        }
        for o in overrunColumns {
            let cap = problem.cap(visit: problem.day.visits[o.visit], category: o.category) ?? .infinity
            values[o.column] = max(0, (spend[o.visit]?[o.category] ?? 0) - cap)
        }
        if let replanning = problem.replanning {
            for (j, c) in changeColumns { values[c] = replanning.changed(j, chosen: selection.chosen[j]) ? 1 : 0 }
        }
        if let budget = problem.day.policy.dayBudget, !dayOverrunColumns.isEmpty {
            let spend = TypedFormulation.daySpend(of: selection, in: problem)
            for (k, column) in dayOverrunColumns { values[column] = max(0, spend[k] - budget) }
        }
        return model.isFeasible(values) ? values : nil
    }

    // MARK: Reading a solution

    /// The selection a column assignment encodes.
    public func selection(from values: [Double]) -> Selection {
        var chosen: [[Int]?] = []
        for j in candidateColumns.indices {
            if neverMeetable[j] { chosen.append(nil); continue }
            guard let u = unmetColumns[j] else { chosen.append([]); continue }
            if values[u] > 0.5 { chosen.append(nil); continue }
            chosen.append(candidateColumns[j].enumerated().filter { values[$0.element] > 0.5 }.map(\.offset))
        }
        return Selection(chosen: chosen)
    }

    static func name(of id: NeedID, in problem: Problem) -> String {
        let visit = problem.day.visits[id.visit]
        let segment = id.segment.map { "_" + visit.segments[$0].id } ?? ""
        return "\(visit.id)\(segment)_\(id.key)"
    }
}

extension NeedDeclaration {
    /// Whether some selection of candidates can meet the need: enough of them for
    /// its rule and, when it asks for a tag, one candidate with it.
    var canBeMet: Bool {
        let enough: Bool
        switch rule {
        case .exactly(let n): enough = candidates.count >= n
        case .cover(let demand): enough = candidates.reduce(0) { $0 + $1.weight } >= demand
        }
        if let tag = requiredTag, !candidates.contains(where: { $0.tags.contains(tag.tag) }) { return false }
        return enough
    }

    /// Each candidate's side-rule coefficients as (rule index, coefficient) pairs, flattened:
    /// two candidates with equal lists weigh the same in every side rule.
    var constraintCoefficients: [Int: [Double]] {
        var coefficients: [Int: [Double]] = [:]
        for (k, rule) in constraints.enumerated() {
            for term in rule.terms {
                coefficients[term.candidate, default: []].append(Double(k))
                coefficients[term.candidate, default: []].append(term.coefficient)
            }
        }
        return coefficients
    }
}
