import Foundation
import SchedulingCore

/// Why repairs could not be searched for: the day or the plan cannot be read together.
public struct RepairError: Error, Sendable, CustomStringConvertible {
    public var description: String
    /// The day's input errors, when the day itself is the problem.
    public var issues: [InputIssue]

    public init(_ description: String, issues: [InputIssue] = []) {
        self.description = description
        self.issues = issues
    }
}

/// Finds, for each unmet need of a plan and each approval it needs, the smallest
/// changes to the day that would meet it, each one verified by solving the changed
/// day (issue 18).
///
/// A check solves only the needs concerned: every need the plan meets keeps its
/// value (pinned, PROBLEM.md §10) as long as that value is still valid in the
/// changed day, and is planned again only when the change broke it; the other
/// unmet needs stay unmet. A repair counts when the changed plan meets the needs it
/// is for and loses none the plan met. Repairs are ranked cheapest first: by the
/// change in the plan's total cost, then by the kind of change (``Repair/Kind``),
/// then by its size.
public struct RepairSearch: Sendable {
    public var registry: PluginRegistry
    /// The optimizer each check runs on the changed day (most needs pinned, so the
    /// problem is small).
    public var verifier: any OptimizerPlugin
    /// The time limit of each check, in seconds.
    public var secondsPerCheck: Double = 5
    /// How many repairs to list per need, cheapest first.
    public var repairsPerNeed = 3
    /// Keep each listed repair's verified plan (``Repair/plan``).
    public var keepPlans = false
    /// Only these visits' unmet needs and approvals (ids); `nil` for all.
    public var visits: Set<String>?

    public init(registry: PluginRegistry, verifier: any OptimizerPlugin) {
        self.registry = registry
        self.verifier = verifier
    }

    /// The repairs for `plan` (a plan of `day`, as `schedule optimize` wrote it).
    ///
    /// - Throws: ``RepairError`` when the day has input errors or the plan does not
    ///   give the day's needs values it can have.
    public func run(day: JSONValue, plan: JSONValue) throws(RepairError) -> RepairReport {
        let started = Date()
        var base = try Baseline(day: day, plan: plan, registry: registry)
        if let visits {
            let known = Set(base.problem.day.visits.map(\.id))
            if let unknown = visits.subtracting(known).sorted().first {
                throw RepairError("\(unknown) is not a visit of the day")
            }
            base.keepOnly(visits)
        }
        let proposals = Proposals(base: base, registry: registry)
        var report = RepairReport()

        // Round 1: one change per need (and solving again, with no change).
        var round = proposals.resolve() + base.unmet.flatMap { proposals.forNeed($0) }
        let capFirst = base.unmet.flatMap { proposals.capProbe(for: $0) }
        round += capFirst
        round += base.approvals.flatMap { proposals.forApproval($0) }
        var outcomes = check(round, base)
        report.checks += round.count

        // Round 2: what the probes showed: caps raised by what they spent, the copies
        // they used.
        var second: [Proposal] = []
        for (proposal, outcome) in zip(round, outcomes) where proposal.probe {
            guard let outcome, !outcome.met.isEmpty else { continue }
            if proposal.kind == .raiseCap, let exact = proposals.capRaise(after: proposal, spent: outcome.plan) { second.append(exact) }
            if proposal.kind == .addResource, let exact = proposals.copiesUsed(after: proposal, plan: outcome.plan) { second.append(exact) }
        }
        let secondOutcomes = check(second, base)
        report.checks += second.count
        // Rounds 3 and 4: one copy for several needs, from the copies verified so far,
        // then trimmed.
        let verifiedCopies = zip(round + second, outcomes + secondOutcomes).compactMap { p, o in
            p.kind == .addResource && !p.probe && !(o?.met.isEmpty ?? true) ? p : nil
        }
        let third = proposals.groups(from: verifiedCopies)
        let thirdOutcomes = check(third, base)
        // Each group trimmed to the copies its plan used, over the windows of the needs using them.
        var fourth: [Proposal] = []
        for (proposal, outcome) in zip(third, thirdOutcomes) {
            guard let outcome, outcome.met.count > 1, var trimmed = proposals.copiesUsed(after: proposal, plan: outcome.plan) else { continue }
            trimmed.targets = outcome.met
            fourth.append(trimmed)
        }
        let fourthOutcomes = check(fourth, base)
        report.checks += third.count + fourth.count
        round += second + third + fourth
        outcomes += secondOutcomes + thirdOutcomes + fourthOutcomes

        var repairs: [(Proposal, Repair)] = []
        for (proposal, outcome) in zip(round, outcomes) {
            guard let outcome, !proposal.probe else { continue }
            guard let repair = base.repair(proposal, outcome, keepPlan: keepPlans) else { continue }
            repairs.append((proposal, repair))
        }
        report.assemble(repairs, base: base, perNeed: repairsPerNeed)
        report.seconds = Date().timeIntervalSince(started)
        return report
    }

