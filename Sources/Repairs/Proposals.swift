import SchedulingCore

/// The changes worth checking for each unmet need and approval: written as edits
/// of the day file, generic over resource kinds (a kind's resources are found in
/// `resources` by id, its candidates and their usages say what each need takes).
struct Proposals {
    let base: Baseline
    /// The day with every resource available all day: whose availability keeps a
    /// need's candidates out.
    let relaxed: Problem?
    private let resources: ResourceFinder

    /// Minutes a segment is tried earlier and later, smallest first.
    static let moves = [15, -15, 30, -30, 60, -60]
    /// Candidates tried per need for copies and for availability.
    static let candidatesPerNeed = 3
    /// Resources a copy probe copies at most.
    static let probeCopies = 40
    /// Sets of copied resources tried for several needs at once, largest first.
    static let groupsTried = 12
    /// Resources a larger copy is tried of, the largest first.
    static let largerTemplates = 4
    /// The sizes a larger copy is tried at, as multiples of its original's.
    static let largerSteps = [1.25, 1.5, 2, 3]
    /// Sets of copied resources tried for each mix of kinds (cars and drivers, rooms, people).
    static let groupsPerKinds = 3
    /// Needs one group of copies is tried for at most.
    static let groupSize = 6

    /// The relaxed day with every resource twice, for needs that even all of the
    /// day's resources could not meet (more seats than all cars have); the copies'
    /// ids map to their originals.
    let doubled: (problem: Problem, originals: [String: String])?

    private let registry: PluginRegistry

    init(base: Baseline, registry: PluginRegistry) {
        self.base = base
        self.registry = registry
        let resources = ResourceFinder(base.day)
        self.resources = resources
        // Nothing to repair, nothing to relax: the day is not loaded again.
        let everyone = resources.everyoneAvailable()
        let relaxed = base.unmet.isEmpty ? nil : try? Problem.load(everyone, registry: registry)
        self.relaxed = relaxed
        let hopeless = base.unmet.contains { j in
            let id = base.problem.needs[j].id
            return base.problem.needs[j].candidates.isEmpty && (relaxed?.needs.first { $0.id == id }?.candidates.isEmpty ?? true)
        }
        let twice = hopeless ? resources.doubled(everyone) : nil
        self.doubled = twice.flatMap { d in (try? Problem.load(d.day, registry: registry)).map { ($0, d.originals) } }
    }

    private var day: Day { base.problem.day }

    /// No change: solving the unmet needs again with the rest kept.
    func resolve() -> [Proposal] {
        guard !base.unmet.isEmpty else { return [] }
        return [Proposal(kind: .resolve, summary: "no change to the day: planning the unmet needs again meets it",
                         edits: [], targets: base.unmet.map { base.problem.needs[$0].id }, size: 0)]
    }

    /// Every single change tried for unmet need `j`.
    func forNeed(_ j: Int) -> [Proposal] {
        pinRelease(j) + moves(j) + availability(j) + copies(j) + copyProbe(for: j) + larger(j)
    }

    /// When a use keeps its resource busy: its span, and for a resource that travels
    /// (a use with places, a resource with a `home`) the way from home and back
    /// (PROBLEM.md §3: a vehicle or driver must be available over
    /// `[start - travel(home, from), end + travel(to, home))`).
    private func window(_ usage: Usage) -> TimeSpan {
        guard let from = usage.from, let to = usage.to, let found = resources.locate(usage.resource),
              case .string(let home)? = found.object["home"] else { return usage.span }
        let before = day.travel.minutes(from: home, to: from) ?? 0
        let after = day.travel.minutes(from: to, to: home) ?? 0
        return TimeSpan(usage.span.start - before, usage.span.end + after)
    }

    // MARK: Pins

