import Foundation
import Testing
@testable import schedule

/// `schedule report`, `schedule explain` and the summary of `schedule optimize`, run as a planner would.
@Suite("Report: command line")
struct ReportCLITests {
    /// The bundled example, optimized into a fresh folder.
    static func optimizedExample() throws -> (folder: URL, plan: String) {
        let folder = try CLI.temporaryFolder()
        let plan = folder.appendingPathComponent("plan.json").path
        let run = try CLI.run(["optimize", CLI.exampleDay, "-o", plan])
        #expect(run.status == 0, "\(run.stderr)")
        return (folder, plan)
    }

    @Test("`schedule report day plan` is the plan report; -o writes the format its extension names")
    func report() throws {
        let (folder, plan) = try Self.optimizedExample()
        let text = try CLI.run(["report", CLI.exampleDay, plan])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.hasPrefix("Reception day 2026-12-01\n"))
        #expect(text.stdout.contains("Run sheets") && text.stdout.contains("Resource timelines"))
        #expect(try CLI.run(["report", "plan", CLI.exampleDay, plan]).stdout == text.stdout)

        let html = folder.appendingPathComponent("day.html").path
        let written = try CLI.run(["report", CLI.exampleDay, plan, "-o", html])
        #expect(written.status == 0 && written.stdout.isEmpty, "\(written.stderr)")
        #expect(try String(contentsOfFile: html, encoding: .utf8).hasPrefix("<!DOCTYPE html>"))
        let md = try CLI.run(["report", CLI.exampleDay, plan, "--format", "md", "--visit", "V-001", "--resource", "CAR-01"])
        #expect(md.stdout.hasPrefix("# Reception day 2026-12-01: V-001, CAR-01"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }

    @Test("bad input exits 2 with a message naming the problem", arguments: [
        (["--visit", "V-099"], "no visit \"V-099\""),
        (["--resource", "CAR-9"], "no resource \"CAR-9\""),
        (["--format", "pdf"], "pdf"),
    ])
    func badInput(_ extra: [String], _ message: String) throws {
        let (_, plan) = try Self.optimizedExample()
        let run = try CLI.run(["report", CLI.exampleDay, plan] + extra)
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.contains(message), "\(run.stderr)")
        #expect(run.stdout.isEmpty)
    }

    @Test("a plan that is not JSON, missing, or of another day exits 2")
    func badPlans() throws {
        let folder = try CLI.temporaryFolder()
        let broken = folder.appendingPathComponent("broken.json")
        try Data("{\"schemaVersion\": 1,".utf8).write(to: broken)
        let other = folder.appendingPathComponent("other.json")
        try Data(#"{"schemaVersion": 1, "visits": [{"id": "Z-1", "segments": []}]}"#.utf8).write(to: other)
        for (plan, text) in [(broken.path, "not valid JSON"), (folder.appendingPathComponent("none.json").path, "no such file"),
                             (other.path, "none of the day's visits")] {
            for command in [["report", CLI.exampleDay, plan], ["explain", CLI.exampleDay, plan, "V-001"]] {
                let run = try CLI.run(command)
                #expect(run.status == 2, "\(command): \(run.stderr)")
                #expect(run.stderr.contains(text), "\(command): \(run.stderr)")
            }
        }
    }

    @Test("`schedule explain day plan V-001` prints the visit's costs and choices")
    func explain() throws {
        let (_, plan) = try Self.optimizedExample()
        let run = try CLI.run(["explain", CLI.exampleDay, plan, "V-001"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("V-001 (Acme GmbH): costs and choices"))
        for part in ["Cost breakdown (CNY)", "Choices and cheaper alternatives", "catering"] { #expect(run.stdout.contains(part)) }
        let unknown = try CLI.run(["explain", CLI.exampleDay, plan, "V-9"])
        #expect(unknown.status == 2 && unknown.stderr.contains("no visit \"V-9\""))
    }

    // MARK: The summary of optimize

    @Test("the optimize summary is an aligned table within 80 columns, without colour off a terminal")
    func summaryTable() throws {
        var days = [CLI.exampleDay]
        if let dir = sharedExamplesDirectory { days += [dir + "/small-day.json", dir + "/tight-day.json"] }
        for day in days {
            let folder = try CLI.temporaryFolder()
            let run = try CLI.run(["optimize", day, "-o", folder.appendingPathComponent("plan.json").path])
            #expect([0, 3].contains(run.status), "\(run.stderr)")
            let lines = run.stderr.split(separator: "\n").map(String.init)
            #expect(lines.allSatisfy { $0.count <= 80 }, "\(day): \(lines.filter { $0.count > 80 })")
            #expect(!run.stderr.contains("\u{1B}"), "no colour with NO_COLOR or off a terminal")
            #expect(lines.first == "status     optimal")
            // Amounts end in one column: the cost and objective rows and the categories under cost.
            let amountRows = lines.filter { $0.hasPrefix("objective") || $0.hasPrefix("cost ") || $0.hasPrefix("  venue") || $0.hasPrefix("  transport") }
            let ends = Set(amountRows.map { line -> Int in
                let chars = Array(line)
                var i = 11
                while i < chars.count && chars[i] == " " { i += 1 }
                while i < chars.count && chars[i] != " " { i += 1 }
                return i
            })
            #expect(amountRows.count >= 3 && ends.count == 1, "\(day): amounts aligned:\n\(amountRows.joined(separator: "\n"))")
        }
    }

    @Test("colour only on a terminal, and never with NO_COLOR or TERM=dumb")
    func colourRule() {
        #expect(Summary.colourWanted(environment: ["TERM": "xterm"], isTerminal: true))
        #expect(!Summary.colourWanted(environment: ["TERM": "xterm"], isTerminal: false))
        #expect(!Summary.colourWanted(environment: ["TERM": "xterm", "NO_COLOR": "1"], isTerminal: true))
        #expect(!Summary.colourWanted(environment: ["TERM": "xterm", "NO_COLOR": ""], isTerminal: true))
        #expect(!Summary.colourWanted(environment: ["TERM": "dumb"], isTerminal: true))
    }

    @Test("on a real terminal the status is coloured, and NO_COLOR turns it off",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "script(1) is not installed; cannot open a terminal"))
    func colourOnTerminal() throws {
        func run(noColor: Bool) throws -> String {
            let folder = try CLI.temporaryFolder()
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
            let command = [CLI.binary.path, "optimize", CLI.exampleDay, "-o", folder.appendingPathComponent("plan.json").path]
                .map { "'" + $0 + "'" }.joined(separator: " ")
            process.arguments = ["-qec", command, "/dev/null"]
            var environment = ProcessInfo.processInfo.environment
            environment["NO_COLOR"] = noColor ? "1" : nil
            environment["TERM"] = "xterm"
            process.environment = environment
            let out = Pipe()
            process.standardOutput = out
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }
        let coloured = try run(noColor: false)
        #expect(coloured.contains("\u{1B}[32moptimal\u{1B}[0m"), "\(coloured)")
        let plain = try run(noColor: true)
        #expect(plain.contains("status     optimal") && !plain.contains("\u{1B}["), "\(plain)")
    }
}
