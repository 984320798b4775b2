import Catering
import Foundation
import PlanChecker
import SchedulingCore
import Staff
import Testing
import Transport
import Venues

// The independent plan checker against hand-written days and plans: a valid
// plan passes, and each hand-broken plan fails with the rule it breaks. Where
// a rule has a boundary, both sides are tested (one short fails, exactly met passes).

/// Days and plans written by hand for the checker's tests.
enum CheckerFixture {
    static func registry() throws -> PluginRegistry {
        try PluginRegistry(resourceKinds: [VenuesPlugin(), CateringPlugin(), TransportPlugin(), StaffPlugin()], optimizers: [])
    }

    /// Everyone available all day. Ranks: BOSS executive, MGR manager, the rest staff.
    static let staff = #"""
        [ {"id": "BOSS", "rank": "executive", "department": "Sales", "languages": ["zh", "en"]},
          {"id": "MGR", "rank": "manager", "department": "Sales", "languages": ["de", "en"]},
          {"id": "H1", "rank": "staff", "department": "Sales", "languages": ["zh"]},
          {"id": "H2", "rank": "staff", "department": "Sales", "languages": ["zh"]},
          {"id": "E1", "rank": "staff", "department": "Sales", "languages": ["en"]},
          {"id": "E2", "rank": "staff", "department": "Sales", "languages": ["de"]},
          {"id": "S1", "rank": "staff", "department": "R&D", "languages": ["zh"]} ]
        """#

    /// A day with three places (HQ-PVG 50 min, HQ-HOTEL 15, PVG-HOTEL 40). The low and
    /// medium tiers ask grade 1 and have no caps; the high tier asks grade 3 and has caps.
    static func day(venues: String = "[]", vehicles: String = "[]", drivers: String = "[]", catering: String = "[]",
                    staff: String = staff, visits: String, dayBudget: String? = nil) -> String {
        #"""
        { "schemaVersion": 1, "date": "2026-12-01",
          "policy": {
            "tiers": {
              "high": { "hostRank": "executive", "guestsPerEscort": 4,
                        "minVenueGrade": 3, "minVehicleGrade": 3, "minCateringGrade": 3,
                        "limits": { "venue": { "perVisit": 50 },
                                    "transport": { "perVisit": 100, "perGuest": 25 },
                                    "catering": { "perGuest": 100 } } },
              "medium": { "hostRank": "manager", "guestsPerEscort": 4,
                          "minVenueGrade": 1, "minVehicleGrade": 1, "minCateringGrade": 1 },
              "low": { "hostRank": "staff", "guestsPerEscort": 4,
                       "minVenueGrade": 1, "minVehicleGrade": 1, "minCateringGrade": 1 } }
            \#(dayBudget.map { ", \"dayBudget\": \($0)" } ?? "") },
          "locations": [ {"id": "HQ"}, {"id": "PVG"}, {"id": "HOTEL"} ],
          "travelMinutes": [ {"from": "HQ", "to": "PVG", "minutes": 50},
                             {"from": "HOTEL", "to": "HQ", "minutes": 15},
                             {"from": "PVG", "to": "HOTEL", "minutes": 40} ],
          "resources": { "venues": \#(venues), "vehicles": \#(vehicles), "drivers": \#(drivers),
                         "catering": \#(catering), "staff": \#(staff) },
          "visits": \#(visits) }
        """#
    }

    /// A visit entry that costs nothing.
    static func entry(_ id: String, host: String = #""H1""#, escorts: String = "[]", segments: String = "[]") -> String {
        #"""
        { "id": "\#(id)", "host": \#(host), "escorts": \#(escorts), "segments": \#(segments),
          "costs": { "venue": 0, "transport": 0, "catering": 0 }, "overruns": {} }
        """#
    }

    /// A plan that costs nothing: the objective is 100000 per unmet need.
    static func plan(_ entries: [String], unmet: String = "[]", unmetCount: Int = 0) -> String {
        #"""
        { "schemaVersion": 1, "status": "feasible", "objective": \#(unmetCount * 100_000), "bound": null,
          "totals": { "cost": 0, "byCategory": { "venue": 0, "transport": 0, "catering": 0 },
                      "overGrade": 0, "overrun": 0, "dayOverrun": 0, "unmet": \#(unmetCount) },
          "visits": [ \#(entries.joined(separator: ",\n")) ],
          "unmet": \#(unmet), "approvalsNeeded": [], "solver": { "plugin": "hand", "seconds": 0 } }
        """#
    }

    static func check(day: String, plan: String) throws -> CheckOutcome {
        let registry = try registry()
        let problem = try Problem.load(json: Array(day.utf8), registry: registry)
        return PlanChecker.check(planJSON: Array(plan.utf8), problem: problem, registry: registry)
    }

    /// `text` with `old` replaced; records an issue when `old` is not there (a broken test, not a broken plan).
    static func replacing(_ text: String, _ old: String, _ new: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        #expect(text.contains(old), "the fixture does not contain \(old)", sourceLocation: sourceLocation)
        return text.replacingOccurrences(of: old, with: new)
    }

    // MARK: A day with costs, caps, overGrade, a day overrun and an unmet need

    static let richDay = day(
        venues: #"""
            [ {"id": "R1", "type": "meeting-room", "location": "HQ", "capacity": 4, "grade": 4, "costPerHour": 60, "turnoverMinutes": 15},
              {"id": "SHOW", "type": "showroom", "location": "HQ", "capacity": 10, "grade": 3} ]
            """#,
        vehicles: #"[ {"id": "CAR", "type": "sedan", "grade": 3, "seats": 3, "costPerHour": 120, "home": "HQ"} ]"#,
        drivers: #"[ {"id": "D1", "licences": ["sedan"], "home": "HQ", "costPerHour": 30} ]"#,
        catering: #"[ {"id": "BQ", "kind": "banquet-room", "location": "HQ", "seats": 10, "grade": 5, "costPerHead": 100, "dietary": ["halal"]} ]"#,
        visits: #"""
            [ { "id": "V1", "tier": "high", "guests": 2, "language": "de", "dietary": ["halal"],
                "segments": [
                  { "id": "pickup", "start": "08:00", "end": "09:00", "from": "PVG", "to": "HQ", "needs": { "transport": {} } },
                  { "id": "talks", "start": "09:30", "end": "11:00", "location": "HQ", "internalAttendees": 2,
                    "needs": { "venue": { "types": ["meeting-room"] } } },
                  { "id": "tour", "start": "11:00", "end": "11:30", "location": "HQ",
                    "needs": { "venue": { "types": ["showroom"] }, "presenters": { "department": "R&D" } } },
                  { "id": "lunch", "start": "12:00", "end": "13:00", "needs": { "catering": {} } } ] },
              { "id": "V2", "tier": "low", "guests": 1, "host": "H2", "escorts": 0,
                "segments": [ { "id": "meet", "start": "14:00", "end": "15:00", "location": "HOTEL", "needs": { "venue": {} } } ] } ]
            """#,
        dayBudget: "400")

    /// By hand: venue 60*90/60 = 90 (cap 50: 40 over), transport (120+30)*60/60 = 150 (cap 100+25*2 = 150,
    /// not over), catering 100*2 = 200 (cap 100*2 = 200, not over); cost 440, day budget 400: 40 over;
    /// overGrade R1 1 + SHOW 0 + CAR 0 + BQ 2 = 3; one unmet need.
    /// Objective 440 + 20*3 + 10*(40+40) + 100000*1 = 101300.
    static let richPlan = #"""
        { "schemaVersion": 1, "status": "optimal", "objective": 101300, "bound": 101300,
          "totals": { "cost": 440, "byCategory": { "venue": 90, "transport": 150, "catering": 200 },
                      "overGrade": 3, "overrun": 40, "dayOverrun": 40, "unmet": 1 },
          "visits": [
            { "id": "V1", "host": "BOSS", "escorts": ["MGR"],
              "segments": [ { "id": "pickup", "transport": [ { "vehicle": "CAR", "driver": "D1" } ] },
                            { "id": "talks", "venue": "R1" },
                            { "id": "tour", "venue": "SHOW", "presenters": ["S1"] },
                            { "id": "lunch", "catering": "BQ" } ],
              "costs": { "venue": 90, "transport": 150, "catering": 200 }, "overruns": { "venue": 40 } },
            { "id": "V2", "host": "H2", "escorts": [],
              "segments": [ { "id": "meet", "venue": null } ],
              "costs": { "venue": 0, "transport": 0, "catering": 0 }, "overruns": {} } ],
          "unmet": [ { "visit": "V2", "segment": "meet", "need": "venue", "reason": "no venue at HOTEL" } ],
          "approvalsNeeded": [ { "visit": "V1", "category": "venue", "amount": 40 }, { "visit": null, "category": "day", "amount": 40 } ],
          "solver": { "plugin": "hand", "seconds": 0 } }
        """#
}

@Suite("CheckerTests")
struct CheckerTests {
    typealias F = CheckerFixture

    private func expectValid(_ outcome: CheckOutcome, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(outcome.isValid, "unexpected violations:\n\(outcome.violations.map(\.description).joined(separator: "\n"))",
                sourceLocation: sourceLocation)
    }

    private func expectRule(_ outcome: CheckOutcome, _ rule: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(outcome.rules.contains(rule),
                "expected \(rule), found:\n\(outcome.violations.map(\.description).joined(separator: "\n"))",
                sourceLocation: sourceLocation)
    }

    /// The plan breaks `rule` and nothing else.
    private func expectOnly(_ outcome: CheckOutcome, _ rule: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(outcome.rules == [rule],
                "expected only \(rule), found:\n\(outcome.violations.map(\.description).joined(separator: "\n"))",
                sourceLocation: sourceLocation)
    }

    private func checkRich(_ plan: String) throws -> CheckOutcome { try F.check(day: F.richDay, plan: plan) }

    // MARK: The whole plan

    @Test func validPlanPasses() throws {
        let outcome = try checkRich(F.richPlan)
        expectValid(outcome)
        let t = try #require(outcome.recomputed)
        #expect(t.cost == 440)
        #expect(t.byCategory == ["venue": 90, "transport": 150, "catering": 200])
        #expect(t.overGrade == 3)
        #expect(t.overrun == 40)
        #expect(t.dayOverrun == 40)
        #expect(t.unmet == 1)
        #expect(t.objective == 101_300)
    }

    @Test func wrongDeclaredObjective() throws {
        expectOnly(try checkRich(F.replacing(F.richPlan, #""objective": 101300"#, #""objective": 101300.5"#)), "plan.objective")
        // Within a millionth of a unit it agrees.
        expectValid(try checkRich(F.replacing(F.richPlan, #""objective": 101300,"#, #""objective": 101300.0000001,"#)))
    }

    @Test func wrongTotals() throws {
        expectOnly(try checkRich(F.replacing(F.richPlan, #""overGrade": 3"#, #""overGrade": 2"#)), "plan.totals")
        expectOnly(try checkRich(F.replacing(F.richPlan, #""cost": 440"#, #""cost": 439.99"#)), "plan.totals")
        expectOnly(try checkRich(F.replacing(F.richPlan, #""unmet": 1 }"#, #""unmet": 0 }"#)), "plan.totals")
        expectOnly(try checkRich(F.replacing(F.richPlan, #""dayOverrun": 40"#, #""dayOverrun": 0"#)), "plan.totals")
        expectOnly(try checkRich(F.replacing(F.richPlan, #""byCategory": { "venue": 90,"#, #""byCategory": { "venue": 91,"#)), "plan.totals")
    }

    @Test func wrongVisitCostsAndOverruns() throws {
        expectOnly(try checkRich(F.replacing(F.richPlan, #""costs": { "venue": 90,"#, #""costs": { "venue": 80,"#)), "plan.visit-costs")
        expectOnly(try checkRich(F.replacing(F.richPlan, #""costs": { "venue": 90, "transport": 150,"#, #""costs": { "venue": 90,"#)), "plan.visit-costs")
        expectOnly(try checkRich(F.replacing(F.richPlan, #""overruns": { "venue": 40 }"#, "\"overruns\": {}")), "plan.visit-overruns")
        // Only positive overruns are listed: transport is exactly at its cap.
        expectOnly(try checkRich(F.replacing(F.richPlan, #""overruns": { "venue": 40 }"#, #""overruns": { "venue": 40, "transport": 0 }"#)),
                   "plan.visit-overruns")
    }

    @Test func missingUnmetEntry() throws {
        let plan = F.replacing(F.richPlan, #"[ { "visit": "V2", "segment": "meet", "need": "venue", "reason": "no venue at HOTEL" } ]"#, "[]")
        expectOnly(try checkRich(plan), "plan.unmet-missing")
    }

    @Test func unmetEntriesMatchOneToOne() throws {
        let entry = #"{ "visit": "V2", "segment": "meet", "need": "venue", "reason": "no venue at HOTEL" }"#
        expectOnly(try checkRich(F.replacing(F.richPlan, entry, entry + ", " + entry)), "plan.unmet-duplicate")
        expectOnly(try checkRich(F.replacing(F.richPlan, #""reason": "no venue at HOTEL""#, #""reason": " ""#)), "plan.unmet-reason")
        let extra = #"{ "visit": "V1", "segment": "talks", "need": "venue", "reason": "taken" }"#
        expectOnly(try checkRich(F.replacing(F.richPlan, entry, entry + ", " + extra)), "plan.unmet-extra")
    }

    @Test func missingApprovalForOverrun() throws {
        let plan = F.replacing(F.richPlan, #"{ "visit": "V1", "category": "venue", "amount": 40 }, "#, "")
        expectOnly(try checkRich(plan), "plan.approval-missing")
        expectOnly(try checkRich(F.replacing(F.richPlan, #""category": "venue", "amount": 40"#, #""category": "venue", "amount": 30"#)),
                   "plan.approval-amount")
    }

    @Test func dayOverrunApproval() throws {
        let day = #"{ "visit": null, "category": "day", "amount": 40 }"#
        expectOnly(try checkRich(F.replacing(F.richPlan, ", " + day, "")), "plan.approval-missing")
        expectRule(try checkRich(F.replacing(F.richPlan, day, #"{ "visit": "V1", "category": "day", "amount": 40 }"#)), "plan.approval-shape")
        expectOnly(try checkRich(F.replacing(F.richPlan, day, #"{ "visit": null, "category": "day", "amount": 45 }"#)), "plan.approval-amount")
        // Without a day budget there is no day overrun, and an approval for one is extra.
        let noBudget = F.replacing(F.richDay, #", "dayBudget": 400"#, "")
        let plan = F.replacing(F.replacing(F.richPlan, #""objective": 101300, "bound": 101300"#, #""objective": 100900, "bound": 100900"#),
                               #""dayOverrun": 40"#, #""dayOverrun": 0"#)
        expectOnly(try F.check(day: noBudget, plan: plan), "plan.approval-extra")
        expectValid(try F.check(day: noBudget, plan: F.replacing(plan, ", " + day, "")))
    }

    @Test func optimalWithBoundTooLow() throws {
        let low = F.replacing(F.richPlan, #""bound": 101300"#, #""bound": 101299"#)
        expectOnly(try checkRich(low), "plan.optimal-gap")
        expectValid(try checkRich(F.replacing(low, #""status": "optimal""#, #""status": "feasible""#)))
        // Within 1e-6 * |objective| (0.1013) it is optimal.
        expectValid(try checkRich(F.replacing(F.richPlan, #""bound": 101300"#, #""bound": 101299.9"#)))
        expectOnly(try checkRich(F.replacing(F.richPlan, #""bound": 101300"#, #""bound": 101301"#)), "plan.bound")
        expectValid(try checkRich(F.replacing(F.richPlan, #""bound": 101300"#, #""bound": null"#)))
    }

    @Test func headerAndStructure() throws {
        expectOnly(try checkRich(F.replacing(F.richPlan, #""schemaVersion": 1"#, #""schemaVersion": 2"#)), "plan.schema-version")
        expectOnly(try checkRich(F.replacing(F.richPlan, #""status": "optimal""#, #""status": "done""#)), "plan.status")
        expectRule(try checkRich(F.replacing(F.richPlan, #"{ "id": "V2", "host": "H2""#, #"{ "id": "V3", "host": "H2""#)), "plan.visit-unknown")
        expectRule(try checkRich(F.replacing(F.richPlan, #"{ "id": "V2", "host": "H2""#, #"{ "id": "V3", "host": "H2""#)), "plan.visit-missing")
        expectOnly(try checkRich(F.replacing(F.richPlan, #", "presenters": ["S1"]"#, "")), "plan.need-missing")
        expectOnly(try checkRich(F.replacing(F.richPlan, #""venue": "R1" }"#, #""venue": "R1", "catering": null }"#)), "plan.need-extra")
        expectOnly(try checkRich(F.replacing(F.richPlan, #""escorts": ["MGR"],"#, "")), "plan.need-missing")
        expectOnly(try F.check(day: F.richDay, plan: "{ \"schemaVersion\": 1, "), "plan.json")
    }

    @Test func assignmentsMustResolveAndHaveTheirShape() throws {
        expectRule(try checkRich(F.replacing(F.richPlan, #""venue": "R1""#, #""venue": "R9""#)), "venue.unknown")
        expectRule(try checkRich(F.replacing(F.richPlan, #""venue": "R1""#, #""venue": ["R1"]"#)), "venue.shape")
        expectRule(try checkRich(F.replacing(F.richPlan, #"[ { "vehicle": "CAR", "driver": "D1" } ]"#, #"[ "CAR" ]"#)), "transport.shape")
        expectRule(try checkRich(F.replacing(F.richPlan, #""driver": "D1""#, #""driver": "D9""#)), "transport.unknown")
        expectOnly(try checkRich(F.replacing(F.richPlan, #""presenters": ["S1"]"#, #""presenters": ["S9"]"#)), "staff.unknown")
        expectOnly(try checkRich(F.replacing(F.richPlan, #""host": "BOSS""#, #""host": ["BOSS"]"#)), "staff.shape")
    }

    @Test func richEligibilityBreaks() throws {
        // V1 is high tier: the host must be an executive.
        expectRule(try checkRich(F.replacing(F.richPlan, #""host": "BOSS""#, #""host": "MGR""#)), "host.rank")
        // SHOW is a showroom; talks asks for a meeting room.
        expectRule(try checkRich(F.replacing(F.richPlan, #""venue": "R1""#, #""venue": "SHOW""#)), "venue.type")
        expectOnly(try checkRich(F.replacing(F.richPlan, #""presenters": ["S1"]"#, #""presenters": ["E1"]"#)), "presenters.department")
        expectRule(try checkRich(F.replacing(F.richPlan, #""presenters": ["S1"]"#, #""presenters": ["S1", "S1"]"#)), "presenters.distinct")
        expectOnly(try checkRich(F.replacing(F.richPlan, #""escorts": ["MGR"]"#, #""escorts": ["MGR", "E2"]"#)), "escorts.count")
    }

    // MARK: Venues

    private func capacityDay(internalAttendees: Int) -> String {
        F.day(venues: #"[ {"id": "R", "type": "room", "location": "HQ", "capacity": 5, "grade": 1} ]"#,
              visits: #"""
                [ { "id": "V1", "tier": "low", "guests": 3, "escorts": 0, "segments": [
                    { "id": "talks", "start": "09:00", "end": "10:00", "location": "HQ",
                      "internalAttendees": \#(internalAttendees), "needs": { "venue": {} } } ] } ]
                """#)
    }

    @Test func capacityOneShortFailsExactlyEnoughPasses() throws {
        let plan = F.plan([F.entry("V1", segments: #"[ { "id": "talks", "venue": "R" } ]"#)])
        expectOnly(try F.check(day: capacityDay(internalAttendees: 3), plan: plan), "venue.capacity")
        expectValid(try F.check(day: capacityDay(internalAttendees: 2), plan: plan))
    }

    private func turnoverDay(secondStart: String, sameVisit: Bool = false) -> String {
        let venues = #"[ {"id": "R", "type": "room", "location": "HQ", "capacity": 10, "grade": 1, "turnoverMinutes": 15} ]"#
        let a = #"{ "id": "a", "start": "09:00", "end": "10:00", "location": "HQ", "needs": { "venue": {} } }"#
        let b = #"{ "id": "b", "start": "\#(secondStart)", "end": "11:00", "location": "HQ", "needs": { "venue": {} } }"#
        if sameVisit {
            return F.day(venues: venues, visits: #"[ { "id": "V1", "tier": "low", "guests": 2, "escorts": 0, "segments": [ \#(b), \#(a) ] } ]"#)
        }
        return F.day(venues: venues, visits: #"""
            [ { "id": "V1", "tier": "low", "guests": 2, "escorts": 0, "segments": [ \#(a) ] },
              { "id": "V2", "tier": "low", "guests": 2, "escorts": 0, "segments": [ \#(b) ] } ]
            """#)
    }

    @Test func turnoverOneMinuteShortFailsExactlyMetPasses() throws {
        let plan = F.plan([F.entry("V1", segments: #"[ { "id": "a", "venue": "R" } ]"#),
                           F.entry("V2", host: #""H2""#, segments: #"[ { "id": "b", "venue": "R" } ]"#)])
        expectOnly(try F.check(day: turnoverDay(secondStart: "10:14"), plan: plan), "venue.turnover")
        expectValid(try F.check(day: turnoverDay(secondStart: "10:15"), plan: plan))
        expectOnly(try F.check(day: turnoverDay(secondStart: "09:59"), plan: plan), "venue.double-booked")
        // Also between two segments of one visit, listed out of time order.
        let one = F.plan([F.entry("V1", segments: #"[ { "id": "a", "venue": "R" }, { "id": "b", "venue": "R" } ]"#)])
        expectOnly(try F.check(day: turnoverDay(secondStart: "10:14", sameVisit: true), plan: one), "venue.turnover")
        expectValid(try F.check(day: turnoverDay(secondStart: "10:15", sameVisit: true), plan: one))
    }

    private func sharedDay(secondGuests: Int) -> String {
        F.day(venues: #"[ {"id": "HALL", "type": "hall", "location": "HQ", "capacity": 10, "grade": 1, "shared": true, "turnoverMinutes": 30} ]"#,
              visits: #"""
                [ { "id": "V1", "tier": "low", "guests": 6, "escorts": 0, "segments": [
                    { "id": "a", "start": "09:00", "end": "10:00", "location": "HQ", "needs": { "venue": {} } } ] },
                  { "id": "V2", "tier": "low", "guests": \#(secondGuests), "escorts": 0, "segments": [
                    { "id": "b", "start": "09:30", "end": "10:30", "location": "HQ", "needs": { "venue": {} } } ] } ]
                """#)
    }

    @Test func sharedVenueAddsAttendeesAndIgnoresTurnover() throws {
        let plan = F.plan([F.entry("V1", segments: #"[ { "id": "a", "venue": "HALL" } ]"#),
                           F.entry("V2", host: #""H2""#, segments: #"[ { "id": "b", "venue": "HALL" } ]"#)])
        expectValid(try F.check(day: sharedDay(secondGuests: 4), plan: plan))
        expectOnly(try F.check(day: sharedDay(secondGuests: 5), plan: plan), "venue.shared-capacity")
    }

    @Test func availabilityEntriesAreNotMerged() throws {
        func day(_ start: String) -> String {
            F.day(venues: #"""
                [ {"id": "R", "type": "room", "location": "HQ", "capacity": 10, "grade": 1,
                   "available": [ {"from": "08:00", "to": "12:00"}, {"from": "12:00", "to": "18:00"} ] } ]
                """#,
                  visits: #"""
                    [ { "id": "V1", "tier": "low", "guests": 2, "escorts": 0, "segments": [
                        { "id": "a", "start": "\#(start)", "end": "13:00", "location": "HQ", "needs": { "venue": {} } } ] } ]
                    """#)
        }
        let plan = F.plan([F.entry("V1", segments: #"[ { "id": "a", "venue": "R" } ]"#)])
        expectOnly(try F.check(day: day("11:00"), plan: plan), "venue.availability")
        expectValid(try F.check(day: day("12:00"), plan: plan))
    }

    // MARK: Catering

    @Test func cateringServesEveryDietaryNeed() throws {
        func day(_ dietary: String) -> String {
            F.day(catering: #"[ {"id": "BQ", "kind": "banquet-room", "location": "HQ", "seats": 10, "grade": 1, "dietary": ["halal"]} ]"#,
                  visits: #"""
                    [ { "id": "V1", "tier": "low", "guests": 2, "escorts": 0, "dietary": \#(dietary), "segments": [
                        { "id": "lunch", "start": "12:00", "end": "13:00", "needs": { "catering": {} } } ] } ]
                    """#)
        }
        let plan = F.plan([F.entry("V1", segments: #"[ { "id": "lunch", "catering": "BQ" } ]"#)])
        expectOnly(try F.check(day: day(#"["halal", "vegan"]"#), plan: plan), "catering.dietary")
        expectValid(try F.check(day: day(#"["halal"]"#), plan: plan))
    }

    // MARK: Transport

    static let cars = #"""
        [ {"id": "CAR", "type": "sedan", "grade": 1, "seats": 3, "home": "HQ"},
          {"id": "CAR2", "type": "sedan", "grade": 1, "seats": 3, "home": "HQ"} ]
        """#

    private func drivers(licences: String = #"["sedan"]"#, maxDriving: Int = 600) -> String {
        #"""
        [ {"id": "D1", "licences": \#(licences), "home": "HQ", "maxDrivingMinutes": \#(maxDriving)},
          {"id": "D2", "licences": ["sedan"], "home": "HQ"} ]
        """#
    }

    /// V1 PVG->HQ 08:00-09:00, V2 HOTEL->PVG from `secondStart` to 11:00 (HQ->HOTEL is 15 min).
    private func twoTransfers(secondStart: String = "12:00", secondEnd: String = "13:00", guests: Int = 2,
                              licences: String = #"["sedan"]"#, maxDriving: Int = 600) -> String {
        F.day(vehicles: Self.cars, drivers: drivers(licences: licences, maxDriving: maxDriving), visits: #"""
            [ { "id": "V1", "tier": "low", "guests": \#(guests), "escorts": 0, "segments": [
                { "id": "pickup", "start": "08:00", "end": "09:00", "from": "PVG", "to": "HQ", "needs": { "transport": {} } } ] },
              { "id": "V2", "tier": "low", "guests": 2, "escorts": 0, "segments": [
                { "id": "out", "start": "\#(secondStart)", "end": "\#(secondEnd)", "from": "HOTEL", "to": "PVG", "needs": { "transport": {} } } ] } ]
            """#)
    }

    private func transferPlan(_ first: String, _ second: String) -> String {
        F.plan([F.entry("V1", segments: #"[ { "id": "pickup", "transport": \#(first) } ]"#),
                F.entry("V2", host: #""H2""#, segments: #"[ { "id": "out", "transport": \#(second) } ]"#)])
    }

    @Test func travelGapOneMinuteShortFailsExactlyMetPasses() throws {
        // One vehicle, two drivers.
        let sharedCar = transferPlan(#"[ {"vehicle": "CAR", "driver": "D1"} ]"#, #"[ {"vehicle": "CAR", "driver": "D2"} ]"#)
        expectOnly(try F.check(day: twoTransfers(secondStart: "09:14", secondEnd: "11:00"), plan: sharedCar), "transport.travel-gap")
        expectValid(try F.check(day: twoTransfers(secondStart: "09:15", secondEnd: "11:00"), plan: sharedCar))
        // One driver, two vehicles.
        let sharedDriver = transferPlan(#"[ {"vehicle": "CAR", "driver": "D1"} ]"#, #"[ {"vehicle": "CAR2", "driver": "D1"} ]"#)
        let outcome = try F.check(day: twoTransfers(secondStart: "09:14", secondEnd: "11:00"), plan: sharedDriver)
        expectOnly(outcome, "transport.travel-gap")
        #expect(outcome.violations.contains { $0.rule == "transport.travel-gap" && $0.resource == "D1" })
        expectValid(try F.check(day: twoTransfers(secondStart: "09:15", secondEnd: "11:00"), plan: sharedDriver))
        // Equal starts always conflict.
        expectOnly(try F.check(day: twoTransfers(secondStart: "08:00", secondEnd: "08:30"), plan: sharedCar), "transport.double-booked")
    }

    @Test func travelGapHoldsBetweenEveryTwoTransfersNotOnlyConsecutive() throws {
        // CAR: a ends at HQ 09:00; b HOTEL->PVG 09:15-09:35 (15 min after a: fine); c from PVG at 09:35
        // (right after b: fine). But a -> c needs HQ->PVG, 50 min: c starts only 35 min after a.
        func day(_ cStart: String) -> String {
            F.day(vehicles: Self.cars,
                  drivers: #"[ {"id": "D1", "licences": ["sedan"], "home": "HQ"}, {"id": "D2", "licences": ["sedan"], "home": "HQ"}, {"id": "D3", "licences": ["sedan"], "home": "HQ"} ]"#,
                  visits: #"""
                    [ { "id": "V1", "tier": "low", "guests": 2, "escorts": 0, "segments": [
                        { "id": "a", "start": "08:00", "end": "09:00", "from": "PVG", "to": "HQ", "needs": { "transport": {} } },
                        { "id": "b", "start": "09:15", "end": "09:35", "from": "HOTEL", "to": "PVG", "needs": { "transport": {} } },
                        { "id": "c", "start": "\#(cStart)", "end": "11:00", "from": "PVG", "to": "HOTEL", "needs": { "transport": {} } } ] } ]
                    """#)
        }
        let plan = F.plan([F.entry("V1", segments: #"""
            [ { "id": "a", "transport": [ {"vehicle": "CAR", "driver": "D1"} ] },
              { "id": "b", "transport": [ {"vehicle": "CAR", "driver": "D2"} ] },
              { "id": "c", "transport": [ {"vehicle": "CAR", "driver": "D3"} ] } ]
            """#)])
        let outcome = try F.check(day: day("09:35"), plan: plan)
        #expect(outcome.violations.contains { $0.rule == "transport.travel-gap" && $0.resource == "CAR" && $0.segment == "c" },
                "\(outcome.violations)")
        #expect(outcome.violations.count == 1, "\(outcome.violations)")
        expectValid(try F.check(day: day("09:50"), plan: plan))
    }

    @Test func driverOverMaxDrivingMinutes() throws {
        let plan = transferPlan(#"[ {"vehicle": "CAR", "driver": "D1"} ]"#, #"[ {"vehicle": "CAR", "driver": "D1"} ]"#)
        expectOnly(try F.check(day: twoTransfers(maxDriving: 119), plan: plan), "transport.driving-limit")
        expectValid(try F.check(day: twoTransfers(maxDriving: 120), plan: plan))
    }

    @Test func wrongLicence() throws {
        let plan = transferPlan(#"[ {"vehicle": "CAR", "driver": "D1"} ]"#, #"[ {"vehicle": "CAR2", "driver": "D2"} ]"#)
        expectOnly(try F.check(day: twoTransfers(licences: #"["mpv", "coach"]"#), plan: plan), "transport.licence")
        expectValid(try F.check(day: twoTransfers(licences: #"["mpv", "sedan"]"#), plan: plan))
    }

    @Test func seatsShort() throws {
        let day = twoTransfers(guests: 4)
        let one = transferPlan(#"[ {"vehicle": "CAR", "driver": "D1"} ]"#, #"[ {"vehicle": "CAR2", "driver": "D2"} ]"#)
        expectOnly(try F.check(day: day, plan: one), "transport.seats")
        // 3 + 3 seats for 4 guests; the second transfer at 12:00 leaves both free again.
        let two = transferPlan(#"[ {"vehicle": "CAR", "driver": "D1"}, {"vehicle": "CAR2", "driver": "D2"} ]"#,
                               #"[ {"vehicle": "CAR2", "driver": "D2"} ]"#)
        expectValid(try F.check(day: day, plan: two))
        let sameCar = transferPlan(#"[ {"vehicle": "CAR", "driver": "D1"}, {"vehicle": "CAR", "driver": "D2"} ]"#,
                                   #"[ {"vehicle": "CAR2", "driver": "D2"} ]"#)
        expectRule(try F.check(day: day, plan: sameCar), "transport.distinct-vehicles")
    }

    @Test func transportWindowIncludesTravelFromAndToHome() throws {
        func day(_ start: String, _ end: String) -> String {
            F.day(vehicles: Self.cars, drivers: drivers(), visits: #"""
                [ { "id": "V1", "tier": "low", "guests": 2, "escorts": 0, "segments": [
                    { "id": "pickup", "start": "\#(start)", "end": "\#(end)", "from": "PVG", "to": "HQ", "needs": { "transport": {} } } ] } ]
                """#)
        }
        let plan = F.plan([F.entry("V1", segments: #"[ { "id": "pickup", "transport": [ {"vehicle": "CAR", "driver": "D1"} ] } ]"#)])
        // HQ->PVG takes 50 min: leaving home at 00:30 - 50 min is before the day starts.
        expectOnly(try F.check(day: day("00:30", "01:00"), plan: plan), "transport.availability")
        expectValid(try F.check(day: day("00:50", "01:20"), plan: plan))
    }

    @Test func transportWindowUsesEachResourcesOwnHome() throws {
        // D1 lives at PVG and is available from 07:30: fine for a PVG pickup at 08:00 (no travel),
        // though the car from HQ must leave at 07:10.
        func day(_ from: String) -> String {
            F.day(vehicles: Self.cars,
                  drivers: #"[ {"id": "D1", "licences": ["sedan"], "home": "PVG", "available": [ {"from": "\#(from)", "to": "20:00"} ]} ]"#,
                  visits: #"""
                    [ { "id": "V1", "tier": "low", "guests": 2, "escorts": 0, "segments": [
                        { "id": "pickup", "start": "08:00", "end": "09:00", "from": "PVG", "to": "HQ", "needs": { "transport": {} } } ] } ]
                    """#)
        }
        let plan = F.plan([F.entry("V1", segments: #"[ { "id": "pickup", "transport": [ {"vehicle": "CAR", "driver": "D1"} ] } ]"#)])
        expectValid(try F.check(day: day("07:30"), plan: plan))
        expectOnly(try F.check(day: day("08:01"), plan: plan), "transport.availability")
    }

    // MARK: Staff

    /// One low-tier visit of 2 guests (one escort by default): talks 09:00-10:00, tour 10:00-11:00 with a presenter.
    private func staffDay(_ extra: String = "") -> String {
        F.day(visits: #"""
            [ { "id": "V1", "tier": "low", "guests": 2 \#(extra), "segments": [
                { "id": "talks", "start": "09:00", "end": "10:00" },
                { "id": "tour", "start": "10:00", "end": "11:00", "needs": { "presenters": {} } } ] } ]
            """#)
    }

    private func staffPlan(host: String = #""H1""#, escorts: String = #"["E1"]"#, presenters: String = #"["S1"]"#,
                           unmet: String = "[]", unmetCount: Int = 0) -> String {
        F.plan([F.entry("V1", host: host, escorts: escorts, segments: #"[ { "id": "tour", "presenters": \#(presenters) } ]"#)],
               unmet: unmet, unmetCount: unmetCount)
    }

    @Test func escortWhoIsAlsoHost() throws {
        expectOnly(try F.check(day: staffDay(), plan: staffPlan(escorts: #"["H1"]"#)), "escorts.host")
        expectValid(try F.check(day: staffDay(), plan: staffPlan()))
    }

    @Test func escortPresentingInTheirOwnVisit() throws {
        let outcome = try F.check(day: staffDay(), plan: staffPlan(presenters: #"["E1"]"#))
        expectOnly(outcome, "staff.overlap")
        #expect(outcome.violations.contains { $0.rule == "staff.overlap" && $0.resource == "E1" })
    }

    @Test func escortLanguageMissing() throws {
        let day = staffDay(#", "language": "de""#)
        expectOnly(try F.check(day: day, plan: staffPlan(escorts: #"["E1"]"#)), "escorts.language")
        expectValid(try F.check(day: day, plan: staffPlan(escorts: #"["E2"]"#)))
    }

    @Test func pinnedHostReplaced() throws {
        let day = staffDay(#", "host": "H1""#)
        expectOnly(try F.check(day: day, plan: staffPlan(host: #""H2""#)), "host.pinned")
        expectValid(try F.check(day: day, plan: staffPlan()))
        // Leaving it unmet is always allowed.
        let unmet = #"[ { "visit": "V1", "need": "host", "reason": "H1 is away" } ]"#
        expectValid(try F.check(day: day, plan: staffPlan(host: "null", unmet: unmet, unmetCount: 1)))
        // A host entry in unmet has no segment.
        let withSegment = #"[ { "visit": "V1", "segment": "talks", "need": "host", "reason": "H1 is away" } ]"#
        expectRule(try F.check(day: day, plan: staffPlan(host: "null", unmet: withSegment, unmetCount: 1)), "plan.unmet-extra")
    }

    @Test func escortCountZeroIsNeverUnmet() throws {
        let day = staffDay(#", "escorts": 0"#)
        expectValid(try F.check(day: day, plan: staffPlan(escorts: "[]")))
        let unmet = #"[ { "visit": "V1", "need": "escorts", "reason": "none" } ]"#
        expectOnly(try F.check(day: day, plan: staffPlan(escorts: "null", unmet: unmet, unmetCount: 1)), "escorts.count")
        expectOnly(try F.check(day: day, plan: staffPlan(escorts: #"["E1"]"#)), "escorts.count")
        // The default count is ceil(guests / guestsPerEscort): 5 guests at 4 per escort need 2.
        let five = F.day(visits: #"[ { "id": "V1", "tier": "low", "guests": 5, "segments": [ { "id": "talks", "start": "09:00", "end": "10:00" } ] } ]"#)
        expectOnly(try F.check(day: five, plan: F.plan([F.entry("V1", escorts: #"["E1"]"#)])), "escorts.count")
        expectValid(try F.check(day: five, plan: F.plan([F.entry("V1", escorts: #"["E1", "E2"]"#)])))
    }

    @Test func hostIsBusyOverEachAttendedSegmentSeparately() throws {
        func day(_ secondAttends: String) -> String {
            F.day(visits: #"""
                [ { "id": "V1", "tier": "low", "guests": 2, "escorts": 0, "segments": [
                    { "id": "a", "start": "09:00", "end": "10:00" },
                    { "id": "b", "start": "09:30", "end": "10:30" \#(secondAttends) } ] } ]
                """#)
        }
        let plan = F.plan([F.entry("V1")])
        expectOnly(try F.check(day: day(""), plan: plan), "staff.overlap")
        expectValid(try F.check(day: day(#", "hostAttends": false"#), plan: plan))
    }

    @Test func transportOnlySegmentLeavesTheHostFree() throws {
        func day(_ hostAttends: String) -> String {
            F.day(vehicles: Self.cars, drivers: drivers(), visits: #"""
                [ { "id": "V1", "tier": "low", "guests": 2, "escorts": 0, "segments": [
                    { "id": "pickup", "start": "08:00", "end": "09:00", "from": "PVG", "to": "HQ" \#(hostAttends), "needs": { "transport": {} } } ] },
                  { "id": "V2", "tier": "low", "guests": 2, "escorts": 0, "segments": [
                    { "id": "tour", "start": "08:00", "end": "09:00", "needs": { "presenters": {} } } ] } ]
                """#)
        }
        let plan = F.plan([
            F.entry("V1", segments: #"[ { "id": "pickup", "transport": [ {"vehicle": "CAR", "driver": "D1"} ] } ]"#),
            F.entry("V2", host: #""H2""#, segments: #"[ { "id": "tour", "presenters": ["H1"] } ]"#),
        ])
        expectValid(try F.check(day: day(""), plan: plan))
        expectOnly(try F.check(day: day(#", "hostAttends": true"#), plan: plan), "staff.overlap")
    }

    @Test func escortIsBusyOverTheWholeSpanIncludingGaps() throws {
        let day = F.day(visits: #"""
            [ { "id": "V1", "tier": "low", "guests": 2, "segments": [
                { "id": "late", "start": "15:00", "end": "16:00" },
                { "id": "early", "start": "09:00", "end": "10:00" } ] },
              { "id": "V2", "tier": "low", "guests": 2, "escorts": 0, "segments": [
                { "id": "tour", "start": "12:00", "end": "13:00", "needs": { "presenters": {} } } ] } ]
            """#)
        let plan = F.plan([F.entry("V1", escorts: #"["E1"]"#),
                           F.entry("V2", host: #""H2""#, segments: #"[ { "id": "tour", "presenters": ["E1"] } ]"#)])
        expectOnly(try F.check(day: day, plan: plan), "staff.overlap")
    }

    // MARK: Plans the core assembles

    /// For every example day, plans that meet as many needs as they can with the
    /// candidates the plugins list, each resource used at most once per plan (so
    /// that no conflict is possible), must pass the checker with the objective
    /// PlanAssembler declares: the plugins' eligibility and the assembler's costs,
    /// caps and totals agree with the checker's re-derivation.
    @Test(.requiresSharedExamples)
    func assembledPlansOfTheExamplesPass() throws {
        let registry = try F.registry()
        for name in ["small-day.json", "busy-day.json", "tight-day.json"] {
            let bytes = try #require(FileManager.default.contents(atPath: try sharedExamplePath(name)))
            let problem = try Problem.load(json: [UInt8](bytes), registry: registry)
            var selections = [Selection.allUnmet(problem)]
            var pending = problem.needs.indices.filter { !problem.needs[$0].isTrivial && Self.someValidChoice(problem.needs[$0], avoiding: []) != nil }
            while !pending.isEmpty {
                var selection = Selection.allUnmet(problem)
                var used = Set<ResourceKey>()
                var later: [Int] = []
                for j in pending {
                    guard let chosen = Self.someValidChoice(problem.needs[j], avoiding: used) else { later.append(j); continue }
                    selection.chosen[j] = chosen
                    for i in chosen { used.formUnion(problem.needs[j].candidates[i].assigned) }
                }
                selections.append(selection)
                pending = later
            }
            #expect(selections.count > 1)
            for selection in selections {
                let plan = PlanAssembler.assemble(problem, result: OptimizationResult(status: .feasible, selection: selection, bound: nil, seconds: 0),
                                                  solverName: "test")
                let outcome = PlanChecker.check(planJSON: Array(JSONWriter.pretty(plan.json).utf8), problem: problem, registry: registry)
                #expect(outcome.isValid, "\(name): \(outcome.violations.map(\.description).joined(separator: "\n"))")
                let recomputed = try #require(outcome.recomputed)
                #expect(PlanChecker.agree(plan.objective, recomputed.objective), "\(name): \(plan.objective) vs \(recomputed.objective)")
            }
        }
    }

    /// Candidates meeting one need on their own, with resources not in `avoiding`
    /// and distinct from each other, including the required tag.
    static func someValidChoice(_ need: NeedDeclaration, avoiding: Set<ResourceKey>) -> [Int]? {
        var chosen: [Int] = []
        var used = avoiding
        func take(_ i: Int) -> Bool {
            let keys = Set(need.candidates[i].assigned)
            guard used.isDisjoint(with: keys) else { return false }
            used.formUnion(keys)
            chosen.append(i)
            return true
        }
        switch need.rule {
        case .exactly(let n):
            if let tag = need.requiredTag {
                guard need.candidates.indices.contains(where: { need.candidates[$0].tags.contains(tag.tag) && take($0) }) else { return nil }
            }
            for i in need.candidates.indices where chosen.count < n && !chosen.contains(i) { _ = take(i) }
            return chosen.count == n ? chosen : nil
        case .cover(let demand):
            var total = 0.0
            for i in need.candidates.indices.sorted(by: { need.candidates[$0].weight > need.candidates[$1].weight }) where total < demand {
                if take(i) { total += need.candidates[i].weight }
            }
            return total >= demand ? chosen : nil
        }
    }
}
