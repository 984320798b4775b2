import Foundation
import PlanReports
import SchedulingCore
import Testing

/// Reading a plan back through the plugins' declarations: every need matched,
/// every cost and approval recomputed as the assembler wrote it, and plans
/// that are not this day's refused with a message.
@Suite("Report: reading a plan against its day")
struct ReportReadingTests {
    @Test("every need of a solved example is matched, and costs and approvals agree with the plan", arguments: ReportFixtures.names)
    func matchesSolvedPlan(_ name: String) throws {
        let f = try ReportFixtures.fixture(name)
        let dayPlan = f.dayPlan
        let unmet = Set(f.plan.unmet.map { "\($0.visit)/\($0.segment ?? "-")/\($0.need)" })
        for (j, need) in f.problem.needs.enumerated() {
            let visit = f.problem.day.visits[need.id.visit]
            let key = "\(visit.id)/\(need.id.segment.map { visit.segments[$0].id } ?? "-")/\(need.id.key)"
            if unmet.contains(key) {
                #expect(dayPlan.outcomes[j] == .unmet, "\(key) is unmet in the plan")
                #expect(dayPlan.unmetReasons[j] != nil, "\(key): the plan's reason is read")
            } else {
                #expect(dayPlan.outcomes[j].isMet, "\(key): \(dayPlan.outcomes[j])")
            }
        }
        #expect(dayPlan.warnings.isEmpty, "\(dayPlan.warnings)")
        // Spend per visit and category, recomputed from the matched candidates, is what the plan declares.
        for visit in f.problem.day.visits {
            let declared = f.plan.visit(visit.id)?["costs"]
            for category in f.problem.categories {
                let amount = try #require(declared?[category]?.number, "\(visit.id) has no \(category) cost")
                #expect(abs((dayPlan.visitSpend[visit.index][category] ?? 0) - amount) < 1e-6, "\(visit.id) \(category)")
            }
        }
        let approvals = dayPlan.approvals.map { a in
            "\(a.visit.map { f.problem.day.visits[$0].id } ?? "null")/\(a.category)/\(JSONWriter.format((a.amount * 100).rounded() / 100))"
        }
        let declared = f.plan.approvalsNeeded.map { "\($0.visit ?? "null")/\($0.category)/\(JSONWriter.format(($0.amount * 100).rounded() / 100))" }
        #expect(approvals == declared)
        // Every chosen candidate's uses are there, and only those.
        let expectedUses = f.problem.needs.indices.reduce(0) { sum, j in
            sum + dayPlan.outcomes[j].chosen.reduce(0) { $0 + f.problem.needs[j].candidates[$1].usages.count }
        }
        #expect(dayPlan.uses.count == expectedUses)
        #expect(zip(dayPlan.uses, dayPlan.uses.dropFirst()).allSatisfy { $0.span.start <= $1.span.start }, "uses are ordered by start")
    }

