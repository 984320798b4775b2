import Archive
import Foundation
import GRDB
import Testing

/// Approvals of special reception plans in the archive (issue 18, schema v4):
/// `schedule approve` run as a planner would, and the migration from v3.
@Suite("Archive: special reception plan approvals")
struct ArchiveSpecialPlanTests {
    /// A folder with the example day (high-tier visits and groups of 8 or more need a
    /// special plan: V-001 high 5 guests, V-004 high 8), its plan, and a new archive holding them.
    struct Setup {
        var folder: URL
        var db: String
        var day: String
        var plan: String

        init() throws {
            folder = try ArchiveFixtures.folder()
            db = folder.appendingPathComponent("archive.sqlite").path
            day = folder.appendingPathComponent("day.json").path
            let text = try SpecialPlanTests.example(specialPlans: #"{ "tiers": ["high"], "minGuests": 8 }"#)
            try Data(text.utf8).write(to: URL(fileURLWithPath: day))
            plan = folder.appendingPathComponent("plan.json").path
            let optimized = try ArchiveFixtures.run(["optimize", day, "-o", plan])
            #expect(optimized.status == 0, "\(optimized.stderr)")
            #expect(optimized.stderr.contains("V-004    tier high; 8 guests >= 8"), "the summary names the visits: \(optimized.stderr)")
            let added = try ArchiveFixtures.run(["archive", "add", day, plan, "--db", db])
            #expect(added.status == 0, "\(added.stderr)")
        }

        func run(_ arguments: [String]) throws -> CLI.Run {
            try ArchiveFixtures.run(arguments + ["--db", db])
        }
    }

    @Test("approve records who approved and when; the list shows what is pending")
    func approveAndList() throws {
        let s = try Setup()
        defer { try? FileManager.default.removeItem(at: s.folder) }
        let pending = try s.run(["approve", "list", "--pending", "--format", "csv"])
        #expect(pending.status == 0, "\(pending.stderr)")
        #expect(pending.stdout.contains("2026-12-01,V-001,Acme GmbH,high,5,tier high,PENDING"), "\(pending.stdout)")
        #expect(pending.stdout.contains("V-004,Northwind Logistics,high,8,tier high; 8 guests >= 8,PENDING"), "\(pending.stdout)")

        let approved = try s.run(["approve", "--visit", "V-001", "--by", "S-002", "--on", "2026-11-28", "--note", "budget checked"])
        #expect(approved.status == 0, "\(approved.stderr)")
        #expect(approved.stdout == "special reception plan of V-001 on 2026-12-01 (Acme GmbH) [tier high] approved by S-002 (Chen Jing) on 2026-11-28\n")
        let dump = try ArchiveFixtures.dump(s.db)
        #expect(try ArchiveFixtures.count(s.db, "SELECT count(*) FROM specialPlanApproval WHERE approvedBy = 'S-002' AND approvedOn = '2026-11-28' AND note = 'budget checked'") == 1)

        // The same approval again changes nothing; another is refused without --replace.
        let again = try s.run(["approve", "add", "--visit", "V-001", "--date", "2026-12-01", "--by", "S-002", "--on", "2026-11-28", "--note", "budget checked"])
        #expect(again.status == 0)
        #expect(again.stdout.contains("already recorded, nothing changed"))
        let other = try s.run(["approve", "--visit", "V-001", "--by", "S-001", "--on", "2026-11-29"])
        #expect(other.status == 2)
        #expect(other.stderr.contains("error: --visit: the special plan of V-001 on 2026-12-01 was already approved by S-002 on 2026-11-28"))
        #expect(other.stderr.contains("pass --replace"))
        #expect(try ArchiveFixtures.dump(s.db) == dump)
        let replaced = try s.run(["approve", "--visit", "V-001", "--by", "S-001", "--on", "2026-11-29", "--replace"])
        #expect(replaced.status == 0, "\(replaced.stderr)")
        #expect(replaced.stdout.contains("approved by S-001 (Li Wei) on 2026-11-29 (replaces the approval by S-002 on 2026-11-28)"))
        #expect(try ArchiveFixtures.count(s.db, "SELECT count(*) FROM specialPlanApproval") == 1)

        // A name that is not a staff id is stored as given; after the reception's start it is late.
        let late = try s.run(["approve", "--visit", "V-004", "--by", "Director Wu", "--on", "2026-12-02"])
        #expect(late.status == 0, "\(late.stderr)")
        #expect(late.stdout.contains("approved by Director Wu on 2026-12-02, after the reception began"))
        let list = try s.run(["approve", "list", "--format", "csv"])
        #expect(list.stdout.contains("V-001,Acme GmbH,high,5,tier high,approved,S-001 (Li Wei),2026-11-29"), "\(list.stdout)")
        #expect(list.stdout.contains("approved late,Director Wu,2026-12-02"), "\(list.stdout)")
        let none = try s.run(["approve", "list", "--pending"])
        #expect(none.stdout.hasPrefix("0 special reception plans pending, 0 not yet approved"), "\(none.stdout)")
    }

