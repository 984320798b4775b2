import Archive
import Foundation
import Testing

/// A month of days, planned by `schedule optimize` and archived with synthetic
/// actuals by `schedule archive add`, with feedback and follow-ups; the figures
/// of `schedule report costs` and `report kpi` are recomputed here from the day
/// and plan files, with this file's own reading of the formulas in docs/archive.md.
@Suite("Archive month: cost and KPI reports recomputed independently", .serialized)
struct ArchiveMonthTests {
    // MARK: What the test knows of each reception, read from the files

    struct Person: Hashable {
        var id: String
        var department: String?
    }

    struct Reception {
        var date: String
        var visit: String
        var company: String?
        var tier: String
        var host: Person?
        var escorts: [Person]
        /// category -> (planned, cap, approved, actual)
        var costs: [(category: String, planned: Double, cap: Double?, approved: Double, actual: Double?)]
        var scores: [Int] = []
    }

    struct FollowUpItem {
        var date: String
        var owner: Person
        var due: String
        var closed: String?
    }

    static let companies = ["Acme GmbH", "Nippon Parts KK", "Sunrise Retail", "Northwind Logistics", "Huaxin Electronics",
                            "Pacific Components", "Nordwind AG"]
    static let firstDay = "2026-11-16"
    static let lastDay = "2026-12-15"
    static let asOf = "2026-12-20"

    static func day(_ offset: Int, from start: String = firstDay) -> String {
        ArchiveFixtures.date(start).adding(days: offset).description
    }

    static func json(_ path: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
        return try #require(object as? [String: Any], "\(path) is not a JSON object")
    }

    static func number(_ value: Any?) -> Double? { (value as? NSNumber)?.doubleValue }

