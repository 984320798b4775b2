import DayGenerator
import Foundation
import GLPKOptimizer
import PlanChecker
import SchedulingCore
import Testing

/// `schedule generate --days N`: version-2 programmes with stays and hotels, while a
/// one-day generation stays the version-1 day it always was.
@Suite("Generated programmes")
struct GeneratorProgrammeTests {
    static let registry = TrustSupport.registry()

    @Test("one day is the version-1 day of before, byte for byte")
    func oneDayUnchanged() throws {
        let golden = try String(contentsOf: CLI.packageRoot.appendingPathComponent("Tests/SchedulerTests/Golden/generated-12.json"), encoding: .utf8)
        let text = JSONWriter.pretty(DayGenerator.generate(GeneratorOptions(visits: 12, seed: 3)))
        #expect(text == golden)
        #expect(JSONWriter.pretty(DayGenerator.generate(GeneratorOptions(visits: 12, seed: 3, days: 1))) == golden)
    }

    @Test("a programme spreads visits over its days, a third stay at hotels, and its plan passes the checker", arguments: [1, 2] as [UInt64])
    func programme(seed: UInt64) throws {
        let options = GeneratorOptions(visits: 45, seed: seed, tightness: 1.0, days: 4)
        let value = DayGenerator.generate(options)
        #expect(JSONWriter.pretty(value) == JSONWriter.pretty(DayGenerator.generate(options)), "the same options give the same bytes")
        let problem = try Problem.load(value, registry: Self.registry)
        let day = problem.day
        #expect(day.schemaVersion == 2 && day.days == 4)
        #expect(problem.warnings.isEmpty, "\(problem.warnings)")
        // Every day has visits; stays are about a third of the visits that could stay.
        let firstDays = Set(day.visits.map(\.firstDay))
        #expect(firstDays == [1, 2, 3, 4], "\(firstDays.sorted())")
        let staying = day.visits.filter { $0.fields["lodging"] != nil }
        #expect(staying.count >= 5 && staying.count <= 25, "\(staying.count) of \(day.visits.count) stay")
        for visit in staying {
            let last = visit.segments.map(\.day).max() ?? 0
            let nights = problem.needs.first { $0.id.visit == visit.index && $0.id.key == "lodging" }
            #expect(nights != nil, "\(visit.id) has lodging but no need")
            // A stay ends the day after its last night: the visit has segments on that day.
            #expect(last > visit.firstDay, "\(visit.id) stays but has segments on one day only")
        }
        let hotels = day.resources["hotels"]?.array ?? []
        #expect(hotels.count == 3)

        // Solved briefly: the plan passes the independent checker and meets most needs.
        let result = try GLPKOptimizer().optimize(problem, options: OptimizeOptions(timeLimit: 10))
        let plan = PlanAssembler.assemble(problem, result: result, solverName: "glpk")
        let outcome = PlanChecker.check(plan: plan.json, problem: problem, registry: Self.registry)
        #expect(outcome.isValid, "\(outcome.violations.prefix(5).map(\.description))")
        #expect(plan.totals.unmet * 20 <= problem.needs.count, "\(plan.totals.unmet) of \(problem.needs.count) needs unmet")
        #expect((plan.totals.byCategory.first { $0.category == "lodging" }?.amount ?? 0) > 0)
    }

    @Test("schedule generate --days writes a programme that schedule validate accepts; --days 0 is a usage error")
    func commandLine() throws {
        let folder = try CLI.temporaryFolder()
        let path = folder.appendingPathComponent("programme.json").path
        let run = try CLI.run(["generate", "--visits", "20", "--days", "3", "-o", path])
        #expect(run.status == 0, "\(run.stderr)")
        let validate = try CLI.run(["validate", path])
        #expect(validate.status == 0, "\(validate.stdout)\(validate.stderr)")
        let bad = try CLI.run(["generate", "--visits", "20", "--days", "0"])
        #expect(bad.status == 2 && bad.stderr.contains("--days"), "\(bad.stderr)")
    }
}
