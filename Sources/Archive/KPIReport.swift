import GRDB
import SchedulingCore

/// How `report kpi` groups people.
public enum KPIGrouping: String, Sendable, Hashable, CaseIterable {
    /// By department (of each person on the reception's day).
    case department
    /// By staff member.
    case staff
}

/// A staff member as the archive knew them on a reception's day.
public struct StaffRef: Sendable, Hashable {
    /// The staff id.
    public var id: String
    /// The name, when the day's staff list gives it.
    public var name: String?
    /// `nil` when the id is not on that day's staff list.
    public var department: String?

    public init(id: String, name: String?, department: String?) {
        self.id = id
        self.name = name
        self.department = department
    }
}

/// What the KPIs are computed from: the period's receptions with their host,
/// escorts, costs and feedback scores, and the follow-ups of those receptions.
public struct KPIFacts: Sendable, Hashable {
    /// One reception.
    public struct Reception: Sendable, Hashable {
        /// The reception's (start) date.
        public var date: CalendarDate
        /// The visit id.
        public var visit: String
        /// The currency of the day.
        public var currency: String
        /// The host; `nil` when the host need was unmet.
        public var host: StaffRef?
        /// The escorts.
        public var escorts: [StaffRef]
        /// Its costs by category.
        public var costs: [CategoryCost]
        /// Every feedback score of the reception.
        public var scores: [Int]

        public init(date: CalendarDate, visit: String, currency: String, host: StaffRef?, escorts: [StaffRef],
                    costs: [CategoryCost], scores: [Int]) {
            self.date = date
            self.visit = visit
            self.currency = currency
            self.host = host
            self.escorts = escorts
            self.costs = costs
            self.scores = scores
        }
    }

    /// One follow-up item.
    public struct Item: Sendable, Hashable {
        /// The date of the item's reception.
        public var date: CalendarDate
        /// Who owns it.
        public var owner: StaffRef
        /// When it is due.
        public var due: CalendarDate
        /// When it was done; `nil` while open.
        public var closedOn: CalendarDate?
        /// The currency of the item's reception's day.
        public var currency: String

        public init(date: CalendarDate, owner: StaffRef, due: CalendarDate, closedOn: CalendarDate?, currency: String) {
            self.date = date
            self.owner = owner
            self.due = due
            self.closedOn = closedOn
            self.currency = currency
        }
    }

    /// The period's receptions, by date.
    public var receptions: [Reception]
    /// The follow-ups of those receptions.
    public var followUps: [Item]

    public init(receptions: [Reception], followUps: [Item]) {
        self.receptions = receptions
        self.followUps = followUps
    }
}

/// The supervision group's figures for one department, one person, or everyone.
///
/// For a group G (a department, a person; "everyone" for the total):
/// - `hosted` = receptions whose host is in G;
/// - `escorted` = receptions with at least one escort in G;
/// - `averageSatisfaction` = mean score of the feedback entries of the receptions
///   G hosted or escorted (`feedback` entries), `nil` without feedback;
/// - follow-ups owned by G: `onTime` closed on or before the due date, `late`
///   closed after it or still open after it as of the report's day, `pending`
///   open and not yet due; `onTimeShare` = onTime / (onTime + late), `nil` when
///   nothing is decided yet;
/// - cost against caps of the receptions G hosted, each capped (reception,
///   category) item counting its actual cost when recorded, else its planned one:
///   `spend` = Σ cost, `cap` = Σ cap, `spendToCap` = spend / cap (`nil` without caps),
///   `overCap` = Σ max(0, cost − cap).
public struct KPIFigures: Sendable, Hashable {
    public var hosted = 0
    public var escorted = 0
    public var feedback = 0
    public var averageSatisfaction: Double?
    public var followUps = 0
    public var onTime = 0
    public var late = 0
    public var pending = 0
    public var onTimeShare: Double?
    public var spend = 0.0
    public var cap = 0.0
    public var spendToCap: Double?
    public var overCap = 0.0

    public init() {}

