import SchedulingCore

/// What a solution of the typed model means for the plan.
public struct DecodedSelection: Sendable {
    /// The needs' choices among their original candidates.
    public var selection: Selection
    /// Needs whose units could not all be given to members and were left unmet;
    /// empty when the selection is exactly the model's solution.
    public var unplaced: [Int]
    /// The classes whose units could not all be given to members.
    public var failedClasses: Set<Int> = []

    /// Whether every unit was given a member: the selection is the model's solution.
    public var isExact: Bool { unplaced.isEmpty }
}

extension TypedFormulation {
    /// Gives members back to the units of a solution: first-fit by start time for
    /// exclusive classes (exact for single spans: interval graphs are perfect), a
    /// walk along the time-space network's flow for mobile ones. Every member's
    /// uses are then checked against the individual rules (travel between every
    /// two transfers, minute budgets, overlaps); a unit that no member can take
    /// leaves its need unmet.
    public func decode(_ values: [Double]) -> DecodedSelection {
        var given: [Int: [Int: [ResourceKey]]] = [:]   // column -> class -> members, one per unit
        var failed = Set<Int>()                          // needs
        var failedClasses = Set<Int>()
        let count = { (column: Int) in max(0, Int(values[column].rounded())) }
        let unitsOf = units(in: values)
        let related = relatedNeeds()
        for k in classes.members.indices where !unitsOf[k].isEmpty {
            guard let first = classes.members[k].first, let resource = problem.resources[first] else { continue }
            let units = unitsOf[k]
            var placement = Placement(members: classes.members[k], rule: resource, travel: problem.day.travel)
            if placement.mobile, let net = networks[k] {
                placement.follow(net, units: units, values: values, occupations: occupations[k])
            }
            placement.placeRest(units, related: related)
            for (u, unit) in units.enumerated() {
                guard let member = placement.memberOf[u] else { failed.insert(unit.need); failedClasses.insert(k); continue }
                given[unit.column, default: [:]][k, default: []].append(member)
            }
        }
        var chosen: [[Int]?] = []
        for (j, list) in groups.enumerated() {
            if neverMeetable[j] { chosen.append(nil); continue }
            guard let u = unmetColumns[j] else { chosen.append([]); continue }
            if values[u] > 0.5 || failed.contains(j) { chosen.append(nil); continue }
            var picked: [Int] = []
            for g in list {
                for t in 0..<count(g.column) {
                    let members = g.classes.compactMap { given[g.column]?[$0]?[safe: t] }
                    guard members.count == g.classes.count, let i = g.byMembers[members.sorted()] else { failed.insert(j); continue }
                    picked.append(i)
                }
            }
            chosen.append(failed.contains(j) ? nil : picked.sorted())
        }
        return DecodedSelection(selection: Selection(chosen: chosen), unplaced: failed.sorted(), failedClasses: failedClasses)
    }

    /// Each class's units in a solution: one per member a column's count asks of it,
    /// for the needs the solution meets.
    func units(in values: [Double]) -> [[Unit]] {
        let count = { (column: Int) in max(0, Int(values[column].rounded())) }
        var unitsOf: [[Unit]] = Array(repeating: [], count: classes.members.count)
        for (j, list) in groups.enumerated() where unmetColumns[j].map({ values[$0] < 0.5 }) ?? false {
            for g in list where count(g.column) > 0 {
                let c = problem.needs[j].candidates[g.candidates[0]]
                for k in g.classes {
                    let uses = c.usages.filter { classes.classOf[$0.resource] == k }
                    for t in 0..<count(g.column) { unitsOf[k].append(Unit(need: j, column: g.column, index: t, uses: uses)) }
                }
            }
        }
        return unitsOf
    }

    /// For need `j`: itself and the needs of its visit that must take other members.
    func relatedNeeds() -> @Sendable (Int) -> [Int] {
        let needs = problem.needs
        return { [needsOfVisit] j in
            let need = needs[j]
            return (needsOfVisit[need.id.visit] ?? []).filter { b in
                b == j || need.distinctFrom.contains(needs[b].id.key) || needs[b].distinctFrom.contains(need.id.key)
            }
        }
    }