    private func pinRelease(_ j: Int) -> [Proposal] {
        let id = base.problem.needs[j].id
        let visit = day.visits[id.visit]
        let name = base.ref(id).description
        var path: JSONPath?
        var pinned: JSONValue?
        if let s = id.segment, let pin = Pins.pin(of: id, in: day) {
            path = visit.segments[s].path + "needs" + id.key + Pins.key
            pinned = pin
        } else if id.segment == nil, let pin = visit.fields[Pins.visitKey(for: id.key)] {
            path = visit.path + Pins.visitKey(for: id.key)
            pinned = pin
        } else if id.segment == nil, case .object(let o)? = visit.fields[id.key], let pin = o[Pins.key] {
            path = visit.path + id.key + Pins.key
            pinned = pin
        } else if id.segment == nil, id.key == "host", let host = visit.host {
            // §8: the visit's `host` pins its host.
            path = visit.path + "host"
            pinned = .string(host)
        }
        guard let path, let pinned else { return [] }
        return [Proposal(kind: .releasePin, summary: "release the pin of \(name) (pinned to \(pinned.excerpt))",
                         edits: [PatchOperation(.remove, path)], targets: [id], size: 0)]
    }

    // MARK: Moves

    private func moves(_ j: Int) -> [Proposal] {
        let id = base.problem.needs[j].id
        guard let s = id.segment else { return [] }
        let segment = day.visits[id.visit].segments[s]
        let dayStart = (segment.day - 1) * minutesPerDay
        return Proposals.moves.compactMap { delta in
            let span = TimeSpan(segment.span.start + delta, segment.span.end + delta)
            guard span.start >= dayStart, span.end <= dayStart + minutesPerDay else { return nil }
            let later = delta > 0 ? "later" : "earlier"
            return Proposal(
                kind: .moveSegment,
                summary: "move \(day.visits[id.visit].id) \(segment.id) \(abs(delta)) min \(later), to \(span)",
                edits: [PatchOperation(.replace, segment.path + "start", .string(Clock.timeOfDay(span.start, asStart: true))),
                        PatchOperation(.replace, segment.path + "end", .string(Clock.timeOfDay(span.end, asStart: false)))],
                targets: [id], size: Double(abs(delta)))
        }
    }

    // MARK: Availability

    /// Candidates that only availability keeps out: each resource's availability
    /// extended by the windows the candidate takes it.
    private func availability(_ j: Int) -> [Proposal] {
        let need = base.problem.needs[j]
        guard let relaxedNeed = relaxed?.needs.first(where: { $0.id == need.id }) else { return [] }
        let eligible = Set(need.candidates.map { JSONWriter.compact($0.value) })
        var out: [Proposal] = []
        var seen = Set<[ResourceKey]>()
        for candidate in relaxedNeed.candidates.sorted(by: { $0.cost < $1.cost }) where !eligible.contains(JSONWriter.compact(candidate.value)) {
            var edits: [PatchOperation] = []
            var parts: [String] = []
            var minutes = 0
            var added: [String: Int] = [:]
            var keys: [ResourceKey] = []
            var fits = true
            for usage in candidate.usages {
                let span = window(usage)
                guard span.isWithinOneDay, let found = resources.locate(usage.resource) else { fits = false; break }
                guard !resources.covers(found, span, in: day) else { continue }
                keys.append(usage.resource)
                let index = found.availableCount + added[found.pathKey, default: 0]
                added[found.pathKey, default: 0] += 1
                edits.append(PatchOperation(.add, found.path + "available" + index, resources.entry(span, programme: day.isProgramme)))
                parts.append("\(usage.resource.id) \(span)")
                minutes += span.minutes
            }
            guard fits, !edits.isEmpty, seen.insert(keys.sorted()).inserted else { continue }
            out.append(Proposal(kind: .extendAvailability, summary: "make " + parts.joined(separator: " and ") + " available as well",
                                edits: edits, targets: [need.id], size: Double(minutes)))
            if out.count == Proposals.candidatesPerNeed { break }
        }
        return out
    }