    /// The figures of the group whose members `isMember` accepts.
    public init(_ facts: KPIFacts, asOf: CalendarDate, isMember: (StaffRef) -> Bool) {
        var scores = 0
        for r in facts.receptions {
            let hostedHere = r.host.map(isMember) ?? false
            let escortedHere = r.escorts.contains(where: isMember)
            if hostedHere {
                hosted += 1
                for c in r.costs {
                    guard let cap = c.cap else { continue }
                    let cost = c.actual ?? c.planned
                    spend += cost
                    self.cap += cap
                    overCap += max(0, cost - cap)
                }
            }
            if escortedHere { escorted += 1 }
            if hostedHere || escortedHere {
                feedback += r.scores.count
                scores += r.scores.reduce(0, +)
            }
        }
        averageSatisfaction = feedback > 0 ? Double(scores) / Double(feedback) : nil
        spendToCap = cap > 0 ? spend / cap : nil
        for item in facts.followUps where isMember(item.owner) {
            followUps += 1
            if let closed = item.closedOn {
                if closed <= item.due { onTime += 1 } else { late += 1 }
            } else if asOf > item.due {
                late += 1
            } else {
                pending += 1
            }
        }
        onTimeShare = onTime + late > 0 ? Double(onTime) / Double(onTime + late) : nil
    }

    /// The figures of everyone: like a group holding every person, except that
    /// every reception's costs and feedback count, with a host or not.
    public init(everyone facts: KPIFacts, asOf: CalendarDate) {
        self.init(facts, asOf: asOf) { _ in true }
        var scores = 0, count = 0
        spend = 0
        cap = 0
        overCap = 0
        for r in facts.receptions {
            count += r.scores.count
            scores += r.scores.reduce(0, +)
            for c in r.costs {
                guard let cap = c.cap else { continue }
                let cost = c.actual ?? c.planned
                spend += cost
                self.cap += cap
                overCap += max(0, cost - cap)
            }
        }
        feedback = count
        averageSatisfaction = count > 0 ? Double(scores) / Double(count) : nil
        spendToCap = cap > 0 ? spend / cap : nil
    }
}

/// Supervision KPIs of a period, by department or staff member.
public struct KPIReport: Sendable {
    /// One department or person.
    public struct Row: Sendable, Hashable {
        /// The department, or the staff id.
        public var key: String
        /// The person's name (staff rows).
        public var name: String?
        /// The person's department on the latest reception day they appear on (staff rows).
        public var department: String?
        /// The KPIs.
        public var figures: KPIFigures
    }

    /// First start date of a reception, inclusive; `nil` = from the first archived day.
    public var from: CalendarDate?
    /// Last start date of a reception, inclusive; `nil` = to the last archived day.
    public var to: CalendarDate?
    /// The day open follow-ups are judged on.
    public var asOf: CalendarDate
    /// The currency of the cost figures; `nil` when the period holds no reception.
    public var currency: String?
    /// The grouping; `nil` = the total only.
    public var grouping: KPIGrouping?
    /// One row per department or person, in alphabetical order.
    public var rows: [Row]
    /// Everyone.
    public var total: KPIFigures

    /// Computes the KPIs of `facts` (all in one currency).
    public static func make(_ facts: KPIFacts, grouping: KPIGrouping?, from: CalendarDate?, to: CalendarDate?,
                            asOf: CalendarDate, currency: String?) -> KPIReport {
        // Each person as of the latest reception day they appear on (as host, escort or owner).
        var latest: [String: (date: CalendarDate, person: StaffRef)] = [:]
        var departments = Set<String>()
        func see(_ person: StaffRef, on date: CalendarDate) {
            departments.insert(person.department ?? unknown)
            if let seen = latest[person.id], seen.date > date { return }
            latest[person.id] = (date, person)
        }
        for r in facts.receptions {
            for person in (r.host.map { [$0] } ?? []) + r.escorts { see(person, on: r.date) }
        }
        for item in facts.followUps { see(item.owner, on: item.date) }
        var rows: [Row] = []
        switch grouping {
        case nil: break
        case .department?:
            let ordered = departments.sorted { ($0 == unknown ? 1 : 0, $0) < ($1 == unknown ? 1 : 0, $1) }
            rows = ordered.map { d in
                Row(key: d, name: nil, department: nil, figures: KPIFigures(facts, asOf: asOf) { ($0.department ?? unknown) == d })
            }
        case .staff?:
            rows = latest.keys.sorted().map { id in
                Row(key: id, name: latest[id]?.person.name, department: latest[id]?.person.department,
                    figures: KPIFigures(facts, asOf: asOf) { $0.id == id })
            }
        }
        return KPIReport(from: from, to: to, asOf: asOf, currency: currency, grouping: grouping, rows: rows,
                         total: KPIFigures(everyone: facts, asOf: asOf))
    }

