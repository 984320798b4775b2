import Foundation
import GRDB

/// What `archive add` did.
public enum AddOutcome: Sendable, Hashable {
    /// The day was new: its receptions were stored.
    case added(receptions: Int)
    /// The same day and plan were already archived, with the same actuals: nothing changed.
    case unchanged
    /// The same day and plan were already archived; the actuals of these visits were stored or corrected.
    case actualsUpdated(visits: [String])
    /// Another plan of the day was archived and `replace` was asked: the day now
    /// holds this one. Visits no longer in the plan were removed.
    case replaced(receptions: Int, removed: [String])
}

extension ReceptionArchive {
    /// Stores a day or programme, its plan and its actuals, in one transaction.
    ///
    /// The archive holds one plan per date: a programme over several days is one
    /// entry, filed under its first date, and a day or programme whose dates
    /// overlap an archived one that starts on another date is refused. Adding
    /// the same day and plan again changes nothing (the plan's `solver`
    /// member, its name and seconds, is not compared). Actuals given with the same
    /// plan are stored for the visits they list. A different day or plan for an
    /// archived first date is refused unless `replace` is true; then receptions keep
    /// their feedback and follow-ups, and a visit that is no longer in the plan
    /// is removed only if it has none.
    ///
    /// - Parameters:
    ///   - record: The day's records (``DayRecord/make(problem:day:plan:actuals:dayFile:planFile:)``).
    ///   - replace: Replace another plan archived for the same date.
    ///   - archivedAt: The time stamp stored with the day.
    public func add(_ record: DayRecord, replace: Bool = false, archivedAt: Date = Date()) throws(ArchiveError) -> AddOutcome {
        let stamp = archivedAt.ISO8601Format()
        return try write { db in
            try Self.refuseOverlaps(db, record)
            guard let existing = try Row.fetchOne(db, sql: "SELECT id, dayJSON, planJSON, archivedAt FROM day WHERE date = ?",
                                                  arguments: [record.date.description]) else {
                let dayID = try Self.insertDay(db, record, archivedAt: stamp)
                for reception in record.receptions { try Self.insertReception(db, reception, of: record, dayID: dayID) }
                return .added(receptions: record.receptions.count)
            }
            let dayID: Int64 = existing["id"]
            let sameDay = (existing["dayJSON"] as String) == record.dayJSON
            let samePlan = DayRecord.planContent(existing["planJSON"]) == DayRecord.planContent(record.planJSON)
            if sameDay && samePlan {
                let updated = try Self.updateActuals(db, record, dayID: dayID)
                return updated.isEmpty ? .unchanged : .actualsUpdated(visits: updated)
            }
            guard replace else {
                let what = sameDay ? "another plan" : "another day file"
                throw ArchiveError.input("\(record.date)", "this date is already archived from \(what) (archived \(existing["archivedAt"] as String)); "
                    + "pass --replace to replace it, or archive the day and plan that were archived before")
            }
            return try Self.replaceDay(db, record, dayID: dayID, archivedAt: stamp)
        }
    }

    /// Refuses a record whose dates overlap an archived day or programme that
    /// starts on another date (one with the same first date is the same entry).
    private static func refuseOverlaps(_ db: Database, _ record: DayRecord) throws {
        let first = record.date.description, last = record.lastDate.description
        let rows = try Row.fetchAll(db, sql: """
            SELECT date, days, archivedAt FROM day
            WHERE date <> ?1 AND date <= ?2 AND date(date, printf('%+d days', days - 1)) >= ?1
            ORDER BY date
            """, arguments: [first, last])
        var issues: [ArchiveInputIssue] = []
        for row in rows {
            let text: String = row["date"]
            guard let start = try? CalendarDate(parsing: text) else { continue }
            let days: Int = row["days"]
            let end = start.adding(days: max(days, 1) - 1)
            let overlap = max(start, record.date)
            let archived = days > 1 ? "the programme archived for \(start) to \(end)" : "the day archived for \(start)"
            issues.append(ArchiveInputIssue(field: "\(overlap)", message:
                "this date is part of \(archived) (archived \(row["archivedAt"] as String)), and the archive holds one plan per date; "
                + "archive a day or programme starting on \(start) (with --replace to change it), or one whose dates do not overlap it"))
        }
        if !issues.isEmpty { throw ArchiveError.invalidInput(issues) }
    }

