import Catering
import Foundation
import Gifts
import GLPKOptimizer
import PlanChecker
import SchedulingCore
import Staff
import Testing
import Transport
import Venues

/// The gifts plugin: a kind added from outside the core, solved with the built-in
/// kinds, checked by its own checker part, and listed by `schedule plugins`.
@Suite("Gifts")
struct GiftTests {
    /// The registry of the CLI: the four built-in kinds and gifts.
    static func registry() throws -> PluginRegistry {
        try PluginRegistry(resourceKinds: [VenuesPlugin(), TransportPlugin(), CateringPlugin(), StaffPlugin(), GiftsPlugin()],
                           optimizers: [GLPKOptimizer()])
    }

    static func giftsOnly() throws -> PluginRegistry {
        try PluginRegistry(resourceKinds: [GiftsPlugin()], optimizers: [GLPKOptimizer()])
    }

    /// Solves a day, runs the plan through the independent checker (recording an issue
    /// when it rejects the plan) and returns both.
    static func solve(_ text: String, registry: PluginRegistry,
                      sourceLocation: SourceLocation = #_sourceLocation) throws -> (Problem, Plan) {
        let problem = try Problem.load(json: Array(text.utf8), registry: registry)
        let result = try GLPKOptimizer().optimize(problem, options: OptimizeOptions())
        let plan = PlanAssembler.assemble(problem, result: result, solverName: "glpk")
        let outcome = PlanChecker.check(planJSON: Array(JSONWriter.pretty(plan.json).utf8), problem: problem, registry: registry)
        #expect(outcome.isValid, "\(outcome.violations.map(\.description).joined(separator: "\n"))", sourceLocation: sourceLocation)
        return (problem, plan)
    }

    static var exampleDay: String {
        get throws {
            let url = CLI.packageRoot.appendingPathComponent("Examples/gifts-day.json")
            return try String(contentsOf: url, encoding: .utf8)
        }
    }

    // MARK: The example day

    /// `Examples/gifts-day.json`, worked out by hand (weights: overGrade 20, overrun 10, unmet 100000).
    ///
    /// Gifts, where stock makes the visits compete. V-001 (high, 4 guests, grade >= 4) takes TEA:
    /// 4 x 180 = 720, within its cap of 4 x 200. That leaves 1 TEA. V-002 (medium, 4) and V-003
    /// (medium, 3) both want PEN (grade 3, 80), but PEN has 6 pieces, not 7: one of them takes
    /// SILK (250). V-003 taking SILK: 320 + 750 = 1070 (750 is exactly its cap of 3 x 250);
    /// V-002 taking SILK: 1000 + 240 = 1240. Giving V-001 SILK instead to free TEA costs
    /// 1000 + 10 x 200 over its cap. So TEA, PEN, SILK: gifts 720 + 320 + 750 = 1790.
    ///
    /// The rest. V-001: CAR-01 (the only car of grade 4, 4 seats) with DRV-01 (the only sedan
    /// driver) both ways, 50 min at 120/h = 100 each; R301 (the only room of grade 4) for 90 min
    /// at 200/h = 300; BQ-1 (the only banquet room) for 6 at 300 = 1800, overGrade 5 - 4 = 1.
    /// V-002: R301 is V-001's until 11:00, so R205 (0); BQ-1 is V-001's at noon, so CANTEEN, 5 at
    /// 60 = 300. V-003: R205 (0; R301 would cost 200 and overGrade 1); its 15:15 send-off cannot
    /// have CAR-01 or DRV-01 (back from PVG at 15:40), so MPV-01 with DRV-02: 15 min at 150/h = 37.5.
    /// Staff cost nothing and all are placed (S-001 hosts V-001 and V-003, S-002 hosts V-002).
    ///
    /// Cost 300 + 237.5 + 2100 + 1790 = 4427.5; overGrade 1 (20); no overrun, nothing unmet.
    /// Objective 4447.5.
    @Test("the gifts example day: stock makes visits compete, solved to the hand-worked optimum and checked clean")
    func exampleDay() throws {
        let (_, plan) = try Self.solve(try Self.exampleDay, registry: try Self.registry())
        #expect(plan.status == .optimal)
        #expect(abs(plan.objective - 4447.5) <= 1e-6 * 4447.5, "objective \(plan.objective)")
        #expect(plan.totals.unmet == 0)
        #expect(plan.approvalsNeeded.isEmpty)
        #expect(plan.chosen("V-001", "farewell", "gift") == "TEA")
        #expect(plan.chosen("V-002", "farewell", "gift") == "PEN")
        #expect(plan.chosen("V-003", "farewell", "gift") == "SILK")
        #expect(plan.totals.byCategory.first { $0.category == "gift" }?.amount == 1790)
        #expect(plan.visit("V-003")?["costs"]?["gift"]?.number == 750)
    }