    @Test("a month archived with actuals, feedback and follow-ups gives the cost and KPI figures recomputed here")
    func month() throws {
        let folder = try ArchiveFixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("archive.sqlite").path
        var templates = [CLI.exampleDay]
        if let shared = sharedExamplesDirectory { templates += [shared + "/small-day.json", shared + "/busy-day.json"] }

        var receptions: [Reception] = []
        var followUps: [FollowUpItem] = []
        for i in 0..<30 {
            let date = Self.day(i)
            // The day: a template with this date and rotating clients.
            var day = try Self.json(templates[i % templates.count])
            day["date"] = date
            var visits = try #require(day["visits"] as? [[String: Any]])
            for j in visits.indices {
                var client = visits[j]["client"] as? [String: Any] ?? [:]
                client["company"] = Self.companies[(i + j) % Self.companies.count]
                visits[j]["client"] = client
            }
            day["visits"] = visits
            let dayPath = folder.appendingPathComponent("day-\(date).json").path
            try JSONSerialization.data(withJSONObject: day, options: [.prettyPrinted, .sortedKeys]).write(to: URL(fileURLWithPath: dayPath))
            let planPath = folder.appendingPathComponent("plan-\(date).json").path
            let optimized = try ArchiveFixtures.run(["optimize", dayPath, "-o", planPath])
            try #require(optimized.status == 0 || optimized.status == 3, "optimize \(date): \(optimized.stderr)")
            let plan = try Self.json(planPath)

            // What the files say, read independently of the archive's code.
            let staff = Dictionary(uniqueKeysWithValues: ((day["resources"] as? [String: Any])?["staff"] as? [[String: Any]] ?? [])
                .compactMap { s in (s["id"] as? String).map { ($0, s["department"] as? String) } })
            func person(_ id: Any?) -> Person? { (id as? String).map { Person(id: $0, department: staff[$0] ?? nil) } }
            let tiers = (day["policy"] as? [String: Any])?["tiers"] as? [String: Any] ?? [:]
            let planVisits = Dictionary(uniqueKeysWithValues: (plan["visits"] as? [[String: Any]] ?? []).map { ($0["id"] as? String ?? "", $0) })
            var actualVisits: [[String: Any]] = []
            for (j, visit) in visits.enumerated() {
                let id = try #require(visit["id"] as? String)
                let entry = try #require(planVisits[id], "the plan of \(date) has no \(id)")
                let tier = try #require(visit["tier"] as? String)
                let guests = Self.number(visit["guests"]) ?? 0
                let limits = (tiers[tier] as? [String: Any])?["limits"] as? [String: Any] ?? [:]
                let approvedOverrun = visit["approvedOverrun"] as? [String: Any] ?? [:]
                let planned = entry["costs"] as? [String: Any] ?? [:]
                let withActuals = (i + j) % 5 != 0
                var actualCosts: [String: Double] = [:]
                var costs: [(category: String, planned: Double, cap: Double?, approved: Double, actual: Double?)] = []
                for (k, category) in planned.keys.sorted().enumerated() {
                    let amount = Self.number(planned[category]) ?? 0
                    let approved = Self.number(approvedOverrun[category]) ?? 0
                    var cap: Double?
                    if let limit = limits[category] as? [String: Any] {
                        cap = (Self.number(limit["perVisit"]) ?? 0) + (Self.number(limit["perGuest"]) ?? 0) * guests + approved
                    }
                    var actual: Double?
                    if withActuals {
                        let factor = [0.85, 0.95, 1.0, 1.1, 1.3][(i * 3 + j * 7 + k) % 5]
                        actual = (amount * factor * 100).rounded() / 100 + ((i + j + k) % 7 == 0 ? 250 : 0)
                        actualCosts[category] = actual
                    }
                    costs.append((category, amount, cap, approved, actual))
                }
                if withActuals { actualVisits.append(["id": id, "costs": actualCosts]) }
                receptions.append(Reception(date: date, visit: id, company: Self.companies[(i + j) % Self.companies.count], tier: tier,
                                            host: person(entry["host"]),
                                            escorts: (entry["escorts"] as? [String] ?? []).compactMap { person($0) }, costs: costs))
            }
            let actualsPath = folder.appendingPathComponent("actuals-\(date).json").path
            try JSONSerialization.data(withJSONObject: ["schemaVersion": 1, "date": date, "visits": actualVisits])
                .write(to: URL(fileURLWithPath: actualsPath))
            let added = try ArchiveFixtures.run(["archive", "add", dayPath, planPath, "--actuals", actualsPath, "--db", db])
            try #require(added.status == 0, "archive add \(date): \(added.stderr)")

            // Feedback and follow-ups on some receptions, through the archive's API (the
            // commands that record them one by one are tested in ArchiveCommandTests).
            let archive = try ReceptionArchive.open(at: db, mode: .existingOnly)
            defer { try? archive.close() }
            let first = receptions.count - visits.count
            for j in visits.indices {
                let index = first + j
                let r = receptions[index]
                if (i + j) % 3 != 0 {
                    var scores = [1 + (i * 7 + j * 3) % 5]
                    if j % 2 == 0 { scores.append(1 + (i + 2 * j) % 5) }
                    for (n, score) in scores.enumerated() {
                        let channel = [FeedbackChannel.survey, .interview, .phone][(i + j + n) % 3]
                        _ = try archive.addFeedback(NewFeedback(visit: r.visit, date: ArchiveFixtures.date(date), channel: channel,
                                                                satisfaction: try Satisfaction(score)))
                    }
                    receptions[index].scores = scores
                }
                if (i + j) % 4 == 1, let host = r.host {
                    let owner = j % 2 == 1 ? (r.escorts.first ?? host) : host
                    let due = Self.day(7, from: date)
                    let item = try archive.addFollowUp(NewFollowUp(visit: r.visit, date: ArchiveFixtures.date(date), action: "follow up \(r.visit)",
                                                                   owner: owner == host ? nil : owner.id, due: ArchiveFixtures.date(due)))
                    #expect(item.owner == owner.id)
                    var closed: String?
                    if (i + j) % 8 == 1 {
                        closed = i % 2 == 0 ? Self.day(-2, from: due) : due
                    } else if (i + j) % 8 == 5 && i % 2 == 0 {
                        closed = Self.day(3, from: due)
                    }
                    if let closed {
                        _ = try archive.closeFollowUps([item.id], on: ArchiveFixtures.date(closed))
                    }
                    followUps.append(FollowUpItem(date: date, owner: owner, due: due, closed: closed))
                }
            }
        }
        #expect(receptions.count >= 120, "a month of days should hold many receptions, got \(receptions.count)")
        #expect(followUps.contains { $0.closed == nil && $0.due < Self.asOf }, "no overdue follow-up to test")
        #expect(followUps.contains { $0.closed == nil && $0.due >= Self.asOf }, "no pending follow-up to test")
        #expect(followUps.contains { ($0.closed ?? "") > $0.due }, "no late follow-up to test")
        #expect(followUps.contains { $0.closed == $0.due }, "no follow-up closed on its due date to test")

        try checkCosts(db: db, receptions: receptions)
        try checkKPIs(db: db, receptions: receptions, followUps: followUps)
    }

    // MARK: Costs

