import Foundation
import GLPKOptimizer
import PlanChecker
import SchedulingCore
import Testing

/// Version-2 programmes over several days (PROBLEM.md §9), in the core and the
/// built-in kinds: each rule is solved by GLPK, and every plan goes through the
/// independent checker (`solve` records an issue when it rejects one).
@Suite("Programmes over several days")
struct ProgrammeTests {
    /// A version-2 programme of `days` days built from `day`.
    static func programme(_ day: DayBuilder, days: Int) -> JSONValue {
        day.json.setting("schemaVersion", to: 2).setting("days", to: .number(Double(days)))
    }

    /// A segment on programme day `k`.
    static func on(_ k: Int, _ segment: JSONValue) -> JSONValue { merged(segment, ["day": .number(Double(k))]) }

    static func solve(_ day: JSONValue, sourceLocation: SourceLocation = #_sourceLocation) throws -> (Problem, Plan) {
        try SchedulerTests.solve(JSONWriter.pretty(day), sourceLocation: sourceLocation)
    }

    // MARK: Reading

    @Test("a segment's times are on its day: (day - 1) * 1440 + minutes")
    func segmentDays() throws {
        let day = DayBuilder(visits: [
            visit("V1", segments: [Self.on(1, segment("a", "09:00", "10:00")), Self.on(3, segment("b", "23:00", "24:00")), segment("c", "08:00", "08:30")]),
        ])
        let (problem, issues) = try loadIssues(Self.programme(day, days: 3))
        #expect(issues.isEmpty, "\(issues)")
        let segments = try #require(problem?.day.visits.first?.segments)
        #expect(segments.map(\.span) == [TimeSpan(540, 600), TimeSpan(2 * 1440 + 1380, 3 * 1440), TimeSpan(480, 510)])
        #expect(segments.map(\.day) == [1, 3, 1])
        #expect(problem?.day.days == 3)
        #expect(problem?.day.visits.first?.daySpans == [TimeSpan(480, 600), TimeSpan(2 * 1440 + 1380, 3 * 1440)])
        #expect(segments[1].span.description == "day 3 23:00-24:00")
    }

