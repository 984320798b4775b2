import GLPKOptimizer
import GreedyOptimizer
import SchedulingCore
import Testing

/// A kind that exists only in this test: a consumable stock of tokens, one per
/// guest, with its own weight field. It shows what a plugin outside the core
/// can express through the protocols alone.
private struct TokenPlugin: ResourceKindPlugin {
    var descriptor: PluginDescriptor {
        PluginDescriptor(name: "tokens", summary: "Test tokens, used up over the day.",
                         resourceKeys: ["tokens"], needKeys: ["token"], weightFields: ["tokenPenalty"], costCategories: ["token"])
    }

    func contribute(to day: ResolvedDay, diagnostics d: inout Diagnostics) -> KindContribution {
        var weights = ObjectReader(object: day.day.policy.weightFields, at: day.day.policy.weightsPath)
        let penalty = weights.number("tokenPenalty", &d) ?? 0
        var out = KindContribution()
        var stocks: [(String, Double)] = []
        for (item, path) in PluginInput.resourceItems(day.day, key: "tokens", &d) {
            guard var r = ObjectReader(item, at: path, diagnostics: &d) else { continue }
            guard let id = r.identifier("id", &d), let stock = r.number("stock", required: true, &d) else { continue }
            stocks.append((id, stock))
            out.resources.append(ResourceDeclaration(key: ResourceKey(kind: "token", id: id), sharing: .consumable(stock: stock)))
        }
        for visit in day.visits {
            for segment in visit.segments where segment.needs["token"] != nil {
                let guests = Double(visit.guests)
                out.needs.append(NeedDeclaration(
                    id: NeedID(visit: visit.index, segment: segment.index, key: "token"), rule: .exactly(1), shape: .single,
                    candidates: stocks.filter { $0.1 >= guests }.map { id, _ in
                        Candidate(value: .string(id), label: id,
                                  usages: [Usage(resource: ResourceKey(kind: "token", id: id), span: segment.span, load: guests)],
                                  cost: penalty, category: "token")
                    },
                    requirement: "\(visit.guests) tokens"))
            }
        }
        return out
    }

    func check(_ plan: PlanView, day: ResolvedDay, report: inout CheckReport) {}
}

@Suite("Plugin protocols")
struct PluginProtocolTests {
    static func day(stock: Int, weights: String = "") -> String {
        func visit(_ id: String, _ start: String) -> String {
            """
            {"id": "\(id)", "tier": "low", "guests": 3, "segments": [
              {"id": "sendoff", "start": "\(start)", "end": "\(start.prefix(2)):30", "needs": {"token": {}}}]}
            """
        }
        return """
        {"schemaVersion": 1,
         "policy": {"tiers": {"high": {}, "medium": {}, "low": {}}\(weights.isEmpty ? "" : ", \"weights\": {\(weights)}")},
         "resources": {"tokens": [{"id": "T", "stock": \(stock)}]},
         "visits": [\(visit("V-1", "09:00")), \(visit("V-2", "15:00"))]}
        """
    }

    static func solve(_ text: String) throws -> Plan {
        let registry = try PluginRegistry(resourceKinds: [TokenPlugin()], optimizers: [])
        let problem = try Problem.load(json: Array(text.utf8), registry: registry)
        let result = try GLPKOptimizer().optimize(problem, options: OptimizeOptions())
        return PlanAssembler.assemble(problem, result: result, solverName: "glpk")
    }

    @Test("a consumable stock is shared by uses at any time of the day")
    func consumableStock() throws {
        // Two visits of 3 guests, hours apart: a stock of 6 serves both, 5 only one.
        #expect(try Self.solve(Self.day(stock: 6)).totals.unmet == 0)
        let short = try Self.solve(Self.day(stock: 5))
        #expect(short.totals.unmet == 1)
        #expect(short.unmet.first?.reason.contains("T is held by") == true)
    }

    @Test("a plugin's own weight field is read by the plugin, not warned about by the core")
    func pluginWeightField() throws {
        let registry = try PluginRegistry(resourceKinds: [TokenPlugin()], optimizers: [])
        let problem = try Problem.load(json: Array(Self.day(stock: 6, weights: "\"tokenPenalty\": 7").utf8), registry: registry)
        #expect(problem.warnings.isEmpty)
        let plan = try Self.solve(Self.day(stock: 6, weights: "\"tokenPenalty\": 7"))
        #expect(plan.totals.cost == 14)
    }

    @Test("errors in a plugin's weight field carry their JSON path")
    func pluginWeightFieldError() throws {
        let registry = try PluginRegistry(resourceKinds: [TokenPlugin()], optimizers: [])
        #expect {
            _ = try Problem.load(json: Array(Self.day(stock: 6, weights: "\"tokenPenalty\": -1").utf8), registry: registry)
        } throws: { error in
            (error as? InputError)?.errors.map(\.path.description) == ["policy.weights.tokenPenalty"]
        }
    }
}

