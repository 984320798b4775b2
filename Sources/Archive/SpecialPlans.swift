import Foundation
import GRDB

extension ReceptionRecord {
    /// The reasons as the archive stores them, `; `-joined; `nil` when the visit needs no special plan.
    var specialPlanText: String? { specialPlan.isEmpty ? nil : specialPlan.joined(separator: "; ") }
}

/// A superior's approval of a reception's special reception plan, to record
/// (regulation §2.2).
public struct NewSpecialPlanApproval: Sendable, Hashable {
    /// The visit id.
    public var visit: String
    /// A date of the reception (any of a programme's dates the reception spans);
    /// may be omitted when the visit id is archived once only.
    public var date: CalendarDate?
    /// Who approved: a staff id or a name, stored as given.
    public var approvedBy: String
    /// The day of the approval.
    public var approvedOn: CalendarDate
    /// Free text; blank is stored as none.
    public var note: String?
    /// Record this approval over an earlier, different one of the same reception.
    public var replace: Bool

    /// An approval of `visit`'s special plan by `approvedBy` on `approvedOn`.
    public init(visit: String, date: CalendarDate?, approvedBy: String, approvedOn: CalendarDate, note: String? = nil, replace: Bool = false) {
        self.visit = visit
        self.date = date
        self.approvedBy = approvedBy
        self.approvedOn = approvedOn
        self.note = note
        self.replace = replace
    }
}

/// A recorded approval of a special reception plan.
public struct SpecialPlanApproval: Sendable, Hashable {
    /// Who approved, as given.
    public var approvedBy: String
    /// The approver's name, when ``approvedBy`` is a staff id on the reception's day.
    public var approverName: String?
    /// The day of the approval.
    public var approvedOn: CalendarDate
    /// The note given with it.
    public var note: String?
    /// When it was recorded (ISO 8601).
    public var recordedAt: String
}

/// An archived reception that needs a special reception plan, and its approval if any.
public struct SpecialPlanStatus: Sendable, Hashable {
    /// The reception's (start) date.
    public var date: CalendarDate
    /// The date the reception ends on: ``date`` but for a reception over several days.
    public var endDate: CalendarDate
    /// The visit id.
    public var visit: String
    /// The client's company.
    public var company: String?
    /// The visit's tier.
    public var tier: String
    /// The number of guests.
    public var guests: Int
    /// Why it needs one, as the plan writes it: `tier high; 24 guests >= 15`.
    public var reasons: String
    /// The approval; `nil` while pending.
    public var approval: SpecialPlanApproval?

    /// Whether it was approved after the reception began (the regulation asks for prior approval).
    public var approvedLate: Bool { approval.map { $0.approvedOn > date } ?? false }
}

/// Which special plans to list.
public struct SpecialPlanQuery: Sendable, Hashable {
    /// Only this visit id.
    public var visit: String?
    /// Receptions starting on or after this date.
    public var from: CalendarDate?
    /// Receptions starting on or before this date.
    public var to: CalendarDate?
    /// Only those not yet approved.
    public var pendingOnly: Bool

    /// Every given filter must hold; none lists every special plan archived.
    public init(visit: String? = nil, from: CalendarDate? = nil, to: CalendarDate? = nil, pendingOnly: Bool = false) {
        self.visit = visit
        self.from = from
        self.to = to
        self.pendingOnly = pendingOnly
    }
}

/// What recording an approval did.
public enum ApprovalOutcome: Sendable, Hashable {
    /// The special plan is now approved.
    case approved(SpecialPlanStatus)
    /// The same approval was already recorded; nothing changed.
    case unchanged(SpecialPlanStatus)
    /// An earlier, different approval was replaced (``NewSpecialPlanApproval/replace``).
    case replaced(SpecialPlanStatus, previous: SpecialPlanApproval)
}