    /// The plan of the day with `repair` made, verified again: every need `plan` met
    /// keeps its value where the change left it valid, and the needs the repair meets
    /// are met. `nil` when this check does not confirm it (a check cut short by its
    /// time limit).
    ///
    /// - Throws: ``RepairError`` as ``run(day:plan:)``.
    public func verifiedPlan(of repair: Repair, day: JSONValue, plan: JSONValue) throws(RepairError) -> JSONValue? {
        let base = try Baseline(day: day, plan: plan, registry: registry)
        let ids = Dictionary(base.problem.needs.map { (base.ref($0.id), $0.id) }, uniquingKeysWith: { first, _ in first })
        let targets = repair.meets.compactMap { ids[$0] }
        guard targets.count == repair.meets.count else { return nil }
        let proposal = Proposal(kind: repair.kind, summary: repair.summary, edits: repair.edits, targets: targets, size: repair.size)
        guard let outcome = base.check(proposal, registry: registry, verifier: verifier, seconds: secondsPerCheck),
              Set(outcome.met) == Set(targets) else { return nil }
        return outcome.plan.json
    }

    /// Solves each proposal's changed day, as many at once as there are cores.
    private func check(_ proposals: [Proposal], _ base: Baseline) -> [Outcome?] {
        let results = Results(count: proposals.count)
        let limit = secondsPerCheck, verifier = verifier, registry = registry
        DispatchQueue.concurrentPerform(iterations: proposals.count) { i in
            results.set(i, base.check(proposals[i], registry: registry, verifier: verifier, seconds: limit))
        }
        return results.values
    }
}

/// Outcomes written from concurrent checks.
private final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [Outcome?]
    init(count: Int) { stored = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: Outcome?) { lock.lock(); stored[i] = value; lock.unlock() }
    var values: [Outcome?] { lock.lock(); defer { lock.unlock() }; return stored }
}

/// A change to try, before it is verified.
struct Proposal: Sendable {
    var kind: Repair.Kind
    var summary: String
    var edits: [PatchOperation]
    /// The needs it is for (all free in the check).
    var targets: [NeedID]
    var size: Double
    /// Add-resource: the resources copied and, for each, the windows its copy is available.
    var copies: [(template: ResourceKey, windows: [TimeSpan])] = []
    /// Add-resource: the ids the copies get, in the order of ``copies``.
    var copyIDs: [String] = []
    /// Add-resource for several needs: each copy's windows by the need they are for.
    var windowsByNeed: [[NeedID: [TimeSpan]]] = []
    /// Raise-cap: a first probe with a generous raise, whose spend gives the exact amount.
    var probe = false
    /// Raise-cap: the visit and category raised; for an approval, the approval it ends.
    var cap: (visit: Int, category: String)?
    /// For an approval's repairs: the approval it is for.
    var approval: ApprovalNeeded?
    /// Proposals of one family (one resource copied at several sizes): only the first
    /// of a family that verifies, in rank order, is listed.
    var family: String?