    // MARK: Writing

    private static func insertDay(_ db: Database, _ record: DayRecord, archivedAt: String) throws -> Int64 {
        try db.execute(sql: """
            INSERT INTO day (date, days, currency, dayBudget, planStatus, objective, dayJSON, planJSON, archivedAt)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [record.date.description, record.days, record.currency, record.dayBudget, record.planStatus, record.objective,
                             record.dayJSON, record.planJSON, archivedAt])
        let dayID = db.lastInsertedRowID
        try insertStaff(db, record.staff, dayID: dayID)
        return dayID
    }

    private static func insertStaff(_ db: Database, _ staff: [StaffRecord], dayID: Int64) throws {
        for member in staff {
            // A staff id listed twice is an input error the day's validation reports; keep the first.
            try db.execute(sql: """
                INSERT INTO staff (dayId, staffId, name, rank, department) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (dayId, staffId) DO NOTHING
                """, arguments: [dayID, member.id, member.name, member.rank, member.department])
        }
    }

    private static func clientID(_ db: Database, company: String?) throws -> Int64? {
        guard let company else { return nil }
        try db.execute(sql: "INSERT INTO client (company) VALUES (?) ON CONFLICT (company) DO NOTHING", arguments: [company])
        return try Int64.fetchOne(db, sql: "SELECT id FROM client WHERE company = ?", arguments: [company])
    }

    private static func insertReception(_ db: Database, _ r: ReceptionRecord, of record: DayRecord, dayID: Int64) throws {
        try db.execute(sql: """
            INSERT INTO reception (dayId, visitId, clientId, contact, contactTitle, purpose, tier, guests, language,
                                   startDate, startTime, endDate, endTime, specialPlan)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [dayID, r.visit, try clientID(db, company: r.company), r.contact, r.contactTitle, r.purpose,
                             r.tier.rawValue, r.guests, r.language, record.startDate(of: r).description, r.start,
                             record.endDate(of: r).description, r.end, r.specialPlanText])
        try insertDetails(db, r, receptionID: db.lastInsertedRowID, previousActuals: [:])
    }

    /// Assignments, unmet needs and costs; a category's actual comes from the
    /// record when it carries actuals, else from `previousActuals`.
    private static func insertDetails(_ db: Database, _ r: ReceptionRecord, receptionID: Int64,
                                      previousActuals: [String: Double]) throws {
        for a in r.assignments {
            try db.execute(sql: """
                INSERT INTO assignment (receptionId, segmentId, need, position, role, resourceId) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [receptionID, a.segment, a.need, a.position, a.role, a.resource])
        }
        for u in r.unmet {
            try db.execute(sql: """
                INSERT INTO unmetNeed (receptionId, segmentId, need, reason) VALUES (?, ?, ?, ?)
                ON CONFLICT (receptionId, segmentId, need) DO NOTHING
                """, arguments: [receptionID, u.segment, u.need, u.reason])
        }
        for c in r.costs {
            let actual = r.hasActuals ? c.actual : previousActuals[c.category]
            try db.execute(sql: """
                INSERT INTO cost (receptionId, category, planned, cap, approved, actual) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [receptionID, c.category, c.planned, c.cap, c.approved, actual])
        }
    }

    /// Stores the actuals the record carries; returns the visits whose actuals changed.
    private static func updateActuals(_ db: Database, _ record: DayRecord, dayID: Int64) throws -> [String] {
        var updated: [String] = []
        for r in record.receptions where r.hasActuals {
            guard let receptionID = try Int64.fetchOne(db, sql: "SELECT id FROM reception WHERE dayId = ? AND visitId = ?",
                                                       arguments: [dayID, r.visit]) else { continue }
            var changed = false
            for c in r.costs {
                let stored = try Row.fetchOne(db, sql: "SELECT actual FROM cost WHERE receptionId = ? AND category = ?",
                                              arguments: [receptionID, c.category])
                let current: Double? = stored?["actual"]
                if stored == nil || current != c.actual {
                    try db.execute(sql: """
                        INSERT INTO cost (receptionId, category, planned, cap, approved, actual) VALUES (?, ?, ?, ?, ?, ?)
                        ON CONFLICT (receptionId, category) DO UPDATE SET actual = excluded.actual
                        """, arguments: [receptionID, c.category, c.planned, c.cap, c.approved, c.actual])
                    changed = true
                }
            }
            if changed { updated.append(r.visit) }
        }
        return updated
    }