    @Test("report --approvals prints the archived approvals in place of the blanks")
    func reportWithApprovals() throws {
        let s = try Setup()
        defer { try? FileManager.default.removeItem(at: s.folder) }
        let approved = try s.run(["approve", "--visit", "V-004", "--by", "S-001", "--on", "2026-11-30"])
        #expect(approved.status == 0, "\(approved.stderr)")
        let report = try s.run(["report", s.day, s.plan, "--format", "md", "--approvals"])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.stdout.contains("Special reception plan required (tier high; 8 guests ≥ 8) — approved by S-001 (Li Wei) on 2026-11-30"))
        #expect(report.stdout.contains("Special reception plan required (tier high) — approved by \\_\\_"), "V-001 is still to sign")
        let plain = try ArchiveFixtures.run(["report", s.day, s.plan, "--format", "md"])
        #expect(!plain.stdout.contains("S-001 (Li Wei) on 2026-11-30"), "without --approvals the archive is not read")
        let stray = try ArchiveFixtures.run(["report", s.day, s.plan, "--db", s.db])
        #expect(stray.status == 2)
        #expect(stray.stderr.contains("--db is read with --approvals only"))
        let missing = try ArchiveFixtures.run(["report", s.day, s.plan, "--approvals", "--db", s.folder.appendingPathComponent("none.sqlite").path])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no archive at"))
    }

    @Test("a visit that needs no special plan, an unknown visit, a blank approver or a bad date change nothing (exit 2)")
    func refused() throws {
        let s = try Setup()
        defer { try? FileManager.default.removeItem(at: s.folder) }
        let dump = try ArchiveFixtures.dump(s.db)
        let cases: [([String], String)] = [
            (["--visit", "V-002", "--by", "S-001"], "error: --visit: V-002 on 2026-12-01 needs no special reception plan (tier medium, 3 guests: its day's policy.specialPlans does not name it); nothing to approve"),
            (["--visit", "V-099", "--by", "S-001"], "error: --visit: V-099 is not in the archive"),
            (["--visit", "V-001", "--date", "2026-12-02", "--by", "S-001"], "error: --date: no archived reception V-001 on 2026-12-02"),
            (["--visit", "V-001", "--by", "  "], "error: --by: is blank"),
            (["--visit", "V-001", "--by", "S-001", "--on", "2026-13-01"], "--on: \"2026-13-01\" is not a date"),
        ]
        for (arguments, message) in cases {
            let run = try s.run(["approve"] + arguments)
            #expect(run.status == 2, "\(arguments): \(run.stderr)")
            #expect(run.stderr.contains(message), "\(arguments): \(run.stderr)")
        }
        #expect(try ArchiveFixtures.dump(s.db) == dump)
        let missing = try ArchiveFixtures.run(["approve", "list", "--db", s.folder.appendingPathComponent("none.sqlite").path])
        #expect(missing.status == 2)
    }

