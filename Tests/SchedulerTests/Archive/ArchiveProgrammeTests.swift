import Archive
import Foundation
import GRDB
import SchedulingCore
import Testing
@testable import schedule

/// Programmes over several days (PROBLEM.md §9) in the archive: one entry per
/// programme, receptions with their own dates, the hotel, lodging costs and
/// caps, overlapping dates refused, lookups by a date inside a programme, and
/// the migration of a version-2 archive.
@Suite("Archive programmes over several days")
struct ArchiveProgrammeTests {
    /// `Examples/delegation-programme.json`: 3 days from 2026-12-07; V-01 (high,
    /// 3 guests, nights 1 and 2) on days 1-3, V-02 (medium, 4 guests, night 1) on days 1-2.
    static var programme: String { CLI.packageRoot.appendingPathComponent("Examples/delegation-programme.json").path }

    /// A folder with the programme's plan from `schedule optimize` and the path of a new archive.
    struct Setup {
        var folder: URL
        var plan: String
        var db: String

        init() throws {
            folder = try ArchiveFixtures.folder()
            plan = folder.appendingPathComponent("programme-plan.json").path
            db = folder.appendingPathComponent("archive.sqlite").path
            let optimized = try ArchiveFixtures.run(["optimize", ArchiveProgrammeTests.programme, "-o", plan])
            // Exit 3: the plan is optimal and asks for one approval (day 1 is over the day budget).
            try #require(optimized.status == 3, "optimize: \(optimized.stderr)")
        }

        func run(_ arguments: [String]) throws -> CLI.Run {
            try ArchiveFixtures.run(arguments + ["--db", db])
        }

        func file(_ name: String, _ text: String) throws -> String {
            let url = folder.appendingPathComponent(name)
            try Data(text.utf8).write(to: url)
            return url.path
        }