    private static func replaceDay(_ db: Database, _ record: DayRecord, dayID: Int64, archivedAt: String) throws -> AddOutcome {
        var existing: [String: Int64] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, visitId FROM reception WHERE dayId = ?", arguments: [dayID]) {
            existing[row["visitId"]] = row["id"]
        }
        let kept = Set(record.receptions.map(\.visit))
        let removed = existing.keys.filter { !kept.contains($0) }.sorted()
        var blocked: [ArchiveInputIssue] = []
        for visit in removed {
            guard let id = existing[visit] else { continue }
            let feedback = try Int.fetchOne(db, sql: "SELECT count(*) FROM feedback WHERE receptionId = ?", arguments: [id]) ?? 0
            let followUps = try Int.fetchOne(db, sql: "SELECT count(*) FROM followUp WHERE receptionId = ?", arguments: [id]) ?? 0
            let approved = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM specialPlanApproval WHERE receptionId = ?)",
                                             arguments: [id]) ?? false
            if feedback + followUps > 0 {
                blocked.append(ArchiveInputIssue(field: "\(record.date) \(visit)", message:
                    "has \(plural(feedback, "feedback entry", "feedback entries")) and \(plural(followUps, "follow-up", "follow-ups")) "
                    + "but is not in the new plan, so the day cannot be replaced; archive a plan that keeps \(visit)"))
            } else if approved {
                blocked.append(ArchiveInputIssue(field: "\(record.date) \(visit)", message:
                    "has an approved special reception plan but is not in the new plan, so the day cannot be replaced; archive a plan that keeps \(visit)"))
            }
        }
        if !blocked.isEmpty { throw ArchiveError.invalidInput(blocked) }
        for visit in removed {
            try db.execute(sql: "DELETE FROM reception WHERE id = ?", arguments: [existing[visit]])
        }
        try db.execute(sql: """
            UPDATE day SET days = ?, currency = ?, dayBudget = ?, planStatus = ?, objective = ?, dayJSON = ?, planJSON = ?, archivedAt = ?
            WHERE id = ?
            """, arguments: [record.days, record.currency, record.dayBudget, record.planStatus, record.objective, record.dayJSON,
                             record.planJSON, archivedAt, dayID])
        try db.execute(sql: "DELETE FROM staff WHERE dayId = ?", arguments: [dayID])
        try insertStaff(db, record.staff, dayID: dayID)
        for r in record.receptions {
            guard let receptionID = existing[r.visit] else {
                try insertReception(db, r, of: record, dayID: dayID)
                continue
            }
            var previous: [String: Double] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT category, actual FROM cost WHERE receptionId = ? AND actual IS NOT NULL",
                                        arguments: [receptionID]) {
                previous[row["category"]] = row["actual"]
            }
            try db.execute(sql: """
                UPDATE reception SET clientId = ?, contact = ?, contactTitle = ?, purpose = ?, tier = ?, guests = ?, language = ?,
                    startDate = ?, startTime = ?, endDate = ?, endTime = ?, specialPlan = ?
                WHERE id = ?
                """, arguments: [try clientID(db, company: r.company), r.contact, r.contactTitle, r.purpose, r.tier.rawValue,
                                 r.guests, r.language, record.startDate(of: r).description, r.start,
                                 record.endDate(of: r).description, r.end, r.specialPlanText, receptionID])
            for table in ["assignment", "unmetNeed", "cost"] {
                try db.execute(sql: "DELETE FROM \(table) WHERE receptionId = ?", arguments: [receptionID])
            }
            try insertDetails(db, r, receptionID: receptionID, previousActuals: previous)
        }
        return .replaced(receptions: record.receptions.count, removed: removed)
    }
}

/// `1 follow-up`, `2 follow-ups`.
func plural(_ count: Int, _ one: String, _ many: String) -> String { "\(count) \(count == 1 ? one : many)" }
