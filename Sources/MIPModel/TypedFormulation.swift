import SchedulingCore

/// The mixed-integer program over *types* of interchangeable resources
/// (``ResourceClasses``): what the GLPK optimizer solves by default.
///
/// - One integer column per need and *group* of candidates that differ only in
///   which members of their classes they take (a need's "one sedan of grade 3
///   with one driver of class B"), counting the units taken; one binary
///   "unmet" per need.
/// - Exclusive classes: at every maximal set of overlapping uses (turnover
///   added to each end) the units taken are at most the class's size. Interval
///   graphs are perfect, so such counts can always be given back to individual
///   members.
/// - Mobile classes (cars, drivers): a time-space network per class. Nodes are
///   the times at which some transfer of the class leaves or reaches a place;
///   units wait at a place, drive a transfer, or drive empty to the first node of
///   another place they can reach in time. Its size grows with the transfers,
///   not with their pairs, and its relaxation is far tighter than pairwise
///   travel rows.
/// - Distinct needs, minute budgets, caps and the day budget as in
///   ``Formulation``, per class.
///
/// Every rule of the individual model is implied for some assignment of
/// members, except two the model only bounds: a member's driving minutes (the
/// class shares `size × limit`) and, for mobile classes, travel rules between
/// transfers that are not consecutive. ``decode(_:)`` gives members back and
/// checks both; a unit it cannot place leaves its need unmet and the result
/// is marked inexact. The model is then a relaxation, so its bound stays valid.
public struct TypedFormulation: Sendable {
    /// The classes of interchangeable resources the model counts units of.
    public let classes: ResourceClasses
    /// The program, ready for a solver.
    public private(set) var model = LinearModel()
    /// Needs that no selection can meet.
    public private(set) var neverMeetable: [Bool] = []
    /// Each need's unmet column; `nil` for trivial or never-meetable needs.
    public private(set) var unmetColumns: [Int?] = []

    let problem: Problem
    /// Each visit's needs, by visit index: built once for every decode (see ``relatedNeeds()``).
    let needsOfVisit: [Int: [Int]]
    private(set) var groups: [[Group]] = []
    private(set) var occupations: [[Occupation]] = []      // per class
    private(set) var networks: [Int: Network] = [:]         // per mobile class
    private(set) var overrunColumns: [(visit: Int, category: String, column: Int)] = []
    /// The day-budget overrun column of each programme day that has one.
    private(set) var dayOverrunColumns: [(day: Int, column: Int)] = []
    /// A replan's change column of each need that has one (§10).
    private(set) var changeColumns: [Int: Int] = [:]

    /// Candidates of one need that differ only in the members of their classes.
    struct Group: Sendable {
        var column = -1
        var candidates: [Int] = []
        /// The classes a candidate of the group takes one member of each, sorted.
        var classes: [Int] = []
        /// At most this many units can be taken at once.
        var units = 1
        /// The candidate that takes exactly these members (sorted keys).
        var byMembers: [[ResourceKey]: Int] = [:]
    }

    /// The uses of one class by one need at one time and place.
    struct Occupation: Sendable {
        var need: Int
        var span: TimeSpan
        var from: String
        var to: String
        var terms: [(column: Int, load: Double, budget: Int)]
    }

    struct Network: Sendable {
        var locations: [String] = []
        var times: [[Int]] = []
        var nodeOf: [[Int: Int]] = []          // per location: time -> node
        var nodes: [(location: Int, time: Int)] = []
        var waits: [Int?] = []                  // per node: column to the next node of its place
        var starts: [Int] = []                  // per location: into its first node
        var ends: [Int] = []                    // per location: out of its last node
        var deadheads: [(from: Int, to: Int, column: Int)] = []
        var deadheadOf: [Int: [Int: Int]] = [:] // from node -> to location -> deadhead index
        var departures: [Int: [Int]] = [:]      // node -> occupation indices
        var arrivals: [Int: [Int]] = [:]
    }

    private struct GroupSignature: Hashable {
        var classes: [Int]
        var usages: [ClassUsage]
        var cost: Double
        var category: String?
        var overGrade: Double
        var weight: Double
        var tags: [String]
        var coefficients: [Double]
    }

