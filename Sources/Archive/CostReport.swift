import GRDB
import SchedulingCore

/// How `report costs` groups receptions.
public enum CostGrouping: String, Sendable, Hashable, CaseIterable {
    /// The visit's tier.
    case tier
    /// The cost category (venue, transport, catering, gift, lodging).
    case category
    /// The department of the reception's host; `(no host)` when the host need was unmet.
    case department
    /// The client's company; `(no client)` when the visit names none.
    case client
    /// The month of the reception's start date, `YYYY-MM` (a programme's
    /// costs all count in the month it starts in).
    case month
}

/// One archived reception's figures in one cost category: the unit every
/// cost statistic adds up.
public struct CostFact: Sendable, Hashable {
    /// The reception's (start) date.
    public var date: CalendarDate
    /// The visit id.
    public var visit: String
    /// The client's company, when the visit names one.
    public var company: String?
    /// The visit's tier.
    public var tier: TierName
    /// The host's department on that day (on its programme's staff list).
    public var department: String?
    /// The currency of the reception's day.
    public var currency: String
    /// The planned, capped, approved and actual amounts of the category.
    public var cost: CategoryCost

    public init(date: CalendarDate, visit: String, company: String?, tier: TierName, department: String?, currency: String,
                cost: CategoryCost) {
        self.date = date
        self.visit = visit
        self.company = company
        self.tier = tier
        self.department = department
        self.currency = currency
        self.cost = cost
    }
}

/// The sums of one group of ``CostFact``s. Every sum runs over the group's
/// (reception, category) items:
///
/// - `planned` = Σ planned; `actual` = Σ actual over items with actuals;
///   `variance` = Σ (actual − planned) over items with actuals;
/// - `cap` = Σ cap over capped items (a visit's cap includes what plugins
///   allow, such as lodging's `perGuestNight × guests × nights`); `approved` = Σ the visits' `approvedOverrun`
///   (already inside the caps);
/// - `plannedOverCap` = Σ max(0, planned − cap) over capped items (the overruns
///   the plans asked approval for); `actualOverCap` = Σ max(0, actual − cap) over
///   capped items with actuals.
public struct CostFigures: Sendable, Hashable {
    /// Distinct receptions.
    public var receptions = 0
    /// Distinct receptions with recorded actuals.
    public var withActuals = 0
    /// Σ planned.
    public var planned = 0.0
    /// Σ actual, over items with actuals.
    public var actual = 0.0
    /// Σ (actual − planned), over items with actuals.
    public var variance = 0.0
    /// Σ cap, over capped items.
    public var cap = 0.0
    /// Σ approvedOverrun.
    public var approved = 0.0
    /// Σ max(0, planned − cap), over capped items.
    public var plannedOverCap = 0.0
    /// Σ max(0, actual − cap), over capped items with actuals.
    public var actualOverCap = 0.0

    public init() {}

    /// The figures of `facts`.
    public init(_ facts: [CostFact]) {
        var all = Set<String>(), actualOnes = Set<String>()
        for fact in facts {
            let key = "\(fact.date) \(fact.visit)"
            all.insert(key)
            let c = fact.cost
            planned += c.planned
            approved += c.approved
            if let a = c.actual {
                actualOnes.insert(key)
                actual += a
                variance += a - c.planned
            }
            if let cap = c.cap {
                self.cap += cap
                plannedOverCap += max(0, c.planned - cap)
                if let a = c.actual { actualOverCap += max(0, a - cap) }
            }
        }
        receptions = all.count
        withActuals = actualOnes.count
    }
}

/// Planned against actual against caps, by group, over a period.
public struct CostReport: Sendable {
    /// First start date of a reception, inclusive; `nil` = from the first archived day.
    public var from: CalendarDate?
    /// Last start date of a reception, inclusive; `nil` = to the last archived day.
    public var to: CalendarDate?
    /// The currency of every figure; `nil` when the period holds no reception.
    public var currency: String?
    /// The grouping; `nil` = the total only.
    public var grouping: CostGrouping?
    /// One row per group, in a natural order (tiers high to low, months in time, names alphabetically).
    public var rows: [(key: String, figures: CostFigures)]
    /// The figures of the whole period.
    public var total: CostFigures

    /// Groups and adds up `facts` (all in one currency).
    public static func make(_ facts: [CostFact], grouping: CostGrouping?, from: CalendarDate?, to: CalendarDate?,
                            currency: String?) -> CostReport {
        var rows: [(key: String, figures: CostFigures)] = []
        if let grouping {
            var groups: [String: [CostFact]] = [:]
            for fact in facts { groups[key(fact, grouping), default: []].append(fact) }
            rows = groups.keys.sorted { order($0, grouping) < order($1, grouping) }.map { ($0, CostFigures(groups[$0] ?? [])) }
        }
        return CostReport(from: from, to: to, currency: currency, grouping: grouping, rows: rows, total: CostFigures(facts))
    }

    static func key(_ fact: CostFact, _ grouping: CostGrouping) -> String {
        switch grouping {
        case .tier: return fact.tier.rawValue
        case .category: return fact.cost.category
        case .department: return fact.department ?? "(no host)"
        case .client: return fact.company ?? "(no client)"
        case .month: return fact.date.monthKey
        }
    }

