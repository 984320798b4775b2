import Foundation
import GLPKOptimizer
import GreedyOptimizer
import PlanChecker
import SchedulingCore
import Testing

/// Pins (PROBLEM.md §10): a need pinned in the day file is met by exactly the
/// pinned value or is unmet, whichever optimizer plans it, and `schedule check`
/// holds plans to it.
@Suite("Pins")
struct PinTests {
    /// Two rooms: R-CHEAP (free) and R-DEAR (100 an hour); one talk of an hour.
    static func rooms() -> DayBuilder {
        var day = DayBuilder(visits: [visit("V1", segments: [venueSegment("talks", "09:00", "10:00")])])
        day.venues = [venue("R-CHEAP"), venue("R-DEAR", costPerHour: 100), venue("R-TINY", capacity: 1)]
        return day
    }

    static func solve(_ day: JSONValue, optimizer: any OptimizerPlugin = GLPKOptimizer(),
                      sourceLocation: SourceLocation = #_sourceLocation) throws -> (Problem, Plan) {
        let registry = try makeRegistry()
        let problem = try Problem.load(json: Array(JSONWriter.pretty(day).utf8), registry: registry)
        let result = try optimizer.optimize(problem, options: OptimizeOptions())
        let plan = PlanAssembler.assemble(problem, result: result, solverName: optimizer.name)
        expectCheckerAccepts(plan, problem: problem, registry: registry, sourceLocation: sourceLocation)
        return (problem, plan)
    }

    @Test("a pinned room is used even when another is cheaper, by both optimizers")
    func pinnedRoom() throws {
        let free = try Self.solve(Self.rooms().json)
        #expect(free.1.chosen("V1", "talks", "venue") == "R-CHEAP")
        let pinned = Self.rooms().json.setting("visits[0].segments[0].needs.venue.pin", to: "R-DEAR")
        for optimizer: any OptimizerPlugin in [GLPKOptimizer(), GreedyOptimizer()] {
            let (problem, plan) = try Self.solve(pinned, optimizer: optimizer)
            #expect(plan.chosen("V1", "talks", "venue") == "R-DEAR", "\(optimizer.name)")
            #expect(plan.objective == 100)
            #expect(problem.warnings.isEmpty, "pin is not an unknown key: \(problem.warnings)")
        }
    }

    @Test("a pin that cannot be met leaves the need unmet, with a reason naming the pin; never another room")
    func unmeetablePin() throws {
        for pin: JSONValue in ["R-TINY", "R-NOWHERE", ["R-CHEAP"]] {
            let day = Self.rooms().json.setting("visits[0].segments[0].needs.venue.pin", to: pin)
            let (_, plan) = try Self.solve(day)
            expectPlan(plan, objective: 100_000, unmet: ["V1/talks/venue"])
            let reason = plan.unmet.first?.reason ?? ""
            #expect(reason.contains("pinned"), "\(reason)")
        }
    }

    @Test("escortsPin and a presenters pin name the people, in any order")
    func pinnedPeople() throws {
        var day = DayBuilder(visits: [
            visit("V1", escorts: 2, extra: ["host": "EX1", "escortsPin": ["EX3", "EX2"]], segments: [
                segment("tour", "10:00", "11:00", hostAttends: false, needs: ["presenters": ["count": 1, "pin": ["P2"]]]),
            ]),
        ])
        day.staff += [staffMember("P1", department: "R&D"), staffMember("P2", department: "R&D")]
        let (_, plan) = try Self.solve(day.json)
        expectPlan(plan, objective: 0)
        #expect(Set(plan.escorts("V1") ?? []) == ["EX2", "EX3"])
        #expect(plan.need("V1", "tour", "presenters")?.strings == ["P2"])

        // Two escorts needed, one pinned: the pin cannot be met.
        let short = day.json.setting("visits[0].escortsPin", to: ["EX2"])
        let (_, unmet) = try Self.solve(short)
        #expect(unmet.unmetKeys == ["V1/-/escorts"])
        #expect(unmet.unmet.first?.reason.contains("pinned") == true)
    }