    private struct ClassUsage: Hashable {
        var klass: Int
        var shape: ResourceClasses.UsageShape
    }

    private struct OccupationKey: Hashable {
        var need: Int
        var span: TimeSpan
        var from: String
        var to: String
    }

    /// Builds the model of `problem` over `classes` (by default the interchangeable ones).
    public init(_ problem: Problem, classes: ResourceClasses? = nil) {
        self.problem = problem
        needsOfVisit = problem.needsByVisit
        let classes = classes ?? ResourceClasses(problem)
        self.classes = classes
        let weights = problem.day.policy.weights
        var m = LinearModel()
        occupations = Array(repeating: [], count: classes.members.count)
        var occupationIndex: [[OccupationKey: Int]] = Array(repeating: [:], count: classes.members.count)

        for (j, need) in problem.needs.enumerated() {
            let name = Formulation.name(of: need.id, in: problem)
            let meetable = need.canBeMet
            if need.isTrivial || !meetable {
                if !need.isTrivial { m.objectiveConstant += weights.unmet }
                _ = ChangeRows.add(problem, need: j, columns: [], name: name, &m)
                groups.append([]); unmetColumns.append(nil); neverMeetable.append(!need.isTrivial)
                continue
            }
            var list = TypedFormulation.groups(of: need, classes)
            for g in list.indices {
                let c = need.candidates[list[g].candidates[0]]
                let kind: LinearModel.ColumnKind = list[g].units == 1 ? .binary : .integer
                list[g].column = m.addColumn("y_\(name)_\(g)", kind: kind, upper: Double(list[g].units),
                                             objective: c.cost + weights.overGrade * c.overGrade)
            }
            let u = m.addColumn("unmet_\(name)", kind: .binary, objective: weights.unmet)
            switch need.rule {
            case .exactly(let n):
                m.addRow("select_\(name)", list.map { ($0.column, 1.0) } + [(u, Double(n))], lower: Double(n), upper: Double(n))
            case .cover(let demand):
                // A unit counts for at most the whole demand: the same integer points, and
                // an LP that cannot meet a demand of 4 with a third of a 12-seat car.
                m.addRow("cover_\(name)", list.map { ($0.column, min(need.candidates[$0.candidates[0]].weight, demand)) } + [(u, demand)],
                         lower: demand)
                for g in list {
                    m.addRow("off_\(name)_\(g.column)", [(g.column, 1), (u, Double(g.units))], upper: Double(g.units))
                }
            }
            var groupOf: [Int: Int] = [:]
            for (g, group) in list.enumerated() { for i in group.candidates { groupOf[i] = g } }
            for (k, rule) in need.constraints.enumerated() {
                var coefficient: [Int: Double] = [:]
                for term in rule.terms { if let g = groupOf[term.candidate] { coefficient[g] = term.coefficient } }
                let terms = coefficient.keys.sorted().map { (list[$0].column, coefficient[$0] ?? 0) } + [(u, rule.unmetCoefficient)]
                switch rule.sense {
                case .lessOrEqual: m.addRow("rule_\(name)_\(k)", terms, upper: rule.rhs)
                case .greaterOrEqual: m.addRow("rule_\(name)_\(k)", terms, lower: rule.rhs)
                case .equal: m.addRow("rule_\(name)_\(k)", terms, lower: rule.rhs, upper: rule.rhs)
                }
            }
            if let tag = need.requiredTag {
                let tagged = list.filter { need.candidates[$0.candidates[0]].tags.contains(tag.tag) }.map { ($0.column, 1.0) }
                m.addRow("tag_\(name)", tagged + [(u, 1)], lower: 1)
            }
            for group in list {
                let c = need.candidates[group.candidates[0]]
                for usage in c.usages {
                    guard let k = classes.classOf[usage.resource] else { continue }
                    let key = OccupationKey(need: j, span: usage.span, from: usage.from ?? "", to: usage.to ?? "")
                    let term = (column: group.column, load: usage.load, budget: usage.budgetMinutes)
                    if let o = occupationIndex[k][key] {
                        occupations[k][o].terms.append(term)
                    } else {
                        occupationIndex[k][key] = occupations[k].count
                        occupations[k].append(Occupation(need: j, span: usage.span, from: key.from, to: key.to, terms: [term]))
                    }
                }
            }
            if let c = ChangeRows.add(problem, need: j, columns: list.map { ChangeRows.Column(column: $0.column, candidates: $0.candidates, units: Double($0.units)) },
                                      name: name, &m) {
                changeColumns[j] = c
            }
            groups.append(list)
            unmetColumns.append(u)
            neverMeetable.append(false)
        }

        addDistinctRows(&m)
        for k in classes.members.indices where !occupations[k].isEmpty {
            addConflictRows(k, &m)
        }
        let columns = groups.map { $0.map { (column: $0.column, candidate: $0.candidates[0]) } }
        (overrunColumns, dayOverrunColumns) = TypedFormulation.addCostRows(problem, columns, &m)
        model = m
    }

