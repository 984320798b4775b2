import SchedulingCore

/// What keeps a resource from one more use, given the plan's other uses.
struct Blocker: Sendable, Hashable {
    enum Cause: Sendable, Hashable {
        /// Held at the same time.
        case overlap
        /// Too close to another use of an exclusive resource.
        case turnover(minutes: Double)
        /// Too little time to travel between this use and another.
        case travel(minutes: Int, from: String, to: String, holderFirst: Bool)
        /// A shared resource that would be over its capacity.
        case capacity(load: Double, capacity: Double)
        /// A stock used up over the day that would run out.
        case stock(used: Double, adding: Double, stock: Double)
        /// A minute budget (a driver's driving limit) that would be exceeded.
        case budget(used: Int, adding: Int, budget: Double)
    }

    var cause: Cause
    /// The plan's uses that cause it (none for a budget).
    var holders: [ResourceUse]
}

/// The plan's uses by resource, and the rules of ``Sharing`` applied to a
/// would-be use: the same rules the optimizer states, read from the
/// declarations so that every resource kind is covered.
struct Occupancy: Sendable {
    let plan: DayPlan
    let byResource: [ResourceKey: [ResourceUse]]

    init(_ plan: DayPlan) {
        self.plan = plan
        var by: [ResourceKey: [ResourceUse]] = [:]
        for use in plan.uses { by[use.resource, default: []].append(use) }
        self.byResource = by
    }

    /// Why `usage` does not fit beside the plan's uses of its resource, ignoring
    /// the uses for which `ignoring` holds (the choice being replaced).
    func blockers(_ usage: Usage, ignoring: (ResourceUse) -> Bool) -> [Blocker] {
        let key = usage.resource
        let others = (byResource[key] ?? []).filter { !ignoring($0) }
        guard let declaration = plan.problem.resources[key] else { return [] }
        var out: [Blocker] = []
        switch declaration.sharing {
        case .exclusive(let turnover):
            var overlapping: [ResourceUse] = []
            var close: [ResourceUse] = []
            for o in others {
                let (first, second) = o.span.start <= usage.span.start ? (o.span, usage.span) : (usage.span, o.span)
                if second.start < first.end { overlapping.append(o) } else if Double(second.start) < Double(first.end) + turnover { close.append(o) }
            }
            if !overlapping.isEmpty { out.append(Blocker(cause: .overlap, holders: overlapping)) }
            if !close.isEmpty { out.append(Blocker(cause: .turnover(minutes: turnover), holders: close)) }
        case .capacity(let capacity):
            let active = others.filter { $0.span.overlaps(usage.span) }
            let points = [usage.span.start] + active.map(\.span.start).filter { $0 > usage.span.start && $0 < usage.span.end }
            var worst: (load: Double, uses: [ResourceUse]) = (0, [])
            for p in points {
                let at = active.filter { $0.span.start <= p && p < $0.span.end }
                let load = at.reduce(0) { $0 + $1.usage.load }
                if load > worst.load { worst = (load, at) }
            }
            if worst.load + usage.load > capacity + 1e-9 {
                out.append(Blocker(cause: .capacity(load: worst.load, capacity: capacity), holders: worst.uses))
            }
        case .consumable(let stock):
            let used = others.reduce(0) { $0 + $1.usage.load }
            if used + usage.load > stock + 1e-9 {
                out.append(Blocker(cause: .stock(used: used, adding: usage.load, stock: stock), holders: others))
            }
        case .mobile:
            var overlapping: [ResourceUse] = []
            for o in others {
                if o.span.overlaps(usage.span) || o.span.start == usage.span.start {
                    overlapping.append(o)
                    continue
                }
                let holderFirst = o.span.start <= usage.span.start
                let (first, second) = holderFirst ? (o.usage, usage) : (usage, o.usage)
                guard let a = first.to, let b = second.from else { continue }
                let minutes = plan.problem.day.travel.minutes(from: a, to: b) ?? 0
                if second.span.start < first.span.end + minutes {
                    out.append(Blocker(cause: .travel(minutes: minutes, from: a, to: b, holderFirst: holderFirst), holders: [o]))
                }
            }
            if !overlapping.isEmpty { out.insert(Blocker(cause: .overlap, holders: overlapping), at: 0) }
        }
        if let budget = declaration.minuteBudget, usage.budgetMinutes > 0 {
            let used = others.reduce(0) { $0 + $1.usage.budgetMinutes }
            if Double(used + usage.budgetMinutes) > budget + 1e-9 {
                out.append(Blocker(cause: .budget(used: used, adding: usage.budgetMinutes, budget: budget), holders: []))
            }
        }
        return out
    }

    /// `V-003 negotiation 10:00-11:30`, `V-011 escorts 08:35-12:45`.
    func name(_ use: ResourceUse) -> String {
        "\(plan.occupant(ofNeed: use.need)) \(use.span)"
    }

    /// One blocker in a planner's words.
    func describe(_ blocker: Blocker) -> String {
        let names = blocker.holders.map(name)
        switch blocker.cause {
        case .overlap:
            return "held by " + Pretty.list(names, limit: 3)
        case .turnover(let minutes):
            return "within its \(Pretty.number(minutes)) min turnover of " + Pretty.list(names, limit: 3)
        case .travel(let minutes, let from, let to, let holderFirst):
            guard let holder = blocker.holders.first else { return "too little travel time" }
            let who = plan.occupant(ofNeed: holder.need)
            return holderFirst
                ? "after \(who) it is at \(from) until \(Clock.format(holder.span.end)), \(minutes) min from \(to)"
                : "it must reach \(to) for \(who) at \(Clock.format(holder.span.start)), \(minutes) min from \(from)"
        case .capacity(let load, let capacity):
            return "shared, and \(Pretty.list(names, limit: 3)) already use \(Pretty.number(load)) of its \(Pretty.number(capacity)) places"
        case .stock(let used, let adding, let stock):
            return "\(Pretty.number(used)) of its stock of \(Pretty.number(stock)) go to \(Pretty.list(names, limit: 3)); \(Pretty.number(adding)) more would run out"
        case .budget(let used, let adding, let budget):
            return "its limit is \(Pretty.number(budget)) min and the plan already uses \(used); \(adding) more would exceed it"
        }
    }
}
