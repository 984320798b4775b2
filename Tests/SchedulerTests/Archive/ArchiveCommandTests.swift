import Archive
import Foundation
import Testing

/// The archive, feedback and follow-up commands, run as a planner would, each
/// against an archive in a temporary folder (`--db`).
@Suite("Archive commands")
struct ArchiveCommandTests {
    /// A folder with the example day, its plan and the path of a new archive.
    struct Setup {
        var folder: URL
        var day: String
        var plan: String
        var db: String

        init() throws {
            folder = try ArchiveFixtures.folder()
            (day, plan) = try ArchiveFixtures.exampleDayAndPlan(in: folder)
            db = folder.appendingPathComponent("archive.sqlite").path
        }

        func file(_ name: String, _ text: String) throws -> String {
            let url = folder.appendingPathComponent(name)
            try Data(text.utf8).write(to: url)
            return url.path
        }

        func run(_ arguments: [String]) throws -> CLI.Run {
            try ArchiveFixtures.run(arguments + ["--db", db])
        }
    }

    @Test("archive add is idempotent and stores actuals given later")
    func addTwice() throws {
        let s = try Setup()
        defer { try? FileManager.default.removeItem(at: s.folder) }
        let first = try s.run(["archive", "add", s.day, s.plan])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("archived 2026-12-01: 4 receptions"))
        let dump = try ArchiveFixtures.dump(s.db)
        let second = try s.run(["archive", "add", s.day, s.plan])
        #expect(second.status == 0)
        #expect(second.stdout.contains("2026-12-01 is already archived with this plan; nothing changed"))
        #expect(try ArchiveFixtures.dump(s.db) == dump)

        let actuals = try s.file("actuals.json", #"{"schemaVersion": 1, "date": "2026-12-01", "visits": [{"id": "V-002", "costs": {"catering": 200, "transport": 150}}]}"#)
        let third = try s.run(["archive", "add", s.day, s.plan, "--actuals", actuals])
        #expect(third.status == 0, "\(third.stderr)")
        #expect(third.stdout.contains("actual costs stored for V-002"))
        let withActuals = try ArchiveFixtures.dump(s.db)
        let fourth = try s.run(["archive", "add", s.day, s.plan, "--actuals", actuals])
        #expect(fourth.stdout.contains("nothing changed"))
        #expect(try ArchiveFixtures.dump(s.db) == withActuals)
        let found = try s.run(["archive", "find", "--visit", "V-002", "--format", "json"])
        #expect(found.status == 0)
        #expect(found.stdout.contains("\"actual\": 350"), "\(found.stdout)")
    }