    /// The columns of mobile class `k`'s time-space network (waits, empty drives, starts, ends).
    public func networkColumns(ofClass k: Int) -> [Int] {
        guard let net = networks[k] else { return [] }
        return net.waits.compactMap { $0 } + net.deadheads.map(\.column) + net.starts + net.ends
    }

    /// A lower bound on the objective from each need alone: its cheapest way to be
    /// met (or its unmet weight, if less), ignoring every conflict, cap and budget.
    /// Weak, but known at once; a day too large for the LP relaxation to be solved
    /// in time still gets a proven gap from it.
    public var separableBound: Double {
        let unmetWeight = problem.day.policy.weights.unmet
        let columns = model.columns
        var bound = model.objectiveConstant
        for (j, list) in groups.enumerated() where !list.isEmpty {
            let need = problem.needs[j]
            let cheapest: Double
            switch need.rule {
            case .exactly(let n):
                cheapest = Double(n) * (list.map { columns[$0.column].objective }.min() ?? .infinity)
            case .cover(let demand):
                let perSeat = list.compactMap { g -> Double? in
                    let weight = need.candidates[g.candidates[0]].weight
                    return weight > 0 ? columns[g.column].objective / weight : nil
                }.min() ?? .infinity
                cheapest = demand * perSeat
            }
            bound += min(unmetWeight, max(0, cheapest))
        }
        return bound
    }

    /// The wait and empty-drive columns of mobile class `k`'s network whose arcs lie
    /// wholly outside `window` (both ends before its start or after its end).
    public func networkColumns(ofClass k: Int, outside window: TimeSpan) -> [Int] {
        guard let net = networks[k] else { return [] }
        let outside = { (a: Int, b: Int) in
            let (ta, tb) = (net.nodes[a].time, net.nodes[b].time)
            return tb < window.start || ta >= window.end
        }
        var columns: [Int] = []
        for (node, wait) in net.waits.enumerated() {
            if let wait, let next = net.next(after: node), outside(node, next) { columns.append(wait) }
        }
        for arc in net.deadheads where outside(arc.from, arc.to) { columns.append(arc.column) }
        return columns
    }

    /// The resource classes need `j`'s candidates take from.
    public func classes(ofNeed j: Int) -> Set<Int> {
        Set(groups[j].flatMap(\.classes))
    }

    /// The columns that say how need `j` is met: its groups' and its unmet column.
    public func columns(ofNeed j: Int) -> [Int] {
        groups[j].map(\.column) + (unmetColumns[j].map { [$0] } ?? [])
    }

    // MARK: Groups

    private static func groups(of need: NeedDeclaration, _ classes: ResourceClasses) -> [Group] {
        let coefficients = need.constraintCoefficients
        var index: [GroupSignature: Int] = [:]
        var list: [Group] = []
        for (i, c) in need.candidates.enumerated() {
            let taken = c.assigned.compactMap { classes.classOf[$0] }.sorted()
            let usages = c.usages.compactMap { u in classes.classOf[u.resource].map { ClassUsage(klass: $0, shape: .init(u)) } }
                .sorted { ($0.klass, $0.shape) < ($1.klass, $1.shape) }
            let signature = GroupSignature(classes: taken, usages: usages, cost: c.cost, category: c.category, overGrade: c.overGrade,
                                           weight: c.weight, tags: c.tags.sorted(), coefficients: coefficients[i] ?? [])
            let g: Int
            if let found = index[signature] {
                g = found
            } else {
                g = list.count
                index[signature] = g
                var group = Group()
                group.classes = taken
                let size = taken.map { classes.members[$0].count }.min() ?? 1
                switch need.rule {
                case .exactly(let n): group.units = max(1, min(size, n))
                case .cover: group.units = max(1, size)
                }
                list.append(group)
            }
            list[g].candidates.append(i)
            let key = c.assigned.sorted()
            if list[g].byMembers[key] == nil { list[g].byMembers[key] = i }
        }
        for g in list.indices { list[g].units = min(list[g].units, list[g].candidates.count) }
        return list
    }