    /// The visits whose own entries the edits change (a segment moved, a pin released).
    var editedVisits: Set<Int> {
        Set(edits.compactMap { edit in
            guard edit.path.components.count > 1, case .key("visits") = edit.path.components[0],
                  case .index(let v) = edit.path.components[1] else { return nil }
            return v
        })
    }
}

/// The changed day's plan.
struct Outcome: Sendable {
    var plan: Plan
    /// Targets the changed plan meets.
    var met: [NeedID]
}

/// The day and plan repairs start from.
struct Baseline: Sendable {
    let day: JSONValue
    let problem: Problem
    /// Each need's value in the plan; `.null` when unmet.
    let values: [NeedID: JSONValue]
    let plan: Plan
    /// Indices of the plan's unmet needs (those to repair).
    private(set) var unmet: [Int]
    /// The approvals the plan needs (those to repair).
    private(set) var approvals: [ApprovalNeeded]
    /// The plan's reasons for its unmet needs.
    let reasons: [NeedID: String]
    /// Each need as the plan keeps it: pinned to its value and mandatory when met,
    /// without candidates when unmet. A change leaves these as they are for every
    /// visit it does not edit.
    let keptNeeds: [NeedDeclaration]
    /// The resources each kept need holds.
    let holds: [Set<ResourceKey>]
    /// Each resource's uses in the plan, with the need that makes each.
    let uses: [ResourceKey: [(need: Int, usage: Usage)]]

    init(day: JSONValue, plan document: JSONValue, registry: PluginRegistry) throws(RepairError) {
        let problem: Problem
        do {
            problem = try Problem.load(day, registry: registry)
        } catch {
            throw RepairError("the day has input errors; run `schedule validate` on it", issues: error.issues)
        }
        guard case .object(let object) = document else {
            throw RepairError("the plan is \(document.typeName), expected the plan object `schedule optimize` wrote")
        }
        let view = PlanView(document: object)
        var values: [NeedID: JSONValue] = [:]
        var chosen: [[Int]?] = []
        for need in problem.needs {
            let value = view.value(of: need.id, in: problem.day)
            let name = Baseline.name(need.id, problem.day)
            guard let value else {
                if need.isTrivial { chosen.append([]); continue }
                throw RepairError("the plan gives no value for \(name); give the plan `schedule optimize` wrote for this day")
            }
            values[need.id] = value
            if value == .null {
                chosen.append(need.isTrivial ? [] : nil)
                continue
            }
            let match = need.candidates(making: value)
            if let missing = match.missing {
                throw RepairError("the plan's \(name) is \(missing.excerpt), which the day does not allow; run `schedule check` on the plan")
            }
            chosen.append(match.found)
        }
        self.day = day
        self.problem = problem
        self.values = values
        let selection = Selection(chosen: chosen)
        self.plan = PlanAssembler.assemble(problem, result: OptimizationResult(status: .feasible, selection: selection, bound: nil, seconds: 0),
                                           solverName: "plan")
        self.unmet = problem.needs.indices.filter { chosen[$0] == nil }
        self.approvals = self.plan.approvalsNeeded
        var reasons: [NeedID: String] = [:]
        for (j, need) in problem.needs.enumerated() where chosen[j] == nil {
            let visit = problem.day.visits[need.id.visit]
            let segment = need.id.segment.map { visit.segments[$0].id }
            reasons[need.id] = plan.unmet.first { $0.visit == visit.id && $0.segment == segment && $0.need == need.id.key }?.reason ?? ""
        }
        self.reasons = reasons
        var keptNeeds: [NeedDeclaration] = []
        var holds: [Set<ResourceKey>] = []
        for (j, need) in problem.needs.enumerated() {
            let kept = chosen[j] == nil ? Baseline.kept(need, value: nil) : Baseline.kept(need, value: values[need.id])
            keptNeeds.append(kept)
            holds.append(Set(kept.candidates.flatMap { $0.usages.map(\.resource) }))
        }
        self.keptNeeds = keptNeeds
        self.holds = holds
        var uses: [ResourceKey: [(need: Int, usage: Usage)]] = [:]
        for (j, need) in keptNeeds.enumerated() where chosen[j] != nil {
            for c in need.candidates { for u in c.usages { uses[u.resource, default: []].append((j, u)) } }
        }
        self.uses = uses
    }