    // MARK: Copies

    /// The need's candidates, or when it has none, those availability keeps out.
    private func candidatesToCopy(_ need: NeedDeclaration) -> [Candidate] {
        let candidates = need.candidates
        guard candidates.isEmpty else { return candidates }
        if let relaxedNeed = relaxed?.needs.first(where: { $0.id == need.id }), !relaxedNeed.candidates.isEmpty { return relaxedNeed.candidates }
        // Too few even all together: the candidates among twice the resources, as originals.
        guard let doubled, let twice = doubled.problem.needs.first(where: { $0.id == need.id }) else { return [] }
        return twice.candidates.map { c in
            var c = c
            c.usages = c.usages.map { u in
                var u = u
                if let original = doubled.originals[u.resource.id] { u.resource = ResourceKey(kind: u.resource.kind, id: original) }
                return u
            }
            return c
        }
    }

    /// One more of each resource a candidate takes, available only when it takes it:
    /// for needs met by one candidate alone (a room, a restaurant, a host).
    private func copies(_ j: Int) -> [Proposal] {
        let need = base.problem.needs[j]
        guard need.rule == .exactly(1), need.constraints.isEmpty, need.requiredTag == nil else { return [] }
        let candidates = candidatesToCopy(need)
        var out: [Proposal] = []
        var seen = Set<[ResourceKey]>()
        for candidate in candidates.sorted(by: { $0.cost < $1.cost }) {
            var windows: [ResourceKey: [TimeSpan]] = [:]
            var order: [ResourceKey] = []
            for usage in candidate.usages {
                if windows[usage.resource] == nil { order.append(usage.resource) }
                windows[usage.resource, default: []].append(window(usage))
            }
            guard !order.isEmpty, seen.insert(order.sorted()).inserted,
                  let proposal = copy(order.map { (template: $0, windows: windows[$0] ?? []) }, targets: [need.id]) else { continue }
            out.append(releasingPin(j, proposal))
            if out.count == Proposals.candidatesPerNeed { break }
        }
        return out
    }

    /// A probe for needs that take several resources together (cars and drivers,
    /// escorts): a copy of every resource the cheapest candidates take, each over its
    /// windows; the copies its plan uses are the repair (``copiesUsed(after:plan:)``).
    func copyProbe(for j: Int) -> [Proposal] {
        let need = base.problem.needs[j]
        guard !(need.rule == .exactly(1) && need.constraints.isEmpty && need.requiredTag == nil) else { return [] }
        var windows: [ResourceKey: [TimeSpan]] = [:]
        var order: [ResourceKey] = []
        for candidate in candidatesToCopy(need).sorted(by: { $0.cost < $1.cost }) {
            for usage in candidate.usages {
                if windows[usage.resource] == nil {
                    guard order.count < Proposals.probeCopies else { continue }
                    order.append(usage.resource)
                }
                windows[usage.resource, default: []].append(window(usage))
            }
        }
        // A need that counts seats: enough copies of the set to seat everyone on their own.
        var times = 1
        if case .cover(let demand) = need.rule {
            // What one copy of the set seats: candidates taken heaviest first, no resource twice.
            let copied = Set(order)
            var taken = Set<ResourceKey>()
            var weight = 0.0
            for c in candidatesToCopy(need).sorted(by: { $0.weight > $1.weight }) {
                let keys = Set(c.usages.map(\.resource))
                guard keys.isSubset(of: copied), keys.isDisjoint(with: taken) else { continue }
                taken.formUnion(keys)
                weight += c.weight
            }
            if weight > 0 { times = min(Proposals.probeCopies, Int((demand / weight).rounded(.up))) }
        }
        let templates = order.map { (template: $0, windows: windows[$0] ?? []) }
        guard !templates.isEmpty, var p = copy(Array(repeating: templates, count: max(1, times)).flatMap { $0 }, targets: [need.id]) else { return [] }
        p.probe = true
        return [releasingPin(j, p)]
    }