    @Test("a transport pin keeps its pairs, also where the fleet is large enough for one column per car and per driver")
    func pinnedTransport() throws {
        var day = DayBuilder(visits: [visit("V1", guests: 3, segments: [transferSegment("in", "09:00", "10:00", from: "PVG", to: "HQ")])])
        // 12 cars and 11 drivers: 132 licensed pairs, past the plugin's limit for pair columns.
        day.vehicles = (1...12).map { vehicle("CAR-\($0)", seats: 4, costPerHour: Double($0)) }
        day.drivers = (1...11).map { driver("DRV-\($0)") }
        let free = try Self.solve(day.json)
        #expect(free.1.pairs("V1", "in") == [Pair("CAR-1", "DRV-1")] || free.1.pairs("V1", "in")?.first?.vehicle == "CAR-1")
        let pinned = day.json.setting("visits[0].segments[0].needs.transport.pin", to: [["driver": "DRV-7", "vehicle": "CAR-9"]])
        let (_, plan) = try Self.solve(pinned)
        #expect(plan.pairs("V1", "in") == [Pair("CAR-9", "DRV-7")])
        #expect(plan.objective == 9)
        // A pinned car with too few seats for the guests leaves the transfer unmet.
        var small = day
        small.vehicles.append(vehicle("MINI", seats: 2))
        let (_, unmet) = try Self.solve(small.json.setting("visits[0].segments[0].needs.transport.pin", to: [["vehicle": "MINI", "driver": "DRV-1"]]))
        #expect(unmet.unmetKeys == ["V1/in/transport"])
    }

    @Test("a lodging pin books that hotel or nothing")
    func pinnedLodging() throws {
        let text = try String(contentsOf: CLI.packageRoot.appendingPathComponent("Examples/delegation-programme.json"), encoding: .utf8)
        let registry = TrustSupport.registry()
        func solve(_ edited: String) throws -> Plan {
            let problem = try Problem.load(json: Array(edited.utf8), registry: registry)
            let plan = PlanAssembler.assemble(problem, result: try GLPKOptimizer().optimize(problem, options: OptimizeOptions()), solverName: "glpk")
            #expect(PlanChecker.check(plan: plan.json, problem: problem, registry: registry).isValid)
            return plan
        }
        let same = try solve(text.replacingOccurrences(of: #""lodging": { "nights": [1] }"#,
                                                       with: #""lodging": { "nights": [1], "pin": {"rooms": 2, "hotel": "H-CITY"} }"#))
        #expect(same.objective == 11_420)
        let wrong = try solve(text.replacingOccurrences(of: #""lodging": { "nights": [1] }"#,
                                                        with: #""lodging": { "nights": [1], "pin": {"hotel": "H-CITY", "rooms": 1} }"#))
        #expect(wrong.unmetKeys == ["V-02/-/lodging"])
    }

    @Test("the checker holds a plan to its pins: another value breaks plan.pin; lists compare in any order")
    func checkerPins() throws {
        let day = Self.rooms().json.setting("visits[0].segments[0].needs.venue.pin", to: "R-DEAR")
        let (problem, plan) = try Self.solve(day)
        let registry = try makeRegistry()
        let other = plan.json.setting("visits[0].segments[0].venue", to: "R-CHEAP").setting("objective", to: 0)
            .setting("totals.cost", to: 0).setting("totals.byCategory.venue", to: 0).setting("visits[0].costs.venue", to: 0).setting("bound", to: 0)
        let outcome = PlanChecker.check(plan: other, problem: problem, registry: registry)
        #expect(outcome.rules == ["plan.pin"], "\(outcome.violations)")
        // Escorts pinned in one order and planned in another are the same value.
        #expect(PlanChecker.same(["EX2", "EX3"], ["EX3", "EX2"]))
        #expect(PlanChecker.same([["vehicle": "C", "driver": "D"]], [["driver": "D", "vehicle": "C"]]))
        #expect(!PlanChecker.same(["EX2"], ["EX2", "EX3"]))
    }
}