    /// Repairs only for the unmet needs and approvals of `visits`; the others stay as they are.
    mutating func keepOnly(_ visits: Set<String>) {
        let day = problem.day
        unmet = unmet.filter { visits.contains(day.visits[problem.needs[$0].id.visit].id) }
        approvals = approvals.filter { $0.visit.map(visits.contains) ?? false }
    }

    /// `need` as a plan that gave it `value` keeps it (`nil`: unmet).
    static func kept(_ need: NeedDeclaration, value: JSONValue?) -> NeedDeclaration {
        guard let value, value != .null else {
            return need.withoutCandidates(because: "left unmet: a repair is checked for the needs it concerns only")
        }
        return need.isTrivial ? need : need.pinned(to: value).mandatory()
    }

    /// `V-014 pickup transport`.
    static func name(_ id: NeedID, _ day: Day) -> String { ref(id, day).description }

    static func ref(_ id: NeedID, _ day: Day) -> NeedRef {
        let visit = day.visits[id.visit]
        return NeedRef(visit: visit.id, segment: id.segment.map { visit.segments[$0].id }, need: id.key)
    }

    func ref(_ id: NeedID) -> NeedRef { Baseline.ref(id, problem.day) }

    /// The value `plan` gives need `id`.
    func value(of id: NeedID, in plan: Plan) -> JSONValue? {
        guard case .object(let document) = plan.json else { return nil }
        return PlanView(document: document).value(of: id, in: problem.day)
    }