/// A kind whose need picks "left" and "right" items in equal numbers (a side
/// rule) and writes them as pairs itself: what ``NeedConstraint`` and
/// ``PlanShape/custom(_:)`` are for.
private struct PairsPlugin: ResourceKindPlugin {
    var descriptor: PluginDescriptor {
        PluginDescriptor(name: "pairs", summary: "Test pairs.", resourceKeys: ["items"], needKeys: ["pair"], costCategories: ["pair"])
    }

    func contribute(to day: ResolvedDay, diagnostics d: inout Diagnostics) -> KindContribution {
        // Items L1 (seats 2, cost 1), L2 (seats 3, cost 5) and R1 (cost 2), R2 (cost 1): the need wants 4 seats,
        // so both lefts are needed, and with them both rights.
        let items: [(String, Double, Double)] = [("L1", 2, 1), ("L2", 3, 5), ("R1", 0, 2), ("R2", 0, 1)]
        var out = KindContribution(resources: items.map { ResourceDeclaration(key: ResourceKey(kind: "item", id: $0.0), sharing: .exclusive(turnoverMinutes: 0)) })
        for visit in day.visits {
            for segment in visit.segments where segment.needs["pair"] != nil {
                let candidates = items.map { id, seats, cost in
                    Candidate(value: .string(id), label: id, usages: [Usage(resource: ResourceKey(kind: "item", id: id), span: segment.span)],
                              cost: cost, category: "pair", weight: seats)
                }
                let equal = NeedConstraint(terms: [.init(candidate: 0, coefficient: 1), .init(candidate: 1, coefficient: 1),
                                                  .init(candidate: 2, coefficient: -1), .init(candidate: 3, coefficient: -1)],
                                           sense: .equal, rhs: 0)
                out.needs.append(NeedDeclaration(
                    id: NeedID(visit: visit.index, segment: segment.index, key: "pair"), rule: .cover(4),
                    shape: .custom({ chosen in .string(chosen.map { items[$0].0 }.joined(separator: "+")) }),
                    candidates: candidates, constraints: [equal], requirement: "4 seats"))
            }
        }
        return out
    }

    func check(_ plan: PlanView, day: ResolvedDay, report: inout CheckReport) {}
}

extension PluginProtocolTests {
    @Test("side rules among a need's candidates hold, and a custom shape writes the plan's value",
          arguments: ["glpk", "greedy"])
    func sideRulesAndCustomShape(optimizer: String) throws {
        let text = """
        {"schemaVersion": 1, "policy": {"tiers": {"high": {}, "medium": {}, "low": {}}},
         "resources": {"items": []},
         "visits": [{"id": "V-1", "tier": "low", "guests": 1, "segments": [
           {"id": "s", "start": "09:00", "end": "10:00", "needs": {"pair": {}}}]}]}
        """
        let registry = try PluginRegistry(resourceKinds: [PairsPlugin()], optimizers: [])
        let problem = try Problem.load(json: Array(text.utf8), registry: registry)
        let result = optimizer == "glpk"
            ? try GLPKOptimizer().optimize(problem, options: OptimizeOptions())
            : try GreedyOptimizer().optimize(problem, options: OptimizeOptions())
        let plan = PlanAssembler.assemble(problem, result: result, solverName: optimizer)
        // L1 + L2 seat 5 >= 4 (L1 alone seats 2, L2 alone 3); two lefts need two rights: cost 1 + 5 + 2 + 1.
        #expect(plan.totals.unmet == 0)
        #expect(plan.totals.cost == 9)
        guard case .object(let doc) = plan.json, case .array(let visits)? = doc["visits"], case .object(let v)? = visits.first,
              case .array(let segments)? = v["segments"], case .object(let s)? = segments.first else {
            Issue.record("unexpected plan shape"); return
        }
        #expect(s["pair"] == .string("L1+L2+R1+R2"))
    }
}

/// A kind with a visit-level need read from a field of its own on the visit
/// (`"badges": {"count": 3}`), as the lodging kind will have: the core keeps the
/// field for the kind (``Visit/fields``) instead of warning about it.
private struct BadgePlugin: ResourceKindPlugin {
    var descriptor: PluginDescriptor {
        PluginDescriptor(name: "badges", summary: "Test visitor badges printed at a desk, one need per visit.",
                         resourceKeys: ["badgeDesks"], needKeys: [], visitNeedKeys: ["badges"], visitFields: ["badges"],
                         costCategories: ["badges"], listsCategoriesOnlyWhenUsed: true)
    }