    // MARK: Unmet reasons

    /// The gifts fixture day with one edit.
    static func giftsDay(_ old: String, _ new: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        let day = ConformanceFixtures.day("gifts.json")
        #expect(day.contains(old), "the fixture does not contain \(old)", sourceLocation: sourceLocation)
        return day.replacingOccurrences(of: old, with: new)
    }

    @Test("a visit whose tier asks a grade no gift has is unmet, and the reason names the grade")
    func unmetByGrade() throws {
        let (_, plan) = try Self.solve(Self.giftsDay("\"minGiftGrade\": 4", "\"minGiftGrade\": 5"), registry: try Self.giftsOnly())
        let unmet = try #require(plan.unmet.first { $0.visit == "V1" })
        #expect(unmet.need == "gift" && unmet.segment == "sendoff")
        #expect(unmet.reason.contains("no gift is of grade 5 or above"), "\(unmet.reason)")
        #expect(unmet.reason.contains("the best is grade 4"), "\(unmet.reason)")
    }

    @Test("a visit with more guests than any good enough gift's stock is unmet, and the reason lists the stocks")
    func unmetByStock() throws {
        let day = Self.giftsDay(#""id": "V1", "tier": "high", "guests": 4"#, #""id": "V1", "tier": "high", "guests": 7"#)
        let (_, plan) = try Self.solve(day, registry: try Self.giftsOnly())
        let unmet = try #require(plan.unmet.first { $0.visit == "V1" })
        #expect(unmet.reason.contains("has 7 pieces, one for each guest (in stock for the day: TEA 6)"), "\(unmet.reason)")
    }

    @Test("two visits that together need more pieces than the stock: one is unmet, and the reason names who holds it")
    func unmetByCompetition() throws {
        // With TEA made grade 1, only PEN is good enough for the medium tier (grade >= 2); V2 and V3,
        // both medium now, need 3 + 3 pieces and PEN has 5. They are worth the same, so either may win.
        let day = Self.giftsDay(#""id": "TEA", "name": "Longjing tea set", "grade": 4"#, #""id": "TEA", "name": "Longjing tea set", "grade": 1"#)
            .replacingOccurrences(of: #""id": "V3", "tier": "low""#, with: #""id": "V3", "tier": "medium""#)
            .replacingOccurrences(of: #""id": "V1", "tier": "high", "guests": 4"#, with: #""id": "V1", "tier": "low", "guests": 4"#)
        let (_, plan) = try Self.solve(day, registry: try Self.giftsOnly())
        #expect(plan.totals.unmet == 1)
        let unmet = try #require(plan.unmet.first)
        let holder = unmet.visit == "V2" ? "V3 farewell" : "V2 sendoff"
        #expect(unmet.reason.contains("PEN is held by \(holder)"), "\(unmet.reason)")
    }

    // MARK: The checker part

    /// The optimal plan of the gifts fixture day (V1 TEA, V2 PEN, V3 CARD, V4 PEN), with one gift changed.
    static func check(giving gift: JSONValue, to visit: String) throws -> CheckOutcome {
        let registry = try giftsOnly()
        let (problem, plan) = try solve(ConformanceFixtures.day("gifts.json"), registry: registry)
        guard case .object(var document) = plan.json, case .array(var visits)? = document["visits"],
              let v = visits.firstIndex(where: { $0["id"]?.string == visit }),
              case .object(var entry) = visits[v], case .array(var segments)? = entry["segments"],
              case .object(var segment) = segments[0] else {
            Issue.record("the plan has no segment for \(visit)")
            return CheckOutcome(violations: [], recomputed: nil)
        }
        segment["gift"] = gift
        segments[0] = .object(segment)
        entry["segments"] = .array(segments)
        visits[v] = .object(entry)
        document["visits"] = .array(visits)
        return PlanChecker.check(plan: .object(document), problem: problem, registry: registry)
    }

    @Test("the checker part: grade below the tier's, stock over the day, pieces, unknown ids and shapes")
    func checkerRules() throws {
        #expect(try Self.check(giving: "PEN", to: "V1").rules.contains("gift.grade"))
        // V2 (3) and V4 (2) already take the 5 PEN; V3's 3 more go over.
        let stock = try Self.check(giving: "PEN", to: "V3")
        #expect(stock.rules.contains("gift.stock"))
        #expect(stock.violations.contains { $0.rule == "gift.stock" && $0.message.contains("PEN has 5 pieces for the day; the plan hands out 8") })
        #expect(try Self.check(giving: "CARD", to: "V1").rules.isSuperset(of: ["gift.grade", "gift.pieces"]))
        #expect(try Self.check(giving: "BOOK", to: "V2").rules.contains("gift.unknown"))
        #expect(try Self.check(giving: ["PEN"], to: "V2").rules.contains("gift.shape"))
    }

    @Test("the checker recomputes gift costs, and a gift above the tier's grade adds no overGrade")
    func checkerCostsAndNoOverGrade() throws {
        // V4 (low tier, grade >= 1) given TEA (grade 4): 2 x 180 = 360, and TEA's 6 pieces suffice (V1 4 + V4 2).
        let outcome = try Self.check(giving: "TEA", to: "V4")
        #expect(!outcome.rules.contains { $0.hasPrefix("gift.") }, "\(outcome.violations)")
        let recomputed = try #require(outcome.recomputed)
        #expect(recomputed.visitCosts["V4"]?["gift"] == 360)
        #expect(recomputed.overGrade == 0)
        // The plan still declares PEN's 120: the core checker notices the difference.
        #expect(outcome.rules.contains("plan.visit-costs"))
    }

    @Test("minGiftGrade defaults to 1 when a tier does not give it")
    func defaultMinimumGrade() throws {
        // The fixture's low tier has no minGiftGrade; CARD (grade 1) is eligible for its visits.
        let problem = try Problem.load(json: Array(ConformanceFixtures.day("gifts.json").utf8), registry: try Self.giftsOnly())
        let need = try #require(problem.needs.first { problem.day.visits[$0.id.visit].id == "V3" })
        #expect(need.candidates.map(\.label).sorted() == ["CARD", "PEN", "TEA"])
    }

    // MARK: The command line

    @Test("schedule plugins --json lists gifts with its keys, tier field and cost category")
    func pluginsJSON() throws {
        let run = try CLI.run(["plugins", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let document = try JSONParser.parse(run.stdout)
        let kinds = try #require(document["resourceKinds"]?.array)
        #expect(kinds.compactMap { $0["name"]?.string } == ["venues", "transport", "catering", "staff", "gifts", "lodging"])
        let gifts = try #require(kinds.first { $0["name"]?.string == "gifts" })
        #expect(gifts["resources"]?.strings == ["gifts"])
        #expect(gifts["needs"]?["segment"]?.strings == ["gift"])
        #expect(gifts["needs"]?["visit"]?.strings == [])
        #expect(gifts["tierFields"]?.strings == ["minGiftGrade"])
        #expect(gifts["weightFields"]?.strings == [])
        #expect(gifts["costCategories"]?.strings == ["gift"])
        #expect(gifts["summary"]?.string?.isEmpty == false)
        let staff = try #require(kinds.first { $0["name"]?.string == "staff" })
        #expect(staff["needs"]?["visit"]?.strings == ["host", "escorts"])
        #expect(document["optimizers"]?.array?.compactMap { $0["name"]?.string } == ["glpk", "greedy"])
    }

    @Test("schedule optimize plans the gifts example and schedule check accepts the plan")
    func commandLine() throws {
        let folder = try CLI.temporaryFolder()
        let plan = folder.appendingPathComponent("plan.json").path
        let day = CLI.packageRoot.appendingPathComponent("Examples/gifts-day.json").path
        let run = try CLI.run(["optimize", day, "-o", plan])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stderr.contains("status     optimal"))
        let check = try CLI.run(["check", day, plan])
        #expect(check.status == 0, "\(check.stdout)")
    }
}
