import Foundation
import PlanReports
import SchedulingCore
import Testing

/// The text and Markdown reports: what a planner must be able to answer from
/// them alone, checked against the plan and the day read independently.
@Suite("Report: text and Markdown")
struct ReportTextTests {
    @Test("the whole-day text report has every part, every visit and every resource, within 80 columns", arguments: ReportFixtures.names)
    func wholeDay(_ name: String) throws {
        let f = try ReportFixtures.fixture(name)
        let text = try f.report.render(.text)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let wide = lines.filter { $0.count > 80 }
        #expect(wide.isEmpty, "\(wide.count) lines wider than 80 columns, e.g. \(wide.first ?? "")")
        for heading in ["Day summary", "Run sheets", "Resource timelines"] {
            #expect(lines.contains { $0 == heading }, "\(heading)")
        }
        for visit in f.problem.day.visits {
            #expect(lines.contains { $0.hasPrefix(visit.id + " ·") || $0 == visit.id }, "run sheet of \(visit.id)")
        }
        for key in f.problem.resources.keys {
            #expect(lines.contains { $0.hasPrefix(key.id + " ") || $0 == key.id }, "timeline of \(key)")
        }
        #expect(text.contains("Unmet needs") == !f.plan.unmet.isEmpty)
        #expect(text.contains("Approvals to ask for") == !f.plan.approvalsNeeded.isEmpty)
    }

    @Test("who picks up a visit and when: the pickup row names the plan's cars and drivers with the time")
    func whoPicksUp() throws {
        let f = try ReportFixtures.fixture("reception-day")
        for visitID in ["V-001", "V-004"] {
            let text = try f.report.render(.text, scope: .init(visits: [visitID]))
            let pairs = try #require(f.plan.pairs(visitID, "pickup"))
            // The row from the time to the next row (wrapped lines start with spaces).
            let lines = text.split(separator: "\n").map(String.init)
            let start = try #require(lines.firstIndex { $0.hasPrefix("13:00-13:50") || $0.hasPrefix("08:30-09:20") })
            let row = ([lines[start]] + lines[(start + 1)...].prefix { $0.hasPrefix(" ") }).joined(separator: " ")
            #expect(row.contains("pickup"))
            for pair in pairs {
                #expect(row.contains(pair.vehicle) && row.contains(pair.driver), "\(visitID): \(pair) in \(row)")
            }
        }
    }

    @Test("which room is free at a time: the timelines' free windows agree with the plan and the day", arguments: ReportFixtures.names)
    func freeRooms(_ name: String) throws {
        let f = try ReportFixtures.fixture(name)
        let day = f.dayJSON
        let rooms = day["resources"]?["venues"]?.array ?? []
        // Ground truth from the JSON only: a room is busy over each segment the plan gives it
        // plus its turnover, and free when available and not busy; on a programme, on the
        // segment's day (times are programme minutes, an availability entry without a day
        // holds every day).
        let days = Int(day["days"]?.number ?? 1)
        var busy: [String: [(Int, Int)]] = [:]
        for v in f.planJSON["visits"]?.array ?? [] {
            let id = try #require(v["id"]?.string)
            let dayVisit = try #require(day["visits"]?.array?.first { $0["id"]?.string == id })
            for s in v["segments"]?.array ?? [] {
                guard let room = s["venue"]?.string, let sid = s["id"]?.string else { continue }
                let segment = try #require(dayVisit["segments"]?.array?.first { $0["id"]?.string == sid })
                let offset = (Int(segment["day"]?.number ?? 1) - 1) * 1440
                let start = try #require(Clock.parse(segment["start"]?.string ?? "", allowEndOfDay: false)) + offset
                let end = try #require(Clock.parse(segment["end"]?.string ?? "", allowEndOfDay: true)) + offset
                let turnover = Int(rooms.first { $0["id"]?.string == room }?["turnoverMinutes"]?.number ?? 0)
                busy[room, default: []].append((start, end + turnover))
            }
        }
        for (probe, onDay) in ["09:00", "11:15", "15:00"].flatMap({ p in (1...days).map { (p, $0) } }) {
            let minute = try #require(Clock.parse(probe, allowEndOfDay: false)) + (onDay - 1) * 1440
            for room in rooms {
                let id = try #require(room["id"]?.string)
                let windows = room["available"]?.array?.flatMap { w -> [(Int, Int)] in
                    guard let a = Clock.parse(w["from"]?.string ?? "", allowEndOfDay: false),
                          let b = Clock.parse(w["to"]?.string ?? "", allowEndOfDay: true) else { return [] }
                    let on = w["day"]?.number.map { [Int($0)] } ?? Array(1...days)
                    return on.map { ((($0 - 1) * 1440) + a, (($0 - 1) * 1440) + b) }
                } ?? (1...days).map { (($0 - 1) * 1440, $0 * 1440) }
                let available = windows.contains { $0.0 <= minute && minute < $0.1 }
                let used = (busy[id] ?? []).contains { $0.0 <= minute && minute < $0.1 }
                let expected = available && !used
                let text = try f.report.render(.text, scope: .init(resources: ["venue:" + id]))
                let free = Self.freeWindows(in: text).contains { $0.0 <= minute && minute < $0.1 }
                #expect(free == expected, "\(name): \(id) at \(probe) on day \(onDay): report says \(free ? "free" : "not free")\n\(text)")
            }
        }
    }