    private static let unknown = "(unknown)"

    /// The report as a table.
    public var table: ReportTable {
        func cells(_ f: KPIFigures) -> [ReportTable.Cell] {
            [.count(f.hosted), .count(f.escorted), .count(f.feedback), .number(f.averageSatisfaction), .count(f.followUps),
             .count(f.onTime), .count(f.late), .count(f.pending), .number(f.onTimeShare), .number(f.spend), .number(f.cap),
             .number(f.spendToCap), .number(f.overCap)]
        }
        var columns: [ReportTable.Column] = [.init(grouping?.rawValue ?? "scope", grouping?.rawValue ?? "scope", .text)]
        if grouping == .staff { columns += [.init("name", "name", .text), .init("department", "department", .text)] }
        columns += [
            .init("hosted", "hosted", .count), .init("escorted", "escorted", .count),
            .init("feedback", "feedback", .count), .init("averageSatisfaction", "avg satisfaction", .score),
            .init("followUps", "follow-ups", .count), .init("onTime", "on time", .count), .init("late", "late", .count),
            .init("pending", "pending", .count), .init("onTimeShare", "on-time share", .percent),
            .init("spend", "spend", .money), .init("cap", "caps", .money), .init("spendToCap", "spend/caps", .percent),
            .init("overCap", "over cap", .money),
        ]
        let extra: [ReportTable.Cell] = grouping == .staff ? [.text(""), .text("")] : []
        var title = "Reception KPIs, " + ReportTable.period(from, to) + ", follow-ups as of " + asOf.description
        if let currency { title += ", " + currency }
        if let grouping { title += ", by " + grouping.rawValue }
        var parameters: [(key: String, value: JSONValue)] = [(key: "report", value: "kpi")]
        parameters.append((key: "from", value: ReportTable.value(from?.description)))
        parameters.append((key: "to", value: ReportTable.value(to?.description)))
        parameters.append((key: "asOf", value: .string(asOf.description)))
        parameters.append((key: "currency", value: ReportTable.value(currency)))
        parameters.append((key: "by", value: ReportTable.value(grouping?.rawValue)))
        return ReportTable(
            title: title,
            parameters: parameters,
            columns: columns,
            rows: rows.map { row in
                [.text(row.key)] + (grouping == .staff ? [.text(row.name), .text(row.department)] : []) + cells(row.figures)
            },
            total: [.text("total")] + extra + cells(total),
            notes: [
                "avg satisfaction: feedback of the receptions hosted or escorted; on-time share = on time / (on time + late), late includes open items past due",
                "spend/caps: receptions hosted, capped categories, actual cost where recorded else planned; the total counts every reception",
            ])
    }
}

