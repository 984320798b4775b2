import Foundation
import PlanReports
import SchedulingCore
import Testing

/// Checklists (issue 18): each step of the flow prints what the people who act
/// see to, from `policy.checklists` over the regulation's defaults, by tier.
@Suite("Report: checklists under each step")
struct ReportChecklistTests {
    static func example(_ edit: (inout String) -> Void = { _ in }) throws -> String {
        var text = try String(contentsOf: ReportFixtures.packageRoot.appendingPathComponent("Examples/reception-day.json"), encoding: .utf8)
        edit(&text)
        return text
    }

    static func report(_ text: String, _ format: PlanReport.Format = .text) throws -> String {
        try ReportFixtures.solve(name: "checklists", text: text).report.render(format)
    }

    @Test("the regulation's items by default, the high tier's only for high-tier visits")
    func defaults() throws {
        // Markdown does not wrap lines, so each item reads whole.
        let text = try Self.report(try Self.example(), .md)
        let day = try ReportFixtures.solve(name: "checklists", text: try Self.example()).problem.day
        #expect(text.contains("Checklist for the people who act (high tier):"))
        #expect(text.contains("an executive greets the delegation on arrival"))
        #expect(text.contains("seating by rank; dietary needs confirmed with the kitchen"))
        // As many "an executive greets" lines as high-tier visits with a pickup.
        let highPickups = day.visits.filter { v in v.tier == .high && FlowStage.stages(of: v).values.contains(.pickup) }.count
        #expect(text.components(separatedBy: "an executive greets the delegation on arrival").count - 1 == highPickups)
        #expect(highPickups > 0)
        #expect(day.visits.contains { $0.tier != .high }, "the example has visits of other tiers, which the high item must skip")
    }

    @Test("policy.checklists replaces a step's items, {all: []} clears them, other steps keep the defaults; md and html print them")
    func custom() throws {
        let edited = try Self.example { text in
            text = text.replacingOccurrences(of: "\"policy\": {", with: """
                "policy": {
                    "checklists": { "pickup": { "all": ["hold the sign with the client's logo"], "low": ["text the guests the driver's number"] },
                                    "meal": { "all": [] } },
                """)
        }
        let text = try Self.report(edited, .md)
        #expect(try Self.report(edited).contains("hold the sign with the client's logo"))
        #expect(text.contains("hold the sign with the client's logo"))
        #expect(!text.contains("be at the arrival point before the guests"))
        #expect(!text.contains("seating by rank"))
        #expect(text.contains("safety briefing and protective equipment"), "the tour keeps the regulation's item")
        #expect(try Self.report(edited, .md).contains("hold the sign with the client's logo"))
        let html = try Self.report(edited, .html)
        #expect(html.contains("hold the sign with the client&#39;s logo") || html.contains("hold the sign with the client's logo"))
    }

    @Test("a step the flow does not have, or an item that is not text, is an input error at its path")
    func errors() throws {
        for (checklists, path) in [(#"{ "lunchtime": { "all": ["x"] } }"#, "policy.checklists.lunchtime"),
                                   (#"{ "meal": { "all": [3] } }"#, "policy.checklists.meal.all[0]")] {
            let edited = try Self.example { $0 = $0.replacingOccurrences(of: "\"policy\": {", with: "\"policy\": { \"checklists\": \(checklists),") }
            let (problem, issues) = try loadIssues(text: edited)
            #expect(problem == nil)
            #expect(issues.contains { $0.path.description == path && $0.severity == .error }, "\(issues.map(\.description))")
        }
    }
}
