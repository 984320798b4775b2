import Foundation
import GRDB
import SchedulingCore

/// Which receptions `archive find` lists; every given filter must hold. A
/// reception is in the period when its start date is (a reception of a
/// programme over several days counts on its first date).
public struct ReceptionQuery: Sendable, Hashable {
    /// Part of the client's company name, any case.
    public var client: String?
    /// A visit id, exactly.
    public var visit: String?
    /// First start date, inclusive.
    public var from: CalendarDate?
    /// Last start date, inclusive.
    public var to: CalendarDate?

    public init(client: String? = nil, visit: String? = nil, from: CalendarDate? = nil, to: CalendarDate? = nil) {
        self.client = client
        self.visit = visit
        self.from = from
        self.to = to
    }
}

/// One archived reception, summarised.
public struct ReceptionSummary: Sendable, Hashable {
    /// The reception's (start) date.
    public var date: CalendarDate
    /// The date it ends on: ``date`` but for a reception over several days.
    public var endDate: CalendarDate
    /// The visit id.
    public var visit: String
    /// The client's company.
    public var company: String?
    /// The visit's tier.
    public var tier: TierName
    /// The number of guests.
    public var guests: Int
    /// `HH:MM-HH:MM`; `HH:MM to YYYY-MM-DD HH:MM` when it ends on a later date.
    public var time: String
    /// The host's staff id; `nil` when the host need was unmet.
    public var host: String?
    /// The escorts' staff ids.
    public var escorts: [String]
    /// Total planned cost.
    public var planned: Double
    /// Total actual cost, when actuals were recorded.
    public var actual: Double?
    /// The currency of the reception's day.
    public var currency: String
    /// How many needs the plan left unmet.
    public var unmetNeeds: Int
    /// How many feedback entries were recorded.
    public var feedbackCount: Int
    /// Their mean score; `nil` without feedback.
    public var averageSatisfaction: Double?
    /// Follow-ups not yet done.
    public var openFollowUps: Int
}

extension ReceptionArchive {
    /// The receptions matching `query`, by date then visit id.
    public func findReceptions(_ query: ReceptionQuery) throws(ArchiveError) -> [ReceptionSummary] {
        let rows = try read { db in
            try Row.fetchAll(db, sql: """
                SELECT r.startDate, r.endDate, d.currency, r.visitId, c.company, r.tier, r.guests, r.startTime, r.endTime,
                    (SELECT resourceId FROM assignment a
                     WHERE a.receptionId = r.id AND a.segmentId = '' AND a.need = 'host' ORDER BY a.position LIMIT 1) AS host,
                    (SELECT group_concat(resourceId, char(31)) FROM
                        (SELECT resourceId FROM assignment a
                         WHERE a.receptionId = r.id AND a.segmentId = '' AND a.need = 'escorts' ORDER BY a.position)) AS escorts,
                    (SELECT total(planned) FROM cost k WHERE k.receptionId = r.id) AS planned,
                    (SELECT CASE WHEN count(actual) > 0 THEN total(actual) END FROM cost k WHERE k.receptionId = r.id) AS actual,
                    (SELECT count(*) FROM unmetNeed n WHERE n.receptionId = r.id) AS unmet,
                    (SELECT count(*) FROM feedback f WHERE f.receptionId = r.id) AS feedbackCount,
                    (SELECT avg(satisfaction) FROM feedback f WHERE f.receptionId = r.id) AS satisfaction,
                    (SELECT count(*) FROM followUp u WHERE u.receptionId = r.id AND u.closedOn IS NULL) AS openFollowUps
                FROM reception r
                JOIN day d ON d.id = r.dayId
                LEFT JOIN client c ON c.id = r.clientId
                WHERE (?1 IS NULL OR r.visitId = ?1) AND (?2 IS NULL OR r.startDate >= ?2) AND (?3 IS NULL OR r.startDate <= ?3)
                ORDER BY r.startDate, r.visitId
                """, arguments: [query.visit, query.from?.description, query.to?.description])
        }
        return rows.compactMap { row -> ReceptionSummary? in
            let company: String? = row["company"]
            if let client = query.client {
                guard let company, company.range(of: client, options: [.caseInsensitive, .diacriticInsensitive]) != nil else { return nil }
            }
            guard let date = Self.date(row, "startDate"), let endDate = Self.date(row, "endDate"),
                  let tier = TierName(rawValue: row["tier"]) else { return nil }
            let escorts: String? = row["escorts"]
            let start: String = row["startTime"], end: String = row["endTime"]
            return ReceptionSummary(
                date: date, endDate: endDate, visit: row["visitId"], company: company, tier: tier, guests: row["guests"],
                time: endDate == date ? "\(start)-\(end)" : "\(start) to \(endDate) \(end)", host: row["host"],
                escorts: escorts.map { $0.split(separator: "\u{1F}").map(String.init) } ?? [],
                planned: row["planned"], actual: row["actual"], currency: row["currency"], unmetNeeds: row["unmet"],
                feedbackCount: row["feedbackCount"], averageSatisfaction: row["satisfaction"], openFollowUps: row["openFollowUps"])
        }
    }

    /// A date column of `row`; `nil` when it is missing or unreadable.
    static func date(_ row: Row, _ column: String) -> CalendarDate? {
        guard let text: String = row[column] else { return nil }
        return try? CalendarDate(parsing: text)
    }

    /// `on 2026-12-01`, or `from 2026-12-07 to 2026-12-09` for a reception over several days.
    static func dates(_ start: CalendarDate, _ end: CalendarDate) -> String {
        end == start ? "on \(start)" : "from \(start) to \(end)"
    }

    /// The reception a visit id (and a date within its dates) names, inside a transaction.
    ///
    /// - Throws: ``ArchiveError/invalidInput(_:)`` when no reception or several match.
    func reception(_ db: Database, visit: String, date: CalendarDate?) throws
        -> (id: Int64, dayID: Int64, date: CalendarDate, endDate: CalendarDate) {
        let rows = try Row.fetchAll(db, sql: """
            SELECT id, dayId, startDate, endDate FROM reception WHERE visitId = ? ORDER BY startDate
            """, arguments: [visit])
        var found: [(id: Int64, dayID: Int64, date: CalendarDate, endDate: CalendarDate)] = []
        for row in rows {
            guard let start = Self.date(row, "startDate"), let end = Self.date(row, "endDate") else {
                throw ArchiveError.storage(path: path, detail: "reception \(visit) has an unreadable date")
            }
            found.append((row["id"], row["dayId"], start, end))
        }
        let dates = found.map { $0.endDate == $0.date ? "\($0.date)" : "\($0.date) to \($0.endDate)" }
        func list(_ items: [String]) -> String {
            items.count <= 5 ? items.joined(separator: ", ") : items.prefix(5).joined(separator: ", ") + " and \(items.count - 5) more"
        }
        guard !found.isEmpty else {
            throw ArchiveError.input("--visit", "\(visit) is not in the archive; archive its day first with `schedule archive add day.json plan.json`")
        }
        if let date {
            // Archived programmes do not overlap, so at most one reception of a visit id holds a date.
            guard let match = found.first(where: { $0.date <= date && date <= $0.endDate }) else {
                throw ArchiveError.input("--date", "no archived reception \(visit) on \(date); \(visit) is archived on \(list(dates))")
            }
            return match
        }
        guard found.count == 1, let only = found.first else {
            throw ArchiveError.input("--date", "\(visit) is archived on several days (\(list(dates))); name one with --date")
        }
        return only
    }
}
