import Foundation
import PlanReports
import SchedulingCore
import Testing

/// `schedule explain`: a visit's cost breakdown, and for each choice the
/// cheaper alternatives that were not possible and why.
@Suite("Report: explaining a visit")
struct ReportExplainTests {
    @Test("the visits' shares of the objective add up to the plan's objective", arguments: ReportFixtures.names)
    func sharesAddUp(_ name: String) throws {
        let f = try ReportFixtures.fixture(name)
        let weights = f.problem.day.policy.weights
        let shares = f.problem.day.visits.reduce(0.0) { $0 + f.dayPlan.explain(visit: $1.index).objectiveShare(weights) }
        let total = shares + weights.overrun * f.plan.totals.dayOverrun
        #expect(abs(total - f.plan.objective) <= 1e-6 * max(1, abs(f.plan.objective)), "\(name): \(total) vs \(f.plan.objective)")
        for visit in f.problem.day.visits {
            let e = f.dayPlan.explain(visit: visit.index)
            for line in e.categories {
                #expect(abs(line.spend - (f.plan.visit(visit.id)?["costs"]?[line.category]?.number ?? -1)) < 1e-6)
            }
            let text = try f.report.explain(visit: visit.id)
            #expect(text.split(separator: "\n").allSatisfy { $0.count <= 80 }, "\(visit.id) fits 80 columns")
            #expect(text.contains("Cost breakdown (\(f.problem.day.currency))") && text.contains("Choices and cheaper alternatives"))
        }
    }

    @Test("a cheaper room held by another visit at the same time is named with that visit")
    func heldByAnotherVisit() throws {
        let (reasons, text) = try Self.twoVisits(secondStart: "09:00", secondEnd: "10:00")
        #expect(reasons.contains { $0.range(of: #"^CHEAP: held by V-\d talks 09:00-10:00$"#, options: .regularExpression) != nil }, "\(reasons)")
        #expect(text.contains("not possible") && text.contains("CHEAP"), "\(text)")
    }

    @Test("a cheaper room still in its turnover after another visit is named with the turnover")
    func turnover() throws {
        let (reasons, _) = try Self.twoVisits(secondStart: "10:05", secondEnd: "11:00")
        #expect(reasons.contains { $0.range(of: #"^CHEAP: within its 15 min turnover of V-\d talks"#, options: .regularExpression) != nil }, "\(reasons)")
    }

    @Test("a cheaper car that cannot travel between two transfers in time is named with the travel")
    func travel() throws {
        var builder = DayBuilder(visits: [
            visit("V-1", segments: [transferSegment("pickup", "09:00", "10:00", from: "PVG", to: "HQ")]),
            visit("V-2", segments: [transferSegment("pickup", "10:30", "11:30", from: "PVG", to: "HQ")]),
        ])
        builder.vehicles = [vehicle("CHEAPCAR", costPerHour: 0), vehicle("DEARCAR", costPerHour: 100)]
        builder.drivers = [driver("D1"), driver("D2")]
        let f = try ReportFixtures.solve(name: "travel", text: builder.text)
        let dear = try #require(f.plan.json["visits"]?.array?.first { JSONWriter.compact($0).contains("DEARCAR") }?["id"]?.string)
        let e = f.dayPlan.explain(visit: try #require(f.problem.day.visits.first { $0.id == dear }).index)
        let reasons = e.choices.flatMap { c in c.alternatives.filter { f.problem.needs[c.need].candidates[$0.candidate].assigned.contains { $0.id == "CHEAPCAR" } }.flatMap(\.reasons) }
        #expect(reasons.contains { $0.contains("CHEAPCAR") && $0.contains("60 min") }, "\(reasons)")
        let text = try f.report.explain(visit: dear)
        #expect(text.contains("not possible"), "\(text)")
    }

    @Test("an unknown visit is an error naming the visits there are")
    func unknownVisit() throws {
        let f = try ReportFixtures.fixture("reception-day")
        do {
            _ = try f.report.explain(visit: "V-404")
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .unknownVisit)
            #expect(error.message.contains("\"V-404\"") && error.message.contains("did you mean V-004"), "\(error.message)")
        }
    }

    @Test("an unmet need of the visit is explained with its holders; an approval with its cap and spend", .requiresSharedExamples)
    func unmetAndApprovals() throws {
        let f = try ReportFixtures.fixture("tight-day")
        let unmetVisit = try #require(f.plan.unmet.first?.visit)
        let text = try f.report.explain(visit: unmetVisit)
        #expect(text.contains("Unmet needs") && text.contains("why"), "\(text)")
        let approval = try #require(f.plan.approvalsNeeded.first { $0.visit != nil })
        let over = try f.report.explain(visit: try #require(approval.visit))
        #expect(over.contains("Approvals to ask for") && over.contains("cap") && over.contains("spend"), "\(over)")
    }

    /// Two low-tier visits needing a room; the second at the given time. Explains the
    /// visit that got the dearer room: why CHEAP was not possible, and the text.
    static func twoVisits(secondStart: String, secondEnd: String) throws -> (reasons: [String], text: String) {
        var builder = DayBuilder(visits: [
            visit("V-1", segments: [venueSegment("talks", "09:00", "10:00", location: "HQ")]),
            visit("V-2", segments: [venueSegment("talks", secondStart, secondEnd, location: "HQ")]),
        ])
        builder.venues = [venue("CHEAP", costPerHour: 0, turnover: 15), venue("DEAR", costPerHour: 100)]
        let f = try ReportFixtures.solve(name: "two visits", text: builder.text)
        let dear = try #require(f.plan.json["visits"]?.array?.first { JSONWriter.compact($0).contains("\"DEAR\"") }?["id"]?.string)
        let e = f.dayPlan.explain(visit: try #require(f.problem.day.visits.first { $0.id == dear }).index)
        let reasons = e.choices.flatMap { c in
            c.alternatives.filter { f.problem.needs[c.need].candidates[$0.candidate].label == "CHEAP" }.flatMap(\.reasons)
        }
        return (reasons, try f.report.explain(visit: dear))
    }
}
