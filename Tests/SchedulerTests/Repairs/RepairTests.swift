import DayGenerator
import Foundation
import GLPKOptimizer
import GreedyOptimizer
import PlanChecker
import Repairs
import SchedulingCore
import Testing

/// `schedule repairs` (issue 18): each repair is a change to the day, verified by
/// solving; the tests apply it to the day themselves and run the repair's plan
/// through the independent checker against the changed day.
@Suite("Repairs for unmet needs and approvals")
struct RepairTests {
    /// Plans `day` (GLPK, or `baseline`), searches repairs keeping their plans.
    static func repairs(_ day: JSONValue, baseline: any OptimizerPlugin = GLPKOptimizer()) throws -> (Plan, RepairReport) {
        let registry = try makeRegistry()
        let problem = try Problem.load(day, registry: registry)
        let plan = PlanAssembler.assemble(problem, result: try baseline.optimize(problem, options: OptimizeOptions(timeLimit: 10)),
                                          solverName: baseline.name)
        var search = RepairSearch(registry: registry, verifier: GLPKOptimizer())
        search.keepPlans = true
        return (plan, try search.run(day: day, plan: plan.json))
    }

    /// Applies `repair` to `day`; its plan passes the checker against the changed day,
    /// meets every need it claims and loses none that `before` met.
    static func expectRepairHolds(_ repair: Repair, day: JSONValue, before: Plan,
                                  sourceLocation: SourceLocation = #_sourceLocation) throws {
        let registry = try makeRegistry()
        let changed = try day.applying(repair.edits)
        let problem = try Problem.load(changed, registry: registry)
        let plan = try #require(repair.plan, sourceLocation: sourceLocation)
        let outcome = PlanChecker.check(plan: plan, problem: problem, registry: registry)
        #expect(outcome.isValid, "\(repair.summary): \(outcome.violations.map(\.description).joined(separator: "\n"))",
                sourceLocation: sourceLocation)
        let view = PlanView(document: try #require(plan.objectValue))
        for need in repair.meets {
            let value = need.segment.map { view.segments[need.visit]?[$0]?[need.need] } ?? view.visitValue(need.visit, need.need)
            #expect(value != nil && value != .null, "\(repair.id) \(repair.summary) claims \(need) but its plan leaves it unmet",
                    sourceLocation: sourceLocation)
        }
        let unmetAfter = plan["totals"]?["unmet"]?.number ?? -1
        #expect(unmetAfter == Double(before.totals.unmet - repair.meets.count),
                "\(repair.summary): \(before.totals.unmet) unmet before, \(unmetAfter) after, meets \(repair.meets.count)", sourceLocation: sourceLocation)
    }

    /// Two visits want the only meeting room 09:00-10:00.
    static func roomClash() -> DayBuilder {
        var day = DayBuilder(visits: [
            visit("V1", segments: [venueSegment("meeting", "09:00", "10:00")]),
            visit("V2", segments: [venueSegment("meeting", "09:00", "10:00")]),
        ])
        day.venues = [venue("R1", costPerHour: 100)]
        return day
    }

    @Test("a room taken twice: moving the segment an hour and one more room like R1 both meet it; the move is listed first")
    func roomClashRepairs() throws {
        let day = Self.roomClash().json
        let (plan, report) = try Self.repairs(day)
        #expect(plan.totals.unmet == 1)
        let need = try #require(report.needs.first)
        let first = try #require(need.repairs.first)
        #expect(first.kind == .moveSegment && first.size == 60, "\(need.repairs.map(\.summary))")
        #expect(first.costChange == 100, "the room for one more hour")
        let copy = try #require(need.repairs.first { $0.kind == .addResource })
        #expect(copy.summary.contains("like R1") && copy.summary.contains("09:00-10:00"), "\(copy.summary)")
        // A move of 15 or 30 minutes still overlaps the other meeting: never listed.
        #expect(!need.repairs.contains { $0.kind == .moveSegment && $0.size < 60 })
        for repair in need.repairs { try Self.expectRepairHolds(repair, day: day, before: plan) }
    }

    @Test("a host free only in the afternoon: extending the availability is listed before one more person like them")
    func availability() throws {
        var builder = DayBuilder(visits: [visit("V1", segments: [segment("talks", "09:00", "10:00")])])
        builder.staff = [staffMember("S1", available: windows("13:00-18:00"))]
        let day = builder.json
        let (plan, report) = try Self.repairs(day)
        let need = try #require(report.needs.first)
        #expect(need.need == NeedRef(visit: "V1", segment: nil, need: "host"))
        let first = try #require(need.repairs.first)
        #expect(first.kind == .extendAvailability && first.summary.contains("S1 09:00-10:00"), "\(need.repairs.map(\.summary))")
        #expect(first.edits == [PatchOperation(.add, "resources.staff[0].available[1]", ["from": "09:00", "to": "10:00"])])
        #expect(need.repairs.contains { $0.kind == .addResource })
        for repair in need.repairs { try Self.expectRepairHolds(repair, day: day, before: plan) }
    }

    @Test("a pin on a room too small: releasing it meets the need")
    func pinReleased() throws {
        var builder = DayBuilder(visits: [
            visit("V1", guests: 6, segments: [segment("talks", "09:00", "10:00", needs: ["venue": ["pin": "SMALL"]])]),
        ])
        builder.venues = [venue("SMALL", capacity: 2), venue("BIG", capacity: 10)]
        let day = builder.json
        let (plan, report) = try Self.repairs(day)
        let repairs = try #require(report.needs.first).repairs
        let release = try #require(repairs.first)
        #expect(release.kind == .releasePin, "\(repairs.map(\.summary))")
        #expect(release.edits == [PatchOperation(.remove, "visits[0].segments[0].needs.venue.pin")])
        try Self.expectRepairHolds(release, day: day, before: plan)
    }

    /// A meal of 200 against a catering cap of 100.
    static func dearMeal(overrunWeight: Double) -> DayBuilder {
        var builder = DayBuilder(visits: [
            visit("V1", segments: [segment("lunch", "12:00", "13:00", needs: ["catering": [:]])]),
        ])
        builder.catering = [cateringOption("CANTEEN", costPerHead: 100)]
        builder.setTier("low", "limits", ["catering": ["perVisit": 100]])
        builder.weights = ["overrun": .number(overrunWeight), "unmet": 5000]
        return builder
    }

    @Test("a meal dearer than its cap and the overrun weighed above leaving it unmet: approving the 100 over the cap meets it")
    func capRaised() throws {
        let day = Self.dearMeal(overrunWeight: 1000).json
        let (plan, report) = try Self.repairs(day)
        #expect(plan.totals.unmet == 1)
        let raise = try #require(report.needs.first?.repairs.first { $0.kind == .raiseCap })
        #expect(raise.summary == "approve 100 over V1's catering cap")
        #expect(raise.edits == [PatchOperation(.add, "visits[0].approvedOverrun", ["catering": 100])])
        try Self.expectRepairHolds(raise, day: day, before: plan)
    }

    @Test("an approval the plan needs: approving it in the day file ends it, at no cost")
    func approvalNeeded() throws {
        let day = Self.dearMeal(overrunWeight: 1).json
        let (plan, report) = try Self.repairs(day)
        #expect(plan.approvalsNeeded.map(\.amount) == [100])
        let approval = try #require(report.approvals.first)
        let repair = try #require(approval.repairs.first)
        #expect(repair.kind == .raiseCap && repair.costChange == 0 && repair.approvalChange == -100)
        let changed = try day.applying(repair.edits)
        let (_, again) = try solve(JSONWriter.pretty(changed))
        #expect(again.approvalsNeeded.isEmpty && again.totals.unmet == 0)
        // Its verified plan: the same meal, no approval, accepted by the checker against the changed day.
        let registry = try makeRegistry()
        let verified = try #require(try RepairSearch(registry: registry, verifier: GLPKOptimizer()).verifiedPlan(of: repair, day: day, plan: plan.json))
        let outcome = PlanChecker.check(plan: verified, problem: try Problem.load(changed, registry: registry), registry: registry)
        #expect(outcome.isValid, "\(outcome.violations)")
        #expect(verified["approvalsNeeded"]?.array?.isEmpty == true)
    }

    @Test("generated tight days: every unmet need gets a verified repair, and the first one applied to the day meets it",
          arguments: [1, 2, 3] as [UInt64])
    func generatedTightDays(seed: UInt64) throws {
        let day = DayGenerator.generate(GeneratorOptions(visits: 12, seed: seed, tightness: 1.8))
        let (plan, report) = try Self.repairs(day, baseline: GreedyOptimizer())
        #expect(plan.totals.unmet > 0, "a tight day has unmet needs to repair")
        #expect(report.needs.count == plan.totals.unmet)
        for need in report.needs {
            let group = report.groups.first { $0.meets.contains(need.need) }
            let first = try #require(need.repairs.first ?? group, "seed \(seed): no verified repair for \(need.need) (\(need.reason))")
            #expect(first.meets.contains(need.need))
            try Self.expectRepairHolds(first, day: day, before: plan)
        }
        for group in report.groups {
            #expect(group.meets.count > 1)
            try Self.expectRepairHolds(group, day: day, before: plan)
        }
    }

    @Test("JSON Patch: add, replace and remove by pointer, and errors that name the pointer")
    func patch() throws {
        let doc: JSONValue = ["a": ["b": [1, 2]], "c": "x"]
        let out = try doc.applying([
            PatchOperation(.add, "a.b[2]", 3), PatchOperation(.replace, "c", "y"), PatchOperation(.remove, "a.b[0]"),
            PatchOperation(.add, "d", ["e/f": 1]),
        ])
        #expect(out == ["a": ["b": [2, 3]], "c": "y", "d": ["e/f": 1]])
        #expect(PatchOperation(.add, JSONPath([.key("d"), .key("e/f~")])).pointer == "/d/e~1f~0")
        #expect(throws: PatchError("/a/b/5: index 5 is past the end (2)")) { try doc.applying([PatchOperation(.add, "a.b[5]", 1)]) }
        #expect(throws: PatchError("/z: there is no \"z\" to replace")) { try doc.applying([PatchOperation(.replace, "z", 1)]) }
    }
}

