import Foundation
import GRDB

/// An action agreed during a reception, to record.
public struct NewFollowUp: Sendable, Hashable {
    /// The visit id.
    public var visit: String
    /// A date of the reception (any of a programme's dates the reception spans);
    /// may be omitted when the visit id is archived once only.
    public var date: CalendarDate?
    /// What was agreed.
    public var action: String
    /// The staff id responsible; `nil` = the reception's host.
    public var owner: String?
    /// When it is due: on or after the reception's start date.
    public var due: CalendarDate

    public init(visit: String, date: CalendarDate?, action: String, owner: String?, due: CalendarDate) {
        self.visit = visit
        self.date = date
        self.action = action
        self.owner = owner
        self.due = due
    }
}

/// Where a follow-up stands on a given day.
public enum FollowUpStatus: Sendable, Hashable, CustomStringConvertible {
    /// Open and not yet due.
    case open
    /// Open past its due date, by this many days.
    case overdue(days: Int)
    /// Closed on or before its due date.
    case done(on: CalendarDate)
    /// Closed after its due date, by this many days.
    case doneLate(on: CalendarDate, days: Int)

    public var description: String {
        switch self {
        case .open: return "open"
        case .overdue(let days): return "OVERDUE by \(plural(days, "day", "days"))"
        case .done(let on): return "done \(on)"
        case .doneLate(let on, let days): return "done \(on), \(plural(days, "day", "days")) late"
        }
    }
}

/// A recorded follow-up item.
public struct FollowUp: Sendable, Hashable {
    /// The item's number, which `followup done` takes.
    public var id: Int64
    /// The reception's (start) date.
    public var date: CalendarDate
    /// The date the reception ends on: ``date`` but for a reception over several days.
    public var endDate: CalendarDate
    /// The visit id.
    public var visit: String
    /// The client's company.
    public var company: String?
    /// What was agreed.
    public var action: String
    /// The owner's staff id.
    public var owner: String
    /// The owner's name, when the day's staff list gives it.
    public var ownerName: String?
    /// The owner's department on the reception's day (its programme's staff list).
    public var department: String?
    /// When it is due.
    public var due: CalendarDate
    /// When it was closed; `nil` while open.
    public var closedOn: CalendarDate?
    /// Who took the minutes of the reception: the staff in a minute-taking role
    /// (``ReceptionArchive/isMinuteTaking(_:)``) on any of its segments, by
    /// segment id; empty when the plan names none.
    public var minuteTakers: [String] = []

    /// The status as of `day`: an open item is overdue once `day` is after its due date.
    public func status(asOf day: CalendarDate) -> FollowUpStatus {
        if let closedOn {
            return closedOn <= due ? .done(on: closedOn) : .doneLate(on: closedOn, days: closedOn.ordinal - due.ordinal)
        }
        return day > due ? .overdue(days: day.ordinal - due.ordinal) : .open
    }
}

/// Which follow-ups to list.
public struct FollowUpQuery: Sendable, Hashable {
    /// Open, done, or both.
    public enum State: String, Sendable, CaseIterable {
        case open, done, all
    }

    /// Only this visit id.
    public var visit: String?
    /// Only the receptions whose dates contain this date.
    public var date: CalendarDate?
    /// Only this owner.
    public var owner: String?
    /// Open, done or both.
    public var state: State
    /// Only open items past their due date as of this day.
    public var overdueAsOf: CalendarDate?

    public init(visit: String? = nil, date: CalendarDate? = nil, owner: String? = nil, state: State = .open,
                overdueAsOf: CalendarDate? = nil) {
        self.visit = visit
        self.date = date
        self.owner = owner
        self.state = state
        self.overdueAsOf = overdueAsOf
    }
}

/// What closing one follow-up did.
public enum CloseOutcome: Sendable, Hashable {
    /// It is now done.
    case closed(FollowUp)
    /// It was closed before; nothing changed.
    case alreadyDone(FollowUp)
}