    /// `proposal` with need `j`'s pin released first, when it has one: a copy of the
    /// pinned resource is no use while the pin names the original.
    private func releasingPin(_ j: Int, _ proposal: Proposal) -> Proposal {
        guard let release = pinRelease(j).first else { return proposal }
        var p = proposal
        p.edits = release.edits + p.edits
        p.summary = release.summary + ", and " + p.summary
        return p
    }

    /// The copies a probe's plan gave its needs, as a repair of their own: each copy
    /// available over the windows of the needs that use it.
    func copiesUsed(after probe: Proposal, plan: Plan) -> Proposal? {
        var written: [NeedID: String] = [:]
        for id in probe.targets {
            if let value = base.value(of: id, in: plan), value != .null { written[id] = JSONWriter.compact(value) }
        }
        var used: [(template: ResourceKey, windows: [TimeSpan])] = []
        for (k, copy) in probe.copies.enumerated() {
            let quoted = "\"\(probe.copyIDs[k])\""
            let users = written.filter { $0.value.contains(quoted) }.map(\.key)
            guard !users.isEmpty else { continue }
            let byNeed = k < probe.windowsByNeed.count ? probe.windowsByNeed[k] : [:]
            // A copy a need took beyond its own windows (a group's) keeps all of them.
            let own = users.flatMap { byNeed[$0] ?? [] }
            let windows = byNeed.isEmpty || users.contains(where: { byNeed[$0] == nil }) ? copy.windows : own
            used.append((copy.template, windows))
        }
        guard !used.isEmpty, var exact = self.copy(used, targets: written.keys.sorted()) else { return nil }
        for j in base.unmet where exact.targets.contains(base.problem.needs[j].id) { exact = releasingPin(j, exact) }
        return exact
    }

    /// A proposal adding one copy of each template, available over its windows.
    func copy(_ copies: [(template: ResourceKey, windows: [TimeSpan])], targets: [NeedID]) -> Proposal? {
        var edits: [PatchOperation] = []
        var parts: [String] = []
        var minutes = 0
        var taken: [String: Int] = [:]
        var used = Set<String>()
        var normalized: [(template: ResourceKey, windows: [TimeSpan])] = []
        var ids: [String] = []
        for (template, spans) in copies {
            let merged = ResourceFinder.merged(spans)
            guard merged.allSatisfy(\.isWithinOneDay), let found = resources.locate(template) else { return nil }
            let newID = resources.freshID(like: template.id, in: found.section, used: &used, added: &taken)
            var object = found.object
            object["id"] = .string(newID)
            object["name"] = nil
            object["available"] = .array(merged.map { resources.entry($0, programme: day.isProgramme) })
            let index = found.sectionCount + (taken[found.section].map { $0 - 1 } ?? 0)
            edits.append(PatchOperation(.add, JSONPath([.key("resources"), .key(found.section), .index(index)]), .object(object)))
            parts.append("one more \(template.kind) like \(template.id) (\(newID)), available \(merged.map(\.description).joined(separator: ", "))")
            minutes += merged.reduce(0) { $0 + $1.minutes }
            normalized.append((template, merged))
            ids.append(newID)
        }
        var p = Proposal(kind: .addResource, summary: parts.joined(separator: " and "), edits: edits, targets: targets, size: Double(minutes))
        p.copies = normalized
        p.copyIDs = ids
        return p
    }