    func expectedCosts(_ items: [(Reception, Int)]) -> [String: Double?] {
        var keys = Set<String>(), withActuals = Set<String>()
        var planned = 0.0, actual = 0.0, variance = 0.0, cap = 0.0, approved = 0.0, plannedOver = 0.0, actualOver = 0.0
        for (r, k) in items {
            let c = r.costs[k]
            keys.insert(r.date + r.visit)
            planned += c.planned
            approved += c.approved
            if let a = c.actual {
                withActuals.insert(r.date + r.visit)
                actual += a
                variance += a - c.planned
            }
            if let limit = c.cap {
                cap += limit
                plannedOver += max(0, c.planned - limit)
                if let a = c.actual { actualOver += max(0, a - limit) }
            }
        }
        let known = !withActuals.isEmpty
        return ["receptions": Double(keys.count), "withActuals": Double(withActuals.count), "planned": planned,
                "actual": known ? actual : nil, "variance": known ? variance : nil, "cap": cap, "approved": approved,
                "plannedOverCap": plannedOver, "actualOverCap": known ? actualOver : nil]
    }

    func checkCosts(db: String, receptions: [Reception]) throws {
        let items = receptions.flatMap { r in r.costs.indices.map { (r, $0) } }
        let groupings: [(String?, ((Reception, Int)) -> String)] = [
            (nil, { _ in "" }),
            ("tier", { $0.0.tier }),
            ("category", { $0.0.costs[$0.1].category }),
            ("department", { $0.0.host?.department ?? "(no host)" }),
            ("client", { $0.0.company ?? "(no client)" }),
            ("month", { String($0.0.date.prefix(7)) }),
        ]
        for (by, key) in groupings {
            var arguments = ["report", "costs", "--from", Self.firstDay, "--to", Self.lastDay, "--format", "json", "--db", db]
            if let by { arguments += ["--by", by] }
            let run = try ArchiveFixtures.run(arguments)
            try #require(run.status == 0, "report costs --by \(by ?? "-"): \(run.stderr)")
            let report = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            #expect(report["currency"] as? String == "CNY")
            compare(report["total"], expectedCosts(items), "costs total (by \(by ?? "-"))")
            let rows = report["rows"] as? [[String: Any]] ?? []
            if let by {
                let groups = Dictionary(grouping: items, by: key)
                #expect(Set(rows.compactMap { $0[by] as? String }) == Set(groups.keys), "costs by \(by): groups")
                for row in rows {
                    let name = row[by] as? String ?? ""
                    compare(row, expectedCosts(groups[name] ?? []), "costs by \(by), \(name)")
                }
            } else {
                #expect(rows.isEmpty)
            }
        }

        // A part of the period, and the other formats of one report.
        let window = try ArchiveFixtures.run(["report", "costs", "--from", "2026-12-01", "--to", "2026-12-10", "--by", "month",
                                              "--format", "json", "--db", db])
        let windowReport = try #require(try JSONSerialization.jsonObject(with: Data(window.stdout.utf8)) as? [String: Any])
        let december = items.filter { $0.0.date >= "2026-12-01" && $0.0.date <= "2026-12-10" }
        compare(windowReport["total"], expectedCosts(december), "costs of 2026-12-01..10")
        #expect((windowReport["rows"] as? [[String: Any]])?.count == 1)

        let csv = try ArchiveFixtures.run(["report", "costs", "--by", "tier", "--format", "csv", "--db", db])
        let lines = csv.stdout.split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(lines.first == ["tier", "receptions", "withActuals", "planned", "actual", "variance", "cap", "approved",
                                "plannedOverCap", "actualOverCap"])
        let total = expectedCosts(items)
        let totalLine = try #require(lines.last)
        #expect(totalLine.first == "total")
        #expect(abs((Double(totalLine[3]) ?? -1) - ((total["planned"] ?? 0) ?? 0)) <= 0.005, "CSV planned \(totalLine[3])")
        let text = try ArchiveFixtures.run(["report", "costs", "--by", "tier", "--db", db])
        #expect(text.stdout.hasPrefix("Reception costs, all archived days, CNY, by tier\n"), "\(text.stdout)")
        let markdown = try ArchiveFixtures.run(["report", "costs", "--by", "client", "--format", "markdown", "--db", db])
        #expect(markdown.stdout.contains("| client | receptions | with actuals | planned |"))
        #expect(markdown.stdout.contains("| Acme GmbH |"))
    }

    // MARK: KPIs