    /// Sets of columns that no plan can all take, found in a solution whose units of an
    /// exclusive class cannot all be given to members: for each such class whose
    /// units are one per column, a set proven unplaceable by the exact search and
    /// minimal (without any one of its units the rest fit). For every plan,
    /// `Σ y ≤ size − 1` over a set holds, so these are lazy rows for the search:
    /// hosts over several segments that clash in odd cycles pass every clique row.
    /// Empty when the solution's group columns are not all integral, or it can be
    /// given back.
    public func unplaceableSets(_ values: [Double]) -> [[Int]] {
        for list in groups {
            for g in list where abs(values[g.column] - values[g.column].rounded()) > 1e-6 { return [] }
        }
        let unitsOf = units(in: values)
        let related = relatedNeeds()
        var sets: [[Int]] = []
        for k in classes.members.indices where !unitsOf[k].isEmpty {
            guard let first = classes.members[k].first, let resource = problem.resources[first],
                  case .exclusive = resource.sharing else { continue }
            let units = unitsOf[k]
            // One unit per column, so that a set of units is a set of columns.
            guard Set(units.map(\.column)).count == units.count else { continue }
            let fresh = { Placement(members: self.classes.members[k], rule: resource, travel: self.problem.day.travel) }
            // Proven unplaceable (first fit failed and the exact search that follows it
            // did not merely stop at its limit), then shrunk.
            var whole = fresh()
            whole.placeRest(units, related: related)
            guard units.indices.contains(where: { whole.memberOf[$0] == nil }), !whole.gaveUp else { continue }
            let unplaceable = { (subset: [Unit]) -> Bool in
                var placement = fresh()
                return !placement.placeExactly(subset, related: related) && !placement.gaveUp
            }
            var kept = units
            var i = 0
            while i < kept.count {
                var without = kept
                without.remove(at: i)
                if unplaceable(without) { kept = without } else { i += 1 }
            }
            sets.append(kept.map(\.column).sorted())
        }
        return sets
    }

    /// Each need's candidates scored by an LP solution: the units its group takes.
    public func guide(_ values: [Double]) -> [[Double]] {
        problem.needs.indices.map { j in
            var scores = [Double](repeating: 0, count: problem.needs[j].candidates.count)
            for g in groups[j] where g.column < values.count {
                for i in g.candidates { scores[i] = values[g.column] }
            }
            return scores
        }
    }