    /// One copy for several needs: for each set of resources a verified copy repair
    /// took, the copies of every verified repair that took some of them, each copy
    /// available over the windows of all of them.
    func groups(from verified: [Proposal]) -> [Proposal] {
        func templates(_ p: Proposal) -> Set<ResourceKey> { Set(p.copies.map { $0.template }) }
        func name(_ set: Set<ResourceKey>) -> String { set.map { $0.description }.sorted().joined(separator: ",") }
        // The sets that could serve the most needs first, a few for each mix of kinds.
        let distinct = Array(Set(verified.map(templates)))
        let reach = distinct.map { set in Set(verified.filter { templates($0).isSubset(of: set) }.flatMap(\.targets)).count }
        var perKinds: [Set<String>: Int] = [:]
        let sets: [Set<ResourceKey>] = distinct.indices.sorted { a, b in
            reach[a] != reach[b] ? reach[a] > reach[b] : name(distinct[a]) < name(distinct[b])
        }.filter { i in
            let kinds = Set(distinct[i].map(\.kind))
            perKinds[kinds, default: 0] += 1
            return reach[i] > 1 && perKinds[kinds, default: 0] <= Proposals.groupsPerKinds
        }.map { distinct[$0] }
        var firstWindow: [NeedID: Minute] = [:]
        for p in verified {
            guard let need = p.targets.first, let start = p.copies.flatMap(\.windows).map(\.start).min() else { continue }
            firstWindow[need] = min(firstWindow[need] ?? start, start)
        }
        var out: [Proposal] = []
        var tried = Set<[NeedID]>()
        for set in sets.prefix(Proposals.groupsTried) {
            var members = verified.filter { templates($0).isSubset(of: set) }
            // A copy is offered for a handful of needs, the earliest first.
            let firstNeeds = Set(Array(Set(members.flatMap { $0.targets })).sorted {
                (firstWindow[$0] ?? 0, $0) < (firstWindow[$1] ?? 0, $1)
            }.prefix(Proposals.groupSize))
            members = members.filter { $0.targets.allSatisfy(firstNeeds.contains) }
            let targets: [NeedID] = Array(Set(members.flatMap { $0.targets })).sorted()
            guard targets.count > 1, tried.insert(targets).inserted else { continue }
            var copies: [(template: ResourceKey, windows: [TimeSpan])] = []
            var byNeed: [[NeedID: [TimeSpan]]] = []
            for t in set.sorted() {
                var mine: [NeedID: [TimeSpan]] = [:]
                for p in members {
                    guard let windows = p.copies.first(where: { $0.template == t })?.windows, let need = p.targets.first else { continue }
                    mine[need, default: []] += windows
                }
                copies.append((template: t, windows: mine.values.flatMap { $0 }))
                byNeed.append(mine)
            }
            guard var p = copy(copies, targets: targets) else { continue }
            p.probe = true
            p.windowsByNeed = byNeed
            out.append(p)
        }
        return out
    }

    // MARK: Larger copies

    /// For a need no resource is large enough for, even all of them together: a copy
    /// of one of the largest resources of its kind with a larger size
    /// (``PluginDescriptor/sizeFields``), at a few steps up from its own.
    private func larger(_ j: Int) -> [Proposal] {
        let need = base.problem.needs[j]
        guard candidatesToCopy(need).isEmpty,
              let plugin = registry.resourceKinds.first(where: { ($0.descriptor.needKeys + $0.descriptor.visitNeedKeys).contains(need.id.key) })
        else { return [] }
        var out: [Proposal] = []
        for (section, field) in plugin.descriptor.sizeFields.sorted(by: { $0.key < $1.key }) {
            let sized: [(found: ResourceFinder.Found, size: Double)] = resources.items(in: section).compactMap { found in
                guard case .number(let size)? = found.object[field], size > 0 else { return nil }
                return (found, size)
            }
            for (found, size) in sized.sorted(by: { $0.size > $1.size }).prefix(Proposals.largerTemplates) {
                guard case .string(let id)? = found.object["id"] else { continue }
                for factor in Proposals.largerSteps {
                    let bigger = (size * factor).rounded(.up)
                    var used = Set<String>()
                    var added: [String: Int] = [:]
                    let newID = resources.freshID(like: id, in: section, used: &used, added: &added)
                    var object = found.object
                    object["id"] = .string(newID)
                    object["name"] = nil
                    object[field] = .number(bigger)
                    var p = Proposal(kind: .addResource,
                                     summary: "one more like \(id) (\(section)) with \(field) \(JSONWriter.format(bigger)) instead of \(JSONWriter.format(size)) (\(newID))",
                                     edits: [PatchOperation(.add, JSONPath([.key("resources"), .key(section), .index(found.sectionCount)]), .object(object))],
                                     targets: [need.id], size: bigger)
                    p.family = "\(section)/\(id)"
                    out.append(p)
                }
            }
        }
        return out
    }