extension ReceptionArchive {
    /// The KPI facts of the receptions starting from `from` to `to` (inclusive; `nil` = open end).
    public func kpiFacts(from: CalendarDate?, to: CalendarDate?) throws(ArchiveError) -> KPIFacts {
        try read { db in
            let arguments: StatementArguments = [from?.description, to?.description]
            let period = "(?1 IS NULL OR r.startDate >= ?1) AND (?2 IS NULL OR r.startDate <= ?2)"
            var receptions: [Int64: KPIFacts.Reception] = [:]
            var order: [Int64] = []
            for row in try Row.fetchAll(db, sql: """
                SELECT r.id, r.startDate, d.currency, r.visitId FROM reception r JOIN day d ON d.id = r.dayId
                WHERE \(period) ORDER BY r.startDate, r.visitId
                """, arguments: arguments) {
                guard let date = Self.date(row, "startDate") else { continue }
                let id: Int64 = row["id"]
                order.append(id)
                receptions[id] = KPIFacts.Reception(date: date, visit: row["visitId"], currency: row["currency"], host: nil,
                                                    escorts: [], costs: [], scores: [])
            }
            for row in try Row.fetchAll(db, sql: """
                SELECT a.receptionId, a.need, a.resourceId, s.name, s.department FROM assignment a
                JOIN reception r ON r.id = a.receptionId
                LEFT JOIN staff s ON s.dayId = r.dayId AND s.staffId = a.resourceId
                WHERE \(period) AND a.segmentId = '' AND a.need IN ('host', 'escorts')
                ORDER BY a.receptionId, a.need, a.position
                """, arguments: arguments) {
                let person = StaffRef(id: row["resourceId"], name: row["name"], department: row["department"])
                let id: Int64 = row["receptionId"]
                if (row["need"] as String) == "host" {
                    if receptions[id]?.host == nil { receptions[id]?.host = person }
                } else {
                    receptions[id]?.escorts.append(person)
                }
            }
            for row in try Row.fetchAll(db, sql: """
                SELECT k.receptionId, k.category, k.planned, k.cap, k.approved, k.actual FROM cost k
                JOIN reception r ON r.id = k.receptionId
                WHERE \(period) ORDER BY k.receptionId, k.category
                """, arguments: arguments) {
                receptions[row["receptionId"] as Int64]?.costs.append(
                    CategoryCost(category: row["category"], planned: row["planned"], cap: row["cap"], approved: row["approved"], actual: row["actual"]))
            }
            for row in try Row.fetchAll(db, sql: """
                SELECT f.receptionId, f.satisfaction FROM feedback f
                JOIN reception r ON r.id = f.receptionId
                WHERE \(period) ORDER BY f.id
                """, arguments: arguments) {
                receptions[row["receptionId"] as Int64]?.scores.append(row["satisfaction"])
            }
            var items: [KPIFacts.Item] = []
            for row in try Row.fetchAll(db, sql: """
                SELECT r.startDate, u.owner, s.name, s.department, u.due, u.closedOn, d.currency FROM followUp u
                JOIN reception r ON r.id = u.receptionId JOIN day d ON d.id = r.dayId
                LEFT JOIN staff s ON s.dayId = d.id AND s.staffId = u.owner
                WHERE \(period) ORDER BY r.startDate, u.id
                """, arguments: arguments) {
                guard let date = Self.date(row, "startDate"), let due = Self.date(row, "due") else { continue }
                let closed: String? = row["closedOn"]
                items.append(KPIFacts.Item(date: date, owner: StaffRef(id: row["owner"], name: row["name"], department: row["department"]),
                                           due: due, closedOn: closed.flatMap { try? CalendarDate(parsing: $0) },
                                           currency: row["currency"]))
            }
            return KPIFacts(receptions: order.compactMap { receptions[$0] }, followUps: items)
        }
    }

    /// `report kpi`: the supervision KPIs of the period, by `grouping`.
    ///
    /// - Throws: ``ArchiveError/invalidInput(_:)`` when the period mixes
    ///   currencies and `currency` does not pick one.
    public func kpiReport(from: CalendarDate?, to: CalendarDate?, by grouping: KPIGrouping?, asOf: CalendarDate,
                          currency: String? = nil) throws(ArchiveError) -> KPIReport {
        let facts = try kpiFacts(from: from, to: to)
        let receptions = try Self.oneCurrency(facts.receptions, currency: currency, \.currency)
        let items = facts.followUps.filter { receptions.currency == nil || $0.currency == receptions.currency }
        return KPIReport.make(KPIFacts(receptions: receptions.items, followUps: items), grouping: grouping, from: from, to: to,
                              asOf: asOf, currency: receptions.currency)
    }
}
