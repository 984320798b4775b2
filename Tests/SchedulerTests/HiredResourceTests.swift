import Foundation
import GLPKOptimizer
import PlanChecker
import SchedulingCore
import Testing

/// Hired resources (issue 18): a rental car, a hired driver, an outside room or
/// restaurant with a fixed fee per use on top of its hourly or per-head cost. The
/// optimizer hires one only when that is cheaper than leaving the need unmet or
/// over its cap, and the checker counts the fee.
@Suite("Hired resources")
struct HiredResourceTests {
    /// Two transfers at once; the company has one car and driver, and a rental car
    /// with its driver costs `fee` a transfer.
    static func day(fee: Double, unmet: Double = 100_000) -> DayBuilder {
        var day = DayBuilder(visits: [
            visit("V1", segments: [transferSegment("in", "09:00", "10:00", from: "PVG", to: "HQ")]),
            visit("V2", segments: [transferSegment("in", "09:00", "10:00", from: "PVG", to: "HQ")]),
        ])
        day.vehicles = [vehicle("OWN", costPerHour: 60), merged(vehicle("RENTAL", costPerHour: 0), ["costPerUse": .number(fee)])]
        day.drivers = [driver("DRV-1"), merged(driver("DRV-HIRED"), ["costPerUse": 100])]
        day.weights = ["unmet": .number(unmet)]
        return day
    }

    @Test("a rental car and driver are hired for the transfer the company's car cannot take, fee counted")
    func hiredWhenNeeded() throws {
        let (_, plan) = try solve(Self.day(fee: 400))
        // One transfer on OWN + DRV-1 (60), the other on RENTAL + DRV-HIRED (400 + 100).
        expectPlan(plan, objective: 60 + 500)
        let cars = Set([plan.pairs("V1", "in"), plan.pairs("V2", "in")].compactMap { $0?.first?.vehicle })
        #expect(cars == ["OWN", "RENTAL"])
    }

    @Test("nothing is hired when the company's own resources suffice")
    func notHiredWhenFree() throws {
        var day = Self.day(fee: 400)
        day.visits[1] = visit("V2", segments: [transferSegment("in", "14:00", "15:00", from: "PVG", to: "HQ")])
        let (_, plan) = try solve(day)
        expectPlan(plan, objective: 120)
        #expect(plan.pairs("V2", "in") == [Pair("OWN", "DRV-1")])
    }

    @Test("a fee above the unmet weight leaves the need unmet")
    func tooDear() throws {
        let (_, plan) = try solve(Self.day(fee: 5_000, unmet: 1_000))
        expectPlan(plan, objective: 60 + 1_000, unmet: [plan.unmetKeys.first ?? "?"])
        #expect(plan.totals.unmet == 1)
    }

    @Test("an outside room and restaurant cost their fee per use; the checker counts it")
    func roomsAndMeals() throws {
        var day = DayBuilder(visits: [
            visit("V1", segments: [venueSegment("talks", "09:00", "10:00"), segment("lunch", "12:00", "13:00", needs: ["catering": [:]])]),
        ])
        day.venues = [merged(venue("HOTEL-ROOM", costPerHour: 50), ["costPerUse": 200])]
        day.catering = [merged(cateringOption("OUTSIDE", costPerHead: 30), ["costPerUse": 150])]
        let (problem, plan) = try solve(day)
        // Room: 50 + 200; meal: 2 guests x 30 + 150.
        expectPlan(plan, objective: 250 + 210)
        let registry = try makeRegistry()
        let cheap = plan.json.setting("visits[0].costs.venue", to: 50)
        #expect(PlanChecker.check(plan: cheap, problem: problem, registry: registry).rules.contains("plan.visit-costs"))
    }
}