    // MARK: Caps

    /// A first, generous raise of the visit's cap in the category of the need's
    /// cheapest candidate, when that category has a cap: its spend gives the exact raise.
    func capProbe(for j: Int) -> [Proposal] {
        let need = base.problem.needs[j]
        let visit = day.visits[need.id.visit]
        guard day.policy.weights.overrun > 0, let cheapest = need.candidates.min(by: { $0.cost < $1.cost }),
              let category = cheapest.category, base.problem.cap(visit: visit, category: category) != nil else { return [] }
        let generous = need.candidates.reduce(0) { $0 + $1.cost } + base.plan.totals.cost + 1
        var p = Proposal(kind: .raiseCap, summary: "", edits: raise(visit, category, by: generous), targets: [need.id], size: generous)
        p.probe = true
        p.cap = (need.id.visit, category)
        return [p]
    }

    /// The exact raise a probe showed: the spend over the cap in its plan.
    func capRaise(after probe: Proposal, spent plan: Plan) -> Proposal? {
        guard let (v, category) = probe.cap else { return nil }
        let visit = day.visits[v]
        guard let cap = base.problem.cap(visit: visit, category: category),
              case .object(let document) = plan.json,
              case .number(let spend)? = PlanView(document: document).visits[visit.id]?["costs"]?.objectValue?[category] else { return nil }
        let amount = ((spend - cap) * 100).rounded(.up) / 100
        guard amount > 0 else { return nil }
        var p = Proposal(kind: .raiseCap, summary: "approve \(JSONWriter.format(amount)) over \(visit.id)'s \(category) cap",
                         edits: raise(visit, category, by: amount), targets: probe.targets, size: amount)
        p.cap = probe.cap
        return p
    }

    /// The change for an approval: the overrun approved in the day file.
    func forApproval(_ approval: ApprovalNeeded) -> [Proposal] {
        let amount = (approval.amount * 100).rounded(.up) / 100
        if let id = approval.visit, let visit = day.visits.first(where: { $0.id == id }) {
            var p = Proposal(kind: .raiseCap, summary: "approve \(JSONWriter.format(amount)) over \(id)'s \(approval.category) cap",
                             edits: raise(visit, approval.category, by: amount), targets: [], size: amount)
            p.approval = approval
            return [p]
        }
        guard let budget = day.policy.dayBudget else { return [] }
        var p = Proposal(kind: .raiseCap, summary: "raise the day budget by \(JSONWriter.format(amount)), to \(JSONWriter.format(budget + amount))",
                         edits: [PatchOperation(.replace, JSONPath([.key("policy"), .key("dayBudget")]), .number(budget + amount))],
                         targets: [], size: amount)
        p.approval = approval
        return [p]
    }

    /// `approvedOverrun.<category>` of `visit` raised by `amount`.
    private func raise(_ visit: Visit, _ category: String, by amount: Double) -> [PatchOperation] {
        let total = (visit.approvedOverrun[category] ?? 0) + amount
        let path = visit.path + "approvedOverrun"
        guard resources.has(path) else {
            return [PatchOperation(.add, path, .object(JSONObject([(key: category, value: .number(total))])))]
        }
        return [PatchOperation(.add, path + category, .number(total))]
    }
}
