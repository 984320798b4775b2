import SchedulingCore
import Testing
@testable import Transport

/// The transport kind has two exact formulations: one column per (vehicle,
/// driver) pair for small fleets, and one per vehicle and per driver with
/// pairing rows past `TransportPlugin.pairLimit` pairs. Both must give the
/// same plans' objective, and the second must never choose what cannot be paired.
@Suite("Transport formulations")
struct TransportFormulationTests {
    /// `sedans` sedans (3 seats, 60/h) with as many sedan-only drivers, and 3 MPVs
    /// (6 seats, 90/h) with one MPV driver; 12 guests for one hour.
    static func day(sedans: Int) -> DayBuilder {
        var day = DayBuilder()
        day.vehicles = (1...sedans).map { vehicle("S\($0)", type: "sedan", seats: 3, costPerHour: 60) }
            + (1...3).map { vehicle("M\($0)", type: "mpv", seats: 6, costPerHour: 90) }
        day.drivers = (1...sedans).map { driver("DS\($0)", licences: ["sedan"]) } + [driver("DM", licences: ["mpv"])]
        day.visits = [visit("V-1", guests: 12, segments: [transferSegment("pickup", "10:00", "11:00", from: "HOTEL", to: "HQ")])]
        return day
    }

    @Test("small and large fleets: one MPV (its only driver) and two sedans, never two MPVs without drivers",
          arguments: [3, 11])
    func pairable(sedans: Int) throws {
        // 3 sedans: 3·3 + 3·1 = 12 pairs (pair columns); 11 sedans: 11·11 + 3 = 124 > pairLimit (separate columns).
        let (problem, plan) = try solve(Self.day(sedans: sedans))
        let pairs = (sedans * sedans) + 3
        let separate = problem.needs.first { $0.id.key == "transport" }?.constraints.isEmpty == false
        #expect(separate == (pairs > TransportPlugin.pairLimit))
        // Two MPVs would seat 12 for 180 but only one MPV driver exists: 90 + 2·60 = 210.
        #expect(plan.totals.unmet == 0)
        #expect(close(plan.totals.cost, 210))
        let chosen = try #require(plan.pairs("V-1", "pickup"))
        #expect(chosen.filter { $0.vehicle.hasPrefix("M") }.map(\.driver) == ["DM"])
        #expect(chosen.count == 3)
    }
}
