import GRDB

/// One step of the archive's schema history. Steps are never edited once
/// released: a change to the schema is a new step.
public struct ArchiveMigration: Sendable {
    /// The schema version this step produces (stored in `PRAGMA user_version`).
    public var version: Int
    /// What the step adds, for people.
    public var summary: String
    /// The SQL it runs.
    public var sql: String
}

/// The archive's schema: its versioned migrations and the marks that tell an
/// archive from any other SQLite file.
///
/// The version is SQLite's `user_version`; the archive is recognised by its
/// `application_id`. All pending steps run in the caller's single `IMMEDIATE`
/// transaction, so two processes opening an old or new archive at once are
/// serialised by SQLite's write lock: the second one waits, then finds the
/// schema up to date. (GRDB's `DatabaseMigrator` reads the applied migrations
/// before taking the write lock and runs each one in its own transaction, so two
/// processes creating the same new file at once could both try to run v1.)
public enum ArchiveSchema {
    /// `PRAGMA application_id` of every archive: "RSCH".
    public static let applicationID: Int32 = 0x5253_4348

    /// Every step, in order. Version 1 was the first release's schema.
    public static let migrations: [ArchiveMigration] = [
        ArchiveMigration(version: 1, summary: "days, staff, clients, receptions, assignments, unmet needs, costs, feedback", sql: v1),
        ArchiveMigration(version: 2, summary: "follow-up items", sql: v2),
        ArchiveMigration(version: 3, summary: "programmes over several days: a day's number of days, a reception's start and end dates", sql: v3),
        ArchiveMigration(version: 4, summary: "special reception plans: why a reception needs one, and who approved it when", sql: v4),
    ]

    /// The version this build writes.
    public static var currentVersion: Int { migrations.last?.version ?? 0 }

    /// Brings the schema from its stored version up to `target`; must run inside
    /// a write transaction. Returns the version found before.
    ///
    /// - Throws: ``ArchiveError/newerSchema(path:found:supported:)`` when the
    ///   file is newer than this build; SQLite errors otherwise.
    @discardableResult
    static func migrate(_ db: Database, path: String, upTo target: Int = currentVersion) throws -> Int {
        let found = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
        if found > currentVersion {
            throw ArchiveError.newerSchema(path: path, found: found, supported: currentVersion)
        }
        for migration in migrations where migration.version > found && migration.version <= target {
            try db.execute(sql: migration.sql)
            // PRAGMA takes no bound arguments; the version is an integer of ours.
            try db.execute(sql: "PRAGMA user_version = \(migration.version)")
        }
        if found == 0 {
            try db.execute(sql: "PRAGMA application_id = \(applicationID)")
        }
        return found
    }

    // MARK: The steps

    private static let dateCheck = "GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'"

    private static let v1 = """
        CREATE TABLE day (
            id INTEGER PRIMARY KEY,
            date TEXT NOT NULL UNIQUE CHECK (date \(dateCheck)),
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
        """

    private static let v2 = """
        CREATE TABLE followUp (
            id INTEGER PRIMARY KEY,
            receptionId INTEGER NOT NULL REFERENCES reception(id) ON DELETE RESTRICT,
            action TEXT NOT NULL CHECK (length(trim(action)) > 0),
            owner TEXT NOT NULL CHECK (length(owner) > 0),
            due TEXT NOT NULL CHECK (due \(dateCheck)),
            closedOn TEXT CHECK (closedOn IS NULL OR closedOn \(dateCheck)),
            createdAt TEXT NOT NULL
        );
        CREATE INDEX followUp_reception ON followUp(receptionId);
        CREATE INDEX followUp_owner ON followUp(owner);
        """

    /// Version 3 (PROBLEM.md §9): a `day` row is a programme of `days` dates from
    /// `date`, and a reception has its own `startDate` and `endDate`, its
    /// `startTime` and `endTime` being `HH:MM` on those dates.
    ///
    /// Existing receptions get their day's date. An archive written while
    /// programmes were already archived with version 2 holds times such as
    /// `day 3 11:00` (and `24:00`, or `day 0 24:00`, for a start at midnight):
    /// those become a date and an `HH:MM`, and the day's `days` reaches its last
    /// reception's end. SQLite cannot add a `NOT NULL` column without a default,
    /// so triggers keep the dates present from here on.
    private static let v3 = """
        ALTER TABLE day ADD COLUMN days INTEGER NOT NULL DEFAULT 1 CHECK (days >= 1);
        ALTER TABLE reception ADD COLUMN startDate TEXT CHECK (startDate \(dateCheck));
        ALTER TABLE reception ADD COLUMN endDate TEXT CHECK (endDate \(dateCheck) AND endDate >= startDate);
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
        """

    /// Version 4 (issue 18, regulation §2.2): a reception's `specialPlan` holds
    /// why it needs a special reception plan, its reasons as the plan writes them
    /// joined by `; ` (`tier high; 24 guests >= 15`), or `NULL` when it needs
    /// none; `specialPlanApproval` holds who approved it (a staff id or a name, as
    /// given), on which date, an optional note and when that was recorded.
    ///
    /// Receptions archived before keep `NULL`: their day files could not yet say
    /// which visits need a special plan.
    private static let v4 = """
        ALTER TABLE reception ADD COLUMN specialPlan TEXT CHECK (specialPlan IS NULL OR length(specialPlan) > 0);
        CREATE TABLE specialPlanApproval (
            receptionId INTEGER PRIMARY KEY REFERENCES reception(id) ON DELETE RESTRICT,
            approvedBy TEXT NOT NULL CHECK (length(trim(approvedBy)) > 0),
            approvedOn TEXT NOT NULL CHECK (approvedOn \(dateCheck)),
            note TEXT,
            recordedAt TEXT NOT NULL
        );
        """
}