    // MARK: Distinct needs

    private func addDistinctRows(_ m: inout LinearModel) {
        var visitLevel: [Int: [Int]] = [:]
        for (b, other) in problem.needs.enumerated() where other.id.segment == nil { visitLevel[other.id.visit, default: []].append(b) }
        for (a, need) in problem.needs.enumerated() where !need.distinctFrom.isEmpty {
            for b in visitLevel[need.id.visit] ?? [] where b != a && need.distinctFrom.contains(problem.needs[b].id.key) {
                var byClass: [Int: [(Int, Double)]] = [:]
                var most: [Int: Int] = [:]
                var inA = Set<Int>(), inB = Set<Int>()
                for g in groups[b] { for k in g.classes { byClass[k, default: []].append((g.column, 1)); most[k, default: 0] += g.units; inB.insert(k) } }
                for g in groups[a] { for k in g.classes where inB.contains(k) { byClass[k, default: []].append((g.column, 1)); most[k, default: 0] += g.units; inA.insert(k) } }
                for k in inA.sorted() where (most[k] ?? 0) > classes.members[k].count {
                    m.addRow("distinct_\(Formulation.name(of: need.id, in: problem))_\(classes.members[k][0].id)", byClass[k] ?? [],
                             upper: Double(classes.members[k].count))
                }
            }
        }
    }

    // MARK: Conflicts

    /// The most units of the class an occupation can take at once.
    private func most(_ o: Occupation, _ upper: (Int) -> Double) -> Double {
        let sum = o.terms.reduce(0.0) { $0 + upper($1.column) }
        switch problem.needs[o.need].rule {
        case .exactly(let n): return min(sum, Double(n))
        case .cover: return sum
        }
    }

    private mutating func addConflictRows(_ k: Int, _ m: inout LinearModel) {
        guard let first = classes.members[k].first, let resource = problem.resources[first] else { return }
        let list = occupations[k]
        let size = Double(classes.members[k].count)
        let tag = "\(first.kind)_\(first.id)"
        let columns = m.columns
        let upper = { (c: Int) in columns[c].upper ?? 1 }
        switch resource.sharing {
        case .exclusive(let turnover):
            let padded = list.map { TimeSpan($0.span.start, Int((Double($0.span.end) + turnover).rounded(.up))) }
            for (n, clique) in Formulation.maximalCliques(padded).enumerated() {
                let peak = clique.reduce(0.0) { $0 + most(list[$1], upper) }
                guard peak > size + 1e-9 else { continue }
                m.addRow("busy_\(tag)_\(n)", clique.flatMap { list[$0].terms.map { ($0.column, 1.0) } }, upper: size)
            }
            addSpreadCliqueRows(list, padded: padded, size: size, tag: tag, upper: upper, &m)
        case .capacity(let capacity):
            Formulation.addCapacityRows(list.map(\.span), list.map(\.terms), capacity: capacity, tag: tag, &m)
        case .mobile:
            networks[k] = TypedFormulation.network(list, size: size, travel: problem.day.travel, tag: tag, &m)
        case .consumable(let stock):
            Formulation.addStockRow(list.map(\.terms), stock: stock, tag: tag, &m)
        }
        if let budget = resource.minuteBudget {
            // One row per day: uses count on the day they start.
            let days = Dictionary(grouping: list, by: \.span.day)
            for dayNumber in days.keys.sorted() {
                let terms = (days[dayNumber] ?? []).flatMap { $0.terms.filter { $0.budget > 0 } }
                let worst = terms.reduce(0.0) { $0 + Double($1.budget) * upper($1.column) }
                if worst > budget * size {
                    m.addRow("budget_\(tag)" + (dayNumber == 1 ? "" : "_day\(dayNumber)"), terms.map { ($0.column, Double($0.budget)) }, upper: budget * size)
                }
            }
        }
    }

