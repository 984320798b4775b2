import Foundation
import GRDB

/// How a client's feedback was collected.
public enum FeedbackChannel: String, Sendable, Hashable, CaseIterable {
    case survey, interview, phone
}

/// A satisfaction score from 1 (very unsatisfied) to 5 (very satisfied).
public struct Satisfaction: Sendable, Hashable, Comparable {
    /// 1...5.
    public let score: Int

    /// The valid scores.
    public static let range = 1...5

    /// - Throws: ``ArchiveError/invalidInput(_:)`` for a score outside 1...5.
    public init(_ score: Int) throws(ArchiveError) {
        guard Self.range.contains(score) else {
            throw .input("--satisfaction", "\(score) is not a score; give a whole number from 1 (very unsatisfied) to 5 (very satisfied)")
        }
        self.score = score
    }

    public static func < (a: Satisfaction, b: Satisfaction) -> Bool { a.score < b.score }
}

/// Feedback to record for a reception.
public struct NewFeedback: Sendable, Hashable {
    /// The visit id.
    public var visit: String
    /// A date of the reception (any of a programme's dates the reception spans);
    /// may be omitted when the visit id is archived once only.
    public var date: CalendarDate?
    /// How it was collected.
    public var channel: FeedbackChannel
    /// The client's score.
    public var satisfaction: Satisfaction
    /// Free text; blank is stored as none.
    public var comment: String?

    public init(visit: String, date: CalendarDate?, channel: FeedbackChannel, satisfaction: Satisfaction, comment: String? = nil) {
        self.visit = visit
        self.date = date
        self.channel = channel
        self.satisfaction = satisfaction
        self.comment = comment
    }
}

/// A recorded piece of feedback.
public struct FeedbackEntry: Sendable, Hashable {
    /// The entry's number in the archive.
    public var id: Int64
    /// The reception's (start) date.
    public var date: CalendarDate
    /// The date the reception ends on: ``date`` but for a reception over several days.
    public var endDate: CalendarDate
    /// The visit id.
    public var visit: String
    /// The client's company.
    public var company: String?
    /// How it was collected.
    public var channel: FeedbackChannel
    /// The score, 1 to 5.
    public var satisfaction: Int
    /// What the client said.
    public var comment: String?
    /// When it was recorded (ISO 8601).
    public var recordedAt: String
}

extension ReceptionArchive {
    /// Records feedback for an archived reception. A reception may have any
    /// number of feedback entries.
    public func addFeedback(_ feedback: NewFeedback, recordedAt: Date = Date()) throws(ArchiveError) -> FeedbackEntry {
        let comment = feedback.comment.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
        let stamp = recordedAt.ISO8601Format()
        let id: Int64 = try write { db in
            let reception = try self.reception(db, visit: feedback.visit, date: feedback.date)
            try db.execute(sql: """
                INSERT INTO feedback (receptionId, channel, satisfaction, comment, recordedAt) VALUES (?, ?, ?, ?, ?)
                """, arguments: [reception.id, feedback.channel.rawValue, feedback.satisfaction.score, comment, stamp])
            return db.lastInsertedRowID
        }
        guard let entry = try feedbackEntries(id: id).first else {
            throw .storage(path: path, detail: "feedback #\(id) was written but cannot be read back")
        }
        return entry
    }

    /// Feedback entries, by reception date, visit and id; every given filter
    /// must hold. `from` and `to` bound the reception's start date.
    public func feedbackEntries(visit: String? = nil, from: CalendarDate? = nil, to: CalendarDate? = nil) throws(ArchiveError) -> [FeedbackEntry] {
        try feedbackEntries(id: nil, visit: visit, from: from, to: to)
    }

    private func feedbackEntries(id: Int64?, visit: String? = nil, from: CalendarDate? = nil, to: CalendarDate? = nil) throws(ArchiveError) -> [FeedbackEntry] {
        let rows = try read { db in
            try Row.fetchAll(db, sql: """
                SELECT f.id, r.startDate, r.endDate, r.visitId, c.company, f.channel, f.satisfaction, f.comment, f.recordedAt
                FROM feedback f
                JOIN reception r ON r.id = f.receptionId
                LEFT JOIN client c ON c.id = r.clientId
                WHERE (?1 IS NULL OR f.id = ?1) AND (?2 IS NULL OR r.visitId = ?2)
                  AND (?3 IS NULL OR r.startDate >= ?3) AND (?4 IS NULL OR r.startDate <= ?4)
                ORDER BY r.startDate, r.visitId, f.id
                """, arguments: [id, visit, from?.description, to?.description])
        }
        return rows.compactMap { row in
            guard let date = Self.date(row, "startDate"), let endDate = Self.date(row, "endDate"),
                  let channel = FeedbackChannel(rawValue: row["channel"]) else { return nil }
            return FeedbackEntry(id: row["id"], date: date, endDate: endDate, visit: row["visitId"], company: row["company"], channel: channel,
                                 satisfaction: row["satisfaction"], comment: row["comment"], recordedAt: row["recordedAt"])
        }
    }
}
