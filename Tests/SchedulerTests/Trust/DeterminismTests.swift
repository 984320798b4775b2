import Foundation
import Testing

/// The same input and options give a byte-identical plan, run after run (issue 6).
/// Each run is a new process, so Swift's per-process hash seeds differ: a
/// Dictionary or Set iterated into the output would show here.
@Suite("Determinism of plans")
struct DeterminismTests {
    static func plans(_ arguments: [String], runs: Int = 3) throws -> [Data] {
        try (0..<runs).map { _ in
            let run = try TimedCLI.run(arguments, timeout: 120)
            #expect(run.status == 0 || run.status == 3, "exit \(run.status): \(run.stderr)")
            #expect(!run.stdout.isEmpty)
            return run.stdout
        }
    }

    @Test("the example day's plan is byte-identical run after run, and has no time in it")
    func exampleDay() throws {
        let plans = try Self.plans(["optimize", CLI.exampleDay])
        #expect(Set(plans).count == 1)
        #expect(!plans[0].isEmpty && !String(decoding: plans[0], as: UTF8.self).contains("seconds"))
        #expect(String(decoding: plans[0], as: UTF8.self).contains(#""plugin" : "glpk""#)
                || String(decoding: plans[0], as: UTF8.self).contains(#""plugin": "glpk""#))
    }

    @Test("generated days: the same bytes with -o and on stdout, for glpk and greedy")
    func generatedDays() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for (visits, optimizer) in [(12, "glpk"), (40, "greedy")] {
            let day = folder.appendingPathComponent("day-\(visits).json").path
            let generated = try TimedCLI.run(["generate", "--visits", "\(visits)", "--seed", "3", "-o", day])
            #expect(generated.status == 0)
            let plans = try Self.plans(["optimize", day, "--optimizer", optimizer])
            #expect(Set(plans).count == 1, "\(visits) visits with \(optimizer): plans differ")
            let file = folder.appendingPathComponent("plan-\(visits).json")
            let written = try TimedCLI.run(["optimize", day, "--optimizer", optimizer, "-o", file.path], timeout: 120)
            #expect(written.status == 0 || written.status == 3)
            #expect(try Data(contentsOf: file) == plans[0], "-o wrote other bytes than stdout")
        }
    }

    @Test("shared example days give identical plans in two runs", .requiresSharedExamples)
    func sharedExamples() throws {
        let folder = URL(fileURLWithPath: try #require(sharedExamplesDirectory, sharedExamplesMissing))
        let days = TimedCLI.listing(folder).filter { $0.hasSuffix(".json") && !$0.contains("expected") && !$0.contains("plan") }
        #expect(!days.isEmpty, "no example days in \(folder.path)")
        for day in days.prefix(4) {
            let plans = try Self.plans(["optimize", folder.appendingPathComponent(day).path], runs: 2)
            #expect(Set(plans).count == 1, "\(day): plans differ")
        }
    }
}