    @Test("an availability entry with a day holds on that day only; one without, on every day")
    func availabilityByDay() throws {
        var withRooms = DayBuilder(visits: [])
        withRooms.venues = [
            venue("R-DAY2", available: .array([["from": "08:00", "to": "12:00", "day": 2]])),
            venue("R-EVERY", available: windows("14:00-18:00")),
        ]
        let (problem, issues) = try loadIssues(Self.programme(withRooms, days: 3))
        #expect(issues.isEmpty, "\(issues)")
        let decoded = try #require(problem?.day)
        let venues = try #require(decoded.resources["venues"]?.array)
        var d = Diagnostics()
        var first = try #require(ObjectReader(venues[0], at: JSONPath(), diagnostics: &d))
        var second = try #require(ObjectReader(venues[1], at: JSONPath(), diagnostics: &d))
        let onDay2 = first.availability(in: decoded, &d), everyDay = second.availability(in: decoded, &d)
        #expect(onDay2.covers(TimeSpan(1440 + 540, 1440 + 600)))
        #expect(!onDay2.covers(TimeSpan(540, 600)))
        #expect(!onDay2.covers(TimeSpan(2 * 1440 + 540, 2 * 1440 + 600)))
        for k in 0..<3 { #expect(everyDay.covers(TimeSpan(k * 1440 + 900, k * 1440 + 960)), "day \(k + 1)") }
        // Nothing is available across midnight, not even all day long.
        #expect(!Availability.wholeDay.covers(TimeSpan(1400, 1500)))
        #expect(Availability.wholeDay.covers(TimeSpan(1440, 1500)))
        #expect(!CheckSupport.fits(TimeSpan(1400, 1500), .wholeDay))
        #expect(CheckSupport.fits(TimeSpan(1440, 2880), .wholeDay))
    }

    @Test("a room available on day 2 only serves day 2")
    func roomOnOneDay() throws {
        var day = DayBuilder(visits: [
            visit("V1", segments: [Self.on(1, venueSegment("talks1", "09:00", "10:00")), Self.on(2, venueSegment("talks2", "09:00", "10:00"))]),
        ])
        day.venues = [venue("R1", available: .array([["from": "08:00", "to": "12:00", "day": 2]]))]
        let (_, plan) = try Self.solve(Self.programme(day, days: 2))
        expectPlan(plan, objective: 100_000, unmet: ["V1/talks1/venue"])
        #expect(plan.chosen("V1", "talks2", "venue") == "R1")
        #expect(plan.json["schemaVersion"] == 2)
    }

    @Test("input errors name the day out of range; a version-1 file reads days and day as unknown keys")
    func dayErrors() throws {
        let base = DayBuilder(visits: [visit("V1", segments: [segment("a", "09:00", "10:00")])])
        var withRoom = base
        withRoom.venues = [venue("R1", available: .array([["from": "08:00", "to": "12:00", "day": 0]]))]
        let cases: [(JSONValue, String)] = [
            (Self.programme(base, days: 2).setting("visits[0].segments[0].day", to: 3), "visits[0].segments[0].day"),
            (Self.programme(base, days: 2).setting("visits[0].segments[0].day", to: 1.5), "visits[0].segments[0].day"),
            (Self.programme(withRoom, days: 2), "resources.venues[0].available[0].day"),
            (Self.programme(base, days: 0), "days"),
        ]
        for (day, path) in cases {
            let (problem, issues) = try loadIssues(day)
            #expect(problem == nil, "\(path) should be an error")
            #expect(issues.contains { $0.path == JSONPath(stringLiteral: path) && $0.severity == .error }, "\(issues.map(\.description))")
        }
        let v1 = base.json.setting("days", to: 2).setting("visits[0].segments[0].day", to: 2)
        let (problem, warnings) = try loadIssues(v1)
        #expect(problem?.day.visits.first?.segments.first?.span == TimeSpan(540, 600))
        #expect(warnings.contains { $0.path == "days" } && warnings.contains { $0.path == "visits[0].segments[0].day" }, "\(warnings)")
        let message = try loadIssues(Self.programme(base, days: 2).setting("visits[0].segments[0].day", to: 3)).issues.first?.message ?? ""
        #expect(message.contains("1-2"), "\(message)")
    }

    // MARK: Rules on programme minutes

    @Test("an escort is busy over each day's span of the visit, not over the night")
    func escortsPerDay() throws {
        // EX1 hosts both visits (pinned); only EX2 can escort. V1 runs 09:00-10:00 on days
        // 1 and 2, V2 at 14:00 on day 1: one escort for both only if the night is free.
        var day = DayBuilder(visits: [
            visit("V1", escorts: 1, extra: ["host": "EX1"], segments: [Self.on(1, segment("d1", "09:00", "10:00")), Self.on(2, segment("d2", "09:00", "10:00"))]),
            visit("V2", escorts: 1, extra: ["host": "EX1"], segments: [Self.on(1, segment("visit", "14:00", "15:00"))]),
        ])
        day.staff = [staffMember("EX1", rank: "executive"), staffMember("EX2", rank: "executive")]
        let (_, plan) = try Self.solve(Self.programme(day, days: 2))
        expectPlan(plan, objective: 0)
        #expect(plan.escorts("V1") == ["EX2"] && plan.escorts("V2") == ["EX2"])

        // Inside a day's span the escort is busy: nobody is left to present on day 2 at 09:30.
        day.visits.append(visit("V3", extra: ["host": "EX1"], segments: [
            Self.on(2, segment("tour", "09:30", "09:45", hostAttends: false, needs: ["presenters": ["count": 1]])),
        ]))
        let (_, clash) = try Self.solve(Self.programme(day, days: 2))
        expectPlan(clash, objective: 100_000, unmet: ["V3/tour/presenters"])
    }

    @Test("maxDrivingMinutes holds per driver per day")
    func drivingPerDay() throws {
        var day = DayBuilder(visits: [
            visit("V1", segments: [Self.on(1, transferSegment("in", "09:00", "09:50", from: "HQ", to: "HQ")),
                                   Self.on(2, transferSegment("out", "09:00", "09:50", from: "HQ", to: "HQ"))]),
        ])
        day.vehicles = [vehicle("CAR")]
        day.drivers = [driver("DRV", maxDrivingMinutes: 60)]
        let (_, plan) = try Self.solve(Self.programme(day, days: 2))
        expectPlan(plan, objective: 0)
        #expect(plan.pairs("V1", "in") == [Pair("CAR", "DRV")] && plan.pairs("V1", "out") == [Pair("CAR", "DRV")])
        // Both on one day: 100 minutes over a limit of 60, so one transfer is unmet.
        let sameDay = Self.programme(day, days: 2).setting("visits[0].segments[1].day", to: 1).setting("visits[0].segments[1].start", to: "11:00")
            .setting("visits[0].segments[1].end", to: "11:50")
        let (_, limited) = try Self.solve(sameDay)
        #expect(limited.totals.unmet == 1)
    }

    @Test("the day budget caps each day's cost; each day over it is its own approval")
    func budgetPerDay() throws {
        var day = DayBuilder(visits: [
            visit("V1", segments: [Self.on(1, venueSegment("a", "09:00", "10:00")), Self.on(2, venueSegment("b", "09:00", "10:00")),
                                   Self.on(3, venueSegment("c", "09:00", "09:30"))]),
        ])
        day.venues = [venue("R1", costPerHour: 120)]
        day.dayBudget = 100
        let (problem, plan) = try Self.solve(Self.programme(day, days: 3))
        // 120 on day 1 and day 2 (20 over each), 60 on day 3: cost 300 + 10 * 40.
        expectPlan(plan, objective: 300 + 10 * 40)
        #expect(plan.totals.dayOverrun == 40)
        let approvals = try #require(plan.json["approvalsNeeded"]?.array)
        #expect(approvals == [["visit": .null, "category": "day", "day": 1, "amount": 20], ["visit": .null, "category": "day", "day": 2, "amount": 20]])

        // The checker asks for the day of a programme's day overrun.
        let withoutDay = plan.json.removing("approvalsNeeded[0].day")
        let outcome = PlanChecker.check(plan: withoutDay, problem: problem, registry: try makeRegistry())
        #expect(outcome.rules.contains("plan.approval-shape"), "\(outcome.violations)")
        let wrongDay = plan.json.setting("approvalsNeeded[0].day", to: 3)
        #expect(PlanChecker.check(plan: wrongDay, problem: problem, registry: try makeRegistry()).rules.contains("plan.approval-extra"))
        // A version-1 plan for a programme is refused.
        let v1 = plan.json.setting("schemaVersion", to: 1)
        #expect(PlanChecker.check(plan: v1, problem: problem, registry: try makeRegistry()).rules.contains("plan.schema-version"))
    }

    @Test("turnover is counted across midnight")
    func acrossMidnight() throws {
        var day = DayBuilder(visits: [
            visit("V1", segments: [Self.on(1, venueSegment("late", "23:00", "24:00"))]),
            visit("V2", segments: [Self.on(2, venueSegment("early", "00:30", "01:00"))]),
        ])
        day.venues = [venue("R1", turnover: 60)]
        let (_, plan) = try Self.solve(Self.programme(day, days: 2))
        expectPlan(plan, objective: 100_000, unmet: ["V2/early/venue"])
        day.venues = [venue("R1", turnover: 30)]
        let (_, fits) = try Self.solve(Self.programme(day, days: 2))
        expectPlan(fits, objective: 0)
    }
}
