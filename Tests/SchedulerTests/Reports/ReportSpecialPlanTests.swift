import Foundation
import PlanReports
import SchedulingCore
import Testing

/// Special reception plans in the run sheets and on the HTML page (issue 18):
/// an approval line under each visit that `policy.specialPlans` names, and a
/// section listing them all.
@Suite("Report: special reception plans")
struct ReportSpecialPlanTests {
    static let policy = #"{ "tiers": ["high"], "minGuests": 8 }"#

    static func report(_ specialPlans: String?, _ format: PlanReport.Format, scope: PlanReport.Scope = .wholeDay) throws -> String {
        let text = try SpecialPlanTests.example(specialPlans: specialPlans)
        return try ReportFixtures.solve(name: "special-plans", text: text).report.render(format, scope: scope)
    }

    /// The text with its line breaks and padding undone (every run of white space
    /// one space), so that wrapped lines and aligned facts read whole.
    static func unwrapped(_ text: String) -> String {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
    }

    @Test("a run sheet shows the approval line with the reasons in text, Markdown and HTML")
    func runSheetLine() throws {
        let v4 = "Special reception plan required (tier high; 8 guests ≥ 8) — approved by ________ on ________"
        let v1 = "Special reception plan required (tier high) — approved by ________ on ________"
        let text = Self.unwrapped(try Self.report(Self.policy, .text, scope: .init(visits: ["V-004"])))
        #expect(text.contains(v4))
        #expect(!text.contains(v1), "only V-004's run sheet was asked for")
        let html = try Self.report(Self.policy, .html)
        #expect(html.contains("<p>\(v4)</p>"))
        #expect(html.contains("<p>\(v1)</p>"))
        // Markdown escapes the blanks' underscores; the reasons read as written.
        let md = try Self.report(Self.policy, .md)
        #expect(md.contains("Special reception plan required (tier high; 8 guests ≥ 8) — approved by \\_\\_\\_\\_\\_\\_\\_\\_ on"))
        // Visits that need none get no line: V-002 (medium, 3 guests) and V-003 (low, 2).
        let others = try Self.report(Self.policy, .text, scope: .init(visits: ["V-002", "V-003"]))
        #expect(!others.contains("Special reception plan"))
    }

    @Test("the whole day lists the visits with their reasons, and the summary counts them")
    func daySection() throws {
        let text = Self.unwrapped(try Self.report(Self.policy, .text))
        #expect(text.contains("special plans 2 needed, each approved by a superior"))
        #expect(text.contains("Special reception plans (2)"))
        #expect(text.contains("for every high-tier visit and every visit of 8 guests or more (regulation §2.2)"))
        #expect(text.contains("- V-001 (Acme GmbH): tier high — approved by ________ on ________"))
        #expect(text.contains("V-004 (Northwind Logistics): tier high; 8 guests ≥ 8 — approved by"))
        let html = try Self.report(Self.policy, .html)
        #expect(html.contains("<section id=\"special-plans\""))

        let none = Self.unwrapped(try Self.report(#"{ "minGuests": 50 }"#, .text))
        #expect(none.contains("special plans none needed"))
        #expect(none.contains("Special reception plans (0)"))
        #expect(none.contains("No visit of this day needs one."))
    }

    @Test("the day and the plan with special plans validate against the schemas, which reject a bad tier or an empty reason list")
    func schemas() throws {
        let text = try SpecialPlanTests.example(specialPlans: Self.policy)
        let day = try JSONParser.parse(Array(text.utf8)).value
        #expect(try ReportSchemaTests.day.validate(day).isEmpty)
        let broken = day.setting("policy.specialPlans.tiers[0]", to: "vip")
        #expect(try ReportSchemaTests.day.validate(broken).contains { $0.contains("not one of") })
        let plan = try ReportFixtures.solve(name: "special-plans", text: text).plan.json
        #expect(plan.objectValue?["specialPlans"] != nil)
        #expect(try ReportSchemaTests.plan.validate(plan).isEmpty)
        let empty = plan.setting("specialPlans[0].reasons", to: [])
        #expect(try ReportSchemaTests.plan.validate(empty).contains { $0.contains("fewer than") })
        let extra = plan.setting("specialPlans[0].approvedBy", to: "S-001")
        #expect(try ReportSchemaTests.plan.validate(extra).contains { $0.contains("approvedBy: not allowed") })
    }

    @Test("a day without policy.specialPlans has no trace of them")
    func absent() throws {
        for format in PlanReport.Format.allCases {
            let report = try Self.report(nil, format)
            #expect(!report.contains("Special reception plan"), "\(format)")
            #expect(!report.contains("special plans"), "\(format)")
        }
    }
}
