import Archive
import Foundation
import GRDB
import Testing

/// The archive file itself: migrations, refusing files that are not archives,
/// one transaction per operation, idempotent adds and concurrent writers.
@Suite("Archive store reliability")
struct ArchiveStoreTests {
    // MARK: Migration

    /// The schema of the first release, frozen here as it shipped: a test that
    /// fails after an edit to migration v1 in the code means the edit would have
    /// split old and new archives. Never change this text.
    static let releasedV1 = """
        PRAGMA journal_mode = WAL;
        BEGIN IMMEDIATE;
        CREATE TABLE day (
            id INTEGER PRIMARY KEY,
            date TEXT NOT NULL UNIQUE CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
            currency TEXT NOT NULL CHECK (length(currency) > 0),
            dayBudget REAL CHECK (dayBudget IS NULL OR dayBudget >= 0),
            planStatus TEXT NOT NULL,
            objective REAL NOT NULL,
            dayJSON TEXT NOT NULL,
            planJSON TEXT NOT NULL,
            archivedAt TEXT NOT NULL
        );
        CREATE TABLE staff (
            dayId INTEGER NOT NULL REFERENCES day(id) ON DELETE CASCADE,
            staffId TEXT NOT NULL CHECK (length(staffId) > 0),
            name TEXT,
            rank TEXT NOT NULL,
            department TEXT NOT NULL,
            PRIMARY KEY (dayId, staffId)
        ) WITHOUT ROWID;
        CREATE TABLE client (
            id INTEGER PRIMARY KEY,
            company TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(company) > 0)
        );
        CREATE TABLE reception (
            id INTEGER PRIMARY KEY,
            dayId INTEGER NOT NULL REFERENCES day(id) ON DELETE CASCADE,
            visitId TEXT NOT NULL CHECK (length(visitId) > 0),
            clientId INTEGER REFERENCES client(id) ON DELETE RESTRICT,
            contact TEXT,
            contactTitle TEXT,
            purpose TEXT,
            tier TEXT NOT NULL CHECK (tier IN ('high', 'medium', 'low')),
            guests INTEGER NOT NULL CHECK (guests >= 1),
            language TEXT,
            startTime TEXT NOT NULL,
            endTime TEXT NOT NULL,
            UNIQUE (dayId, visitId)
        );
        CREATE INDEX reception_client ON reception(clientId);
        CREATE INDEX reception_visit ON reception(visitId);
        CREATE TABLE assignment (
            receptionId INTEGER NOT NULL REFERENCES reception(id) ON DELETE CASCADE,
            segmentId TEXT NOT NULL,
            need TEXT NOT NULL,
            position INTEGER NOT NULL CHECK (position >= 0),
            role TEXT NOT NULL,
            resourceId TEXT NOT NULL,
            PRIMARY KEY (receptionId, segmentId, need, position, role)
        ) WITHOUT ROWID;
        CREATE INDEX assignment_resource ON assignment(need, resourceId);
        CREATE TABLE unmetNeed (
            receptionId INTEGER NOT NULL REFERENCES reception(id) ON DELETE CASCADE,
            segmentId TEXT NOT NULL,
            need TEXT NOT NULL,
            reason TEXT NOT NULL,
            PRIMARY KEY (receptionId, segmentId, need)
        ) WITHOUT ROWID;
        CREATE TABLE cost (
            receptionId INTEGER NOT NULL REFERENCES reception(id) ON DELETE CASCADE,
            category TEXT NOT NULL,
            planned REAL NOT NULL CHECK (planned >= 0),
            cap REAL CHECK (cap IS NULL OR cap >= 0),
            approved REAL NOT NULL DEFAULT 0 CHECK (approved >= 0),
            actual REAL CHECK (actual IS NULL OR actual >= 0),
            PRIMARY KEY (receptionId, category)
        ) WITHOUT ROWID;
        CREATE TABLE feedback (
            id INTEGER PRIMARY KEY,
            receptionId INTEGER NOT NULL REFERENCES reception(id) ON DELETE RESTRICT,
            channel TEXT NOT NULL CHECK (channel IN ('survey', 'interview', 'phone')),
            satisfaction INTEGER NOT NULL CHECK (satisfaction BETWEEN 1 AND 5),
            comment TEXT,
            recordedAt TEXT NOT NULL
        );
        CREATE INDEX feedback_reception ON feedback(receptionId);
        PRAGMA user_version = 1;
        PRAGMA application_id = 1381188424;
        INSERT INTO day VALUES (1, '2026-11-02', 'CNY', NULL, 'optimal', 900, '{}', '{}', '2026-11-03T08:00:00Z');
        INSERT INTO staff VALUES (1, 'S-1', 'Li Wei', 'manager', 'Sales'), (1, 'S-2', 'Chen Jing', 'staff', 'Admin');
        INSERT INTO client VALUES (1, 'Acme GmbH');
        INSERT INTO reception VALUES (1, 1, 'V-017', 1, 'Anna Berg', 'COO', 'supplier audit', 'high', 5, 'de', '08:30', '14:50');
        INSERT INTO assignment VALUES (1, '', 'host', 0, 'host', 'S-1'), (1, '', 'escorts', 0, 'escorts', 'S-2'),
            (1, 'talks', 'venue', 0, 'venue', 'R301');
        INSERT INTO cost VALUES (1, 'venue', 300, 1500, 0, 280), (1, 'catering', 600, 2500, 500, NULL);
        INSERT INTO feedback VALUES (1, 1, 'interview', 4, 'good talks', '2026-11-04T10:00:00Z');
        COMMIT;
        """