    @Test("bad actuals, a plan of another day and a day without a date store nothing (exit 2)")
    func rejectedAdds() throws {
        let s = try Setup()
        defer { try? FileManager.default.removeItem(at: s.folder) }
        let actuals = try s.file("actuals.json", #"{"visits": [{"id": "V-404", "costs": {"food": 1}}]}"#)
        let bad = try s.run(["archive", "add", s.day, s.plan, "--actuals", actuals])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("actuals.json: visits[0].id: \"V-404\" is not a visit of the day 2026-12-01"), "\(bad.stderr)")
        #expect(bad.stderr.contains("visits[0].costs.food: \"food\" is not a cost category"), "\(bad.stderr)")
        #expect(!FileManager.default.fileExists(atPath: s.db), "a refused add created the archive")

        let shorter = try CLI.editedExample({ day in
            if let visits = day["visits"] as? [Any] { day["visits"] = Array(visits.dropLast()) }
        }, in: s.folder, name: "shorter.json")
        let mismatch = try s.run(["archive", "add", shorter, s.plan])
        #expect(mismatch.status == 2)
        #expect(mismatch.stderr.contains("is not a valid plan of \(shorter)"), "\(mismatch.stderr)")
        #expect(!FileManager.default.fileExists(atPath: s.db))

        let undated = try CLI.editedExample({ $0["date"] = nil }, in: s.folder, name: "undated.json")
        let noDate = try s.run(["archive", "add", undated, s.plan])
        #expect(noDate.status == 2)
        #expect(noDate.stderr.contains("undated.json: date: the day has no date, and the archive files receptions by date: add \"date\": \"YYYY-MM-DD\""),
                "\(noDate.stderr)")
        #expect(!FileManager.default.fileExists(atPath: s.db))
    }

    @Test("feedback: several per visit, and every bad value rejected with the option named")
    func feedback() throws {
        let s = try Setup()
        defer { try? FileManager.default.removeItem(at: s.folder) }
        #expect(try s.run(["archive", "add", s.day, s.plan]).status == 0)
        let ok = try s.run(["feedback", "add", "--visit", "V-001", "--date", "2026-12-01", "--channel", "survey", "--satisfaction", "4",
                            "--comment", "lunch was excellent"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("feedback #1 recorded for V-001 on 2026-12-01 (Acme GmbH): survey, satisfaction 4"))
        let again = try s.run(["feedback", "add", "--visit", "V-001", "--channel", "phone", "--satisfaction", "2"])
        #expect(again.status == 0, "\(again.stderr)")
        let dump = try ArchiveFixtures.dump(s.db)

        let cases: [([String], String)] = [
            (["--channel", "email", "--satisfaction", "3"], "Please provide one of 'survey', 'interview' or 'phone'"),
            (["--channel", "phone", "--satisfaction", "6"], "--satisfaction: 6 is not a score; give a whole number from 1 (very unsatisfied) to 5"),
            (["--channel", "phone", "--satisfaction", "0"], "--satisfaction: 0 is not a score"),
            (["--channel", "phone", "--satisfaction", "good"], "The value 'good' is invalid for '--satisfaction"),
            (["--channel", "phone", "--satisfaction", "3", "--date", "2026-02-30"], "--date: \"2026-02-30\" is not a date (February 2026 has 28 days)"),
            (["--channel", "phone", "--satisfaction", "3", "--date", "2026-12-02"], "--date: no archived reception V-001 on 2026-12-02; V-001 is archived on 2026-12-01"),
        ]
        for (options, message) in cases {
            let run = try s.run(["feedback", "add", "--visit", "V-001"] + options)
            #expect(run.status == 2, "\(options): exit \(run.status)")
            #expect(run.stderr.contains(message), "\(options): \(run.stderr)")
        }
        let unknown = try s.run(["feedback", "add", "--visit", "V-404", "--channel", "phone", "--satisfaction", "3"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("error: --visit: V-404 is not in the archive; archive its day first"))
        #expect(try ArchiveFixtures.dump(s.db) == dump, "a rejected feedback changed the archive")

        let list = try s.run(["feedback", "list", "--visit", "V-001", "--format", "csv"])
        #expect(list.status == 0)
        let lines = list.stdout.split(separator: "\r\n")
        #expect(lines.count == 3, "\(list.stdout)")
        #expect(lines.dropFirst().first?.hasPrefix("1,2026-12-01,V-001,Acme GmbH,survey,4,lunch was excellent,") == true, "\(list.stdout)")
    }

    @Test("follow-ups: owner defaults to the host, overdue flagged, done all-or-nothing")
    func followUps() throws {
        let s = try Setup()
        defer { try? FileManager.default.removeItem(at: s.folder) }
        #expect(try s.run(["archive", "add", s.day, s.plan]).status == 0)
        let added = try s.run(["followup", "add", "--visit", "V-001", "--action", "send the revised quote", "--due", "2026-12-08"])
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout.contains("follow-up #1 for V-001 on 2026-12-01: \"send the revised quote\", owner S-002, due 2026-12-08"))
        let second = try s.run(["followup", "add", "--visit", "V-004", "--date", "2026-12-01", "--action", "plant tour",
                                "--owner", "S-005", "--due", "2026-12-20"])
        #expect(second.status == 0, "\(second.stderr)")

        for (options, message) in [
            (["--owner", "S-999", "--due", "2026-12-09"], "--owner: \"S-999\" is not on the staff list of 2026-12-01"),
            (["--due", "2026-11-30"], "--due: 2026-11-30 is before the reception on 2026-12-01"),
            (["--due", "12/09/2026"], "--due: \"12/09/2026\" is not a date (write YYYY-MM-DD"),
        ] {
            let run = try s.run(["followup", "add", "--visit", "V-001", "--action", "x"] + options)
            #expect(run.status == 2, "\(options)")
            #expect(run.stderr.contains(message), "\(options): \(run.stderr)")
        }
        let blank = try s.run(["followup", "add", "--visit", "V-001", "--action", "  ", "--due", "2026-12-09"])
        #expect(blank.status == 2)
        #expect(blank.stderr.contains("--action: is blank"))

        let list = try s.run(["followup", "list", "--as-of", "2026-12-10"])
        #expect(list.status == 0)
        #expect(list.stdout.contains("2 follow-ups (open) as of 2026-12-10, 1 overdue"), "\(list.stdout)")
        #expect(list.stdout.contains("OVERDUE by 2 days"))
        let overdue = try s.run(["followup", "list", "--overdue", "--as-of", "2026-12-10", "--format", "json"])
        #expect(overdue.stdout.contains("\"action\": \"send the revised quote\""))
        #expect(!overdue.stdout.contains("plant tour"))

        // One unknown id: nothing is marked.
        let partial = try s.run(["followup", "done", "1", "99", "--on", "2026-12-09"])
        #expect(partial.status == 2)
        #expect(partial.stderr.contains("#99: no follow-up has this id"))
        #expect(try ArchiveFixtures.count(s.db, "SELECT count(*) FROM followUp WHERE closedOn IS NOT NULL") == 0)

        let done = try s.run(["followup", "done", "1", "--on", "2026-12-09"])
        #expect(done.status == 0)
        #expect(done.stdout.contains("follow-up #1 done on 2026-12-09, 1 day after its due date 2026-12-08"))
        let twice = try s.run(["followup", "done", "1", "--on", "2026-12-11"])
        #expect(twice.status == 0)
        #expect(twice.stdout.contains("follow-up #1 was already done on 2026-12-09; nothing changed"))
        let all = try s.run(["followup", "list", "--status", "all", "--as-of", "2026-12-21", "--format", "csv"])
        #expect(all.stdout.contains("\"done 2026-12-09, 1 day late\""), "\(all.stdout)")
        #expect(all.stdout.contains("OVERDUE by 1 day"), "\(all.stdout)")
    }

    @Test("archive find filters by client, visit and dates")
    func find() throws {
        let s = try Setup()
        defer { try? FileManager.default.removeItem(at: s.folder) }
        #expect(try s.run(["archive", "add", s.day, s.plan]).status == 0)
        let later = try CLI.editedExample({ $0["date"] = "2026-12-05" }, in: s.folder, name: "later.json")
        #expect(try s.run(["archive", "add", later, s.plan]).status == 0)

        let acme = try s.run(["archive", "find", "--client", "aCmE", "--format", "csv"])
        #expect(acme.status == 0)
        let rows = acme.stdout.split(separator: "\r\n").dropFirst()
        #expect(rows.count == 2)
        #expect(rows.allSatisfy { $0.contains(",V-001,Acme GmbH,high,") }, "\(acme.stdout)")
        let window = try s.run(["archive", "find", "--from", "2026-12-02", "--to", "2026-12-31"])
        #expect(window.stdout.hasPrefix("4 archived receptions: from 2026-12-02, to 2026-12-31"), "\(window.stdout)")
        #expect(!window.stdout.contains("2026-12-01"))
        let visit = try s.run(["archive", "find", "--visit", "V-003", "--to", "2026-12-01"])
        #expect(visit.stdout.hasPrefix("1 archived reception: visit V-003"))
        let reversed = try s.run(["archive", "find", "--from", "2026-12-05", "--to", "2026-12-01"])
        #expect(reversed.status == 2)
        #expect(reversed.stderr.contains("--from 2026-12-05 is after --to 2026-12-01"))
    }

    @Test("without --db the archive lives under XDG_DATA_HOME, else ~/.local/share")
    func defaultLocation() throws {
        let s = try Setup()
        defer { try? FileManager.default.removeItem(at: s.folder) }
        let data = s.folder.appendingPathComponent("data")
        let run = try ArchiveFixtures.run(["archive", "add", s.day, s.plan], environment: ["XDG_DATA_HOME": data.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(FileManager.default.fileExists(atPath: data.appendingPathComponent("reception-scheduler/archive.sqlite").path))
        let home = s.folder.appendingPathComponent("home")
        let viaHome = try ArchiveFixtures.run(["archive", "add", s.day, s.plan], environment: ["XDG_DATA_HOME": "", "HOME": home.path])
        #expect(viaHome.status == 0, "\(viaHome.stderr)")
        #expect(FileManager.default.fileExists(atPath: home.appendingPathComponent(".local/share/reception-scheduler/archive.sqlite").path))
    }

    @Test("a foreign file given as --db is refused with exit 2 and left as it was; a missing archive is not created by reads")
    func foreignFile() throws {
        let s = try Setup()
        defer { try? FileManager.default.removeItem(at: s.folder) }
        let notes = try s.file("notes.txt", "meeting notes\n")
        for arguments in [["archive", "add", s.day, s.plan], ["report", "costs"], ["feedback", "list"]] {
            let run = try ArchiveFixtures.run(arguments + ["--db", notes])
            #expect(run.status == 2, "\(arguments)")
            #expect(run.stderr.contains("error: \(notes) is not a reception archive (it is not an SQLite database); it was left as it was"),
                    "\(run.stderr)")
        }
        #expect(try String(contentsOfFile: notes, encoding: .utf8) == "meeting notes\n")
        let missing = try s.run(["report", "kpi"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no archive at \(s.db) yet"))
        #expect(!FileManager.default.fileExists(atPath: s.db))
    }

    @Test("two processes archiving at once: both succeed, or one is told the archive is busy")
    func concurrentProcesses() throws {
        let s = try Setup()
        defer { try? FileManager.default.removeItem(at: s.folder) }
        let days = try (2...5).map { d in
            try CLI.editedExample({ $0["date"] = "2026-12-0\(d)" }, in: s.folder, name: "day-\(d).json")
        }
        for round in 0..<2 {
            let db = s.folder.appendingPathComponent("round-\(round).sqlite").path
            let started = try days.map { try ArchiveFixtures.start(["archive", "add", $0, s.plan, "--db", db]) }
            var archived: [String] = []
            for ((process, out, err), day) in zip(started, days) {
                let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                process.waitUntilExit()
                if process.terminationStatus == 0 {
                    #expect(stdout.contains("archived 2026-12-0"), "\(stdout)")
                    archived.append(String(day.suffix(6).prefix(1)))
                } else {
                    #expect(process.terminationStatus == 1, "\(stderr)")
                    #expect(stderr.contains("is busy") && stderr.contains("try again"), "\(stderr)")
                }
            }
            #expect(!archived.isEmpty)
            #expect(try ArchiveFixtures.count(db, "SELECT count(*) FROM day") == archived.count)
            #expect(try ArchiveFixtures.count(db, "SELECT count(*) FROM reception") == 4 * archived.count)
        }
    }
}
