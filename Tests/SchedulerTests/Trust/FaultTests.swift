import Foundation
import Testing

/// Faults (issue 6): GLPK failures injected through the wrapper become exit 1 and
/// leave the previous output untouched; a time limit or Ctrl-C yields a valid plan
/// or no file, never a partial one. Faults are injected with SCHEDULE_INJECT_FAULT,
/// which only the CLI reads.
@Suite("Faults and interrupted runs")
struct FaultTests {
    static let previous = Data("{\"previous\": \"plan\"}\n".utf8)

    /// A folder with a previous plan.json in it.
    static func folderWithPreviousPlan() throws -> (folder: URL, plan: URL) {
        let folder = try CLI.temporaryFolder()
        let plan = folder.appendingPathComponent("plan.json")
        try previous.write(to: plan)
        return (folder, plan)
    }

    @Test("an internal GLPK error (through CGLPKGuard's error hook) exits 1 and leaves the previous plan as it was")
    func glpkError() throws {
        let (folder, plan) = try Self.folderWithPreviousPlan()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try TimedCLI.run(["optimize", CLI.exampleDay, "-o", plan.path], environment: ["SCHEDULE_INJECT_FAULT": "glpk-error"])
        #expect(run.status == 1 && !run.signalled, "exit \(run.status): \(run.stderr)")
        #expect(run.stderr.contains("GLPK error") && run.stderr.contains("duplicate"), "\(run.stderr)")
        #expect(run.stderr.contains("was left as it was"))
        #expect(try Data(contentsOf: plan) == Self.previous)
        #expect(TimedCLI.listing(folder) == ["plan.json"])
        // To stdout: nothing printed.
        let toStdout = try TimedCLI.run(["optimize", CLI.exampleDay], environment: ["SCHEDULE_INJECT_FAULT": "glpk-error"])
        #expect(toStdout.status == 1 && toStdout.stdout.isEmpty)
    }

    @Test("the greedy optimizer does not use GLPK: the injected GLPK fault does not touch it")
    func greedyUnaffected() throws {
        let run = try TimedCLI.run(["optimize", CLI.exampleDay, "--optimizer", "greedy"], environment: ["SCHEDULE_INJECT_FAULT": "glpk-error"])
        #expect(run.status == 0 || run.status == 3)
    }

    @Test("a failed write exits 1, removes its temporary file and keeps the previous plan")
    func writeError() throws {
        let (folder, plan) = try Self.folderWithPreviousPlan()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try TimedCLI.run(["optimize", CLI.exampleDay, "-o", plan.path], environment: ["SCHEDULE_INJECT_FAULT": "write-error"])
        #expect(run.status == 1, "exit \(run.status): \(run.stderr)")
        #expect(try Data(contentsOf: plan) == Self.previous)
        #expect(TimedCLI.listing(folder) == ["plan.json"])
    }

    @Test("an unknown fault name is a usage error, nothing written")
    func unknownFault() throws {
        let (folder, plan) = try Self.folderWithPreviousPlan()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try TimedCLI.run(["optimize", CLI.exampleDay, "-o", plan.path], environment: ["SCHEDULE_INJECT_FAULT": "disk-on-fire"])
        #expect(run.status == 2)
        #expect(try Data(contentsOf: plan) == Self.previous)
    }

    /// A day GLPK does not prove optimal within a second or two.
    static func hardDay(in folder: URL) throws -> String {
        let day = folder.appendingPathComponent("hard-day.json").path
        let generated = try TimedCLI.run(["generate", "--visits", "40", "--seed", "3", "-o", day])
        #expect(generated.status == 0)
        return day
    }

    /// `schedule check` accepts the plan.
    static func expectValidPlan(day: String, plan: URL, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let check = try TimedCLI.run(["check", day, plan.path], timeout: 60)
        #expect(check.status == 0, "schedule check rejected the plan: \(check.stdout.count) bytes\n\(check.stdoutText)\(check.stderr)", sourceLocation: sourceLocation)
    }

    @Test("a time limit yields a complete, valid plan")
    func timeLimit() throws {
        let (folder, plan) = try Self.folderWithPreviousPlan()
        defer { try? FileManager.default.removeItem(at: folder) }
        let day = try Self.hardDay(in: folder)
        let run = try TimedCLI.run(["optimize", day, "--time-limit", "1", "-o", plan.path], timeout: 60)
        #expect(run.status == 0 || run.status == 3, "exit \(run.status): \(run.stderr)")
        #expect(try Data(contentsOf: plan) != Self.previous)
        try Self.expectValidPlan(day: day, plan: plan)
        #expect(TimedCLI.listing(folder).sorted() == ["hard-day.json", "plan.json"])
    }

    @Test("Ctrl-C during the search writes a valid plan (status feasible), never a partial one")
    func interruptOnce() throws {
        let (folder, plan) = try Self.folderWithPreviousPlan()
        defer { try? FileManager.default.removeItem(at: folder) }
        let day = try Self.hardDay(in: folder)
        let run = try TimedCLI.run(["optimize", day, "-o", plan.path], timeout: 60) { process in
            Thread.sleep(forTimeInterval: 2)
            kill(process.processIdentifier, SIGINT)
        }
        #expect(!run.timedOut && !run.signalled)
        #expect(run.status == 0 || run.status == 3, "exit \(run.status): \(run.stderr)")
        try Self.expectValidPlan(day: day, plan: plan)
        #expect(TimedCLI.listing(folder).sorted() == ["hard-day.json", "plan.json"])
    }

    @Test("a second Ctrl-C quits without writing: the previous plan stays")
    func interruptTwice() throws {
        let (folder, plan) = try Self.folderWithPreviousPlan()
        defer { try? FileManager.default.removeItem(at: folder) }
        let day = try Self.hardDay(in: folder)
        let run = try TimedCLI.run(["optimize", day, "-o", plan.path], timeout: 60) { process in
            Thread.sleep(forTimeInterval: 2)
            kill(process.processIdentifier, SIGINT)
            Thread.sleep(forTimeInterval: 0.05)
            kill(process.processIdentifier, SIGINT)
        }
        #expect(!run.timedOut)
        let now = try Data(contentsOf: plan)
        if run.status == 130 {
            #expect(now == Self.previous)
        } else {
            // The first Ctrl-C's plan was already written when the second came: it must be whole.
            #expect(run.status == 0 || run.status == 3, "exit \(run.status): \(run.stderr)")
            try Self.expectValidPlan(day: day, plan: plan)
        }
        #expect(TimedCLI.listing(folder).sorted() == ["hard-day.json", "plan.json"])
    }
}
