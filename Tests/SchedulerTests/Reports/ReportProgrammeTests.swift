import Foundation
import PlanReports
import SchedulingCore
import Testing
@testable import schedule

/// Reports of a version-2 programme (PROBLEM.md §9), day by day: the title with
/// its dates, each day's spend against the day budget and one approval per day
/// over it, run sheets grouped by day with the visit's hotel, timelines per day
/// with hotels by night and driving limits per day, and lodging explained.
/// Expectations are computed from the day and plan JSON, not from the report code.
@Suite("Report: programmes over several days")
struct ReportProgrammeTests {
    static let name = "delegation-programme"

    static func fixture() throws -> ReportFixture { try ReportFixtures.fixture(name) }

    /// The example with `edit` applied to its JSON, solved.
    static func edited(_ label: String, _ edit: (JSONValue) -> JSONValue) throws -> ReportFixture {
        let f = try fixture()
        return try ReportFixtures.solve(name: label, text: JSONWriter.pretty(edit(f.dayJSON)))
    }

    // MARK: Ground truth from the JSON

    /// Each day's spend (index 0 is day 1), from the day's prices and the plan's
    /// choices: a segment's cost on its day, a night's rooms on the day it begins.
    static func spendByDay(_ f: ReportFixture) throws -> [Double] {
        let day = f.dayJSON
        let days = Int(day["days"]?.number ?? 1)
        var spend = [Double](repeating: 0, count: days)
        func item(_ list: String, _ id: String) -> JSONValue? { day["resources"]?[list]?.array?.first { $0["id"]?.string == id } }
        for entry in f.planJSON["visits"]?.array ?? [] {
            let id = try #require(entry["id"]?.string)
            let visit = try #require(day["visits"]?.array?.first { $0["id"]?.string == id })
            let guests = visit["guests"]?.number ?? 0
            for s in entry["segments"]?.array ?? [] {
                let segment = try #require(visit["segments"]?.array?.first { $0["id"]?.string == s["id"]?.string })
                let k = Int(segment["day"]?.number ?? 1) - 1
                let start = try #require(Clock.parse(segment["start"]?.string ?? "", allowEndOfDay: false))
                let end = try #require(Clock.parse(segment["end"]?.string ?? "", allowEndOfDay: true))
                let hours = Double(end - start) / 60
                if let room = s["venue"]?.string { spend[k] += (item("venues", room)?["costPerHour"]?.number ?? 0) * hours }
                for pair in s["transport"]?.array ?? [] {
                    let perHour = (item("vehicles", pair["vehicle"]?.string ?? "")?["costPerHour"]?.number ?? 0)
                        + (item("drivers", pair["driver"]?.string ?? "")?["costPerHour"]?.number ?? 0)
                    spend[k] += perHour * hours
                }
                if let meal = s["catering"]?.string {
                    spend[k] += (item("catering", meal)?["costPerHead"]?.number ?? 0) * (guests + (segment["internalAttendees"]?.number ?? 0))
                }
            }
            if let stay = entry["lodging"], let hotel = stay["hotel"]?.string, let rooms = stay["rooms"]?.number {
                let price = item("hotels", hotel)?["pricePerNight"]?.number ?? 0
                for night in visit["lodging"]?["nights"]?.array ?? [] { spend[Int(night.number ?? 1) - 1] += price * rooms }
            }
        }
        return spend
    }

    /// A text with its lines joined and its runs of spaces made one, so that
    /// sentences read whole whatever the wrapping.
    static func flat(_ text: String) -> String {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
    }

