import Catering
import Foundation
import Gifts
import Lodging
import SchedulingCore
import SchedulingTestKit
import Staff
import Transport
import Venues

/// One conformance fixture per resource plugin of this build: a small valid day
/// under `Fixtures/` (each with its optimum worked out by hand) and the bad inputs
/// whose errors must carry their JSON paths.
enum ConformanceFixtures {
    static let all: [ConformanceFixture] = [venues, catering, transport, staff, gifts, lodging, parking]

    /// `Fixtures/<name>`, read beside this source file; empty (so the kit reports a
    /// fixture that does not load) when it cannot be read.
    static func day(_ name: String) -> String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/" + name)
        return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }

    /// V1 must take R1 (the only meeting room of grade >= 3): 60 + overGrade 1 (20) + 10 over its
    /// cap of 50 (100) = 180. V2 takes R2 (0 + overGrade 1 = 20) because R1 is V1's. V3 starts at
    /// 10:15, exactly when R1's 15-minute turnover after V1 ends, and R2 is V2's until 10:30: R1,
    /// 45 min = 45 + overGrade 2 (40) = 85. V4 (6) and V5 (5) overlap and the ATRIUM seats 8, so one
    /// of them takes the HALL (overGrade 2 = 40), the other the ATRIUM (0). 180 + 20 + 85 + 40 = 325.
    static let venues = ConformanceFixture(
        plugin: VenuesPlugin(), day: day("venues.json"),
        badInputs: [
            .set("resources.venues[0].capacity", to: 0, "capacity below 1"),
            .set("resources.venues[1].grade", to: 6, "grade above 5"),
            .remove("resources.venues[0].type", "type missing"),
            .set("resources.venues[0].location", to: "MOON", "location not in locations"),
            .set("resources.venues[1].id", to: "R1", "repeated id"),
            .set("resources.venues[3].available", to: [["from": "10:00", "to": "09:00"]], errorAt: "resources.venues[3].available[0].to",
                 "availability window ending before it starts"),
            .set("policy.tiers.high.minVenueGrade", to: "high", "tier field not an integer"),
            .set("visits[0].segments[0].needs.venue.types", to: "meeting-room", "types not an array"),
        ],
        expectedObjective: 325)

    /// V1 (halal, grade >= 4) can only have BQ: 4 x 120 = 480, 180 over its cap of 3 x 100 (1800),
    /// overGrade 1 (20) = 2300. BQ is then turning over until 13:30, so V2 either shares CAFE with
    /// V3 (4 + 38 > 40 seats at 13:00) or goes to HOTEL-R: 4 x 90 = 360 + overGrade 2 (40) = 400.
    /// V3 fits only CAFE: 38 x 40 = 1520 + overGrade 1 (20) = 1540. 2300 + 400 + 1540 = 4240.
    static let catering = ConformanceFixture(
        plugin: CateringPlugin(), day: day("catering.json"),
        badInputs: [
            .set("resources.catering[0].seats", to: -3, "seats below 1"),
            .set("resources.catering[1].dietary", to: "vegetarian", "dietary not an array"),
            .remove("resources.catering[2].location", "location missing"),
            .set("policy.tiers.medium.minCateringGrade", to: 0, "tier field below 1"),
            .set("visits[1].segments[0].needs.catering.kinds", to: [1], errorAt: "visits[1].segments[0].needs.catering.kinds[0]",
                 "kinds holding a number"),
        ],
        expectedObjective: 4240)

    /// V1 (4 guests, grade >= 3) needs the VAN, the only car seating 4, with D1, the only mpv
    /// driver: 180 for the hour, 80 over its cap of 100 (800) = 980. V2 overlaps it, so D2 drives:
    /// CAR2 for 30 min = 45 + overGrade 1 (20) = 65. V3 leaves HOTEL at 09:10; D1 is at HQ at 09:00,
    /// 15 min away, so D2 again, in CAR2 (already at HOTEL): 40 min = 60 + overGrade 1 (20) = 80.
    /// 980 + 65 + 80 = 1125.
    static let transport = ConformanceFixture(
        plugin: TransportPlugin(), day: day("transport.json"),
        badInputs: [
            .set("resources.vehicles[0].seats", to: 0, "seats below 1"),
            .set("resources.drivers[0].licences", to: "sedan", "licences not an array"),
            .set("resources.vehicles[1].home", to: "MARS", "home not in locations"),
            .set("resources.drivers[1].maxDrivingMinutes", to: -5, "driving limit below 0"),
            .set("policy.tiers.low.minVehicleGrade", to: 9, "tier field above 5"),
            .remove("travelMinutes[1]", errorAt: "travelMinutes", "travel pair a transfer needs is missing"),
            .remove("visits[2].segments[0].from", errorAt: "visits[2].segments[0].needs.transport", "transfer without from"),
        ],
        expectedObjective: 1125)

    /// Staff cost nothing and everyone can be placed: B is V1's only R&D presenter, so V1's
    /// German-speaking escort is MGR, not B (an escort is busy over the whole visit), which its
    /// `escortsPin` also says. B is also the only minute-taker who speaks de, so B takes V2's
    /// minutes right after the tour (10:30, half-open spans) and is nobody's escort. Objective 0.
    static let staff = ConformanceFixture(
        plugin: StaffPlugin(), day: day("staff.json"),
        badInputs: [
            .set("resources.staff[0].rank", to: "boss", "unknown rank"),
            .remove("resources.staff[1].department", "department missing"),
            .set("policy.tiers.medium.guestsPerEscort", to: 0, "guests per escort not above 0"),
            .remove("policy.tiers.low.hostRank", "host rank missing"),
            .set("visits[2].host", to: "NOBODY", "pinned host not a staff id"),
            .set("visits[0].segments[1].needs.presenters.count", to: 0, "presenter count below 1"),
            .set("visits[1].segments[0].needs.roles[0].count", to: 0, "role count below 1"),
            .set("visits[1].segments[0].needs.roles[0].role", to: "", "role name empty"),
            .set("resources.staff[2].roles", to: "minute-taker", "member roles not an array"),
        ],
        expectedObjective: 0)

    /// Stock decides: V1 (high, grade >= 4) can only have TEA, 4 of its 6 pieces: 4 x 180 = 720,
    /// 120 over its cap of 4 x 150 (1200) = 1920. V2 (medium, 3 guests) then cannot have TEA (2 left):
    /// PEN, 3 x 60 = 180. V3 (3 guests) finds 2 PEN left and takes all 3 CARD: 30. V4 (2 guests)
    /// takes the last 2 PEN: 120 (CARD is gone; TEA would cost 360). Gift grade adds no overGrade.
    /// 1920 + 180 + 30 + 120 = 2250.
    static let gifts = ConformanceFixture(
        plugin: GiftsPlugin(), day: day("gifts.json"),
        badInputs: [
            .set("policy.tiers.medium.minGiftGrade", to: 0, "tier field below 1"),
            .set("policy.tiers.high.minGiftGrade", to: "4", "tier field not an integer"),
            .set("resources.gifts[0].stock", to: -1, "stock below 0"),
            .set("resources.gifts[1].stock", to: 2.5, "stock not whole pieces"),
            .remove("resources.gifts[2].grade", "grade missing"),
            .set("resources.gifts[0].valuePerGuest", to: "cheap", "value not a number"),
            .set("resources.gifts[1].id", to: "TEA", "repeated id"),
            .set("visits[0].segments[0].needs.gift", to: true, "gift need not an object"),
        ],
        expectedObjective: 2250)

    /// A three-day programme (PROBLEM.md §9), worked out by hand (weights overGrade 20, overrun 10).
    /// V1 (high: a room per guest, grade >= 4, at CITY) fits only H-GRAND: 3 rooms x 800 x 2 nights
    /// = 4800, 600 over its cap of 700 per guest-night (4200) = 6000, overGrade 1 = 20. V2 (medium,
    /// 2 rooms, grade >= 3, night 1) cannot join it at H-GRAND (3 + 2 > 4 rooms): H-INN, 800. V3
    /// (1 room, nights 2-3) cannot use H-INN (no block on night 3): H-GRAND, 1600 + overGrade 2 = 40.
    /// V4 (low, 5 guests = 3 rooms, nights 1-2) finds H-GRAND and H-INN full on night 1: H-AIR,
    /// 1200 + overGrade 1 = 20. V5 (night 3 at CITY): H-GRAND, 800 + overGrade 4 = 80. Lodging by
    /// the day the night begins: day 1 2400 + 800 + 600 = 3800, day 2 2400 + 800 + 600 = 3800, day 3
    /// 1600: the day budget of 3700 is 100 over on days 1 and 2 (2000). No other stay is cheaper
    /// overall. 10820 + 800 + 1640 + 1220 + 880 + 2000 = 17360.
    static let lodging = ConformanceFixture(
        plugin: LodgingPlugin(), day: day("lodging.json"),
        badInputs: [
            .set("resources.hotels[0].grade", to: 6, "grade above 5"),
            .set("resources.hotels[1].rooms", to: 0, "no rooms in the block"),
            .set("resources.hotels[1].nights", to: [4], errorAt: "resources.hotels[1].nights[0]", "a block night outside the programme"),
            .set("resources.hotels[0].location", to: "MOON", "location not a location"),
            .set("resources.hotels[2].id", to: "H-GRAND", "repeated id"),
            .set("visits[0].lodging.nights", to: [1, 1], errorAt: "visits[0].lodging.nights[1]", "a night listed twice"),
            .set("visits[1].lodging.nights", to: [], "no night"),
            .remove("visits[2].lodging.nights", "nights missing"),
            .set("visits[3].lodging", to: "two nights", "lodging not an object"),
            .set("policy.tiers.medium.guestsPerRoom", to: 0, "guests per room below 1"),
            .set("policy.tiers.high.minHotelGrade", to: 9, "hotel grade above 5"),
            .set("policy.tiers.high.limits.lodging.perGuestNight", to: -1, "a negative rate"),
            .set("schemaVersion", to: 1, errorAt: "resources.hotels", "hotels in a version-1 day"),
        ],
        expectedObjective: 17360)

    // The plugin guide's example kind (docs/writing-a-resource-plugin.md), compiled
    // from Tests/SchedulerTests/GuideExample, which GuideExampleTests keeps equal to the guide.
    /// V1 (high) needs a covered bay at HQ: P1, 2 h = 20. V2 overlaps it: P2 (0). V3 starts when
    /// V1 leaves P1 and P2 is V2's until 12:00: P1, 1 h = 10. V4 at PLANT: P3, 1 h = 5. 35.
    static let parking = ConformanceFixture(
        plugin: ParkingPlugin(), day: day("parking.json"),
        badInputs: [
            .set("policy.tiers.high.coveredParking", to: "yes", "tier field not a boolean"),
            .remove("resources.parking[0].location", "location missing"),
            .set("resources.parking[1].costPerHour", to: -1, "cost below 0"),
            .set("resources.parking[2].location", to: "MOON", "location not in locations"),
            .remove("visits[3].segments[0].location", errorAt: "visits[3].segments[0].needs.parking", "parking without a location"),
        ],
        expectedObjective: 35)
}