    private static func order(_ key: String, _ grouping: CostGrouping) -> (Int, String) {
        if grouping == .tier, let tier = TierName(rawValue: key), let i = TierName.allCases.firstIndex(of: tier) { return (i, key) }
        if grouping == .category {
            // The built-in categories in the registry's order, then any other alphabetically.
            let known = ["venue", "transport", "catering", "gift", "lodging"]
            return (known.firstIndex(of: key) ?? known.count, key)
        }
        return (key.hasPrefix("(") ? 1 : 0, key)
    }

    /// The report as a table.
    public var table: ReportTable {
        func cells(_ f: CostFigures) -> [ReportTable.Cell] {
            [.count(f.receptions), .count(f.withActuals), .number(f.planned), .number(f.withActuals > 0 ? f.actual : nil),
             .number(f.withActuals > 0 ? f.variance : nil), .number(f.cap), .number(f.approved), .number(f.plannedOverCap),
             .number(f.withActuals > 0 ? f.actualOverCap : nil)]
        }
        let columns: [ReportTable.Column] = [
            .init(grouping?.rawValue ?? "scope", grouping?.rawValue ?? "scope", .text),
            .init("receptions", "receptions", .count),
            .init("withActuals", "with actuals", .count),
            .init("planned", "planned", .money),
            .init("actual", "actual", .money),
            .init("variance", "actual-planned", .money),
            .init("cap", "caps", .money),
            .init("approved", "approved", .money),
            .init("plannedOverCap", "planned over cap", .money),
            .init("actualOverCap", "actual over cap", .money),
        ]
        var title = "Reception costs, " + ReportTable.period(from, to)
        if let currency { title += ", " + currency }
        if let grouping { title += ", by " + grouping.rawValue }
        var parameters: [(key: String, value: JSONValue)] = [(key: "report", value: "costs")]
        parameters.append((key: "from", value: ReportTable.value(from?.description)))
        parameters.append((key: "to", value: ReportTable.value(to?.description)))
        parameters.append((key: "currency", value: ReportTable.value(currency)))
        parameters.append((key: "by", value: ReportTable.value(grouping?.rawValue)))
        return ReportTable(
            title: title,
            parameters: parameters,
            columns: columns,
            rows: rows.map { [.text($0.key)] + cells($0.figures) },
            total: [.text("total")] + cells(total),
            notes: [
                "actual and actual-planned cover the receptions with actuals only; caps = perVisit + perGuest x guests (+ perGuestNight x guests x nights for lodging) + approved, over capped categories",
                "approved = overruns approved in advance (inside the caps); over cap = sum of max(0, cost - cap) per visit and category",
            ])
    }
}

extension ReceptionArchive {
    /// The cost facts of the receptions starting from `from` to `to` (inclusive; `nil` = open end).
    public func costFacts(from: CalendarDate?, to: CalendarDate?) throws(ArchiveError) -> [CostFact] {
        let rows = try read { db in
            try Row.fetchAll(db, sql: """
                SELECT r.startDate, d.currency, r.visitId, c.company, r.tier, s.department,
                       k.category, k.planned, k.cap, k.approved, k.actual
                FROM reception r
                JOIN day d ON d.id = r.dayId
                JOIN cost k ON k.receptionId = r.id
                LEFT JOIN client c ON c.id = r.clientId
                LEFT JOIN assignment h ON h.receptionId = r.id AND h.segmentId = '' AND h.need = 'host' AND h.position = 0
                LEFT JOIN staff s ON s.dayId = d.id AND s.staffId = h.resourceId
                WHERE (?1 IS NULL OR r.startDate >= ?1) AND (?2 IS NULL OR r.startDate <= ?2)
                ORDER BY r.startDate, r.visitId, k.category
                """, arguments: [from?.description, to?.description])
        }
        return rows.compactMap { row in
            guard let date = Self.date(row, "startDate"), let tier = TierName(rawValue: row["tier"]) else { return nil }
            return CostFact(date: date, visit: row["visitId"], company: row["company"], tier: tier, department: row["department"],
                            currency: row["currency"],
                            cost: CategoryCost(category: row["category"], planned: row["planned"], cap: row["cap"],
                                               approved: row["approved"], actual: row["actual"]))
        }
    }

    /// `report costs`: planned, actual and caps of the period, by `grouping`.
    ///
    /// - Throws: ``ArchiveError/invalidInput(_:)`` when the period mixes
    ///   currencies and `currency` does not pick one.
    public func costReport(from: CalendarDate?, to: CalendarDate?, by grouping: CostGrouping?,
                           currency: String? = nil) throws(ArchiveError) -> CostReport {
        let facts = try Self.oneCurrency(try costFacts(from: from, to: to), currency: currency, \.currency)
        return CostReport.make(facts.items, grouping: grouping, from: from, to: to, currency: facts.currency)
    }

    /// Keeps the items of `currency`, or checks that all items share one.
    static func oneCurrency<T>(_ items: [T], currency: String?, _ of: (T) -> String) throws(ArchiveError) -> (items: [T], currency: String?) {
        if let currency {
            return (items.filter { of($0) == currency }, currency)
        }
        let found = Set(items.map(of)).sorted()
        guard found.count <= 1 else {
            throw .input("--currency", "the receptions of this period are in several currencies (\(found.joined(separator: ", "))); pick one with --currency")
        }
        return (items, found.first)
    }
}
