import DayGenerator
import Foundation
import GLPKOptimizer
import GreedyOptimizer
import PlanChecker
import SchedulingCore
import Testing

/// Replanning (PROBLEM.md §10): what is under way keeps its value unless it
/// broke, every other need keeps its value unless changing it pays more than
/// `weights.change`, and every replanned plan goes through the independent
/// checker with the plan it was made from.
@Suite("Replanning")
struct ReplanTests {
    /// Two visits and two cars: CAR-A (cheap) and CAR-B (dearer). V1's pickup runs
    /// 09:00-10:00, V2's send-off 14:00-15:00; both take CAR-A at first.
    static func day() -> DayBuilder {
        var day = DayBuilder(visits: [
            visit("V1", segments: [transferSegment("pickup", "09:00", "10:00", from: "PVG", to: "HQ")]),
            visit("V2", segments: [transferSegment("sendoff", "14:00", "15:00", from: "HQ", to: "PVG")]),
        ])
        day.vehicles = [vehicle("CAR-A", costPerHour: 60), vehicle("CAR-B", costPerHour: 150)]
        day.drivers = [driver("DRV-1"), driver("DRV-2")]
        return day
    }

    struct Replanned {
        var problem: Problem
        var plan: Plan
        var outcome: CheckOutcome
    }

