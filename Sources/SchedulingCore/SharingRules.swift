/// Why a use of a resource cannot join the resource's other uses.
public struct SharingConflict: Sendable, Hashable {
    /// The rule of ``Sharing`` (or the minute budget) that the use would break.
    public enum Cause: Sendable, Hashable {
        /// Held at the same time (exclusive and mobile resources).
        case overlap
        /// Too close to another use of an exclusive resource.
        case turnover(minutes: Double)
        /// Too little time to travel between this use and another (mobile resources);
        /// `minutes` is `nil` when the day gives no travel time for the pair, which
        /// validation rules out for every pair a rule needs.
        case travel(minutes: Int?, from: String, to: String, otherFirst: Bool)
        /// A shared resource that would be over its capacity: the others' peak load.
        case capacity(load: Double, capacity: Double)
        /// A stock used up over the day that would run out.
        case stock(used: Double, adding: Double, stock: Double)
        /// A minute budget (a driver's driving limit) that would be exceeded.
        case budget(used: Int, adding: Int, budget: Double)
    }

    public var cause: Cause
    /// Indices, into the `others` asked about, of the uses that cause it (none for a budget).
    public var holders: [Int]

    public init(cause: Cause, holders: [Int]) {
        self.cause = cause
        self.holders = holders
    }
}

/// The one reading of "may these uses share this resource?" (spec section 4)
/// outside the independent checker: the greedy, the decoder that gives members
/// back, the unmet explainer and the reports all ask here, so that they cannot
/// disagree. The formulations state the same rules as rows.
///
/// A pair of uses of a mobile resource whose travel time the day does not give
/// (or a use without its places) cannot share it: no plan relies on an unknown
/// travel time. Validation requires every pair the rules need, so this only
/// matters for a problem built without it.
extension ResourceDeclaration {
    /// Whether `usage` fits beside `others` (uses of this resource), by its way of
    /// sharing and its minute budget.
    public func admits(_ usage: Usage, beside others: [Usage], travel: TravelTable) -> Bool {
        conflicts(of: usage, with: others, travel: travel, stoppingAtFirst: true).isEmpty
    }

    /// Everything that keeps `usage` from joining `others` (uses of this resource),
    /// each with the uses that cause it; empty when it fits.
    public func conflicts(of usage: Usage, with others: [Usage], travel: TravelTable) -> [SharingConflict] {
        conflicts(of: usage, with: others, travel: travel, stoppingAtFirst: false)
    }

    /// Whether two uses may both have this resource by the pairwise part of its
    /// rule: apart by the turnover (exclusive), or with time to travel between
    /// them (mobile). Shared and consumable resources have no pairwise rule.
    public func allowsBoth(_ a: Usage, _ b: Usage, travel: TravelTable) -> Bool {
        pairConflict(a, other: b, travel: travel) == nil
    }

    private func conflicts(of usage: Usage, with others: [Usage], travel: TravelTable,
                           stoppingAtFirst: Bool) -> [SharingConflict] {
        var out: [SharingConflict] = []
        switch sharing {
        case .exclusive, .mobile:
            var overlapping: [Int] = []
            var spaced: [SharingConflict.Cause: [Int]] = [:]
            var order: [SharingConflict.Cause] = []
            for (k, other) in others.enumerated() {
                guard let cause = pairConflict(usage, other: other, travel: travel) else { continue }
                if stoppingAtFirst { return [SharingConflict(cause: cause, holders: [k])] }
                if cause == .overlap {
                    overlapping.append(k)
                } else {
                    if spaced[cause] == nil { order.append(cause) }
                    spaced[cause, default: []].append(k)
                }
            }
            if !overlapping.isEmpty { out.append(SharingConflict(cause: .overlap, holders: overlapping)) }
            for cause in order { out.append(SharingConflict(cause: cause, holders: spaced[cause] ?? [])) }
        case .capacity(let capacity):
            // The load changes only where a use starts: check the use's start and every
            // start inside it. The holders are the uses present at any minute that would
            // be over capacity; the cause names the others' peak load.
            let active = others.indices.filter { others[$0].span.overlaps(usage.span) }
            let points = [usage.span.start] + active.map { others[$0].span.start }.filter { $0 > usage.span.start && $0 < usage.span.end }
            var peak = 0.0
            var holders = Set<Int>()
            for p in points {
                let at = active.filter { others[$0].span.start <= p && p < others[$0].span.end }
                let load = at.reduce(0) { $0 + others[$1].load }
                guard load + usage.load > capacity + 1e-9 else { continue }
                if stoppingAtFirst { return [SharingConflict(cause: .capacity(load: load, capacity: capacity), holders: at)] }
                peak = max(peak, load)
                holders.formUnion(at)
            }
            if !holders.isEmpty {
                out.append(SharingConflict(cause: .capacity(load: peak, capacity: capacity), holders: holders.sorted()))
            }
        case .consumable(let stock):
            let used = others.reduce(0) { $0 + $1.load }
            if used + usage.load > stock + 1e-9 {
                out.append(SharingConflict(cause: .stock(used: used, adding: usage.load, stock: stock), holders: Array(others.indices)))
            }
        }
        if stoppingAtFirst, !out.isEmpty { return out }
        if let budget = minuteBudget, usage.budgetMinutes > 0 {
            // The budget is per day: uses count on the day they start (PROBLEM.md §9).
            let used = others.reduce(0) { $0 + ($1.span.day == usage.span.day ? $1.budgetMinutes : 0) }
            if Double(used + usage.budgetMinutes) > budget + 1e-9 {
                out.append(SharingConflict(cause: .budget(used: used, adding: usage.budgetMinutes, budget: budget), holders: []))
            }
        }
        return out
    }

    /// What keeps `usage` and `other` apart on an exclusive or mobile resource; `nil`
    /// when they may share it (always, for shared and consumable resources).
    private func pairConflict(_ usage: Usage, other: Usage, travel: TravelTable) -> SharingConflict.Cause? {
        let otherFirst = (other.span.start, other.span.end) <= (usage.span.start, usage.span.end)
        let (first, second) = otherFirst ? (other, usage) : (usage, other)
        switch sharing {
        case .exclusive(let turnover):
            if second.span.start < first.span.end { return .overlap }
            return Double(second.span.start) < Double(first.span.end) + turnover ? .turnover(minutes: turnover) : nil
        case .mobile:
            if second.span.start < first.span.end { return .overlap }
            guard let from = first.to, let to = second.from else {
                return .travel(minutes: nil, from: first.to ?? "?", to: second.from ?? "?", otherFirst: otherFirst)
            }
            guard let minutes = travel.minutes(from: from, to: to) else {
                return .travel(minutes: nil, from: from, to: to, otherFirst: otherFirst)
            }
            return second.span.start < first.span.end + minutes
                ? .travel(minutes: minutes, from: from, to: to, otherFirst: otherFirst) : nil
        case .capacity, .consumable:
            return nil
        }
    }
}