    /// Needs that hold one member over several spans (a host over several segments)
    /// clash when any two of their spans do, so a set of them that pairwise clash
    /// takes as many members as needs although no single time sees them all: three
    /// such hosts with two members fit every time-point row and still cannot be
    /// given members. For each such need, a greedy maximal set of needs that pairwise
    /// clash with it gets a row bounding its units by the class's size, unless they are
    /// all busy at one time (that time's row bounds them). Only needs whose every
    /// group takes the class over all of the need's spans count.
    private func addSpreadCliqueRows(_ list: [Occupation], padded: [TimeSpan], size: Double, tag: String,
                                     upper: (Int) -> Double, _ m: inout LinearModel) {
        var spansOf: [Int: [TimeSpan]] = [:]
        var columnsOf: [Int: Set<Int>] = [:]
        var uniform = Set<Int>()
        for (o, occupation) in list.enumerated() {
            let columns = Set(occupation.terms.map(\.column))
            if let known = columnsOf[occupation.need] {
                if known != columns { uniform.remove(occupation.need) }
            } else {
                columnsOf[occupation.need] = columns
                uniform.insert(occupation.need)
            }
            spansOf[occupation.need, default: []].append(padded[o])
        }
        let spread = uniform.filter { (spansOf[$0]?.count ?? 0) > 1 }.sorted()
        guard !spread.isEmpty else { return }
        func clash(_ a: Int, _ b: Int) -> Bool {
            guard let sa = spansOf[a], let sb = spansOf[b] else { return false }
            for x in sa { for y in sb where x.overlaps(y) { return true } }
            return false
        }
        // Every span of the uniform needs by start, to find a need's neighbours without
        // comparing it with every other need (a 1000-visit day has thousands).
        let entries = uniform.flatMap { j in (spansOf[j] ?? []).map { (span: $0, need: j) } }
            .sorted { ($0.span.start, $0.need) < ($1.span.start, $1.need) }
        let starts = entries.map(\.span.start)
        func neighbours(_ a: Int) -> [Int] {
            var found = Set<Int>()
            for x in spansOf[a] ?? [] {
                // Entries starting before x ends; those among them ending after x starts overlap.
                var low = 0, high = starts.count
                while low < high { let mid = (low + high) / 2; if starts[mid] < x.end { low = mid + 1 } else { high = mid } }
                for e in entries[..<low] where e.span.end > x.start && e.need != a { found.insert(e.need) }
            }
            return found.sorted()
        }
        var seen = Set<[Int]>()
        // Comparisons allowed per class: a type whose needs all overlap (staff over whole
        // visits on a 1000-visit day) would otherwise take minutes for rows that the
        // time-point rows mostly imply.
        var work = 0
        for a in spread {
            guard work < TypedFormulation.spreadWork else { break }
            var clique = [a]
            for b in neighbours(a) {
                work += clique.count
                if clique.allSatisfy({ clash($0, b) }) { clique.append(b) }
            }
            clique.sort()
            guard clique.count > 2, seen.insert(clique).inserted else { continue }
            // Needs busy together at one time are bounded by that time's row already.
            let starts = clique.flatMap { (spansOf[$0] ?? []).map(\.start) }
            let together = starts.contains { t in
                clique.allSatisfy { j in (spansOf[j] ?? []).contains { $0.start <= t && t < $0.end } }
            }
            guard !together else { continue }
            let units = clique.map { j in (columnsOf[j] ?? []).reduce(0.0) { $0 + upper($1) } }
            let peak = zip(clique, units).reduce(0.0) { total, pair in
                switch problem.needs[pair.0].rule {
                case .exactly(let n): return total + min(pair.1, Double(n))
                case .cover: return total + pair.1
                }
            }
            guard peak > size + 1e-9 else { continue }
            m.addRow("spread_\(tag)_\(seen.count)", clique.flatMap { j in (columnsOf[j] ?? []).sorted().map { ($0, 1.0) } }, upper: size)
        }
    }