    @Test("an archive of schema v1 is migrated on open and keeps its data")
    func migratesFromV1() throws {
        let folder = try ArchiveFixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("v1.sqlite").path
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in try db.execute(sql: Self.releasedV1) }
        try queue.close()
        #expect(try ArchiveFixtures.count(path, "PRAGMA user_version") == 1)
        #expect(try ArchiveFixtures.count(path, "SELECT count(*) FROM sqlite_master WHERE name = 'followUp'") == 0)

        let archive = try ReceptionArchive.open(at: path, mode: .existingOnly)
        #expect(try archive.schemaVersion() == ArchiveSchema.currentVersion)
        let found = try archive.findReceptions(ReceptionQuery(client: "acme"))
        #expect(found.count == 1)
        #expect(found.first?.visit == "V-017")
        #expect(found.first?.host == "S-1")
        #expect(found.first?.planned == 900)
        #expect(found.first?.actual == 280)
        #expect(found.first?.averageSatisfaction == 4)
        // What v2 added works on v1's receptions: a follow-up owned by the host by default.
        let item = try archive.addFollowUp(NewFollowUp(visit: "V-017", date: nil, action: "send the audit report", owner: nil,
                                                       due: ArchiveFixtures.date("2026-11-20")))
        #expect(item.owner == "S-1")
        #expect(item.department == "Sales")