    /// Solves `proposal`'s changed day with every other need kept as planned;
    /// `nil` when the change does not load or loses a need the plan met.
    ///
    /// Only the needs concerned go to the optimizer: the free ones (the targets and
    /// any whose planned value the change broke), the other needs of their visits
    /// (caps, a host apart from the escorts), and the kept needs that hold a resource
    /// a free need could take. The rest keep their values and are added back for the
    /// plan, whose costs and day budget are read over the whole day.
    func check(_ proposal: Proposal, registry: PluginRegistry, verifier: any OptimizerPlugin, seconds: Double) -> Outcome? {
        guard let changed = try? day.applying(proposal.edits), var problem = try? Problem.load(changed, registry: registry),
              problem.needs.map(\.id) == self.problem.needs.map(\.id) else { return nil }
        let targets = Set(proposal.targets)
        let edited = proposal.editedVisits
        var free = [Bool](repeating: false, count: problem.needs.count)
        var holding = holds
        for (j, need) in problem.needs.enumerated() {
            if targets.contains(need.id) {
                free[j] = !need.isTrivial
                continue
            }
            guard edited.contains(need.id.visit) else {
                problem.needs[j] = keptNeeds[j]
                continue
            }
            // A visit the change edits: its needs are kept as planned when that is still valid.
            guard let value = values[need.id], value != .null else {
                problem.needs[j] = keptNeeds[j]
                continue
            }
            var pinned = need.pinned(to: value)
            // A value the change broke is planned again, and must be met.
            if pinned.candidates.isEmpty && !pinned.isTrivial {
                pinned = need
                free[j] = true
            }
            problem.needs[j] = pinned.mandatory()
            holding[j] = Set(pinned.candidates.flatMap { $0.usages.map(\.resource) })
        }
        // Each free need keeps only the candidates that fit beside what the kept needs
        // hold; a target left with too few cannot be met.
        var extraUses: [ResourceKey: [Usage]] = [:]
        for j in problem.needs.indices where edited.contains(problem.needs[j].id.visit) && !free[j] {
            for c in problem.needs[j].candidates { for u in c.usages { extraUses[u.resource, default: []].append(u) } }
        }
        func others(_ r: ResourceKey) -> [Usage] {
            let planned = (uses[r] ?? []).filter { !edited.contains(problem.needs[$0.need].id.visit) }.map(\.usage)
            return planned + (extraUses[r] ?? [])
        }
        var besides: [ResourceKey: [Usage]] = [:]
        var touched = Set<ResourceKey>()
        var visits = Set<Int>()
        var meetable = false
        for j in problem.needs.indices where free[j] {
            let need = problem.needs[j]
            let candidates = need.candidates
            let fitting = candidates.indices.filter { i in
                candidates[i].usages.allSatisfy { u in
                    guard let resource = problem.resources[u.resource] else { return true }
                    if besides[u.resource] == nil { besides[u.resource] = others(u.resource) }
                    return resource.admits(u, beside: besides[u.resource] ?? [], travel: problem.day.travel)
                }
            }
            let restricted = need.restricted(to: fitting)
            problem.needs[j] = restricted
            if targets.contains(need.id), restricted.couldBeMet { meetable = true }
            visits.insert(need.id.visit)
            for c in restricted.candidates { for u in c.usages { touched.insert(u.resource) } }
        }
        // A change for an approval has no need to meet: it is solved as it stands.
        guard meetable || proposal.targets.isEmpty else { return nil }
        let kept = problem.needs.indices.filter { j in
            free[j] || visits.contains(problem.needs[j].id.visit)
                || !holding[j].isDisjoint(with: touched)
        }
        var concerned = problem
        concerned.needs = kept.map { problem.needs[$0] }
        guard let result = try? verifier.optimize(concerned, options: OptimizeOptions(timeLimit: seconds)),
              let part = result.selection else { return nil }
        // The whole day: the needs left out keep their values (all of a pinned need's candidates).
        var chosen: [[Int]?] = problem.needs.map { need in
            need.isTrivial ? [] : (need.candidates.isEmpty ? nil : Array(need.candidates.indices))
        }
        for (position, j) in kept.enumerated() { chosen[j] = part.chosen[position] }
        for (j, need) in problem.needs.enumerated() where chosen[j] == nil && !targets.contains(need.id) {
            if let value = values[need.id], value != .null { return nil }
        }
        let met = problem.needs.indices.filter { targets.contains(problem.needs[$0].id) && chosen[$0] != nil }.map { problem.needs[$0].id }
        let whole = OptimizationResult(status: .feasible, selection: Selection(chosen: chosen), bound: nil, seconds: result.seconds, stop: result.stop)
        let plan = PlanAssembler.assemble(problem, result: whole, solverName: verifier.name)
        return Outcome(plan: plan, met: met)
    }

    /// The repair a checked proposal makes, or `nil` when it does not do what it was for.
    func repair(_ proposal: Proposal, _ outcome: Outcome, keepPlan: Bool) -> Repair? {
        let before = plan.approvalsNeeded.reduce(0) { $0 + $1.amount }
        let after = outcome.plan.approvalsNeeded.reduce(0) { $0 + $1.amount }
        if let approval = proposal.approval {
            // An approval's repair must end or shrink that approval.
            let remaining = outcome.plan.approvalsNeeded.first { $0.visit == approval.visit && $0.category == approval.category && $0.day == approval.day }
            guard (remaining?.amount ?? 0) < approval.amount - 0.005 else { return nil }
        } else if outcome.met.isEmpty {
            return nil
        }
        var repair = Repair(kind: proposal.kind, summary: proposal.summary, edits: proposal.edits, meets: outcome.met.map(ref).sorted(),
                            costChange: outcome.plan.totals.cost - plan.totals.cost, approvalChange: after - before, size: proposal.size,
                            plan: keepPlan ? outcome.plan.json : nil)
        repair.family = proposal.family
        return repair
    }
}