    /// Need comparisons the spread rows of one class may take.
    static let spreadWork = 2_000_000

    private static func network(_ list: [Occupation], size: Double, travel: TravelTable, tag: String, _ m: inout LinearModel) -> Network {
        var net = Network()
        var locationIndex: [String: Int] = [:]
        var timeSets: [Set<Int>] = []
        func location(_ name: String) -> Int {
            if let l = locationIndex[name] { return l }
            locationIndex[name] = net.locations.count
            net.locations.append(name)
            timeSets.append([])
            return net.locations.count - 1
        }
        for o in list {
            timeSets[location(o.from)].insert(o.span.start)
            timeSets[location(o.to)].insert(o.span.end)
        }
        // Places are ordered by name so the model does not depend on the order of needs.
        let byName = net.locations.indices.sorted { net.locations[$0] < net.locations[$1] }
        net.locations = byName.map { net.locations[$0] }
        timeSets = byName.map { timeSets[$0] }
        for (l, name) in net.locations.enumerated() { locationIndex[name] = l }
        var rows: [[(Int, Double)]] = []
        for (l, set) in timeSets.enumerated() {
            let times = set.sorted()
            net.times.append(times)
            var map: [Int: Int] = [:]
            for t in times {
                map[t] = net.nodes.count
                net.nodes.append((l, t))
                rows.append([])
            }
            net.nodeOf.append(map)
        }
        net.waits = Array(repeating: nil, count: net.nodes.count)
        for (o, occupation) in list.enumerated() {
            guard let lf = locationIndex[occupation.from], let lt = locationIndex[occupation.to],
                  let a = net.nodeOf[lf][occupation.span.start], let b = net.nodeOf[lt][occupation.span.end] else { continue }
            net.departures[a, default: []].append(o)
            net.arrivals[b, default: []].append(o)
            for term in occupation.terms {
                rows[a].append((term.column, -1))
                rows[b].append((term.column, 1))
            }
        }
        var fleet: [(Int, Double)] = []
        for (l, times) in net.times.enumerated() {
            guard let firstTime = times.first, let lastTime = times.last,
                  let firstNode = net.nodeOf[l][firstTime], let lastNode = net.nodeOf[l][lastTime] else { continue }
            let s = m.addColumn("start_\(tag)_\(l)", kind: .continuous, upper: size, objective: 0)
            let e = m.addColumn("end_\(tag)_\(l)", kind: .continuous, upper: size, objective: 0)
            net.starts.append(s)
            net.ends.append(e)
            rows[firstNode].append((s, 1))
            rows[lastNode].append((e, -1))
            fleet.append((s, 1))
            for (p, t) in times.enumerated().dropLast() {
                guard let from = net.nodeOf[l][t], let to = net.nodeOf[l][times[p + 1]] else { continue }
                let w = m.addColumn("wait_\(tag)_\(from)", kind: .continuous, upper: size, objective: 0)
                net.waits[from] = w
                rows[from].append((w, -1))
                rows[to].append((w, 1))
            }
        }
        // Empty drives leave when a transfer arrives and reach the first node of the
        // other place at or after the arrival time plus the travel time.
        for node in net.arrivals.keys.sorted() {
            let (l, t) = net.nodes[node]
            for (l2, times) in net.times.enumerated() where l2 != l {
                guard let minutes = travel.minutes(from: net.locations[l], to: net.locations[l2]) else { continue }
                let earliest = t + minutes
                guard let p = firstIndex(in: times, atLeast: earliest), let target = net.nodeOf[l2][times[p]] else { continue }
                let d = m.addColumn("empty_\(tag)_\(node)_\(l2)", kind: .continuous, upper: size, objective: 0)
                net.deadheadOf[node, default: [:]][l2] = net.deadheads.count
                net.deadheads.append((node, target, d))
                rows[node].append((d, -1))
                rows[target].append((d, 1))
            }
        }
        for (n, terms) in rows.enumerated() {
            m.addRow("flow_\(tag)_\(n)", terms, lower: 0, upper: 0)
        }
        m.addRow("fleet_\(tag)", fleet, upper: size)
        return net
    }