    func expectedKPIs(receptions: [Reception], followUps: [FollowUpItem], member: (Person) -> Bool, everyone: Bool) -> [String: Double?] {
        var hosted = 0, escorted = 0, feedback = 0, scoreSum = 0
        var spend = 0.0, cap = 0.0, over = 0.0
        for r in receptions {
            let host = r.host.map(member) ?? false
            let escort = r.escorts.contains(where: member)
            if host { hosted += 1 }
            if escort { escorted += 1 }
            if everyone || host || escort {
                feedback += r.scores.count
                scoreSum += r.scores.reduce(0, +)
            }
            if everyone || host {
                for c in r.costs {
                    guard let limit = c.cap else { continue }
                    let cost = c.actual ?? c.planned
                    spend += cost
                    cap += limit
                    over += max(0, cost - limit)
                }
            }
        }
        var owned = 0, onTime = 0, late = 0, pending = 0
        for item in followUps where member(item.owner) {
            owned += 1
            if let closed = item.closed {
                if closed <= item.due { onTime += 1 } else { late += 1 }
            } else if Self.asOf > item.due {
                late += 1
            } else {
                pending += 1
            }
        }
        return ["hosted": Double(hosted), "escorted": Double(escorted), "feedback": Double(feedback),
                "averageSatisfaction": feedback > 0 ? Double(scoreSum) / Double(feedback) : nil,
                "followUps": Double(owned), "onTime": Double(onTime), "late": Double(late), "pending": Double(pending),
                "onTimeShare": onTime + late > 0 ? Double(onTime) / Double(onTime + late) : nil,
                "spend": spend, "cap": cap, "spendToCap": cap > 0 ? spend / cap : nil, "overCap": over]
    }

    func checkKPIs(db: String, receptions: [Reception], followUps: [FollowUpItem]) throws {
        func report(_ by: String?) throws -> [String: Any] {
            var arguments = ["report", "kpi", "--from", Self.firstDay, "--to", Self.lastDay, "--as-of", Self.asOf, "--format", "json", "--db", db]
            if let by { arguments += ["--by", by] }
            let run = try ArchiveFixtures.run(arguments)
            try #require(run.status == 0, "report kpi --by \(by ?? "-"): \(run.stderr)")
            return try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        }
        let everyone = expectedKPIs(receptions: receptions, followUps: followUps, member: { _ in true }, everyone: true)
        for by in [nil, "department", "staff"] {
            let result = try report(by)
            #expect(result["asOf"] as? String == Self.asOf)
            compare(result["total"], everyone, "kpi total (by \(by ?? "-"))")
        }

        let people = receptions.flatMap { ($0.host.map { [$0] } ?? []) + $0.escorts } + followUps.map(\.owner)
        let byDepartment = try report("department")
        let departments = Set(people.map { $0.department ?? "(unknown)" })
        let departmentRows = byDepartment["rows"] as? [[String: Any]] ?? []
        #expect(Set(departmentRows.compactMap { $0["department"] as? String }) == departments)
        for row in departmentRows {
            let name = row["department"] as? String ?? ""
            compare(row, expectedKPIs(receptions: receptions, followUps: followUps, member: { ($0.department ?? "(unknown)") == name },
                                      everyone: false), "kpi by department, \(name)")
        }

        let byStaff = try report("staff")
        let staffRows = byStaff["rows"] as? [[String: Any]] ?? []
        #expect(Set(staffRows.compactMap { $0["staff"] as? String }) == Set(people.map(\.id)))
        for row in staffRows {
            let id = row["staff"] as? String ?? ""
            compare(row, expectedKPIs(receptions: receptions, followUps: followUps, member: { $0.id == id }, everyone: false),
                    "kpi by staff, \(id)")
            // The department shown is the one of the latest day the person appears on.
            var latest: (String, String?) = ("", nil)
            for r in receptions {
                for p in (r.host.map { [$0] } ?? []) + r.escorts where p.id == id && r.date >= latest.0 { latest = (r.date, p.department) }
            }
            for item in followUps where item.owner.id == id && item.date >= latest.0 { latest = (item.date, item.owner.department) }
            #expect(row["department"] as? String == latest.1, "kpi by staff, \(id): department")
        }
    }

    // MARK: Comparing

    func compare(_ actual: Any?, _ expected: [String: Double?], _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let row = actual as? [String: Any] else {
            Issue.record("\(what): no row", sourceLocation: sourceLocation)
            return
        }
        for (key, value) in expected.sorted(by: { $0.key < $1.key }) {
            let got = Self.number(row[key])
            switch (got, value) {
            case (nil, nil):
                #expect(row[key] is NSNull, "\(what).\(key): expected null, got \(String(describing: row[key]))", sourceLocation: sourceLocation)
            case let (got?, value?):
                #expect(close(got, value), "\(what).\(key): report \(got), recomputed \(value)", sourceLocation: sourceLocation)
            default:
                Issue.record("\(what).\(key): report \(String(describing: got)), recomputed \(String(describing: value))", sourceLocation: sourceLocation)
            }
        }
    }
}