    func contribute(to day: ResolvedDay, diagnostics d: inout Diagnostics) -> KindContribution {
        var out = KindContribution()
        var desks: [(String, Double)] = []
        for (item, path) in PluginInput.resourceItems(day.day, key: "badgeDesks", &d) {
            guard var r = ObjectReader(item, at: path, diagnostics: &d) else { continue }
            guard let id = r.identifier("id", &d), let stock = r.number("stock", required: true, &d) else { continue }
            desks.append((id, stock))
            out.resources.append(ResourceDeclaration(key: ResourceKey(kind: "badgeDesk", id: id), sharing: .consumable(stock: stock)))
        }
        for visit in day.visits {
            guard let field = visit.fields["badges"], var r = ObjectReader(field, at: visit.path + "badges", diagnostics: &d),
                  let count = r.integer("count", required: true, in: 1...1000, &d) else { continue }
            r.warnAboutUnknownKeys(&d)
            out.needs.append(NeedDeclaration(
                id: NeedID(visit: visit.index, segment: nil, key: "badges"), rule: .exactly(1), shape: .single,
                candidates: desks.map { id, _ in
                    Candidate(value: .string(id), label: id,
                              usages: [Usage(resource: ResourceKey(kind: "badgeDesk", id: id), span: visit.span, load: Double(count))],
                              cost: Double(count), category: "badges")
                },
                requirement: "\(count) badges"))
        }
        return out
    }

    func check(_ plan: PlanView, day: ResolvedDay, report: inout CheckReport) {}
}

@Suite("Plugin protocols: a kind's own visit-level need")
struct VisitFieldTests {
    static func day(_ badges: String, desks: Bool = true) -> String {
        """
        {"schemaVersion": 1, "policy": {"tiers": {"high": {}, "medium": {}, "low": {}}},
         "resources": {\(desks ? #""badgeDesks": [{"id": "D", "stock": 5}]"# : "")},
         "visits": [{"id": "V-1", "tier": "low", "guests": 3, \(badges)
                     "segments": [{"id": "talk", "start": "09:00", "end": "10:00"}]}]}
        """
    }

    static func load(_ text: String, kinds: [any ResourceKindPlugin] = [BadgePlugin()]) throws -> Problem {
        try Problem.load(json: Array(text.utf8), registry: PluginRegistry(resourceKinds: kinds, optimizers: []))
    }

    @Test("the kind reads its field from the visit and states a need per visit; the core does not warn")
    func ownField() throws {
        let problem = try Self.load(Self.day(#""badges": {"count": 3},"#))
        #expect(problem.warnings.isEmpty)
        #expect(problem.day.visits[0].fields["badges"] != nil)
        let need = try #require(problem.needs.first { $0.id.key == "badges" })
        #expect(need.id.segment == nil && need.candidates.count == 1)
        let result = try GLPKOptimizer().optimize(problem, options: OptimizeOptions())
        let plan = PlanAssembler.assemble(problem, result: result, solverName: "glpk")
        #expect(plan.totals.unmet == 0 && plan.totals.cost == 3)
        let stock = try Self.load(Self.day(#""badges": {"count": 6},"#))
        let short = PlanAssembler.assemble(stock, result: try GLPKOptimizer().optimize(stock, options: OptimizeOptions()), solverName: "glpk")
        #expect(short.totals.unmet == 1, "6 badges from a stock of 5")
    }

    @Test("an error in the kind's field names its place under the visit")
    func fieldError() {
        #expect {
            _ = try Self.load(Self.day(#""badges": {"count": 0},"#))
        } throws: { error in
            (error as? InputError)?.errors.map(\.path.description) == ["visits[0].badges.count"]
        }
    }

    @Test("without a kind that reads it, the field is an unknown key, as before")
    func unknownWithoutKind() throws {
        let problem = try Self.load(Self.day(#""badges": {"count": 3},"#, desks: false), kinds: [])
        #expect(problem.warnings.map(\.path.description) == ["visits[0].badges"])
        #expect(problem.day.visits[0].fields["badges"] == nil)
    }

    @Test("two kinds cannot claim one visit field")
    func claimedTwice() {
        #expect(throws: PluginRegistry.ConflictError.self) {
            try PluginRegistry(resourceKinds: [BadgePlugin(), BadgeTwin()], optimizers: [])
        }
    }
}

private struct BadgeTwin: ResourceKindPlugin {
    var descriptor: PluginDescriptor {
        PluginDescriptor(name: "badges-twin", summary: "Claims the same visit field.", resourceKeys: [], needKeys: [],
                         visitFields: ["badges"])
    }
    func contribute(to day: ResolvedDay, diagnostics d: inout Diagnostics) -> KindContribution { KindContribution() }
    func check(_ plan: PlanView, day: ResolvedDay, report: inout CheckReport) {}
}