    private static func firstIndex(in sorted: [Int], atLeast value: Int) -> Int? {
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] < value { lo = mid + 1 } else { hi = mid }
        }
        return lo < sorted.count ? lo : nil
    }

    // MARK: Costs, caps, day budget

    /// Overrun columns and cap rows for each visit's capped categories and the day
    /// budget, over `columns[need]`: each column with the candidate whose cost it carries.
    static func addCostRows(_ problem: Problem, _ columns: [[(column: Int, candidate: Int)]], _ m: inout LinearModel)
        -> (overruns: [(visit: Int, category: String, column: Int)], days: [(day: Int, column: Int)]) {
        var overruns: [(visit: Int, category: String, column: Int)] = []
        var dayColumns: [(day: Int, column: Int)] = []
        let weights = problem.day.policy.weights
        let days = problem.day.days
        var spend: [Int: [String: [(Int, Double)]]] = [:]
        var worst: [Int: [String: Double]] = [:]
        // Spend and the most it can reach, by programme day (index 0 unused).
        var total = [[(Int, Double)]](repeating: [], count: days + 1)
        var worstTotal = [Double](repeating: 0, count: days + 1)
        for (j, need) in problem.needs.enumerated() where !columns[j].isEmpty {
            let costs = need.candidates.indices.map { problem.costByDay(of: $0, in: need) }
            // Only the days the need's costs fall on (one, for most needs), not every day of a long programme.
            for k in Set(costs.flatMap { $0.map(\.day) }).sorted() where worstTotal.indices.contains(k) {
                let onDay = costs.map { $0.reduce(0.0) { $0 + ($1.day == k ? $1.amount : 0) } }
                switch need.rule {
                case .exactly(let n): worstTotal[k] += onDay.sorted(by: >).prefix(n).reduce(0, +)
                case .cover: worstTotal[k] += onDay.reduce(0, +)
                }
            }
            for (column, i) in columns[j] {
                let c = need.candidates[i]
                guard c.cost != 0 else { continue }
                for part in costs[i] where part.amount != 0 && total.indices.contains(part.day) { total[part.day].append((column, part.amount)) }
                if let category = c.category { spend[need.id.visit, default: [:]][category, default: []].append((column, c.cost)) }
            }
            for category in Set(need.candidates.compactMap(\.category)) {
                let inCategory = need.candidates.filter { $0.category == category }.map(\.cost)
                let most: Double
                switch need.rule {
                case .exactly(let n): most = inCategory.sorted(by: >).prefix(n).reduce(0, +)
                case .cover: most = inCategory.reduce(0, +)
                }
                worst[need.id.visit, default: [:]][category, default: 0] += most
            }
        }
        for visit in problem.day.visits {
            for category in problem.categories {
                guard let cap = problem.cap(visit: visit, category: category),
                      let terms = spend[visit.index]?[category], (worst[visit.index]?[category] ?? 0) > cap + 1e-9 else { continue }
                let o = m.addColumn("overrun_\(visit.id)_\(category)", kind: .continuous, objective: weights.overrun)
                m.addRow("cap_\(visit.id)_\(category)", terms + [(o, -1)], upper: cap)
                overruns.append((visit.index, category, o))
            }
        }
        if let budget = problem.day.policy.dayBudget {
            // One budget row per day (§9); a one-day file keeps its row's name.
            for k in 1...days where worstTotal[k] > budget + 1e-9 {
                let suffix = days == 1 ? "" : "_\(k)"
                let o = m.addColumn("overrun_day" + suffix, kind: .continuous, objective: weights.overrun)
                m.addRow("day_budget" + suffix, total[k] + [(o, -1)], upper: budget)
                dayColumns.append((k, o))
            }
        }
        return (overruns, dayColumns)
    }

    /// Each day's spend of a selection, by programme day (index 0 unused), as the
    /// day-budget rows count it.
    static func daySpend(of selection: Selection, in problem: Problem) -> [Double] {
        var spend = [Double](repeating: 0, count: problem.day.days + 1)
        for (j, chosen) in selection.chosen.enumerated() {
            for i in chosen ?? [] {
                for part in problem.costByDay(of: i, in: problem.needs[j]) where spend.indices.contains(part.day) { spend[part.day] += part.amount }
            }
        }
        return spend
    }
}