extension RepairReport {
    /// Lists each need's and approval's repairs, cheapest first, and numbers them.
    mutating func assemble(_ found: [(Proposal, Repair)], base: Baseline, perNeed: Int) {
        var next = 1
        func numbered(_ r: Repair) -> Repair {
            var r = r
            r.id = "R\(next)"
            next += 1
            return r
        }
        // A repair that meets several needs is listed once, under groups; solving again
        // with no change is listed under each need it meets.
        // Most needs first; one that meets no more than a cheaper one is left out.
        let candidates = found.filter { $0.0.kind != .resolve && $0.0.approval == nil && $0.1.meets.count > 1 }.map(\.1)
            .sorted { $0.meets.count != $1.meets.count ? $0.meets.count > $1.meets.count : Repair.ranked($0, $1) }
        var grouped: [Repair] = []
        for r in candidates where !grouped.contains(where: { Set(r.meets).isSubset(of: Set($0.meets)) && $0.costChange <= r.costChange + 0.005 }) {
            grouped.append(r)
        }
        groups = grouped.map(numbered)
        var resolveID: String?
        for j in base.unmet {
            let id = base.problem.needs[j].id
            let ref = base.ref(id)
            var mine = found.filter { p, r in p.approval == nil && (p.targets.count == 1 || p.kind == .resolve) && r.meets.contains(ref) }.map(\.1)
            mine.sort(by: Repair.ranked)
            var listed: [Repair] = []
            for r in RepairReport.varied(mine, count: perNeed) {
                if r.kind == .resolve {
                    var r = r
                    if let resolveID { r.id = resolveID } else { r = numbered(r); resolveID = r.id }
                    listed.append(r)
                } else {
                    listed.append(numbered(r))
                }
            }
            needs.append(NeedRepairs(need: ref, reason: base.reasons[id] ?? "", repairs: listed))
        }
        for approval in base.approvals {
            let mine = found.filter { p, _ in p.approval == approval }.map(\.1).sorted(by: Repair.ranked)
            approvals.append(ApprovalRepairs(approval: approval, repairs: RepairReport.varied(mine, count: perNeed).map(numbered)))
        }
    }

    /// The first `count` of `ranked` (cheapest first), taking the cheapest of each kind
    /// of change before a second of any kind, listed in rank order.
    static func varied(_ all: [Repair], count: Int) -> [Repair] {
        var families = Set<String>()
        let ranked = all.filter { $0.family.map { families.insert($0).inserted } ?? true }
        var picked: [Int] = []
        var kinds = Set<Repair.Kind>()
        for (i, r) in ranked.enumerated() where picked.count < count && kinds.insert(r.kind).inserted { picked.append(i) }
        for i in ranked.indices where picked.count < count && !picked.contains(i) { picked.append(i) }
        return picked.sorted().map { ranked[$0] }
    }
}

extension NeedDeclaration {
    /// This need with a side rule that leaves it no way to be unmet: a repair may not
    /// buy one need with another the plan met.
    func mandatory() -> NeedDeclaration {
        guard !isTrivial else { return self }
        var out = self
        let all = candidates
        switch rule {
        case .exactly(let n):
            out.constraints.append(NeedConstraint(terms: all.indices.map { .init(candidate: $0, coefficient: 1) }, sense: .greaterOrEqual, rhs: Double(n)))
        case .cover(let demand):
            out.constraints.append(NeedConstraint(terms: all.indices.map { .init(candidate: $0, coefficient: all[$0].weight) }, sense: .greaterOrEqual, rhs: demand))
        }
        return out
    }
}

extension NeedDeclaration {
    /// Whether its candidates are enough for its rule (a necessary condition only).
    var couldBeMet: Bool {
        let all = candidates
        if let tag = requiredTag, !all.contains(where: { $0.tags.contains(tag.tag) }) { return false }
        switch rule {
        case .exactly(let n): return all.count >= n
        case .cover(let demand): return all.reduce(0) { $0 + $1.weight } >= demand - 1e-9
        }
    }
}