        /// The plan's visit entry.
        func planVisit(_ id: String) throws -> [String: Any] {
            let plan = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: self.plan))) as? [String: Any]
            let visits = try #require(plan?["visits"] as? [[String: Any]])
            return try #require(visits.first { $0["id"] as? String == id }, "\(id) is not in the plan")
        }

        /// A planned cost of a visit, from the plan file.
        func planned(_ visit: String, _ category: String) throws -> Double {
            let costs = try #require(try planVisit(visit)["costs"] as? [String: Any])
            return try #require((costs[category] as? NSNumber)?.doubleValue, "\(visit) plans no \(category)")
        }

        /// The hotel the plan gave a visit.
        func hotel(_ visit: String) throws -> String {
            let lodging = try #require(try planVisit(visit)["lodging"] as? [String: Any], "\(visit) has no lodging in the plan")
            return try #require(lodging["hotel"] as? String)
        }

        /// The programme with `date` changed.
        func programme(from date: String) throws -> String {
            let data = try Data(contentsOf: URL(fileURLWithPath: ArchiveProgrammeTests.programme))
            var day = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            day["date"] = date
            let url = folder.appendingPathComponent("programme-\(date).json")
            try JSONSerialization.data(withJSONObject: day, options: [.prettyPrinted, .sortedKeys]).write(to: url)
            return url.path
        }
    }

    /// Rows of one query on an archive file, as text per column.
    static func rows(_ path: String, _ sql: String) throws -> [[String]] {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in
            try Row.fetchAll(db, sql: sql).map { row in
                row.databaseValues.map { value in
                    switch value.storage {
                    case .null: return "NULL"
                    case .int64(let n): return String(n)
                    case .double(let x): return String(x)
                    case .string(let text): return text
                    case .blob: return "<blob>"
                    }
                }
            }
        }
    }

    /// A report's JSON row whose first column has `key`.
    static func row(_ report: JSONValue, _ column: String, _ key: String) -> JSONValue? {
        guard case .array(let rows)? = report["rows"] else { return nil }
        return rows.first { $0[column]?.string == key }
    }

    // MARK: Archiving a programme

    @Test("the record of a programme: its days, each reception's days and times of day, the hotel as an assignment, lodging caps")
    func record() throws {
        let s = try Setup()
        defer { try? FileManager.default.removeItem(at: s.folder) }
        let problem = try Problem.load(json: try #require(readFileBytes(Self.programme)), registry: builtinRegistry())
        let day = try JSONParser.parse(try #require(readFileBytes(Self.programme))).value
        let plan = try JSONParser.parse(try #require(readFileBytes(s.plan))).value
        let record = try DayRecord.make(problem: problem, day: day, plan: plan, actuals: nil)

        #expect(record.date.description == "2026-12-07")
        #expect(record.days == 3)
        #expect(record.lastDate.description == "2026-12-09")
        let byVisit = Dictionary(uniqueKeysWithValues: record.receptions.map { ($0.visit, $0) })
        let v1 = try #require(byVisit["V-01"]), v2 = try #require(byVisit["V-02"])
        #expect([v1.start, v1.end, v2.start, v2.end] == ["09:00", "11:00", "14:00", "10:00"])
        #expect([v1.firstDay, v1.lastDay, v2.firstDay, v2.lastDay] == [Int](arrayLiteral: 1, 3, 1, 2))
        #expect(record.startDate(of: v1).description == "2026-12-07")
        #expect(record.endDate(of: v1).description == "2026-12-09")
        #expect(record.endDate(of: v2).description == "2026-12-08")

        // {"hotel": "H-...", "rooms": 3}: the hotel is a resource, the number of rooms is not.
        #expect(v1.assignments.filter { $0.need == "lodging" }
                == [AssignmentRecord(segment: "", need: "lodging", position: 0, role: "hotel", resource: try s.hotel("V-01"))])
        #expect(v2.assignments.filter { $0.need == "lodging" }
                == [AssignmentRecord(segment: "", need: "lodging", position: 0, role: "hotel", resource: try s.hotel("V-02"))])

        // Caps: high lodging perGuestNight 900 x 3 guests x 2 nights; medium 250 x 4 x 1; high catering perGuest 500 x 3.
        func cost(_ r: ReceptionRecord, _ category: String) -> CategoryCost? { r.costs.first { $0.category == category } }
        #expect(cost(v1, "lodging")?.cap == 5400)
        #expect(cost(v2, "lodging")?.cap == 1000)
        #expect(cost(v1, "catering")?.cap == 1500)
        #expect(cost(v2, "catering")?.cap == nil)
        #expect(cost(v1, "lodging")?.planned == (try s.planned("V-01", "lodging")))
    }

    @Test("a programme is archived once, each reception with its start and end dates and times, and found with them")
    func archiveOnce() throws {
        let s = try Setup()
        defer { try? FileManager.default.removeItem(at: s.folder) }
        let added = try s.run(["archive", "add", Self.programme, s.plan])
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout.contains("archived 2026-12-07 to 2026-12-09: 2 receptions"), "\(added.stdout)")

        #expect(try Self.rows(s.db, "SELECT date, days FROM day") == [["2026-12-07", "3"]])
        #expect(try Self.rows(s.db, "SELECT visitId, startDate, startTime, endDate, endTime FROM reception ORDER BY visitId") == [
            ["V-01", "2026-12-07", "09:00", "2026-12-09", "11:00"],
            ["V-02", "2026-12-07", "14:00", "2026-12-08", "10:00"],
        ])
        #expect(try Self.rows(s.db, """
            SELECT r.visitId, a.segmentId, a.position, a.role, a.resourceId FROM assignment a JOIN reception r ON r.id = a.receptionId
            WHERE a.need = 'lodging' ORDER BY r.visitId
            """) == [["V-01", "", "0", "hotel", try s.hotel("V-01")], ["V-02", "", "0", "hotel", try s.hotel("V-02")]])

        let dump = try ArchiveFixtures.dump(s.db)
        let again = try s.run(["archive", "add", Self.programme, s.plan])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("2026-12-07 to 2026-12-09 is already archived with this plan; nothing changed"), "\(again.stdout)")
        #expect(try ArchiveFixtures.dump(s.db) == dump)

        let found = try s.run(["archive", "find", "--format", "json"])
        #expect(found.status == 0, "\(found.stderr)")
        let report = try JSONParser.parse(found.stdout)
        #expect(Self.row(report, "visit", "V-01")?["time"]?.string == "09:00 to 2026-12-09 11:00")
        #expect(Self.row(report, "visit", "V-01")?["date"]?.string == "2026-12-07")
        #expect(Self.row(report, "visit", "V-02")?["time"]?.string == "14:00 to 2026-12-08 10:00")
        let text = try s.run(["archive", "find", "--visit", "V-02"])
        #expect(text.stdout.contains("14:00 to 2026-12-08 10:00"), "\(text.stdout)")
    }

    @Test("report costs and report kpi include lodging, with its per-guest-night cap")
    func lodgingCosts() throws {
        let s = try Setup()
        defer { try? FileManager.default.removeItem(at: s.folder) }
        let actuals = try s.file("actuals.json", """
            {"schemaVersion": 1, "date": "2026-12-07", "visits": [{"id": "V-01", "costs": {"venue": 700, "transport": 200, "catering": 1500, "lodging": 5600}}]}
            """)
        let added = try s.run(["archive", "add", Self.programme, s.plan, "--actuals", actuals])
        #expect(added.status == 0, "\(added.stderr)")

        let lodging1 = try s.planned("V-01", "lodging"), lodging2 = try s.planned("V-02", "lodging")
        let costs = try s.run(["report", "costs", "--by", "category", "--format", "json"])
        #expect(costs.status == 0, "\(costs.stderr)")
        let report = try JSONParser.parse(costs.stdout)
        guard case .array(let rows)? = report["rows"] else {
            Issue.record("no rows: \(costs.stdout)")
            return
        }
        #expect(rows.compactMap { $0["category"]?.string } == ["venue", "transport", "catering", "lodging"])
        let row = try #require(Self.row(report, "category", "lodging"))
        #expect(row["receptions"]?.number == 2)
        #expect(row["withActuals"]?.number == 1)
        #expect(row["planned"]?.number == lodging1 + lodging2)
        #expect(row["cap"]?.number == Double(900 * 3 * 2 + 250 * 4 * 1))
        #expect(row["approved"]?.number == 0)
        #expect(row["plannedOverCap"]?.number == max(0, lodging1 - 5400) + max(0, lodging2 - 1000))
        #expect(row["actual"]?.number == 5600)
        #expect(row["variance"]?.number == 5600 - lodging1)
        #expect(row["actualOverCap"]?.number == 200)
        let text = try s.run(["report", "costs", "--by", "category"])
        #expect(text.stdout.contains("perGuestNight x guests x nights for lodging"), "\(text.stdout)")

        // A programme's costs count in the month it starts in.
        let month = try JSONParser.parse(try s.run(["report", "costs", "--by", "month", "--format", "json"]).stdout)
        let planTotal = try ["V-01", "V-02"].reduce(0.0) { sum, visit in
            try ["venue", "transport", "catering", "lodging"].reduce(sum) { try $0 + s.planned(visit, $1) }
        }
        #expect(Self.row(month, "month", "2026-12")?["planned"]?.number == planTotal)

        // KPIs: the host's capped items (V-01 catering and lodging at their actuals, V-02 lodging planned).
        let kpi = try JSONParser.parse(try s.run(["report", "kpi", "--as-of", "2026-12-20", "--format", "json"]).stdout)
        #expect(kpi["total"]?["spend"]?.number == 1500.0 + 5600.0 + lodging2)
        #expect(kpi["total"]?["cap"]?.number == Double(1500 + 5400 + 1000))
        #expect(kpi["total"]?["overCap"]?.number == 200 + max(0, lodging2 - 1000))
    }

    // MARK: One plan per date

    @Test("a day or programme overlapping an archived programme that starts on another date is refused (exit 2)")
    func overlapsRefused() throws {
        let s = try Setup()
        defer { try? FileManager.default.removeItem(at: s.folder) }
        let dayPlan = s.folder.appendingPathComponent("day-plan.json").path
        let optimized = try ArchiveFixtures.run(["optimize", CLI.exampleDay, "-o", dayPlan])
        try #require(optimized.status == 0 || optimized.status == 3, "\(optimized.stderr)")
        #expect(try s.run(["archive", "add", Self.programme, s.plan]).status == 0)
        let dump = try ArchiveFixtures.dump(s.db)

        let inside = try CLI.editedExample({ $0["date"] = "2026-12-08" }, in: s.folder, name: "day-08.json")
        for arguments in [["archive", "add", inside, dayPlan], ["archive", "add", inside, dayPlan, "--replace"]] {
            let run = try s.run(arguments)
            #expect(run.status == 2, "\(arguments): \(run.stdout)")
            #expect(run.stderr.contains("error: 2026-12-08: this date is part of the programme archived for 2026-12-07 to 2026-12-09 (archived "),
                    "\(run.stderr)")
            #expect(run.stderr.contains("the archive holds one plan per date; archive a day or programme starting on 2026-12-07"), "\(run.stderr)")
        }
        let earlier = try s.run(["archive", "add", try s.programme(from: "2026-12-05"), s.plan])
        #expect(earlier.status == 2)
        #expect(earlier.stderr.contains("error: 2026-12-07: this date is part of the programme archived for 2026-12-07 to 2026-12-09"),
                "\(earlier.stderr)")
        #expect(try ArchiveFixtures.dump(s.db) == dump, "a refused add changed the archive")

        // The dates just before and after are free.
        for date in ["2026-12-06", "2026-12-10"] {
            let day = try CLI.editedExample({ $0["date"] = date }, in: s.folder, name: "day-\(date).json")
            let run = try s.run(["archive", "add", day, dayPlan])
            #expect(run.status == 0, "\(date): \(run.stderr)")
        }
        // A programme over an archived one-day date is refused, naming that day.
        let over = try s.run(["archive", "add", try s.programme(from: "2026-12-04"), s.plan])
        #expect(over.status == 2)
        #expect(over.stderr.contains("error: 2026-12-06: this date is part of the day archived for 2026-12-06"), "\(over.stderr)")
        #expect(try ArchiveFixtures.count(s.db, "SELECT count(*) FROM day") == 3)
    }

    @Test("replacing a programme from the same first date changes its days and the receptions' dates; the freed dates can be archived")
    func replaceProgramme() throws {
        let folder = try ArchiveFixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let archive = try ReceptionArchive.open(at: folder.appendingPathComponent("a.sqlite").path, mode: .createIfMissing)
        var programme = ArchiveFixtures.record(date: "2026-12-07", count: 2)
        programme.days = 3
        programme.receptions[0].lastDay = 3
        programme.receptions[1].firstDay = 2
        programme.receptions[1].lastDay = 2
        #expect(try archive.add(programme) == .added(receptions: 2))
        let found = try archive.findReceptions(ReceptionQuery())
        #expect(found.map { "\($0.visit) \($0.date) \($0.endDate) \($0.time)" }
                == ["V-001 2026-12-07 2026-12-09 09:00 to 2026-12-09 11:00", "V-002 2026-12-08 2026-12-08 09:00-11:00"])

        let refused = archiveError { () throws(ArchiveError) in try archive.add(ArchiveFixtures.record(date: "2026-12-09"), replace: true) }
        #expect(refused?.kind == "invalidInput")
        #expect(refused?.description.contains("2026-12-09: this date is part of the programme archived for 2026-12-07 to 2026-12-09") == true,
                "\(refused?.description ?? "no error")")

        var shorter = programme
        shorter.days = 2
        shorter.receptions[0].lastDay = 2
        shorter.planJSON = "{\"status\":\"feasible\"}"
        #expect(archiveError { () throws(ArchiveError) in try archive.add(shorter) }?.description
                .contains("2026-12-07: this date is already archived from another plan") == true)
        #expect(try archive.add(shorter, replace: true) == .replaced(receptions: 2, removed: []))
        #expect(try archive.findReceptions(ReceptionQuery(visit: "V-001")).first?.endDate == ArchiveFixtures.date("2026-12-08"))
        #expect(try archive.add(ArchiveFixtures.record(date: "2026-12-09")) == .added(receptions: 3))
    }

    // MARK: Lookups by a date inside a programme

    @Test("feedback and follow-ups find a programme's reception by any of its dates; --due is on or after its start")
    func lookupByDate() throws {
        let s = try Setup()
        defer { try? FileManager.default.removeItem(at: s.folder) }
        #expect(try s.run(["archive", "add", Self.programme, s.plan]).status == 0)

        let last = try s.run(["feedback", "add", "--visit", "V-01", "--date", "2026-12-09", "--channel", "interview", "--satisfaction", "5"])
        #expect(last.status == 0, "\(last.stderr)")
        #expect(last.stdout.contains("feedback #1 recorded for V-01 from 2026-12-07 to 2026-12-09 (Mueller AG): interview, satisfaction 5"),
                "\(last.stdout)")
        let after = try s.run(["feedback", "add", "--visit", "V-02", "--date", "2026-12-09", "--channel", "phone", "--satisfaction", "3"])
        #expect(after.status == 2)
        #expect(after.stderr.contains("--date: no archived reception V-02 on 2026-12-09; V-02 is archived on 2026-12-07 to 2026-12-08"),
                "\(after.stderr)")
        #expect(try s.run(["feedback", "add", "--visit", "V-02", "--channel", "phone", "--satisfaction", "3"]).status == 0)

        let early = try s.run(["followup", "add", "--visit", "V-02", "--date", "2026-12-08", "--action", "send the minutes", "--due", "2026-12-06"])
        #expect(early.status == 2)
        #expect(early.stderr.contains("--due: 2026-12-06 is before the reception from 2026-12-07 to 2026-12-08; give the date the action is due, on or after 2026-12-07"),
                "\(early.stderr)")
        let minutes = try s.run(["followup", "add", "--visit", "V-02", "--date", "2026-12-08", "--action", "send the minutes", "--due", "2026-12-07"])
        #expect(minutes.status == 0, "\(minutes.stderr)")
        #expect(minutes.stdout.contains("follow-up #1 for V-02 from 2026-12-07 to 2026-12-08: \"send the minutes\", owner S-EXE, due 2026-12-07"),
                "\(minutes.stdout)")
        let flight = try s.run(["followup", "add", "--visit", "V-01", "--date", "2026-12-09", "--action", "book the return flight",
                                "--owner", "S-STF", "--due", "2026-12-12"])
        #expect(flight.status == 0, "\(flight.stderr)")

        func listed(_ date: String) throws -> [String] {
            let run = try s.run(["followup", "list", "--date", date, "--status", "all", "--as-of", "2026-12-10", "--format", "json"])
            guard case .array(let rows)? = try JSONParser.parse(run.stdout)["rows"] else { return ["no rows: \(run.stdout) \(run.stderr)"] }
            return rows.compactMap { $0["visit"]?.string }
        }
        #expect(try listed("2026-12-08") == ["V-02", "V-01"])
        #expect(try listed("2026-12-09") == ["V-01"])
        #expect(try listed("2026-12-10") == [])

        // Periods select receptions by their start date.
        #expect(try s.run(["feedback", "list", "--from", "2026-12-08"]).stdout.hasPrefix("0 feedback entries"))
        #expect(try s.run(["feedback", "list", "--to", "2026-12-07"]).stdout.hasPrefix("2 feedback entries"))
        #expect(try s.run(["archive", "find", "--from", "2026-12-08"]).stdout.hasPrefix("0 archived receptions"))
        let kpi = try JSONParser.parse(try s.run(["report", "kpi", "--from", "2026-12-07", "--to", "2026-12-07", "--as-of", "2026-12-10",
                                                  "--format", "json"]).stdout)
        #expect(kpi["total"]?["feedback"]?.number == 2)
        #expect(kpi["total"]?["followUps"]?.number == 2)
        #expect(kpi["total"]?["late"]?.number == 1)
    }

    // MARK: Migration

    /// Migration v2 as it shipped, frozen: never change this text.
    static let releasedV2 = """
        BEGIN IMMEDIATE;
        CREATE TABLE followUp (
            id INTEGER PRIMARY KEY,
            receptionId INTEGER NOT NULL REFERENCES reception(id) ON DELETE RESTRICT,
            action TEXT NOT NULL CHECK (length(trim(action)) > 0),
            owner TEXT NOT NULL CHECK (length(owner) > 0),
            due TEXT NOT NULL CHECK (due GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
            closedOn TEXT CHECK (closedOn IS NULL OR closedOn GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
            createdAt TEXT NOT NULL
        );
        CREATE INDEX followUp_reception ON followUp(receptionId);
        CREATE INDEX followUp_owner ON followUp(owner);
        PRAGMA user_version = 2;
        COMMIT;
        """

    /// What a version-2 archive may hold besides v1's day: a programme archived
    /// by a build before schema v3 (times like `day 3 11:00`), a start at
    /// midnight written `day 0 24:00`, and a follow-up.
    static let v2Data = """
        BEGIN IMMEDIATE;
        INSERT INTO day VALUES (2, '2026-12-07', 'CNY', 7000, 'optimal', 11420, '{}', '{}', '2026-12-10T08:00:00Z');
        INSERT INTO staff VALUES (2, 'S-EXE', 'Zhang Min', 'executive', 'Management'), (2, 'S-STF', 'Wang Fang', 'staff', 'Sales');
        INSERT INTO client VALUES (2, 'Mueller AG');
        INSERT INTO reception VALUES (2, 2, 'V-01', 2, NULL, NULL, NULL, 'high', 3, 'de', '09:00', 'day 3 11:00'),
            (3, 2, 'V-02', NULL, NULL, NULL, NULL, 'medium', 4, NULL, '14:00', 'day 2 10:00'),
            (4, 2, 'V-03', NULL, NULL, NULL, NULL, 'low', 2, NULL, 'day 2 09:00', 'day 2 12:00');
        INSERT INTO assignment VALUES (2, '', 'host', 0, 'host', 'S-EXE'), (2, '', 'lodging', 0, 'hotel', 'H-BUND');
        INSERT INTO cost VALUES (2, 'lodging', 5400, 5400, 0, NULL);
        INSERT INTO day VALUES (3, '2026-11-03', 'CNY', NULL, 'optimal', 10, '{}', '{}', '2026-11-04T08:00:00Z');
        INSERT INTO reception VALUES (5, 3, 'V-020', NULL, NULL, NULL, NULL, 'low', 1, NULL, 'day 0 24:00', '02:00');
        INSERT INTO followUp VALUES (1, 1, 'send the audit report', 'S-1', '2026-11-20', NULL, '2026-11-04T10:00:00Z');
        COMMIT;
        """

    @Test("an archive of schema v2 is migrated to v3: receptions dated from their day, the new schema, lookups by date")
    func migratesFromV2() throws {
        let folder = try ArchiveFixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("v2.sqlite").path
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: ArchiveStoreTests.releasedV1)
            try db.execute(sql: Self.releasedV2)
            try db.execute(sql: Self.v2Data)
        }
        try queue.close()
        #expect(try ArchiveFixtures.count(path, "PRAGMA user_version") == 2)

        let archive = try ReceptionArchive.open(at: path, mode: .existingOnly)
        #expect(try archive.schemaVersion() == ArchiveSchema.currentVersion)
        #expect(try Self.rows(path, "SELECT date, days FROM day ORDER BY date") == [["2026-11-02", "1"], ["2026-11-03", "1"], ["2026-12-07", "3"]])
        #expect(try Self.rows(path, "SELECT visitId, startDate, startTime, endDate, endTime FROM reception ORDER BY id") == [
            ["V-017", "2026-11-02", "08:30", "2026-11-02", "14:50"],
            ["V-01", "2026-12-07", "09:00", "2026-12-09", "11:00"],
            ["V-02", "2026-12-07", "14:00", "2026-12-08", "10:00"],
            ["V-03", "2026-12-08", "09:00", "2026-12-08", "12:00"],
            ["V-020", "2026-11-03", "00:00", "2026-11-03", "02:00"],
        ])
        let found = try archive.findReceptions(ReceptionQuery(from: ArchiveFixtures.date("2026-11-01")))
        #expect(found.map(\.time) == ["08:30-14:50", "00:00-02:00", "09:00 to 2026-12-09 11:00", "14:00 to 2026-12-08 10:00", "09:00-12:00"])
        #expect(try archive.followUps(FollowUpQuery(date: ArchiveFixtures.date("2026-11-02"))).map(\.action) == ["send the audit report"])

        // Lookups by a date inside the migrated programme, and its dates kept for one plan per date.
        let entry = try archive.addFeedback(NewFeedback(visit: "V-01", date: ArchiveFixtures.date("2026-12-08"), channel: .phone,
                                                        satisfaction: try Satisfaction(4)))
        #expect(entry.date == ArchiveFixtures.date("2026-12-07"))
        #expect(entry.endDate == ArchiveFixtures.date("2026-12-09"))
        let item = try archive.addFollowUp(NewFollowUp(visit: "V-03", date: nil, action: "send photos", owner: "S-STF",
                                                       due: ArchiveFixtures.date("2026-12-08")))
        #expect(item.department == "Sales")
        let overlap = archiveError { () throws(ArchiveError) in try archive.add(ArchiveFixtures.record(date: "2026-12-09")) }
        #expect(overlap?.description.contains("2026-12-09: this date is part of the programme archived for 2026-12-07 to 2026-12-09") == true,
                "\(overlap?.description ?? "no error")")
        // The costs of the migrated programme are still reported.
        let costs = try archive.costReport(from: nil, to: nil, by: .category, currency: "CNY")
        #expect(costs.rows.first { $0.key == "lodging" }?.figures.cap == 5400)
        try archive.close()

        // The migrated schema is exactly the schema of a new archive.
        let fresh = folder.appendingPathComponent("fresh.sqlite").path
        try ReceptionArchive.open(at: fresh, mode: .createIfMissing).close()
        #expect(try ArchiveFixtures.schema(path) == ArchiveFixtures.schema(fresh))
    }

    @Test("a reception cannot lose its dates")
    func datesRequired() throws {
        let folder = try ArchiveFixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("a.sqlite").path
        let archive = try ReceptionArchive.open(at: path, mode: .createIfMissing)
        _ = try archive.add(ArchiveFixtures.record(count: 1))
        try archive.close()
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        #expect(throws: DatabaseError.self) {
            try queue.write { db in try db.execute(sql: "UPDATE reception SET endDate = NULL") }
        }
        #expect(throws: DatabaseError.self) {
            try queue.write { db in
                try db.execute(sql: "INSERT INTO reception (dayId, visitId, tier, guests, startTime, endTime) VALUES (1, 'V-9', 'low', 1, '09:00', '10:00')")
            }
        }
        #expect(throws: DatabaseError.self) {
            try queue.write { db in try db.execute(sql: "UPDATE reception SET endDate = '2026-11-30'") }
        }
    }
}