    /// The column values of a selection of original candidates (network flows and
    /// overruns included), for a solver's first incumbent; `nil` when it breaks a row.
    public func startValues(for selection: Selection) -> [Double]? {
        guard selection.chosen.count == groups.count else { return nil }
        var values = [Double](repeating: 0, count: model.columns.count)
        var spend: [Int: [String: Double]] = [:]
        var schedule: [ResourceKey: [Usage]] = [:]
        for (j, chosen) in selection.chosen.enumerated() {
            guard let chosen else {
                if let u = unmetColumns[j] { values[u] = 1 }
                continue
            }
            guard !neverMeetable[j] else { return nil }
            if chosen.isEmpty { continue }
            var groupOf: [Int: Int] = [:]
            for g in groups[j] { for i in g.candidates { groupOf[i] = g.column } }
            for i in chosen {
                guard let column = groupOf[i] else { return nil }
                values[column] += 1
                let c = problem.needs[j].candidates[i]
                if let category = c.category { spend[problem.needs[j].id.visit, default: [:]][category, default: 0] += c.cost }
                for usage in c.usages where problem.resources[usage.resource]?.sharing == .mobile {
                    schedule[usage.resource, default: []].append(usage)
                }
            }
        }
        for k in classes.members.indices {
            guard let net = networks[k] else { continue }
            for member in classes.members[k] {
                guard let uses = schedule[member]?.sorted(by: { $0.span.start < $1.span.start }), !uses.isEmpty else { continue }
                guard net.route(uses, into: &values) else { return nil }
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
}

/// One unit of a class that a solution takes: one member is to be given to it.
struct Unit {
    var need: Int
    var column: Int
    var index: Int
    var uses: [Usage]
}

/// Gives members of one class to units, keeping every member's uses valid.
struct Placement {
    let members: [ResourceKey]
    /// The class's members' declaration (one for all): its rule of sharing and minute budget.
    let rule: ResourceDeclaration
    let travel: TravelTable
    /// Shared and consumable classes have one member and their rows are exact:
    /// their units need no placement.
    var free: Bool {
        switch rule.sharing {
        case .capacity, .consumable: return true
        case .exclusive, .mobile: return false
        }
    }
    var mobile: Bool { rule.sharing == .mobile }
    var budget: Double? { free ? nil : rule.minuteBudget }
    var memberOf: [Int: ResourceKey] = [:]
    /// Whether the last ``placeExactly(_:related:)`` (also the one ``placeRest(_:related:)``
    /// ends with) stopped at ``searchLimit`` rather than proving that no placement exists.
    private(set) var gaveUp = false
    private var uses: [ResourceKey: [(unit: Int, usage: Usage)]] = [:]
    /// Budgeted minutes each member has taken, by the day they count on.
    private var minutes: [ResourceKey: [Int: Int]] = [:]

    init(members: [ResourceKey], rule: ResourceDeclaration, travel: TravelTable) {
        self.members = members
        self.rule = rule
        self.travel = travel
    }

    /// Whether `member` can take `usage` besides its uses so far.
    func fits(_ member: ResourceKey, _ usage: Usage) -> Bool {
        if let budget, Double((minutes[member]?[usage.span.day] ?? 0) + usage.budgetMinutes) > budget + 1e-9 { return false }
        for (_, other) in uses[member] ?? [] where !compatible(other, usage) { return false }
        return true
    }

    private func compatible(_ a: Usage, _ b: Usage) -> Bool {
        rule.allowsBoth(a, b, travel: travel)
    }

    mutating func give(_ member: ResourceKey, _ u: Int, _ unit: Unit) {
        memberOf[u] = member
        for usage in unit.uses {
            uses[member, default: []].append((u, usage))
            minutes[member, default: [:]][usage.span.day, default: 0] += usage.budgetMinutes
        }
    }

    /// Takes unit `u` back from its member.
    mutating func takeBack(_ u: Int, _ unit: Unit) {
        guard let member = memberOf[u] else { return }
        memberOf[u] = nil
        uses[member]?.removeAll { $0.unit == u }
        for usage in unit.uses { minutes[member, default: [:]][usage.span.day, default: 0] -= usage.budgetMinutes }
    }

    /// Units on `member` that `unit` cannot share it with.
    private func blockers(of unit: Unit, on member: ResourceKey) -> [Int] {
        var found: [Int] = []
        for entry in uses[member] ?? [] where !found.contains(entry.unit) {
            if unit.uses.contains(where: { !compatible(entry.usage, $0) }) { found.append(entry.unit) }
        }
        return found
    }

    /// Walks the mobile network node by node in time order, moving members along
    /// the arcs that carry flow; each departing unit takes a present member, the
    /// one with the fewest budgeted minutes first. Units it cannot serve are left
    /// to ``placeRest(_:related:)``.
    mutating func follow(_ net: TypedFormulation.Network, units: [Unit], values: [Double], occupations: [TypedFormulation.Occupation]) {
        let count = { (column: Int) in max(0, Int(values[column].rounded())) }
        var unitsOf: [Int: [Int]] = [:]   // column -> unit indices
        for (u, unit) in units.enumerated() { unitsOf[unit.column, default: []].append(u) }
        var inbox: [Int: [ResourceKey]] = [:]
        var pool = members[...]
        var startOf: [Int: Int] = [:]
        for (l, times) in net.times.enumerated() {
            if let t = times.first, let node = net.nodeOf[l][t], l < net.starts.count { startOf[node] = net.starts[l] }
        }
        var outOf: [Int: [Int]] = [:]     // node -> deadhead indices
        for (d, arc) in net.deadheads.enumerated() { outOf[arc.from, default: []].append(d) }
        let order = net.nodes.indices.sorted { (net.nodes[$0].time, net.nodes[$0].location) < (net.nodes[$1].time, net.nodes[$1].location) }
        for node in order {
            var present = inbox[node] ?? []
            inbox[node] = nil
            if let s = startOf[node] {
                for _ in 0..<count(s) { if let member = pool.popFirst() { present.append(member) } }
            }
            for o in net.departures[node] ?? [] {
                for term in occupations[o].terms {
                    for u in unitsOf[term.column] ?? [] where memberOf[u] == nil {
                        guard let usage = units[u].uses.first, usage.span.start == occupations[o].span.start else { continue }
                        let ranked = present.indices.filter { fits(present[$0], usage) }
                            .sorted { (minutes[present[$0]]?[usage.span.day] ?? 0, $0) < (minutes[present[$1]]?[usage.span.day] ?? 0, $1) }
                        guard let p = ranked.first else { continue }
                        let member = present.remove(at: p)
                        give(member, u, units[u])
                        if let l = net.locationIndex(occupations[o].to), let to = net.nodeOf[l][occupations[o].span.end] {
                            inbox[to, default: []].append(member)
                        }
                    }
                }
            }
            for d in outOf[node] ?? [] {
                for _ in 0..<count(net.deadheads[d].column) where !present.isEmpty {
                    inbox[net.deadheads[d].to, default: []].append(present.removeFirst())
                }
            }
            if net.waits[node] != nil, let next = net.next(after: node) {
                inbox[next, default: []].append(contentsOf: present)
            }
        }
    }

    /// Places every unit still without a member: in start order, the first member
    /// whose uses it fits and that no related unit of the same visit holds.
    /// `related(j)` lists need `j` and the needs of its visit that must take other members.
    mutating func placeRest(_ units: [Unit], related: (Int) -> [Int]) {
        let order = units.indices.filter { memberOf[$0] == nil }.sorted {
            let a = units[$0].uses.map(\.span.start).min() ?? Int.max, b = units[$1].uses.map(\.span.start).min() ?? Int.max
            return (a, units[$0].need, units[$0].index) < (b, units[$1].need, units[$1].index)
        }
        var heldBy: [Int: Set<ResourceKey>] = [:]   // need -> members
        for (u, member) in memberOf { heldBy[units[u].need, default: []].insert(member) }
        func taken(_ unit: Unit) -> Set<ResourceKey> {
            related(unit.need).reduce(into: Set<ResourceKey>()) { $0.formUnion(heldBy[$1] ?? []) }
        }
        func place(_ u: Int, avoiding avoided: ResourceKey? = nil) -> Bool {
            let unit = units[u]
            let excluded = taken(unit)
            guard let member = members.first(where: { m in
                m != avoided && !excluded.contains(m) && (free || unit.uses.allSatisfy { fits(m, $0) })
            }) else { return false }
            give(member, u, unit)
            heldBy[unit.need, default: []].insert(member)
            return true
        }
        func release(_ u: Int) {
            guard let member = memberOf[u] else { return }
            heldBy[units[u].need]?.remove(member)
            takeBack(u, units[u])
        }
        var stuck: [Int] = []
        for u in order where !place(u) { stuck.append(u) }
        // A unit with several spans (a host over several segments) can miss every
        // member although the counts allow it: move the few units in its way on
        // some member to other members, or put everything back.
        for u in stuck {
            let unit = units[u]
            let excluded = taken(unit)
            for m in members where !excluded.contains(m) {
                let blocking = blockers(of: unit, on: m)
                guard !blocking.isEmpty, blocking.count <= 3 else { continue }
                for b in blocking { release(b) }
                var moved: [Int] = []
                if !free, unit.uses.allSatisfy({ fits(m, $0) }) {
                    give(m, u, unit)
                    heldBy[unit.need, default: []].insert(m)
                    for b in blocking where place(b, avoiding: m) { moved.append(b) }
                    if moved.count == blocking.count { break }
                    release(u)
                }
                for b in moved { release(b) }
                for b in blocking {
                    give(m, b, units[b])
                    heldBy[units[b].need, default: []].insert(m)
                }
            }
        }
        if !free, !mobile, units.indices.contains(where: { memberOf[$0] == nil }) {
            let greedy = self
            if !placeExactly(units, related: related) {
                let stopped = gaveUp
                self = greedy
                gaveUp = stopped
            }
        }
    }

    /// Gives every unit a member by a depth-first search, or returns `false` (with
    /// nothing placed) when there is none within ``searchLimit`` members tried. The unit
    /// with the fewest members left goes first; members without any use yet are
    /// interchangeable, so only one of them is tried. For exclusive classes whose
    /// units span several times (a host over several segments), where first fit
    /// and the ejections above can fail although the counts allow a placement.
    mutating func placeExactly(_ units: [Unit], related: (Int) -> [Int]) -> Bool {
        for u in units.indices { takeBack(u, units[u]) }
        var heldBy: [Int: [ResourceKey: Int]] = [:]   // need -> members and how many of its units each holds
        var work = 0
        func options(_ u: Int) -> [ResourceKey] {
            work += members.count
            let unit = units[u]
            let excluded = related(unit.need).reduce(into: Set<ResourceKey>()) { set, j in
                for (m, n) in heldBy[j] ?? [:] where n > 0 { set.insert(m) }
            }
            var found: [ResourceKey] = []
            var triedIdle = false
            for m in members where !excluded.contains(m) {
                let idle = (uses[m] ?? []).isEmpty
                if idle && triedIdle { continue }
                if unit.uses.allSatisfy({ fits(m, $0) }) {
                    found.append(m)
                    if idle { triedIdle = true }
                }
            }
            return found
        }
        gaveUp = false
        func search(_ left: Set<Int>) -> Bool {
            guard !left.isEmpty else { return true }
            guard work <= Placement.searchLimit else {
                gaveUp = true
                return false
            }
            var pick = -1
            var pickOptions: [ResourceKey] = []
            for u in left.sorted() {
                let o = options(u)
                if pick < 0 || o.count < pickOptions.count { (pick, pickOptions) = (u, o) }
                if o.isEmpty { return false }
            }
            for m in pickOptions {
                give(m, pick, units[pick])
                heldBy[units[pick].need, default: [:]][m, default: 0] += 1
                if search(left.subtracting([pick])) { return true }
                heldBy[units[pick].need, default: [:]][m, default: 0] -= 1
                takeBack(pick, units[pick])
            }
            return false
        }
        return search(Set(units.indices))
    }

    /// Members the exact placement may try for units, in all: a decode can call it
    /// for several types, and windows decode every better solution.
    static let searchLimit = 200_000
}

extension TypedFormulation.Network {
    func locationIndex(_ name: String) -> Int? { locations.firstIndex(of: name) }

    /// The next node of the same place.
    func next(after node: Int) -> Int? {
        let (l, t) = nodes[node]
        guard let p = times[l].firstIndex(of: t), p + 1 < times[l].count else { return nil }
        return nodeOf[l][times[l][p + 1]]
    }

    /// Adds one member's route through its transfers (in start order) to `values`.
    func route(_ uses: [Usage], into values: inout [Double]) -> Bool {
        guard let first = uses.first, let l0 = locationIndex(first.from ?? ""), let t0 = times[l0].first,
              var node = nodeOf[l0][t0], l0 < starts.count else { return false }
        values[starts[l0]] += 1
        func wait(to target: Int) -> Bool {
            while node != target {
                guard let w = waits[node], let n = next(after: node) else { return false }
                values[w] += 1
                node = n
            }
            return true
        }
        for use in uses {
            guard let l = locationIndex(use.from ?? ""), let depart = nodeOf[l][use.span.start] else { return false }
            if nodes[node].location != l {
                guard let d = deadheadOf[node]?[l] else { return false }
                values[deadheads[d].column] += 1
                node = deadheads[d].to
            }
            guard nodes[node].time <= use.span.start, wait(to: depart) else { return false }
            guard let lt = locationIndex(use.to ?? ""), let arrive = nodeOf[lt][use.span.end] else { return false }
            node = arrive
        }
        let l = nodes[node].location
        guard let lastTime = times[l].last, let last = nodeOf[l][lastTime], wait(to: last), l < ends.count else { return false }
        values[ends[l]] += 1
        return true
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
