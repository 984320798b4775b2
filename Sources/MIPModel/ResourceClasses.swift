import SchedulingCore

/// Resources that no plan can tell apart, found from the plugins' declarations
/// alone: two resources of one kind are *interchangeable* when swapping them
/// maps every need's candidates onto candidates with the same cost, grade,
/// weight, tags, side-rule coefficients and usages. A day's rooms of one size
/// class, its sedans of one grade or its staff of one rank and department
/// usually are.
///
/// The typed formulation gives a class of `k` interchangeable resources one
/// column per need and class instead of one per resource, and `k` as the
/// right-hand side of its conflict rows; individual resources are given back
/// to the plan afterwards (``TypedFormulation``).
///
/// Only exclusive and mobile resources are grouped: a shared room's capacity or a
/// consumable's stock does not add up across identical items in general (two
/// rooms of 20 seats do not seat one group of 30).
public struct ResourceClasses: Sendable {
    /// The members of each class, sorted; the first is the class's name in the model.
    public private(set) var members: [[ResourceKey]] = []
    /// The class of each resource.
    public private(set) var classOf: [ResourceKey: Int] = [:]

    /// Classes of one resource each: the individual formulation's view.
    public static func singletons(_ problem: Problem) -> ResourceClasses {
        var classes = ResourceClasses()
        for key in problem.resources.keys.sorted() { classes.append([key]) }
        return classes
    }

    /// The interchangeable classes of `problem`'s resources.
    public init(_ problem: Problem) {
        // Each resource's incidences: what every candidate that assigns it looks like,
        // with the resource itself left out and every other resource named.
        // Each distinct incidence is hashed once and named by a number; a resource's
        // signature is the sorted list of its incidences' numbers (a multiset, so two
        // resources are interchangeable exactly when their lists are equal). Measured
        // at 1000 visits: sorting and hashing the incidences themselves per resource
        // took most of the 16 s this initialiser spent.
        var numbers: [Incidence: Int] = [:]
        var incidences: [ResourceKey: [Int]] = [:]
        var unsplittable = Set<ResourceKey>()
        for (j, need) in problem.needs.enumerated() {
            let coefficients = need.constraintCoefficients
            // A replan tells apart the resources of a need's earlier value (§10).
            let earlier = Set(problem.replanning?.earlierCandidates[j] ?? [])
            for (i, c) in need.candidates.enumerated() {
                let tags = c.tags.sorted()
                for key in c.assigned {
                    let own = c.usages.filter { $0.resource == key }.map(UsageShape.init).sorted()
                    if problem.resources[key]?.sharing == .mobile, own.count > 1 { unsplittable.insert(key) }
                    let others = c.usages.filter { $0.resource != key }.map { OtherUsage(resource: $0.resource, shape: UsageShape($0)) }.sorted()
                    let incidence = Incidence(
                        need: j, cost: c.cost, category: c.category, overGrade: c.overGrade, weight: c.weight, tags: tags,
                        own: own, others: c.assigned.filter { $0 != key }.sorted(), otherUsages: others,
                        coefficients: coefficients[i] ?? [], earlier: earlier.contains(i))
                    let number = numbers[incidence] ?? numbers.count
                    if number == numbers.count { numbers[incidence] = number }
                    incidences[key, default: []].append(number)
                }
            }
        }
        var groups: [GroupKey: [ResourceKey]] = [:]
        var order: [GroupKey] = []
        for key in problem.resources.keys.sorted() {
            guard let declaration = problem.resources[key] else { continue }
            let groupable: Bool
            switch declaration.sharing {
            case .exclusive, .mobile: groupable = !unsplittable.contains(key)
            case .capacity, .consumable: groupable = false
            }
            let group = GroupKey(
                kind: key.kind, sharing: declaration.sharing, minuteBudget: declaration.minuteBudget,
                incidences: groupable ? (incidences[key] ?? []).sorted() : [], alone: groupable ? nil : key)
            if groups[group] == nil { order.append(group) }
            groups[group, default: []].append(key)
        }
        for group in order { append(groups[group] ?? []) }
        // A candidate holding two members of one class would need a column per pair of
        // members; such classes stay individual.
        var split = Set<Int>()
        for need in problem.needs {
            for c in need.candidates where c.assigned.count > 1 {
                let classes = c.assigned.compactMap { classOf[$0] }
                if Set(classes).count < classes.count {
                    var seen = Set<Int>()
                    for k in classes where !seen.insert(k).inserted { split.insert(k) }
                }
            }
        }
        guard !split.isEmpty else { return }
        let old = members
        members = []
        classOf = [:]
        for (k, list) in old.enumerated() {
            if split.contains(k) { for key in list { append([key]) } } else { append(list) }
        }
    }

    private init() {}

    private mutating func append(_ list: [ResourceKey]) {
        let sorted = list.sorted()
        for key in sorted { classOf[key] = members.count }
        members.append(sorted)
    }

    /// These classes with the given ones split into one class per member: what a
    /// solve falls back to when a solution's counts could not be given to members.
    public func splitting(_ split: Set<Int>) -> ResourceClasses {
        var classes = ResourceClasses()
        for (k, list) in members.enumerated() {
            if split.contains(k) { for key in list { classes.append([key]) } } else { classes.append(list) }
        }
        return classes
    }

    /// Number of classes with more than one member.
    public var groupedCount: Int { members.filter { $0.count > 1 }.count }

    // MARK: Signatures

    private struct GroupKey: Hashable {
        var kind: String
        var sharing: Sharing
        var minuteBudget: Double?
        var incidences: [Int]
        var alone: ResourceKey?
    }

    struct UsageShape: Hashable, Comparable {
        var start: Int
        var end: Int
        var load: Double
        var from: String
        var to: String
        var budget: Int

        init(_ u: Usage) {
            start = u.span.start
            end = u.span.end
            load = u.load
            from = u.from ?? ""
            to = u.to ?? ""
            budget = u.budgetMinutes
        }

        static func < (a: UsageShape, b: UsageShape) -> Bool {
            (a.start, a.end, a.from, a.to, a.load, a.budget) < (b.start, b.end, b.from, b.to, b.load, b.budget)
        }
    }

    private struct OtherUsage: Hashable, Comparable {
        var resource: ResourceKey
        var shape: UsageShape
        static func < (a: OtherUsage, b: OtherUsage) -> Bool { (a.resource, a.shape) < (b.resource, b.shape) }
    }

    private struct Incidence: Hashable {
        var need: Int
        var cost: Double
        var category: String?
        var overGrade: Double
        var weight: Double
        var tags: [String]
        var own: [UsageShape]
        var others: [ResourceKey]
        var otherUsages: [OtherUsage]
        var coefficients: [Double]
        /// Part of the need's value in the plan being replanned.
        var earlier: Bool
    }
}
