import SchedulingCore

/// What keeps a resource from one more use, given the plan's other uses: the
/// core's one rule of sharing (``SharingConflict``) with the uses that cause it.
struct Blocker: Sendable, Hashable {
    typealias Cause = SharingConflict.Cause

    var cause: Cause
    /// The plan's uses that cause it (none for a budget).
    var holders: [ResourceUse]
}

/// The plan's uses by resource, and the rules of ``Sharing`` applied to a
/// would-be use (``ResourceDeclaration/conflicts(of:with:travel:)``), read from
/// the declarations so that every resource kind is covered.
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
        return declaration.conflicts(of: usage, with: others.map(\.usage), travel: plan.problem.day.travel).map {
            Blocker(cause: $0.cause, holders: $0.holders.map { others[$0] })
        }
    }

    /// `V-003 negotiation 10:00-11:30`, `V-011 escorts 08:35-12:45`.
    func name(_ use: ResourceUse) -> String {
        if let night = Nights.night(of: use.span) { return "\(plan.occupant(ofNeed: use.need)) night \(night)" }
        return "\(plan.occupant(ofNeed: use.need)) \(use.span)"
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
            guard let minutes else { return "the day gives no travel time from \(from) to \(to)" }
            let who = plan.occupant(ofNeed: holder.need)
            return holderFirst
                ? "after \(who) it is at \(from) until \(Clock.format(holder.span.end)), \(minutes) min from \(to)"
                : "it must reach \(to) for \(who) at \(Clock.format(holder.span.start)), \(minutes) min from \(from)"
        case .capacity(let load, let capacity):
            if let night = blocker.holders.first.flatMap({ Nights.night(of: $0.span) }) {
                let who = blocker.holders.map { plan.occupant(ofNeed: $0.need) }
                return "on night \(night) \(Pretty.list(who, limit: 3)) already \(who.count == 1 ? "takes" : "take") \(Pretty.number(load)) of its \(Pretty.number(capacity)) rooms"
            }
            return "shared, and \(Pretty.list(names, limit: 3)) already use \(Pretty.number(load)) of its \(Pretty.number(capacity)) places"
        case .stock(let used, let adding, let stock):
            return "\(Pretty.number(used)) of its stock of \(Pretty.number(stock)) go to \(Pretty.list(names, limit: 3)); \(Pretty.number(adding)) more would run out"
        case .budget(let used, let adding, let budget):
            return "its limit is \(Pretty.number(budget)) min and the plan already uses \(used); \(adding) more would exceed it"
        }
    }
}