extension ReceptionArchive {
    /// Records who approved a reception's special reception plan, and when.
    ///
    /// A reception has at most one approval. The same approval again changes
    /// nothing; a different one is refused unless `approval.replace`.
    ///
    /// - Throws: ``ArchiveError/invalidInput(_:)`` for a blank approver, an
    ///   unknown reception, a reception that needs no special plan, or one
    ///   approved before by someone else or on another day (without `replace`).
    public func approveSpecialPlan(_ approval: NewSpecialPlanApproval, recordedAt: Date = Date()) throws(ArchiveError) -> ApprovalOutcome {
        let approver = approval.approvedBy.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !approver.isEmpty else { throw .input("--by", "is blank; name who approved, a staff id or a name, e.g. --by S-001") }
        let note = approval.note.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
        let stamp = recordedAt.ISO8601Format()
        return try write { db in
            let reception = try self.reception(db, visit: approval.visit, date: approval.date)
            guard let before = try Self.specialPlans(db, receptionID: reception.id).first else {
                let row = try Row.fetchOne(db, sql: "SELECT tier, guests FROM reception WHERE id = ?", arguments: [reception.id])
                let what = row.map { "tier \($0["tier"] as String), \(plural($0["guests"], "guest", "guests"))" } ?? "its tier and guests"
                throw ArchiveError.input("--visit", "\(approval.visit) \(Self.dates(reception.date, reception.endDate)) needs no special reception plan "
                    + "(\(what): its day's policy.specialPlans does not name it); nothing to approve")
            }
            if let earlier = before.approval {
                if earlier.approvedBy == approver, earlier.approvedOn == approval.approvedOn, earlier.note == note { return .unchanged(before) }
                guard approval.replace else {
                    throw ArchiveError.input("--visit", "the special plan of \(approval.visit) \(Self.dates(reception.date, reception.endDate)) "
                        + "was already approved by \(earlier.approvedBy) on \(earlier.approvedOn) (recorded \(earlier.recordedAt)); "
                        + "pass --replace to record this approval instead")
                }
            }
            try db.execute(sql: """
                INSERT INTO specialPlanApproval (receptionId, approvedBy, approvedOn, note, recordedAt) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (receptionId) DO UPDATE SET approvedBy = excluded.approvedBy, approvedOn = excluded.approvedOn,
                    note = excluded.note, recordedAt = excluded.recordedAt
                """, arguments: [reception.id, approver, approval.approvedOn.description, note, stamp])
            guard let after = try Self.specialPlans(db, receptionID: reception.id).first else {
                throw ArchiveError.storage(path: self.path, detail: "the approval of \(approval.visit) was written but cannot be read back")
            }
            return before.approval.map { .replaced(after, previous: $0) } ?? .approved(after)
        }
    }

    /// The archived receptions that need a special reception plan, with their
    /// approvals, by reception date and visit.
    public func specialPlans(_ query: SpecialPlanQuery = SpecialPlanQuery()) throws(ArchiveError) -> [SpecialPlanStatus] {
        let all = try read { db in try Self.specialPlans(db, receptionID: nil, query: query) }
        return query.pendingOnly ? all.filter { $0.approval == nil } : all
    }

    static func specialPlans(_ db: Database, receptionID: Int64?, query: SpecialPlanQuery = SpecialPlanQuery()) throws -> [SpecialPlanStatus] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT r.startDate, r.endDate, r.visitId, c.company, r.tier, r.guests, r.specialPlan,
                   a.approvedBy, s.name AS approverName, a.approvedOn, a.note, a.recordedAt
            FROM reception r
            LEFT JOIN client c ON c.id = r.clientId
            LEFT JOIN specialPlanApproval a ON a.receptionId = r.id
            LEFT JOIN staff s ON s.dayId = r.dayId AND s.staffId = a.approvedBy
            WHERE r.specialPlan IS NOT NULL AND (?1 IS NULL OR r.id = ?1) AND (?2 IS NULL OR r.visitId = ?2)
              AND (?3 IS NULL OR r.startDate >= ?3) AND (?4 IS NULL OR r.startDate <= ?4)
            ORDER BY r.startDate, r.visitId
            """, arguments: [receptionID, query.visit, query.from?.description, query.to?.description])
        return rows.compactMap { row in
            guard let date = Self.date(row, "startDate"), let endDate = Self.date(row, "endDate") else { return nil }
            var approval: SpecialPlanApproval?
            if let by: String = row["approvedBy"], let on = Self.date(row, "approvedOn") {
                approval = SpecialPlanApproval(approvedBy: by, approverName: row["approverName"], approvedOn: on, note: row["note"],
                                               recordedAt: row["recordedAt"])
            }
            return SpecialPlanStatus(date: date, endDate: endDate, visit: row["visitId"], company: row["company"], tier: row["tier"],
                                     guests: row["guests"], reasons: row["specialPlan"], approval: approval)
        }
    }
}