@Suite("Repairs from the command line")
struct RepairCLITests {
    /// A tight generated day and its greedy plan, written to a fresh folder.
    static func tightDay() throws -> (folder: URL, day: String, plan: String, document: JSONValue) {
        let folder = try CLI.temporaryFolder()
        let document = DayGenerator.generate(GeneratorOptions(visits: 10, seed: 4, tightness: 1.8))
        let day = folder.appendingPathComponent("day.json").path
        try JSONWriter.pretty(document).write(toFile: day, atomically: true, encoding: .utf8)
        let plan = folder.appendingPathComponent("plan.json").path
        let run = try CLI.run(["optimize", day, "--optimizer", "greedy", "-o", plan])
        #expect(run.status == 3, "the tight day has unmet needs: \(run.stderr)")
        return (folder, day, plan, document)
    }

    @Test("--format json lists repairs with RFC 6902 edits; --apply writes the day with that repair made, which loads")
    func jsonAndApply() throws {
        let (folder, day, plan, document) = try Self.tightDay()
        let run = try CLI.run(["repairs", day, plan, "--format", "json", "--seconds-per-check", "2"])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try JSONParser.parse(run.stdout)
        let schema = SchemaValidator(root: try ReportSchemaTests.load("repairs.schema.json"))
        #expect(schema.validate(report) == [], "schemas/repairs.schema.json describes the output")
        let needs = try #require(report["needs"]?.array)
        #expect(!needs.isEmpty)
        let listed: [JSONValue] = needs.flatMap { need -> [JSONValue] in need["repairs"]?.array ?? [] }
        let first = try #require(listed.first)
        let id = try #require(first["id"]?.string)
        let edits = try #require(first["edits"]?.array)
        #expect(edits.allSatisfy { ["add", "replace", "remove"].contains($0["op"]?.string ?? "") && ($0["path"]?.string ?? "").hasPrefix("/") })
        let out = folder.appendingPathComponent("changed.json").path
        let verified = folder.appendingPathComponent("verified.json").path
        let apply = try CLI.run(["repairs", day, plan, "--apply", id, "--out", out, "--plan-out", verified, "--seconds-per-check", "2"])
        #expect(apply.status == 0, "\(apply.stderr)")
        // The verified plan passes the independent checker against the changed day and meets what the repair claims.
        let checked = try CLI.run(["check", out, verified])
        #expect(checked.status == 0, "\(checked.stdout)")
        let verifiedPlan = try JSONParser.parse(try String(contentsOfFile: verified, encoding: .utf8))
        for need in first["meets"]?.array ?? [] {
            let visit = verifiedPlan["visits"]?.array?.first { $0["id"] == need["visit"] }
            let value = need["segment"].map { s in visit?["segments"]?.array?.first { $0["id"] == s }?[need["need"]?.string ?? ""] }
                ?? visit?[need["need"]?.string ?? ""]
            #expect(value != nil && value != .null, "\(need) is met in the verified plan")
        }
        let changed = try JSONParser.parse(try String(contentsOfFile: out, encoding: .utf8))
        #expect(changed != document, "the repair changed the day")
        #expect(try CLI.run(["validate", out]).status == 0)
        // Each add or replace put its value where its pointer says.
        for edit in edits where edit["op"]?.string != "remove" {
            let pointer = try #require(edit["path"]?.string)
            var value: JSONValue? = changed
            for token in pointer.split(separator: "/").map(String.init) {
                let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
                value = Int(key).flatMap { value?[$0] } ?? value?[key]
            }
            #expect(value == edit["value"], "\(pointer)")
        }
    }

    @Test("a plan of another day is refused with exit 2; an unknown repair id names the ones there are")
    func refusals() throws {
        let (folder, day, plan, _) = try Self.tightDay()
        let other = try CLI.run(["repairs", CLI.exampleDay, plan])
        #expect(other.status == 2 && other.stderr.contains("does not pass `schedule check`"), "\(other.stderr)")
        let unknown = try CLI.run(["repairs", day, plan, "--apply", "R999", "--out", folder.appendingPathComponent("x.json").path,
                                   "--seconds-per-check", "2"])
        #expect(unknown.status == 2 && unknown.stderr.contains("R1"), "\(unknown.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("x.json").path))
        let usage = try CLI.run(["repairs", day, plan, "--apply", "R1"])
        #expect(usage.status == 2 && usage.stderr.contains("--apply and --out go together"))
    }
}