    @Test("run sheets list segments in time order, each with its step of the reception flow")
    func flowOrder() throws {
        let f = try ReportFixtures.fixture("reception-day")
        let day = f.problem.day
        func steps(_ id: String) throws -> [String] {
            let visit = try #require(day.visits.first { $0.id == id })
            return FlowStage.ordered(visit).map(\.stage.description)
        }
        #expect(try steps("V-001") == ["pickup", "business exchange", "tour", "meal", "send-off"])
        #expect(try steps("V-002") == ["pickup", "tour", "meal", "send-off"])
        #expect(try steps("V-004") == ["pickup", "opening", "tour", "meal"])
        #expect(FlowStage.classify("contract-signing") == .negotiation)
        #expect(FlowStage.classify("sign-in") == .signIn)
        #expect(FlowStage.classify("welcome") == .opening)
        #expect(FlowStage.classify("xyz") == .other)
        // A trip to the plant and back between meetings is a transfer, not a pickup or send-off.
        let builder = DayBuilder(visits: [visit("V-1", segments: [
            venueSegment("meeting", "09:00", "10:00", location: "HQ"),
            transferSegment("to-plant", "10:00", "10:30", from: "HQ", to: "HOTEL"),
            venueSegment("tour", "10:30", "11:00", location: "HOTEL"),
            transferSegment("back", "11:00", "11:30", from: "HOTEL", to: "HQ"),
        ])])
        let (problem, _) = try loadIssues(builder.json)
        let v = try #require(problem?.day.visits.first)
        #expect(FlowStage.ordered(v).map(\.stage) == [.businessExchange, .transfer, .tour, .transfer])
        // Listed by time even when the day lists them otherwise.
        let text = try f.report.render(.text, scope: .init(visits: ["V-001"]))
        let times = text.split(separator: "\n").compactMap { line -> String? in
            let t = line.prefix(11)
            return t.count == 11 && t.dropFirst(5).hasPrefix("-") && t.first?.isNumber == true ? String(t) : nil
        }
        #expect(times == times.sorted() && times.count == 5, "\(times)")
    }

    @Test("every unmet need says what is eligible and which visit holds each at that time in the plan", .requiresSharedExamples)
    func unmetNeedsHaveHolders() throws {
        let f = try ReportFixtures.fixture("tight-day")
        let text = try f.report.render(.text)
        for u in f.plan.unmet {
            #expect(text.contains("✗ \(u.visit)\(u.segment.map { " " + $0 } ?? "") \(u.need)"))
        }
        for j in f.dayPlan.unmetNeeds {
            let d = f.dayPlan.diagnose(need: j)
            #expect(!d.summary.isEmpty)
            let need = f.problem.needs[j]
            let eligible = Set(need.candidates.flatMap { $0.usages.map(\.resource) })
            #expect(Set(d.holdings.map(\.resource)) == eligible, "\(d.title): every eligible resource is listed")
            for h in d.holdings {
                for blocker in h.blockers where blocker.hasPrefix("held by") {
                    // Every holder named is a visit whose plan entry really uses that resource.
                    let named = blocker.dropFirst("held by ".count).split(separator: " ").filter { $0.hasPrefix("V-") }.map(String.init)
                    for visitID in named {
                        let entry = try #require(f.plan.visit(visitID))
                        #expect(JSONWriter.compact(entry).contains("\"\(h.resource.id)\""), "\(d.title): \(visitID) is said to hold \(h.resource.id)")
                    }
                }
            }
        }
    }