extension ReceptionArchive {
    /// Records a follow-up for an archived reception.
    ///
    /// - Throws: ``ArchiveError/invalidInput(_:)`` for a blank action, an owner
    ///   who is not on the day's staff list (or no owner and no host), or a due
    ///   date before the reception's start date.
    public func addFollowUp(_ item: NewFollowUp, createdAt: Date = Date()) throws(ArchiveError) -> FollowUp {
        let action = item.action.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !action.isEmpty else { throw .input("--action", "is blank; say what was agreed, e.g. --action \"send the revised quote\"") }
        let stamp = createdAt.ISO8601Format()
        let id: Int64 = try write { db in
            let reception = try self.reception(db, visit: item.visit, date: item.date)
            let owner: String
            if let given = item.owner {
                owner = given
            } else if let host = try String.fetchOne(db, sql: """
                SELECT resourceId FROM assignment WHERE receptionId = ? AND segmentId = '' AND need = 'host' ORDER BY position LIMIT 1
                """, arguments: [reception.id]) {
                owner = host
            } else {
                throw ArchiveError.input("--owner", "\(item.visit) \(Self.dates(reception.date, reception.endDate)) has no host in its plan to own the follow-up; name the owner's staff id with --owner")
            }
            let onStaff = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM staff WHERE dayId = ? AND staffId = ?)",
                                            arguments: [reception.dayID, owner]) ?? false
            guard onStaff else {
                let sample = try String.fetchAll(db, sql: "SELECT staffId FROM staff WHERE dayId = ? ORDER BY staffId LIMIT 3",
                                                 arguments: [reception.dayID])
                throw ArchiveError.input("--owner", "\"\(owner)\" is not on the staff list of \(reception.date); use a staff id of that day"
                    + (sample.isEmpty ? "" : " (e.g. \(sample.joined(separator: ", ")))"))
            }
            guard item.due >= reception.date else {
                throw ArchiveError.input("--due", "\(item.due) is before the reception \(Self.dates(reception.date, reception.endDate)); "
                    + "give the date the action is due, on or after \(reception.date)")
            }
            try db.execute(sql: """
                INSERT INTO followUp (receptionId, action, owner, due, closedOn, createdAt) VALUES (?, ?, ?, ?, NULL, ?)
                """, arguments: [reception.id, action, owner, item.due.description, stamp])
            return db.lastInsertedRowID
        }
        guard let created = try read({ db in try Self.followUps(db, ids: [id]) }).first else {
            throw .storage(path: path, detail: "follow-up #\(id) was written but cannot be read back")
        }
        return created
    }

    /// Follow-ups matching `query`, by due date then id.
    public func followUps(_ query: FollowUpQuery = FollowUpQuery()) throws(ArchiveError) -> [FollowUp] {
        let all = try read { db in try Self.followUps(db, ids: nil, visit: query.visit, date: query.date, owner: query.owner) }
        return all.filter { item in
            switch query.state {
            case .open: if item.closedOn != nil { return false }
            case .done: if item.closedOn == nil { return false }
            case .all: break
            }
            if let day = query.overdueAsOf, case .overdue = item.status(asOf: day) { return true }
            return query.overdueAsOf == nil
        }
    }

    /// Marks follow-ups done on `day`, all or none: one unknown id, or a day
    /// before an item's reception, changes nothing.
    public func closeFollowUps(_ ids: [Int64], on day: CalendarDate) throws(ArchiveError) -> [CloseOutcome] {
        try write { db in
            let found = try Self.followUps(db, ids: ids)
            var byID: [Int64: FollowUp] = [:]
            for item in found { byID[item.id] = item }
            var issues: [ArchiveInputIssue] = []
            for id in ids {
                guard let item = byID[id] else {
                    issues.append(ArchiveInputIssue(field: "#\(id)", message: "no follow-up has this id; `schedule followup list --status all` shows the ids"))
                    continue
                }
                if item.closedOn == nil, day < item.date {
                    issues.append(ArchiveInputIssue(field: "--on", message: "\(day) is before the reception of follow-up #\(id) on \(item.date); give the day it was done"))
                }
            }
            if !issues.isEmpty { throw ArchiveError.invalidInput(issues) }
            var outcomes: [CloseOutcome] = []
            for id in ids {
                guard var item = byID[id] else { continue }
                if item.closedOn != nil {
                    outcomes.append(.alreadyDone(item))
                    continue
                }
                try db.execute(sql: "UPDATE followUp SET closedOn = ? WHERE id = ?", arguments: [day.description, id])
                item.closedOn = day
                byID[id] = item
                outcomes.append(.closed(item))
            }
            return outcomes
        }
    }

    static func followUps(_ db: Database, ids: [Int64]?, visit: String? = nil, date: CalendarDate? = nil,
                          owner: String? = nil) throws -> [FollowUp] {
        var sql = """
            SELECT u.id, r.id AS receptionId, r.startDate, r.endDate, r.visitId, c.company, u.action, u.owner, s.name, s.department, u.due, u.closedOn
            FROM followUp u
            JOIN reception r ON r.id = u.receptionId
            LEFT JOIN client c ON c.id = r.clientId
            LEFT JOIN staff s ON s.dayId = r.dayId AND s.staffId = u.owner
            WHERE (?1 IS NULL OR r.visitId = ?1) AND (?2 IS NULL OR (r.startDate <= ?2 AND r.endDate >= ?2)) AND (?3 IS NULL OR u.owner = ?3)
            """
        var arguments: StatementArguments = [visit, date?.description, owner]
        if let ids {
            guard !ids.isEmpty else { return [] }
            sql += " AND u.id IN (" + ids.map { _ in "?" }.joined(separator: ", ") + ")"
            arguments += StatementArguments(ids)
        }
        sql += " ORDER BY u.due, u.id"
        var takers: [Int64: [String]] = [:]
        return try Row.fetchAll(db, sql: sql, arguments: arguments).compactMap { row in
            guard let date = Self.date(row, "startDate"), let endDate = Self.date(row, "endDate"), let due = Self.date(row, "due") else { return nil }
            let closed: String? = row["closedOn"]
            let reception: Int64 = row["receptionId"]
            if takers[reception] == nil { takers[reception] = try minuteTakers(db, reception: reception) }
            var item = FollowUp(id: row["id"], date: date, endDate: endDate, visit: row["visitId"], company: row["company"], action: row["action"],
                                owner: row["owner"], ownerName: row["name"], department: row["department"], due: due,
                                closedOn: closed.flatMap { try? CalendarDate(parsing: $0) })
            item.minuteTakers = takers[reception] ?? []
            return item
        }
    }

    /// Whether a service role's name says it takes the minutes (regulation 3.6):
    /// `minute-taker`, `minutes-taker`, `minutes`.
    public static func isMinuteTaking(_ role: String) -> Bool { role.lowercased().contains("minute") }

    /// The staff ids in minute-taking roles of a reception's segments, each once, by segment id.
    static func minuteTakers(_ db: Database, reception: Int64) throws -> [String] {
        var out: [String] = []
        for row in try Row.fetchAll(db, sql: """
            SELECT role, resourceId FROM assignment WHERE receptionId = ? AND segmentId <> '' AND need = 'roles' ORDER BY segmentId, role, position
            """, arguments: [reception]) {
            let role: String = row["role"], id: String = row["resourceId"]
            if isMinuteTaking(role), !out.contains(id) { out.append(id) }
        }
        return out
    }
}