    @Test("a pair written as {driver, vehicle} reads the same as {vehicle, driver}; the partner of each is the other")
    func memberOrderDoesNotMatter() throws {
        let f = try ReportFixtures.fixture("reception-day")
        let swapped = Self.mapTransport(f.planJSON) { pair in
            guard case .object(let o) = pair else { return pair }
            return .object(JSONObject(o.members.reversed()))
        }
        let again = try DayPlan(problem: f.problem, plan: swapped)
        #expect(again.outcomes == f.dayPlan.outcomes)
        #expect(again.warnings.isEmpty, "\(again.warnings)")
        // Every vehicle use names its driver as partner and back, whatever the plugin's candidates are.
        var checked = 0
        for use in again.uses where use.resource.kind == "vehicle" {
            let need = f.problem.needs[use.need]
            let visit = f.problem.day.visits[need.id.visit]
            let pairs = f.plan.pairs(visit.id, visit.segments[try #require(need.id.segment)].id) ?? []
            let pair = try #require(pairs.first { $0.vehicle == use.resource.id })
            #expect(again.partners(of: use).map(\.id) == [pair.driver], "\(use.resource.id) in \(visit.id)")
            checked += 1
        }
        #expect(checked > 0)
    }

    @Test("values that are not eligible, and missing entries, are reported instead of guessed")
    func ineligibleAndMissing() throws {
        let f = try ReportFixtures.fixture("reception-day")
        // V-003's negotiation gets a room that does not exist; V-001 loses its host entry.
        var plan = f.planJSON
        let visits = try #require(plan["visits"]?.array)
        let v3 = try #require(visits.firstIndex { $0["id"]?.string == "V-003" })
        let v1 = try #require(visits.firstIndex { $0["id"]?.string == "V-001" })
        plan = plan.setting("visits[\(v3)].segments[0].venue", to: "NO-SUCH-ROOM").removing("visits[\(v1)].host")
        let read = try DayPlan(problem: f.problem, plan: plan)
        let venue = try #require(f.problem.needs.indices.first { f.problem.needs[$0].id.key == "venue" && f.problem.day.visits[f.problem.needs[$0].id.visit].id == "V-003" })
        let host = try #require(f.problem.needs.indices.first { f.problem.needs[$0].id.key == "host" && f.problem.day.visits[f.problem.needs[$0].id.visit].id == "V-001" })
        #expect(read.outcomes[venue] == .unrecognized(values: ["\"NO-SUCH-ROOM\""], matched: []))
        #expect(read.outcomes[host] == .absent)
        #expect(read.warnings.contains { $0.contains("V-003 negotiation venue") && $0.contains("NO-SUCH-ROOM") && $0.contains("schedule check") })
        #expect(read.warnings.contains { $0.contains("V-001 host") && $0.contains("no entry") })
        let text = try PlanReport(plan: read).render(.text, scope: .init(visits: ["V-003"]))
        #expect(text.contains("NO-SUCH-ROOM"))
        #expect(text.contains("About this plan"))
    }

    @Test("a choice that is eligible but too small is insufficient, not met")
    func insufficientChoice() throws {
        let f = try ReportFixtures.fixture("reception-day")
        // V-004 (8 guests) picked up by its first car only.
        let visits = try #require(f.planJSON["visits"]?.array)
        let v4 = try #require(visits.firstIndex { $0["id"]?.string == "V-004" })
        let first = try #require(f.planJSON["visits"]?[v4]?["segments"]?[0]?["transport"]?[0])
        let plan = f.planJSON.setting("visits[\(v4)].segments[0].transport", to: .array([first]))
        let read = try DayPlan(problem: f.problem, plan: plan)
        let j = try #require(f.problem.needs.indices.first {
            f.problem.needs[$0].id.key == "transport" && f.problem.day.visits[f.problem.needs[$0].id.visit].id == "V-004"
        })
        guard case .insufficient = read.outcomes[j] else {
            Issue.record("expected insufficient, got \(read.outcomes[j])")
            return
        }
        #expect(read.unmetNeeds.contains(j))
        #expect(read.warnings.contains { $0.contains("V-004 pickup transport") && $0.contains("does not meet") })
    }

    @Test("plans that cannot be this day's are refused with what to do", arguments: [
        ("not json", "{", PlanReportError.Kind.planSyntax),
        ("an array", "[]", .planShape),
        ("another version", #"{"schemaVersion": 2, "visits": []}"#, .planShape),
        ("no visits", #"{"schemaVersion": 1}"#, .planShape),
        ("another day", #"{"schemaVersion": 1, "visits": [{"id": "X-1", "segments": []}]}"#, .planForAnotherDay),
    ])
    func refusesOtherPlans(_ label: String, _ text: String, _ kind: PlanReportError.Kind) throws {
        let f = try ReportFixtures.fixture("reception-day")
        #expect(throws: PlanReportError.self, "\(label)") {
            try DayPlan(problem: f.problem, planJSON: Array(text.utf8))
        }
        do {
            _ = try DayPlan(problem: f.problem, planJSON: Array(text.utf8))
        } catch {
            #expect(error.kind == kind, "\(label): \(error.message)")
            #expect(!error.message.isEmpty)
        }
    }

    /// A copy of a plan with every transport pair transformed.
    static func mapTransport(_ plan: JSONValue, _ transform: (JSONValue) -> JSONValue) -> JSONValue {
        guard case .object(var doc) = plan, case .array(let visits)? = doc["visits"] else { return plan }
        doc["visits"] = .array(visits.map { v in
            guard case .object(var visit) = v, case .array(let segments)? = visit["segments"] else { return v }
            visit["segments"] = .array(segments.map { s in
                guard case .object(var segment) = s, case .array(let pairs)? = segment["transport"] else { return s }
                segment["transport"] = .array(pairs.map(transform))
                return .object(segment)
            })
            return .object(visit)
        })
        return .object(doc)
    }
}