    @Test("every approval says the cap, the spend and what drove it; spend minus cap is the amount")
    func approvalsExplained() throws {
        var fixtures = [try ReportFixtures.fixture("reception-day")]
        if let tight = ReportFixtures.tight { fixtures.append(tight) }
        if let small = try? ReportFixtures.fixture("small-day") { fixtures.append(small) }
        var seen = 0
        for f in fixtures {
            for approval in f.dayPlan.approvals {
                let e = f.dayPlan.explain(approval)
                #expect(abs(approval.spend - approval.cap - approval.amount) < 1e-9)
                #expect(!e.capParts.isEmpty)
                #expect(!e.drivers.isEmpty, "what drove the spend")
                if approval.visit != nil {
                    #expect(abs(e.drivers.reduce(0) { $0 + $1.amount } - approval.spend) < 1e-6, "the drivers add up to the spend")
                }
                seen += 1
            }
            let text = try f.report.render(.text)
            for a in f.plan.approvalsNeeded {
                #expect(text.contains("ask for \(Self.money(a.amount))"), "\(f.name): \(a.visit ?? "day") \(a.category)")
            }
        }
        if ReportFixtures.tight != nil { #expect(seen >= 3) }
    }

    @Test("--visit and --resource print just those; unknown ones are errors that suggest the right id")
    func scope() throws {
        let f = try ReportFixtures.fixture("reception-day")
        let one = try f.report.render(.text, scope: .init(visits: ["V-002"]))
        #expect(one.contains("V-002 · Nippon Parts KK"))
        #expect(!one.contains("V-001 ·") && !one.contains("Day summary") && !one.contains("Vehicles"))
        let car = try f.report.render(.text, scope: .init(resources: ["CAR-01"]))
        #expect(car.contains("CAR-01 — ") && !car.contains("CAR-02 — ") && !car.contains("Run sheets"))
        #expect(try f.report.render(.text, scope: .init(resources: ["vehicle:CAR-01"])) == car)
        do {
            _ = try f.report.render(.text, scope: .init(visits: ["V-01"]))
            Issue.record("an unknown visit must be an error")
        } catch {
            #expect(error.kind == .unknownVisit)
            #expect(error.message.contains("\"V-01\"") && error.message.contains("V-001"), "\(error.message)")
        }
        do {
            _ = try f.report.render(.md, scope: .init(resources: ["CAR-9"]))
            Issue.record("an unknown resource must be an error")
        } catch {
            #expect(error.kind == .unknownResource)
        }
    }

    @Test("Markdown has headings and well-formed tables")
    func markdown() throws {
        let f = try ReportFixtures.fixture("reception-day")
        let md = try f.report.render(.md)
        #expect(md.hasPrefix("# Reception day 2026-12-01"))
        #expect(md.contains("\n## Day summary\n") && md.contains("\n### V-001 · Acme GmbH · supplier audit\n"))
        Self.expectWellFormedTables(md)
    }

    @Test("Markdown escapes what would break it: a bar in a name stays inside its cell")
    func markdownEscapes() throws {
        var builder = DayBuilder(visits: [visit("V-1", segments: [venueSegment("talks", "09:00", "10:00", location: "HQ")])])
        builder.venues = [merged(venue("R1"), ["name": "Room | one *new*"])]
        let f = try ReportFixtures.solve(name: "escape", text: builder.text)
        let md = try f.report.render(.md, scope: .init(visits: ["V-1"], resources: ["R1"]))
        #expect(md.contains("Room \\| one \\*new\\*"), "\(md)")
        Self.expectWellFormedTables(md)
    }

    /// Every table row has as many cells as its header, and a rule follows the header.
    static func expectWellFormedTables(_ md: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let lines = md.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var tables = 0
        for (i, line) in lines.enumerated() where line.hasPrefix("| ") {
            var h = i
            while h > 0 && lines[h - 1].hasPrefix("|") { h -= 1 }
            #expect(cells(line) == cells(lines[h]), "row \(i): \(line)", sourceLocation: sourceLocation)
            if i == h {
                tables += 1
                #expect(i + 1 < lines.count && lines[i + 1].hasPrefix("| ---"), "header rule after \(line)", sourceLocation: sourceLocation)
            }
        }
        #expect(tables > 0, sourceLocation: sourceLocation)
    }

    // MARK: Helpers

    /// `free` rows of a text timeline, as minute spans; on a programme, in
    /// programme minutes from the day of the `Resource timelines, Day k` section
    /// they are under.
    static func freeWindows(in text: String) -> [(Int, Int)] {
        var offset = 0
        return text.split(separator: "\n").compactMap { line in
            if line.hasPrefix("Resource timelines, Day "),
               let k = Int(line.dropFirst("Resource timelines, Day ".count).prefix { $0.isNumber }) {
                offset = (k - 1) * 1440
                return nil
            }
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count == 2, parts[1] == "free" else { return nil }
            let span = parts[0].split(separator: "-")
            guard span.count == 2, let a = Clock.parse(String(span[0]), allowEndOfDay: false),
                  let b = Clock.parse(String(span[1]), allowEndOfDay: true) else { return nil }
            return (a + offset, b + offset)
        }
    }

    /// Cells of a Markdown table row, ignoring escaped bars.
    static func cells(_ row: String) -> Int {
        var count = 0
        var escaped = false
        for c in row {
            if c == "|" && !escaped { count += 1 }
            escaped = c == "\\" && !escaped
        }
        return count
    }

    /// `1,234.50`, as the report writes money.
    static func money(_ x: Double) -> String {
        let cents = Int((x * 100).rounded())
        let whole = String(cents / 100)
        var grouped = ""
        for (i, c) in whole.reversed().enumerated() {
            if i > 0 && i % 3 == 0 { grouped.append(",") }
            grouped.append(c)
        }
        let fraction = cents % 100
        return String(grouped.reversed()) + "." + (fraction < 10 ? "0" : "") + String(fraction)
    }
}