    /// Lines of a text report from the line `from` to the next line starting with `until`.
    static func part(_ text: String, from: String, until: String) -> [String] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(where: { $0.hasPrefix(from) }) else { return [] }
        let rest = lines[(start + 1)...]
        return Array(rest.prefix { !$0.hasPrefix(until) })
    }

    // MARK: Title and summary

    @Test("the title names the programme's dates; the summary compares each day's spend with the day budget")
    func titleAndSpendByDay() throws {
        let f = try Self.fixture()
        let text = try f.report.render(.text)
        #expect(text.hasPrefix("Programme 2026-12-07 to 2026-12-09 (3 days)\n"))
        #expect(try f.report.render(.md).hasPrefix("# Programme 2026-12-07 to 2026-12-09 (3 days)\n"))
        let truth = try Self.spendByDay(f)
        #expect(abs(truth.reduce(0, +) - f.plan.totals.cost) < 1e-6, "the ground truth adds up to the plan's cost")
        for (i, spend) in f.dayPlan.daySpend.enumerated() { #expect(abs(spend - truth[i]) < 1e-6, "day \(i + 1)") }
        let budget = try #require(f.dayJSON["policy"]?["dayBudget"]?.number)
        let rows = Self.part(text, from: "Spend by day", until: "places")
        let titles = ["Day 1 · Mon 2026-12-07", "Day 2 · Tue 2026-12-08", "Day 3 · Wed 2026-12-09"]
        for (i, title) in titles.enumerated() {
            let row = try #require(rows.first { $0.hasPrefix(title) }, "\(title) in \(rows)")
            #expect(row.contains(ReportTextTests.money(truth[i])), "\(row)")
            let over = truth[i] - budget
            #expect(row.contains(over > 0 ? ReportTextTests.money(over) : ReportTextTests.money(-over)), "left or over in \(row)")
        }
        // The day over the budget is named in the cost line; lodging is among the categories.
        #expect(Self.flat(text).contains("over on day 1 by 100.00"))
        let lodging = try #require(text.split(separator: "\n").first { $0.hasPrefix("lodging ") && $0.contains(".") })
        #expect(lodging.contains(ReportTextTests.money(f.plan.totals.byCategory.first { $0.category == "lodging" }?.amount ?? -1)))
    }

    @Test("the approvals list one day-budget entry per day over it, with the plan's day and that day's spend by visit")
    func approvalsPerDay() throws {
        let f = try Self.edited("low budget") { $0.setting("policy.dayBudget", to: 3000) }
        let truth = try Self.spendByDay(f)
        let overDays = truth.indices.filter { truth[$0] > 3000 + 1e-9 }.map { $0 + 1 }
        #expect(overDays.count >= 2, "the edit puts several days over: \(truth)")
        let declared = f.plan.approvalsNeeded.filter { $0.visit == nil }
        #expect(declared.map { $0.day ?? 0 } == overDays)
        #expect(f.dayPlan.approvals.filter { $0.visit == nil }.map { $0.day ?? 0 } == overDays)
        let text = try f.report.render(.text)
        #expect(text.contains("Approvals to ask for (\(f.plan.approvalsNeeded.count))"))
        for a in declared {
            let k = try #require(a.day)
            let title = "\(f.dayPlan.title(ofDay: k)) budget: ask for \(ReportTextTests.money(a.amount)) CNY"
            #expect(text.contains(title), "\(title)")
        }
        // What drove a day's spend: each visit's spend on that day, adding up to the day's spend.
        for approval in f.dayPlan.approvals where approval.visit == nil {
            let e = f.dayPlan.explain(approval)
            let k = try #require(approval.day)
            #expect(abs(e.drivers.reduce(0) { $0 + $1.amount } - truth[k - 1]) < 1e-6, "day \(k)")
        }
    }

    // MARK: Run sheets

    @Test("a run sheet groups segments by day, shows the hotel with rooms and nights, and explains the lodging cap")
    func runSheetByDay() throws {
        let f = try Self.fixture()
        let text = try f.report.render(.text, scope: .init(visits: ["V-01"]))
        let lines = text.split(separator: "\n").map(String.init)
        let headings = ["Day 1 · Mon 2026-12-07", "Day 2 · Tue 2026-12-08", "Day 3 · Wed 2026-12-09"].map { h in lines.firstIndex(of: h) }
        #expect(headings.allSatisfy { $0 != nil } && headings.compactMap { $0 } == headings.compactMap { $0 }.sorted(), "\(lines)")
        // Each segment's row is under its day's heading, with its time within the day.
        let visit = try #require(f.dayJSON["visits"]?.array?.first { $0["id"]?.string == "V-01" })
        for segment in visit["segments"]?.array ?? [] {
            let k = Int(segment["day"]?.number ?? 1)
            let time = "\(segment["start"]?.string ?? "")-\(segment["end"]?.string ?? "")"
            let row = try #require(lines.firstIndex { $0.hasPrefix(time) && $0.contains(segment["id"]?.string ?? "?") })
            let under = headings.lastIndex { ($0 ?? .max) < row }.map { $0 + 1 }
            #expect(under == k, "\(time) on day \(k)")
        }
        // The hotel: id and name, rooms and nights, from the plan and the day.
        let stay = try #require(f.plan.visit("V-01")?["lodging"])
        let hotel = try #require(stay["hotel"]?.string)
        let name = try #require(f.dayJSON["resources"]?["hotels"]?.array?.first { $0["id"]?.string == hotel }?["name"]?.string)
        let rooms = Int(try #require(stay["rooms"]?.number))
        #expect(text.contains("lodging  \(hotel) \(name), \(rooms) rooms, nights 1-2"), "\(text)")
        #expect(!text.contains(" + \(rooms)"), "the room count is not shown as a resource")
        #expect(lines.contains { $0.hasPrefix("night 1") && $0.contains(hotel) } && lines.contains { $0.hasPrefix("night 2") && $0.contains(hotel) })
        // The lodging cap is perGuestNight × guests × nights, not a bare 0.
        let rate = try #require(f.dayJSON["policy"]?["tiers"]?["high"]?["limits"]?["lodging"]?["perGuestNight"]?.number)
        let cap = rate * 3 * 2
        #expect(text.contains("within its cap \(ReportTextTests.money(cap)) (\(ReportTextTests.money(rate)) × 3 guests × 2 nights)"), "\(text)")
        #expect(!text.contains("(0)"))
    }

    // MARK: Timelines

    @Test("timelines come one section per day with times within the day; hotels show rooms by night; driving limits per day")
    func timelinesByDay() throws {
        let f = try Self.fixture()
        let text = try f.report.render(.text)
        #expect(!text.contains("20:00-24:00"), "no night drawn as a time")
        // Rooms per night, from the plan: which visits take how many rooms of each hotel each night.
        let hotels = f.dayJSON["resources"]?["hotels"]?.array ?? []
        for k in 1...3 {
            let section = Self.part(text, from: "Resource timelines, \(f.dayPlan.title(ofDay: k))", until: "Resource timelines, ")
            #expect(!section.isEmpty, "day \(k) has its section")
            #expect(!section.contains { $0.hasPrefix("day ") && $0.dropFirst(4).first?.isNumber == true }, "rows within a day have times of that day")
            for hotel in hotels {
                let id = try #require(hotel["id"]?.string)
                let capacity = Int(try #require(hotel["rooms"]?.number))
                let held = hotel["nights"]?.array.map { $0.contains { Int($0.number ?? 0) == k } } ?? true
                var taken = 0
                var by: [String] = []
                for entry in f.planJSON["visits"]?.array ?? [] where entry["lodging"]?["hotel"]?.string == id {
                    let vid = try #require(entry["id"]?.string)
                    let nights = f.dayJSON["visits"]?.array?.first { $0["id"]?.string == vid }?["lodging"]?["nights"]?.array ?? []
                    guard nights.contains(where: { Int($0.number ?? 0) == k }) else { continue }
                    let rooms = Int(entry["lodging"]?["rooms"]?.number ?? 0)
                    taken += rooms
                    by.append("\(vid) \(rooms)")
                }
                let heading = try #require(section.firstIndex { $0.hasPrefix(id + " ") }, "\(id) on day \(k)")
                let row = try #require(section[heading...].first { $0.hasPrefix("night \(k)") }, "\(id) night \(k)")
                if held {
                    #expect(row.contains("\(taken) of \(capacity) rooms") && by.allSatisfy(row.contains), "\(row)")
                } else {
                    #expect(section[heading...].prefix(3).joined(separator: " ").contains("no rooms held on night \(k)"), "\(id) night \(k)")
                }
            }
            // Each driver's driving minutes that day: its transfer segments' minutes on day k.
            for driver in f.dayJSON["resources"]?["drivers"]?.array ?? [] {
                let id = try #require(driver["id"]?.string)
                guard let limit = driver["maxDrivingMinutes"]?.number else { continue }
                var minutes = 0
                for entry in f.planJSON["visits"]?.array ?? [] {
                    let visit = f.dayJSON["visits"]?.array?.first { $0["id"]?.string == entry["id"]?.string }
                    for s in entry["segments"]?.array ?? [] where s["transport"]?.array?.contains(where: { $0["driver"]?.string == id }) == true {
                        let segment = try #require(visit?["segments"]?.array?.first { $0["id"]?.string == s["id"]?.string })
                        guard Int(segment["day"]?.number ?? 1) == k else { continue }
                        minutes += try #require(Clock.parse(segment["end"]?.string ?? "", allowEndOfDay: true))
                            - (try #require(Clock.parse(segment["start"]?.string ?? "", allowEndOfDay: false)))
                    }
                }
                let heading = section.drop { !$0.hasPrefix(id + " ") }.prefix(3).joined(separator: " ")
                if minutes > 0 {
                    #expect(heading.contains("day \(k): \(minutes) of \(Int(limit)) min used"), "\(heading)")
                }
            }
        }
        #expect(!text.contains("180 of 120"), "no programme-wide total against a daily limit")
    }

    @Test("a resource unavailable on a day says so in that day's timeline")
    func unavailableDay() throws {
        let f = try Self.fixture()
        let text = try f.report.render(.text, scope: .init(resources: ["DRV-2"]))
        let day1 = Self.part(text, from: "Resource timelines, Day 1", until: "Resource timelines, ")
        let day2 = Self.part(text, from: "Resource timelines, Day 2", until: "Resource timelines, ")
        #expect(day1.contains { $0.contains("available 07:00-19:00") })
        #expect(day1.contains { $0.hasSuffix("free") })
        #expect(day2.contains { $0.contains("not available on day 2") } && !day2.contains { $0.hasSuffix("free") }, "\(day2)")
    }

    // MARK: HTML

    @Test("the HTML page has one timeline per day and hotel rows with bars by rooms taken per night")
    func htmlByDay() throws {
        let f = try Self.fixture()
        let html = try f.report.render(.html)
        let tags = try ReportHTMLTests.elements(html)
        for k in 1...3 { #expect(tags.contains { $0.attributes["id"] == "timeline-day-\(k)" }, "day \(k)") }
        let nightRows = tags.filter { $0.attributes["data-night"] != nil }
        #expect(nightRows.count == 2 * 3, "a row per hotel per night")
        #expect(html.contains("night 1: 3 of 4 rooms — V-01 3"))
        #expect(html.contains("night 2: no rooms held"))
        #expect(!html.contains("20:00-24:00"))
    }

    @Test("partial programme pages and a page with an unmet lodging need keep unique ids, resolving links and one row per unmet need")
    func htmlPartialAndUnmet() throws {
        let f = try Self.fixture()
        let unmet = try Self.edited("V-02 two nights") { $0.setting("visits[1].lodging.nights", to: [1, 2]) }
        let pages = [("--visit", try f.report.render(.html, scope: .init(visits: ["V-01"]))),
                     ("--resource", try f.report.render(.html, scope: .init(resources: ["H-BUND", "DRV-1"]))),
                     ("explain", try f.report.explain(visit: "V-02", format: .html)),
                     ("unmet", try unmet.report.render(.html))]
        for (name, html) in pages {
            let tags = try ReportHTMLTests.elements(html)
            let ids = tags.compactMap { $0.attributes["id"] }
            #expect(Set(ids).count == ids.count, "\(name): ids are unique")
            for link in tags.compactMap({ $0.attributes["href"] }) {
                #expect(ids.contains(String(link.dropFirst())), "\(name): \(link) resolves")
            }
        }
        let tags = try ReportHTMLTests.elements(pages[3].1)
        #expect(tags.filter { $0.attributes["data-unmet"] != nil }.count == unmet.plan.unmet.count)
        // V-01's page shows, each day, the resources V-01 uses.
        let visitTags = try ReportHTMLTests.elements(pages[0].1)
        let used = Set(f.dayPlan.uses.filter { f.problem.day.visits[f.problem.needs[$0.need].id.visit].id == "V-01" }.map { "\($0.resource.kind):\($0.resource.id)" })
        #expect(Set(visitTags.compactMap { $0.attributes["data-resource"] }) == used)
    }

    @Test("the programme page renders in headless Chromium with every day's rows and no console message",
          .enabled(if: Chromium.path != nil, "chromium is not installed; skipping the browser check"), .timeLimit(.minutes(3)))
    func programmeInChromium() throws {
        let browser = try #require(Chromium.path)
        let f = try Self.fixture()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("report-programme-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("programme.html")
        try Data(try f.report.render(.html).utf8).write(to: page)
        let run = try Chromium.run(browser, ["--dump-dom", page.absoluteString])
        #expect(run.status == 0, "chromium exit \(run.status): \(run.stderr)")
        #expect(run.consoleLines.isEmpty, "console: \(run.consoleLines)")
        let rows = run.stdout.components(separatedBy: "data-resource=\"").count - 1
        #expect(rows == f.problem.resources.count * f.problem.day.days, "rendered rows \(rows)")
        for k in 1...f.problem.day.days { #expect(run.stdout.contains("id=\"timeline-day-\(k)\"")) }
    }

    // MARK: Explain

    @Test("explaining an unmet lodging need names the nights, who takes the rooms, and the hotels without a block")
    func explainUnmetLodging() throws {
        // V-02 stays two nights: H-CITY holds no block on night 2 and H-BUND has 1 room left.
        let f = try Self.edited("V-02 two nights") { $0.setting("visits[1].lodging.nights", to: [1, 2]) }
        #expect(f.plan.unmet.contains { $0.visit == "V-02" && $0.need == "lodging" }, "\(f.plan.unmet)")
        let text = try f.report.explain(visit: "V-02")
        #expect(text.contains("✗ V-02 lodging"))
        let flat = Self.flat(text)
        #expect(flat.contains("not free on nights 1-2"), "\(text)")
        #expect(flat.contains("H-BUND: on night 1 V-01 lodging already takes 3 of its 4 rooms"), "\(flat)")
        #expect(flat.contains("on night 2 V-01 lodging already takes 3 of its 4 rooms"))
        #expect(flat.contains("not eligible H-CITY City Business Hotel (") && flat.contains("nights 1)"), "\(flat)")
        #expect(!text.contains("20:00-24:00"))
        // The whole report's run sheet marks both nights unmet.
        let sheet = try f.report.render(.text, scope: .init(visits: ["V-02"]))
        #expect(sheet.contains("lodging  UNMET (nights 1-2)"), "\(sheet)")
    }

    @Test("explaining a met lodging need shows the hotel with rooms and its nights")
    func explainMetLodging() throws {
        let f = try Self.fixture()
        let text = try f.report.explain(visit: "V-01")
        #expect(Self.flat(text).contains("lodging nights 1-2: H-BUND Bund Riverside Hotel, 3 rooms"), "\(text)")
        #expect(text.split(separator: "\n").contains { $0.hasPrefix("lodging nights 1-2") && $0.contains("5,400.00") })
        #expect(text.contains("day 1 09:00 to day 3 11:00"))
    }

    // MARK: Reading

    @Test("a plan's version must be the day's: a version-1 plan of a programme is refused, and a v2 plan of a one-day file")
    func versionsMatch() throws {
        let f = try Self.fixture()
        let v1 = f.planJSON.setting("schemaVersion", to: 1)
        #expect(throws: PlanReportError.self) { try DayPlan(problem: f.problem, plan: v1) }
        do {
            _ = try DayPlan(problem: f.problem, plan: v1)
        } catch {
            #expect(error.kind == .planShape && error.message.contains("version-2"), "\(error.message)")
        }
        #expect(try DayPlan(problem: f.problem, plan: f.planJSON).warnings.isEmpty)
    }

    @Test("a plan that asks for a day-budget approval on another day than its assignments is warned about")
    func declaredDayDiffers() throws {
        let f = try Self.fixture()
        let approvals = try #require(f.planJSON["approvalsNeeded"]?.array)
        let i = try #require(approvals.firstIndex { $0["category"]?.string == "day" })
        let moved = try DayPlan(problem: f.problem, plan: f.planJSON.setting("approvalsNeeded[\(i)].day", to: 2))
        #expect(moved.warnings.contains { $0.contains("day-budget approvals on day 2") && $0.contains("over the budget on day 1") }, "\(moved.warnings)")
    }

    @Test("days have their dates across a month and a leap day")
    func dates() throws {
        let f = try Self.edited("leap") { $0.setting("date", to: "2028-02-28") }
        #expect(f.dayPlan.title(ofDay: 1) == "Day 1 · Mon 2028-02-28")
        #expect(f.dayPlan.title(ofDay: 2) == "Day 2 · Tue 2028-02-29")
        #expect(f.dayPlan.title(ofDay: 3) == "Day 3 · Wed 2028-03-01")
        #expect(try f.report.render(.text).hasPrefix("Programme 2028-02-28 to 2028-03-01 (3 days)\n"))
        let year = try Self.edited("new year") { $0.setting("date", to: "2026-12-31") }
        #expect(year.dayPlan.title(ofDay: 2) == "Day 2 · Fri 2027-01-01")
    }

    // MARK: Command line

    @Test("the optimize summary names the days over the per-day budget; report and explain run on a programme")
    func commandLine() throws {
        let folder = try CLI.temporaryFolder()
        let day = CLI.packageRoot.appendingPathComponent("Examples/delegation-programme.json").path
        let plan = folder.appendingPathComponent("plan.json").path
        let run = try CLI.run(["optimize", day, "-o", plan])
        #expect(run.status == 3, "approvals needed: \(run.stderr)")
        let lines = run.stderr.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("cost ") && $0.contains("day budget 7,000.00 a day (over on day 1)") }, "\(run.stderr)")
        #expect(lines.contains { $0.hasPrefix("  day 1 budget") && $0.hasSuffix("100.00") }, "\(run.stderr)")
        #expect(lines.allSatisfy { $0.count <= 80 })
        let report = try CLI.run(["report", day, plan])
        #expect(report.status == 0 && report.stdout.hasPrefix("Programme 2026-12-07 to 2026-12-09 (3 days)\n"), "\(report.stderr)")
        for format in ["md", "html"] {
            let other = try CLI.run(["report", day, plan, "--format", format])
            #expect(other.status == 0 && !other.stdout.isEmpty, "\(format): \(other.stderr)")
        }
        let explain = try CLI.run(["explain", day, plan, "V-01"])
        #expect(explain.status == 0 && explain.stdout.contains("lodging nights 1-2"), "\(explain.stderr)")
    }
}