    /// Plans `day` from scratch, then replans `changedDay` from that plan at `now`;
    /// the replanned plan is checked with its basis (an issue when the checker rejects it).
    static func replan(_ day: JSONValue, _ changedDay: JSONValue? = nil, now: Minute, optimizer: any OptimizerPlugin = GLPKOptimizer(),
                       sourceLocation: SourceLocation = #_sourceLocation) throws -> (first: Plan, again: Replanned) {
        let registry = try makeRegistry()
        let first = try Problem.load(json: Array(JSONWriter.pretty(day).utf8), registry: registry)
        let before = PlanAssembler.assemble(first, result: try GLPKOptimizer().optimize(first, options: OptimizeOptions()), solverName: "glpk")
        let now2 = try Problem.load(json: Array(JSONWriter.pretty(changedDay ?? day).utf8), registry: registry)
        let problem = try now2.replanned(from: before.json, now: now)
        let plan = PlanAssembler.assemble(problem, result: try optimizer.optimize(problem, options: OptimizeOptions()), solverName: optimizer.name)
        let outcome = PlanChecker.check(plan: plan.json, problem: now2, registry: registry,
                                        basis: PlanChecker.ReplanBasis(previous: before.json, now: now))
        #expect(outcome.isValid, "\(outcome.violations.map(\.description).joined(separator: "\n"))\n\(JSONWriter.pretty(plan.json))",
                sourceLocation: sourceLocation)
        return (before, Replanned(problem: problem, plan: plan, outcome: outcome))
    }

    @Test("a car withdrawn from 11:00: the past keeps it, the afternoon is freed to the other car, one change")
    func carWithdrawn() throws {
        let day = Self.day()
        var withdrawn = day
        withdrawn.vehicles = [vehicle("CAR-A", costPerHour: 60, available: windows("00:00-11:00")), vehicle("CAR-B", costPerHour: 150)]
        for optimizer: any OptimizerPlugin in [GLPKOptimizer(), GreedyOptimizer()] {
            let (first, again) = try Self.replan(day.json, withdrawn.json, now: 11 * 60, optimizer: optimizer)
            #expect(first.pairs("V1", "pickup")?.first?.vehicle == "CAR-A" && first.pairs("V2", "sendoff")?.first?.vehicle == "CAR-A")
            let plan = again.plan
            #expect(plan.pairs("V1", "pickup") == first.pairs("V1", "pickup"), "\(optimizer.name): the pickup under way keeps its car")
            #expect(plan.pairs("V2", "sendoff")?.first?.vehicle == "CAR-B")
            #expect(plan.changes.map { "\($0.visit) \($0.segment ?? "-") \($0.need) \($0.why.rawValue)" } == ["V2 sendoff transport freed"])
            // Cost 60 + 150 and one change at the default weight of 50.
            #expect(plan.objective == 60 + 150 + 50, "\(optimizer.name)")
            #expect(plan.json["changes"]?.array?.count == 1)
        }
    }

    @Test("a car gone for the whole day breaks the transfer under way, which is planned again as broken")
    func brokenUnderWay() throws {
        let day = Self.day()
        var gone = day
        gone.vehicles = [vehicle("CAR-A", costPerHour: 60, available: .array([])), vehicle("CAR-B", costPerHour: 150)]
        let (_, again) = try Self.replan(day.json, gone.json, now: 9 * 60 + 30)
        #expect(again.plan.pairs("V1", "pickup")?.first?.vehicle == "CAR-B")
        #expect(Set(again.plan.changes.map { "\($0.visit) \($0.why.rawValue)" }) == ["V1 broken", "V2 freed"])
    }

    @Test("a cheaper choice replaces the earlier one only when it saves more than weights.change")
    func changesThatPay() throws {
        let day = Self.day()
        // CAR-B becomes cheaper than CAR-A (60 an hour) by 60 - b: at 5 it saves 55, more
        // than the change's 50, and V2's send-off moves; at 20 it saves 40 and stays.
        for (b, moves) in [(5.0, true), (20.0, false)] {
            var later = day
            later.vehicles = [vehicle("CAR-A", costPerHour: 60), vehicle("CAR-B", costPerHour: b)]
            let (_, again) = try Self.replan(day.json, later.json, now: 11 * 60)
            let moved = again.plan.pairs("V2", "sendoff")?.first?.vehicle == "CAR-B"
            #expect(moved == moves, "CAR-B at \(b) an hour")
            #expect(again.plan.changes.map(\.why) == (moves ? [.cheaper] : []))
            #expect(again.plan.pairs("V1", "pickup")?.first?.vehicle == "CAR-A", "the pickup was under way")
        }
    }

    @Test("a visit added at noon is new, not a change; an unmet need under way stays unmet")
    func newVisitAndFrozenUnmet() throws {
        var day = Self.day()
        day.venues = [venue("R1", capacity: 1)]
        day.visits.append(visit("V3", guests: 3, segments: [venueSegment("talks", "09:30", "10:30")]))
        var later = day
        later.venues = [venue("R1", capacity: 10)]
        later.visits.append(visit("V4", segments: [venueSegment("talks", "13:00", "14:00")]))
        let (first, again) = try Self.replan(day.json, later.json, now: 10 * 60)
        #expect(first.unmetKeys == ["V3/talks/venue"])
        // V3's talks started unmet at 09:30: unmet still, though R1 now seats them.
        #expect(again.plan.unmetKeys == ["V3/talks/venue"])
        #expect(again.plan.unmet.first?.reason.contains("under way") == true)
        #expect(again.plan.chosen("V4", "talks", "venue") == "R1")
        #expect(again.plan.changes.isEmpty)
    }

    @Test("the checker wants the basis of a replan, and holds the past and the changes list to it")
    func checkerRules() throws {
        let day = Self.day()
        var withdrawn = day
        withdrawn.vehicles = [vehicle("CAR-A", costPerHour: 60, available: windows("00:00-11:00")), vehicle("CAR-B", costPerHour: 150)]
        let (first, again) = try Self.replan(day.json, withdrawn.json, now: 11 * 60)
        let registry = try makeRegistry()
        let problem = try Problem.load(json: Array(JSONWriter.pretty(withdrawn.json).utf8), registry: registry)
        #expect(PlanChecker.check(plan: again.plan.json, problem: problem, registry: registry).rules.contains("plan.replan-basis"))
        let basis = PlanChecker.ReplanBasis(previous: first.json, now: 11 * 60)
        // Dropping the list, or changing the past: each is caught.
        let unlisted = again.plan.json.setting("changes", to: [])
        #expect(PlanChecker.check(plan: unlisted, problem: problem, registry: registry, basis: basis).rules.contains("plan.changes"))
        let pastMoved = again.plan.json.setting("visits[0].segments[0].transport[0].vehicle", to: "CAR-B")
        let rules = PlanChecker.check(plan: pastMoved, problem: problem, registry: registry, basis: basis).rules
        #expect(rules.contains("plan.kept") && rules.contains("plan.changes"), "\(rules)")
        // A wrong reason: the send-off was not under way.
        let wrongWhy = again.plan.json.setting("changes[0].why", to: "broken")
        #expect(PlanChecker.check(plan: wrongWhy, problem: problem, registry: registry, basis: basis).rules.contains("plan.changes"))
    }

    @Test("a generated day with a car withdrawn at 11:00: few changes, within a few of the fewest possible", arguments: [3] as [UInt64])
    func fewestChanges(seed: UInt64) throws {
        let registry = try makeRegistry()
        let generated = DayGenerator.generate(GeneratorOptions(visits: 16, seed: seed))
        let day = try Problem.load(generated, registry: registry)
        let first = PlanAssembler.assemble(day, result: try GLPKOptimizer().optimize(day, options: OptimizeOptions()), solverName: "glpk")
        #expect(first.status == .optimal)
        // Withdraw, from 11:00, the car with the most transfers after 11:00.
        var uses: [String: Int] = [:]
        for visit in day.day.visits {
            for segment in visit.segments where segment.span.start >= 11 * 60 {
                for pair in first.pairs(visit.id, segment.id) ?? [] { uses[pair.vehicle, default: 0] += 1 }
            }
        }
        let car = try #require(uses.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key)
        let vehicles = try #require(generated["resources"]?["vehicles"]?.array)
        let index = try #require(vehicles.firstIndex { $0["id"]?.string == car })
        let withdrawn = generated.setting("resources.vehicles[\(index)].available", to: windows("00:00-11:00"))
        let now = try Problem.load(withdrawn, registry: registry)
        func replan(weight: Double?) throws -> Plan {
            var edited = now
            if let weight { edited.resolved.day.policy.weights.change = weight }
            let problem = try edited.replanned(from: first.json, now: 11 * 60)
            let plan = PlanAssembler.assemble(problem, result: try GLPKOptimizer().optimize(problem, options: OptimizeOptions(timeLimit: 30)),
                                              solverName: "glpk")
            let outcome = PlanChecker.check(plan: plan.json, problem: problem, registry: registry,
                                            basis: PlanChecker.ReplanBasis(previous: first.json, now: 11 * 60))
            #expect(outcome.isValid, "\(outcome.violations.prefix(5).map(\.description))")
            return plan
        }
        let plan = try replan(weight: nil)
        // With changes costing more than anything but an unmet need, the optimum has the
        // fewest changes that keep every need met that can be.
        let fewest = try replan(weight: 50_000)
        #expect(fewest.totals.unmet <= plan.totals.unmet)
        #expect(!plan.changes.isEmpty, "the withdrawn car \(car) served transfers after 11:00")
        #expect(plan.changes.count <= fewest.changes.count + 3, "\(plan.changes.count) changes against at least \(fewest.changes.count)")
        // Nothing under way changed except what used the withdrawn car.
        for change in plan.changes where change.why == .broken {
            #expect(JSONWriter.compact(change.before).contains(car), "\(change)")
        }
    }

    @Test("schedule replan writes the plan with its changes; schedule check wants --previous and --now with it")
    func commandLine() throws {
        let folder = try CLI.temporaryFolder()
        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
        let day = Self.day()
        var withdrawn = day
        withdrawn.vehicles = [vehicle("CAR-A", costPerHour: 60, available: windows("00:00-11:00")), vehicle("CAR-B", costPerHour: 150)]
        try day.text.write(toFile: path("day.json"), atomically: true, encoding: .utf8)
        try withdrawn.text.write(toFile: path("now.json"), atomically: true, encoding: .utf8)
        let first = try CLI.run(["optimize", path("day.json"), "-o", path("plan.json")])
        #expect(first.status == 0, "\(first.stderr)")
        let replan = try CLI.run(["replan", path("now.json"), "--previous", path("plan.json"), "--now", "11:00", "-o", path("new.json")])
        #expect(replan.status == 0, "\(replan.stderr)")
        #expect(replan.stderr.contains("changes") && replan.stderr.contains("1 freed"), "\(replan.stderr)")
        let bare = try CLI.run(["check", path("now.json"), path("new.json")])
        #expect(bare.status == 1 && bare.stdout.contains("plan.replan-basis"))
        let check = try CLI.run(["check", path("now.json"), path("new.json"), "--previous", path("plan.json"), "--now", "11:00"])
        #expect(check.status == 0, "\(check.stdout)")
        let badMoment = try CLI.run(["replan", path("now.json"), "--previous", path("plan.json"), "--now", "25:00"])
        #expect(badMoment.status == 2)
        let badDay = try CLI.run(["replan", path("now.json"), "--previous", path("plan.json"), "--now", "2 11:00"])
        #expect(badDay.status == 2 && badDay.stderr.contains("1 day"), "\(badDay.stderr)")
    }
}