    @Test("a day replaced by a plan without an approved visit is refused")
    func replaceKeepsApprovedVisits() throws {
        let folder = try ArchiveFixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("a.sqlite").path
        let archive = try ReceptionArchive.open(at: path, mode: .createIfMissing)
        defer { try? archive.close() }
        var record = ArchiveFixtures.record(count: 2)
        record.receptions[1].specialPlan = ["tier medium"]
        _ = try archive.add(record)
        #expect(try archive.specialPlans().map(\.visit) == ["V-002"])
        let outcome = try archive.approveSpecialPlan(NewSpecialPlanApproval(visit: "V-002", date: nil, approvedBy: "S-1",
                                                                            approvedOn: ArchiveFixtures.date("2026-11-30")))
        guard case .approved(let status) = outcome else {
            Issue.record("expected a new approval, got \(outcome)")
            return
        }
        #expect(status.approval?.approverName == "Li Wei")
        #expect(!status.approvedLate)
        var smaller = ArchiveFixtures.record(count: 1)
        smaller.planJSON = "{\"status\":\"feasible\"}"
        let error = archiveError { () throws(ArchiveError) in try archive.add(smaller, replace: true) }
        #expect(error?.description.contains("2026-12-01 V-002: has an approved special reception plan but is not in the new plan") == true,
                "\(error?.description ?? "no error")")
        #expect(try archive.specialPlans(SpecialPlanQuery(pendingOnly: true)).isEmpty)
    }

    // MARK: Migration

    /// Migration v3 as it shipped, frozen: never change this text.
    static let releasedV3 = """
        BEGIN IMMEDIATE;
        ALTER TABLE day ADD COLUMN days INTEGER NOT NULL DEFAULT 1 CHECK (days >= 1);
        ALTER TABLE reception ADD COLUMN startDate TEXT CHECK (startDate GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]');
        ALTER TABLE reception ADD COLUMN endDate TEXT CHECK (endDate GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]' AND endDate >= startDate);
        UPDATE reception SET
            startDate = coalesce((SELECT date(d.date, printf('%+d days',
                    (CASE WHEN reception.startTime GLOB 'day *'
                          THEN CAST(substr(reception.startTime, 5, length(reception.startTime) - 10) AS INTEGER) ELSE 1 END)
                    - 1 + (substr(reception.startTime, -5) = '24:00')))
                FROM day d WHERE d.id = reception.dayId),
                (SELECT d.date FROM day d WHERE d.id = reception.dayId));
        UPDATE reception SET
            endDate = max(startDate, coalesce((SELECT date(d.date, printf('%+d days',
                    (CASE WHEN reception.endTime GLOB 'day *'
                          THEN CAST(substr(reception.endTime, 5, length(reception.endTime) - 10) AS INTEGER) ELSE 1 END) - 1))
                FROM day d WHERE d.id = reception.dayId), startDate)),
            startTime = CASE WHEN substr(startTime, -5) = '24:00' THEN '00:00' ELSE substr(startTime, -5) END,
            endTime = substr(endTime, -5);
        UPDATE day SET days = max(1, coalesce((SELECT CAST(max(julianday(r.endDate) - julianday(day.date)) AS INTEGER) + 1
                                               FROM reception r WHERE r.dayId = day.id), 1));
        CREATE INDEX reception_start ON reception(startDate);
        CREATE TRIGGER reception_dates_on_insert BEFORE INSERT ON reception
        WHEN NEW.startDate IS NULL OR NEW.endDate IS NULL
        BEGIN SELECT RAISE(ABORT, 'a reception needs its startDate and endDate'); END;
        CREATE TRIGGER reception_dates_on_update BEFORE UPDATE OF startDate, endDate ON reception
        WHEN NEW.startDate IS NULL OR NEW.endDate IS NULL
        BEGIN SELECT RAISE(ABORT, 'a reception needs its startDate and endDate'); END;
        PRAGMA user_version = 3;
        COMMIT;
        """

    @Test("an archive of schema v3 is migrated to v4: receptions need no special plan until re-archived, approvals work, the schema is new")
    func migratesFromV3() throws {
        let folder = try ArchiveFixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("v3.sqlite").path
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: ArchiveStoreTests.releasedV1)
            try db.execute(sql: ArchiveProgrammeTests.releasedV2)
            try db.execute(sql: Self.releasedV3)
        }
        try queue.close()
        #expect(try ArchiveFixtures.count(path, "PRAGMA user_version") == 3)
        #expect(try ArchiveFixtures.count(path, "SELECT count(*) FROM sqlite_master WHERE name = 'specialPlanApproval'") == 0)

        let archive = try ReceptionArchive.open(at: path, mode: .existingOnly)
        #expect(try archive.schemaVersion() == 4)
        #expect(try ArchiveProgrammeTests.rows(path, "SELECT visitId, startDate, specialPlan FROM reception") == [["V-017", "2026-11-02", "NULL"]])
        #expect(try archive.specialPlans().isEmpty)
        let error = archiveError { () throws(ArchiveError) in
            try archive.approveSpecialPlan(NewSpecialPlanApproval(visit: "V-017", date: nil, approvedBy: "S-1", approvedOn: ArchiveFixtures.date("2026-11-01")))
        }
        #expect(error?.description.contains("V-017 on 2026-11-02 needs no special reception plan (tier high, 5 guests") == true, "\(error?.description ?? "no error")")
        // A day archived after the migration records its special plans.
        var record = ArchiveFixtures.record(date: "2026-12-01", count: 1)
        record.receptions[0].specialPlan = ["tier medium", "2 guests >= 2"]
        _ = try archive.add(record)
        _ = try archive.approveSpecialPlan(NewSpecialPlanApproval(visit: "V-001", date: nil, approvedBy: "S-1", approvedOn: ArchiveFixtures.date("2026-11-30"),
                                                                  note: "  "))
        let listed = try archive.specialPlans()
        #expect(listed.map(\.reasons) == ["tier medium; 2 guests >= 2"])
        #expect(listed.first?.approval?.note == nil, "a blank note is stored as none")
        try archive.close()

        // The migrated schema is exactly the schema of a new archive.
        let fresh = folder.appendingPathComponent("fresh.sqlite").path
        try ReceptionArchive.open(at: fresh, mode: .createIfMissing).close()
        #expect(try ArchiveFixtures.schema(path) == ArchiveFixtures.schema(fresh))
    }
}
