import Foundation
import GRDB
import SchedulingCore

/// Which receptions `archive find` lists; every given filter must hold.
public struct ReceptionQuery: Sendable, Hashable {
    /// Part of the client's company name, any case.
    public var client: String?
    /// A visit id, exactly.
    public var visit: String?
    /// First date, inclusive.
    public var from: CalendarDate?
    /// Last date, inclusive.
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
    /// The reception's date.
    public var date: CalendarDate
    /// The visit id.
    public var visit: String
    /// The client's company.
    public var company: String?
    /// The visit's tier.
    public var tier: TierName
    /// The number of guests.
    public var guests: Int
    /// `HH:MM-HH:MM`.
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
                SELECT d.date, d.currency, r.visitId, c.company, r.tier, r.guests, r.startTime, r.endTime,
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
                WHERE (?1 IS NULL OR r.visitId = ?1) AND (?2 IS NULL OR d.date >= ?2) AND (?3 IS NULL OR d.date <= ?3)
                ORDER BY d.date, r.visitId
                """, arguments: [query.visit, query.from?.description, query.to?.description])
        }
        return rows.compactMap { row -> ReceptionSummary? in
            let company: String? = row["company"]
            if let client = query.client {
                guard let company, company.range(of: client, options: [.caseInsensitive, .diacriticInsensitive]) != nil else { return nil }
            }
            guard let date = try? CalendarDate(parsing: row["date"]), let tier = TierName(rawValue: row["tier"]) else { return nil }
            let escorts: String? = row["escorts"]
            return ReceptionSummary(
                date: date, visit: row["visitId"], company: company, tier: tier, guests: row["guests"],
                time: "\(row["startTime"] as String)-\(row["endTime"] as String)", host: row["host"],
                escorts: escorts.map { $0.split(separator: "\u{1F}").map(String.init) } ?? [],
                planned: row["planned"], actual: row["actual"], currency: row["currency"], unmetNeeds: row["unmet"],
                feedbackCount: row["feedbackCount"], averageSatisfaction: row["satisfaction"], openFollowUps: row["openFollowUps"])
        }
    }

    /// The reception a visit id (and date) names, inside a transaction.
    ///
    /// - Throws: ``ArchiveError/invalidInput(_:)`` when no reception or several match.
    func reception(_ db: Database, visit: String, date: CalendarDate?) throws -> (id: Int64, dayID: Int64, date: CalendarDate) {
        let rows = try Row.fetchAll(db, sql: """
            SELECT r.id, r.dayId, d.date FROM reception r JOIN day d ON d.id = r.dayId WHERE r.visitId = ? ORDER BY d.date
            """, arguments: [visit])
        let dates = rows.map { $0["date"] as String }
        func list(_ items: [String]) -> String {
            items.count <= 5 ? items.joined(separator: ", ") : items.prefix(5).joined(separator: ", ") + " and \(items.count - 5) more"
        }
        guard !rows.isEmpty else {
            throw ArchiveError.input("--visit", "\(visit) is not in the archive; archive its day first with `schedule archive add day.json plan.json`")
        }
        let row: Row
        if let date {
            guard let match = rows.first(where: { ($0["date"] as String) == date.description }) else {
                throw ArchiveError.input("--date", "no archived reception \(visit) on \(date); \(visit) is archived on \(list(dates))")
            }
            row = match
        } else {
            guard rows.count == 1, let only = rows.first else {
                throw ArchiveError.input("--date", "\(visit) is archived on several days (\(list(dates))); name one with --date")
            }
            row = only
        }
        guard let day = try? CalendarDate(parsing: row["date"]) else {
            throw ArchiveError.storage(path: path, detail: "reception \(visit) has an unreadable date")
        }
        return (row["id"], row["dayId"], day)
    }
}
