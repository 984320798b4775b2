import GLPKOptimizer
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