        // The migrated schema is exactly the schema of a new archive.
        let fresh = folder.appendingPathComponent("fresh.sqlite").path
        _ = try ReceptionArchive.open(at: fresh, mode: .createIfMissing)
        #expect(try ArchiveFixtures.schema(path) == ArchiveFixtures.schema(fresh))
    }

    @Test("an archive written by a newer version is refused and left as it was")
    func newerSchemaRefused() throws {
        let folder = try ArchiveFixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("a.sqlite").path
        _ = try ReceptionArchive.open(at: path, mode: .createIfMissing)
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: "PRAGMA user_version = 9") }
        try queue.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let error = archiveError { () throws(ArchiveError) in try ReceptionArchive.open(at: path, mode: .createIfMissing) }
        #expect(error?.kind == "newerSchema")
        #expect(error?.description.contains("newer version of schedule (archive schema v9; this build knows up to v\(ArchiveSchema.currentVersion))") == true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    // MARK: Files that are not archives

    @Test("a file that is not SQLite is refused and never written", arguments: [
        Data("day,visit\n2026-12-01,V-001\n".utf8), Data([0x53, 0x51, 0x4C]), Data(repeating: 0xAB, count: 8192),
    ])
    func notADatabase(_ content: Data) throws {
        let folder = try ArchiveFixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("notes.sqlite").path
        try content.write(to: URL(fileURLWithPath: path))
        for mode in [ReceptionArchive.OpenMode.createIfMissing, .existingOnly] {
            let error = archiveError { () throws(ArchiveError) in try ReceptionArchive.open(at: path, mode: mode) }
            #expect(error?.kind == "notADatabase")
            #expect(error?.isInputError == true)
            #expect(error?.description.contains("is not a reception archive (it is not an SQLite database); it was left as it was") == true)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == content)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["notes.sqlite"])
    }

    @Test("another application's SQLite database is refused and left byte for byte")
    func foreignDatabase() throws {
        let folder = try ArchiveFixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let withTables = folder.appendingPathComponent("music.db").path
        let queue = try DatabaseQueue(path: withTables)
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE songs (id INTEGER PRIMARY KEY, title TEXT); INSERT INTO songs (title) VALUES ('x')")
        }
        try queue.close()
        let marked = folder.appendingPathComponent("marked.db").path
        let other = try DatabaseQueue(path: marked)
        try other.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA application_id = 1234") }
        try other.close()

        for (path, detail) in [(withTables, "an SQLite database with other tables: songs"),
                               (marked, "an SQLite database of another application, application_id 0x4d2")] {
            let before = try Data(contentsOf: URL(fileURLWithPath: path))
            let error = archiveError { () throws(ArchiveError) in try ReceptionArchive.open(at: path, mode: .createIfMissing) }
            #expect(error?.kind == "foreignDatabase")
            #expect(error?.description.contains(detail) == true, "\(error?.description ?? "no error")")
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        }
    }

    @Test("a damaged archive is refused with SQLite's reason and not overwritten")
    func corruptArchive() throws {
        let folder = try ArchiveFixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("a.sqlite").path
        let archive = try ReceptionArchive.open(at: path, mode: .createIfMissing)
        _ = try archive.add(ArchiveFixtures.record())
        _ = try archive.findReceptions(ReceptionQuery())
        try archive.close()
        // Closed, the file alone holds the archive: no write-ahead log is left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["a.sqlite"])
        // Garbage over page 1's b-tree (the schema), leaving the 100-byte header intact.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seek(toOffset: 100)
        try handle.write(contentsOf: Data(repeating: 0xFF, count: 3000))
        try handle.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let error = archiveError { () throws(ArchiveError) in try ReceptionArchive.open(at: path, mode: .createIfMissing) }
        #expect(error?.kind == "corrupt")
        #expect(error?.isInputError == false)
        #expect(error?.description.contains("is damaged (database disk image is malformed); nothing was changed: restore the archive from a backup") == true,
                "\(error?.description ?? "no error")")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test("a missing archive is not created by commands that only read")
    func missingArchive() throws {
        let folder = try ArchiveFixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("none.sqlite").path
        let error = archiveError { () throws(ArchiveError) in try ReceptionArchive.open(at: path, mode: .existingOnly) }
        #expect(error?.kind == "notFound")
        #expect(!FileManager.default.fileExists(atPath: path))
        let inMissingFolder = folder.appendingPathComponent("no/such/folder/a.sqlite").path
        let folderError = archiveError { () throws(ArchiveError) in try ReceptionArchive.open(at: inMissingFolder, mode: .createIfMissing) }
        #expect(folderError?.kind == "cannotOpen")
        #expect(folderError?.description.contains("does not exist; create it, or pass --db") == true)
    }

    // MARK: One transaction per operation

    @Test("an add that fails part-way leaves the archive as it was")
    func failedAddRollsBack() throws {
        let folder = try ArchiveFixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("a.sqlite").path
        let archive = try ReceptionArchive.open(at: path, mode: .createIfMissing)
        _ = try archive.add(ArchiveFixtures.record(date: "2026-12-01"))
        let before = try ArchiveFixtures.dump(path)

        // Two good receptions are written before the third breaks a CHECK constraint.
        var broken = ArchiveFixtures.record(date: "2026-12-02")
        broken.receptions[2].guests = 0
        let error = archiveError { () throws(ArchiveError) in try archive.add(broken) }
        #expect(error?.kind == "storage")
        #expect(error?.description.contains("CHECK constraint failed") == true, "\(error?.description ?? "no error")")
        #expect(try ArchiveFixtures.dump(path) == before)

        // The same for a replacement: the old day stays whole.
        var badReplacement = ArchiveFixtures.record(date: "2026-12-01", planned: 120)
        badReplacement.planJSON = "{\"status\":\"feasible\"}"
        badReplacement.receptions[1].costs[0].planned = -5
        let replaceError = archiveError { () throws(ArchiveError) in try archive.add(badReplacement, replace: true) }
        #expect(replaceError?.kind == "storage")
        #expect(try ArchiveFixtures.dump(path) == before)
    }

    @Test("adding the same day and plan twice changes nothing; a different plan needs --replace")
    func idempotentAdd() throws {
        let folder = try ArchiveFixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("a.sqlite").path
        let archive = try ReceptionArchive.open(at: path, mode: .createIfMissing)
        let record = ArchiveFixtures.record()
        #expect(try archive.add(record) == .added(receptions: 3))
        let once = try ArchiveFixtures.dump(path)
        #expect(try archive.add(record, archivedAt: Date(timeIntervalSinceNow: 3600)) == .unchanged)
        #expect(try archive.add(record, replace: true) == .unchanged)
        #expect(try ArchiveFixtures.dump(path) == once)

        // Only the solver's name and seconds differ: the same plan.
        var rerun = record
        rerun.planJSON = "{\"status\":\"optimal\",\"solver\":{\"plugin\":\"glpk\",\"seconds\":0.42}}"
        #expect(try archive.add(rerun) == .unchanged)

        // Actuals with the same plan are stored, once.
        var withActuals = record
        withActuals.receptions[0].costs[0].actual = 95
        withActuals.receptions[0].hasActuals = true
        #expect(try archive.add(withActuals) == .actualsUpdated(visits: ["V-001"]))
        #expect(try archive.add(withActuals) == .unchanged)
        #expect(try archive.findReceptions(ReceptionQuery(visit: "V-001")).first?.actual == 95)

        // A different plan is refused without --replace, naming the date and the fix.
        _ = try archive.addFeedback(NewFeedback(visit: "V-003", date: nil, channel: .phone, satisfaction: try Satisfaction(5)))
        var other = ArchiveFixtures.record(count: 2, planned: 150)
        other.planJSON = "{\"status\":\"feasible\"}"
        let conflict = archiveError { () throws(ArchiveError) in try archive.add(other) }
        #expect(conflict?.kind == "invalidInput")
        #expect(conflict?.description.contains("2026-12-01: this date is already archived from another plan") == true)
        #expect(conflict?.description.contains("pass --replace to replace it") == true)
        // V-003 has feedback and is not in the new plan: replacing would lose it.
        let blocked = archiveError { () throws(ArchiveError) in try archive.add(other, replace: true) }
        #expect(blocked?.description.contains("2026-12-01 V-003: has 1 feedback entry and 0 follow-ups but is not in the new plan") == true,
                "\(blocked?.description ?? "no error")")
        var keeping = ArchiveFixtures.record(count: 3, planned: 150)
        keeping.planJSON = "{\"status\":\"feasible\"}"
        #expect(try archive.add(keeping, replace: true) == .replaced(receptions: 3, removed: []))
        let after = try archive.findReceptions(ReceptionQuery())
        #expect(after.map(\.planned) == [150, 150, 150])
        #expect(after.first?.actual == 95, "actuals survive a replacement")
        #expect(after.last?.feedbackCount == 1, "feedback survives a replacement")
    }

    // MARK: Concurrent writers

    @Test("a writer blocked past the busy timeout gets a clear busy error and changes nothing; within it, it waits")
    func busyWriter() throws {
        let folder = try ArchiveFixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("a.sqlite").path
        let first = try ReceptionArchive.open(at: path, mode: .createIfMissing)
        _ = try first.add(ArchiveFixtures.record())

        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true
        let blocker = try DatabaseQueue(path: path, configuration: configuration)
        try blocker.writeWithoutTransaction { db in try db.execute(sql: "BEGIN IMMEDIATE") }

        let impatient = try ReceptionArchive.open(at: path, mode: .existingOnly, busyTimeout: 0.2)
        let feedback = NewFeedback(visit: "V-001", date: nil, channel: .survey, satisfaction: try Satisfaction(3))
        let error = archiveError { () throws(ArchiveError) in try impatient.addFeedback(feedback) }
        #expect(error?.kind == "busy")
        #expect(error?.isInputError == false)
        #expect(error?.description.contains("is busy: another process kept it locked for more than 0.2 s; nothing was changed: try again") == true,
                "\(error?.description ?? "no error")")

        // Reads go on while the lock is held (WAL).
        #expect(try impatient.findReceptions(ReceptionQuery()).count == 3)

        // A patient writer waits for the lock to be released.
        let patient = try ReceptionArchive.open(at: path, mode: .existingOnly, busyTimeout: 10)
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) {
            try? blocker.writeWithoutTransaction { db in try db.execute(sql: "COMMIT") }
        }
        let entry = try patient.addFeedback(feedback)
        #expect(entry.satisfaction == 3)
        #expect(try patient.feedbackEntries().count == 1)
    }

    @Test("two connections writing at once both succeed")
    func concurrentPools() async throws {
        let folder = try ArchiveFixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("a.sqlite").path
        // Both open the new file at once: creation and migration are serialised too.
        async let openA = Task.detached { try ReceptionArchive.open(at: path, mode: .createIfMissing) }.value
        async let openB = Task.detached { try ReceptionArchive.open(at: path, mode: .createIfMissing) }.value
        let (a, b) = try await (openA, openB)
        _ = try a.add(ArchiveFixtures.record())
        let writers = [a, b].enumerated().map { index, archive in
            Task.detached { () throws -> Int in
                for i in 0..<25 {
                    _ = try archive.addFeedback(NewFeedback(visit: "V-00\(1 + (i + index) % 3)", date: nil, channel: .survey,
                                                            satisfaction: try Satisfaction(1 + i % 5)))
                }
                return 25
            }
        }
        var written = 0
        for writer in writers { written += try await writer.value }
        #expect(written == 50)
        #expect(try a.feedbackEntries().count == 50)
        #expect(Set(try a.feedbackEntries().map(\.id)).count == 50)
    }
}
