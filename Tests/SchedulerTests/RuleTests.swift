import SchedulingCore
import Testing

/// One test per rule of PROBLEM.md, each on both sides of its boundary, on
/// tiny hand-written days. Unless a test says otherwise: tier `low` (host rank
/// staff, every minimum grade 1, no limits), resources of grade 1 (no
/// overGrade), `escorts: 0`, default weights (unmet 100000, overrun 10,
/// overGrade 20), and hosts EX1-EX3 at no cost. Every plan also goes through
/// the independent checker (see `solve`).
@Suite("RuleTests")
struct RuleTests {
    // MARK: Venues

    @Test("venue capacity: exactly enough is met, one short is unmet")
    func venueCapacity() throws {
        // 4 guests + 2 internal attendees = 6 attendees, 10:00-11:00, R1 at 60/h.
        func day(capacity: Int) -> DayBuilder {
            var d = DayBuilder(visits: [visit("V1", guests: 4, segments: [
                venueSegment("talks", "10:00", "11:00", location: "HQ", internalAttendees: 2),
            ])])
            d.venues = [venue("R1", capacity: capacity, costPerHour: 60)]
            return d
        }
        // capacity 6 >= 6: objective = 60 * 60/60 = 60.
        let (_, met) = try solve(day(capacity: 6))
        expectPlan(met, objective: 60)
        #expect(met.chosen("V1", "talks", "venue") == "R1")
        #expect(met.totals.byCategory.first { $0.category == "venue" }?.amount == 60)
        // capacity 5 < 6: one unmet need = 100000.
        let (_, short) = try solve(day(capacity: 5))
        expectPlan(short, objective: 100_000, unmet: ["V1/talks/venue"])
    }

    @Test("exclusive venue turnover: exactly met vs one minute short")
    func exclusiveVenueTurnover() throws {
        // One room R1 (60/h, turnover 15). V1 09:00-10:00; V2 from 10:15 (or 10:14) for 90 minutes.
        func day(secondStart: String, secondEnd: String) -> DayBuilder {
            var d = DayBuilder(visits: [
                visit("V1", segments: [venueSegment("talks", "09:00", "10:00")]),
                visit("V2", segments: [venueSegment("talks", secondStart, secondEnd)]),
            ])
            d.venues = [venue("R1", costPerHour: 60, turnover: 15)]
            return d
        }
        // 10:15 >= 10:00 + 15: both met, 60 + 90 = 150.
        let (_, met) = try solve(day(secondStart: "10:15", secondEnd: "11:45"))
        expectPlan(met, objective: 150)
        #expect(met.chosen("V1", "talks", "venue") == "R1")
        #expect(met.chosen("V2", "talks", "venue") == "R1")
        // 10:14: only one can have the room; meeting V1 (60) beats meeting V2 (90): 100000 + 60.
        let (_, short) = try solve(day(secondStart: "10:14", secondEnd: "11:44"))
        expectPlan(short, objective: 100_060, unmet: ["V2/talks/venue"])
        #expect(short.chosen("V1", "talks", "venue") == "R1")
    }

    @Test("turnover applies between two segments of one visit, not before the first or after the last use")
    func turnoverWithinOneVisit() throws {
        // R1 (60/h, turnover 15) is available exactly 09:00-11:00: no turnover is needed
        // before 09:00 or after the last use.
        func day(secondStart: String) -> DayBuilder {
            var d = DayBuilder(visits: [visit("V1", segments: [
                venueSegment("a", "09:00", "10:00"),
                venueSegment("b", secondStart, "11:00"),
            ])])
            d.venues = [venue("R1", costPerHour: 60, turnover: 15, available: windows("09:00-11:00"))]
            return d
        }
        // b 10:15-11:00: both met, 60 + 45 = 105.
        let (_, met) = try solve(day(secondStart: "10:15"))
        expectPlan(met, objective: 105)
        // b 10:14-11:00 (46 min): one segment unmet; meeting b (46) beats meeting a (60): 100000 + 46.
        let (_, short) = try solve(day(secondStart: "10:14"))
        expectPlan(short, objective: 100_046, unmet: ["V1/a/venue"])
        #expect(short.chosen("V1", "b", "venue") == "R1")
    }

    @Test("shared venue: attendees add up to at most capacity at every minute, no turnover")
    func sharedVenueCapacity() throws {
        // HALL shared, capacity 10, 60/h, turnoverMinutes 30 (ignored for shared venues).
        // V1: 6 guests 09:00-10:00 (60). V2: g guests from `start` to `end` (90 minutes = 90).
        func day(guests: Int, start: String, end: String) -> DayBuilder {
            var d = DayBuilder(visits: [
                visit("V1", guests: 6, segments: [venueSegment("talks", "09:00", "10:00")]),
                visit("V2", guests: guests, segments: [venueSegment("talks", start, end)]),
            ])
            d.venues = [venue("HALL", type: "hall", capacity: 10, costPerHour: 60, turnover: 30, shared: true)]
            return d
        }
        // 6 + 4 = 10 over 09:30-10:00: both met, 60 + 90 = 150.
        let (_, met) = try solve(day(guests: 4, start: "09:30", end: "11:00"))
        expectPlan(met, objective: 150)
        #expect(met.chosen("V1", "talks", "venue") == "HALL")
        #expect(met.chosen("V2", "talks", "venue") == "HALL")
        // 6 + 5 = 11 > 10: one unmet; meeting V1 (60) is cheaper: 100000 + 60.
        let (_, over) = try solve(day(guests: 5, start: "09:30", end: "11:00"))
        expectPlan(over, objective: 100_060, unmet: ["V2/talks/venue"])
        // Back to back (half-open) with 6 + 5: never at the same minute, turnover ignored: 150.
        let (_, touching) = try solve(day(guests: 5, start: "10:00", end: "11:30"))
        expectPlan(touching, objective: 150)
    }

    @Test("venue grade: below the tier minimum is ineligible; the cheaper cost + overGrade choice wins")
    func venueGradeAndOverGrade() throws {
        // Tier medium: minVenueGrade 2. 60-minute segment.
        // R-LOW grade 1, free (ineligible); R-MID grade 2 at 100/h; R-TOP grade 4 at `top`/h (overGrade 2 = 40).
        func day(top: Double?, onlyLow: Bool = false) -> DayBuilder {
            var d = DayBuilder(visits: [visit("V1", tier: "medium", segments: [venueSegment("talks", "10:00", "11:00")])])
            d.venues = [venue("R-LOW", grade: 1, costPerHour: 0)]
            if !onlyLow {
                d.venues.append(venue("R-MID", grade: 2, costPerHour: 100))
                if let top { d.venues.append(venue("R-TOP", grade: 4, costPerHour: top)) }
            }
            return d
        }
        // R-TOP 50 + 20 * 2 = 90 < 100: R-TOP, overGrade 2.
        let (_, top) = try solve(day(top: 50))
        expectPlan(top, objective: 90)
        #expect(top.chosen("V1", "talks", "venue") == "R-TOP")
        #expect(top.totals.overGrade == 2)
        // R-TOP 70 + 40 = 110 > 100: R-MID, overGrade 0.
        let (_, mid) = try solve(day(top: 70))
        expectPlan(mid, objective: 100)
        #expect(mid.chosen("V1", "talks", "venue") == "R-MID")
        #expect(mid.totals.overGrade == 0)
        // Only R-LOW (grade 1 < 2): unmet even though it is free.
        let (_, low) = try solve(day(top: nil, onlyLow: true))
        expectPlan(low, objective: 100_000, unmet: ["V1/talks/venue"])
    }

    @Test("location rule: the venue must be at the segment's location when one is given")
    func venueLocation() throws {
        // R-HQ at HQ (100/h), R-HOTEL at HOTEL (free); 60-minute segment.
        func day(location: String?) -> DayBuilder {
            var d = DayBuilder(visits: [visit("V1", segments: [venueSegment("talks", "10:00", "11:00", location: location)])])
            d.venues = [venue("R-HQ", location: "HQ", costPerHour: 100), venue("R-HOTEL", location: "HOTEL", costPerHour: 0)]
            return d
        }
        // At HQ: only R-HQ, 100.
        let (_, hq) = try solve(day(location: "HQ"))
        expectPlan(hq, objective: 100)
        #expect(hq.chosen("V1", "talks", "venue") == "R-HQ")
        // No location: any, the free R-HOTEL.
        let (_, any) = try solve(day(location: nil))
        expectPlan(any, objective: 0)
        #expect(any.chosen("V1", "talks", "venue") == "R-HOTEL")
        // At PVG: no venue there.
        let (_, pvg) = try solve(day(location: "PVG"))
        expectPlan(pvg, objective: 100_000, unmet: ["V1/talks/venue"])
    }

    @Test("availability: one entry must contain the whole interval; entries are not merged")
    func availabilityContainment() throws {
        // R1 at 60/h, available 08:00-12:00 and 12:00-18:00.
        func day(_ start: String, _ end: String, available: JSONValue = windows("08:00-12:00", "12:00-18:00")) -> DayBuilder {
            var d = DayBuilder(visits: [visit("V1", segments: [venueSegment("talks", start, end)])])
            d.venues = [venue("R1", costPerHour: 60, available: available)]
            return d
        }
        // 11:00-13:00 spans both entries: not covered.
        let (_, across) = try solve(day("11:00", "13:00"))
        expectPlan(across, objective: 100_000, unmet: ["V1/talks/venue"])
        // 10:00-12:00 ends exactly at the first entry's end: 120.
        let (_, first) = try solve(day("10:00", "12:00"))
        expectPlan(first, objective: 120)
        #expect(first.chosen("V1", "talks", "venue") == "R1")
        // 12:00-18:00 is exactly the second entry: 360.
        let (_, second) = try solve(day("12:00", "18:00"))
        expectPlan(second, objective: 360)
        // available: [] means never.
        let (_, never) = try solve(day("10:00", "11:00", available: []))
        expectPlan(never, objective: 100_000, unmet: ["V1/talks/venue"])
    }

    @Test("venues and catering are different kinds: equal ids never conflict")
    func equalIdsOfDifferentKinds() throws {
        // Venue X and catering X, both exclusive, used 12:00-13:00 by the same visit.
        var d = DayBuilder(visits: [visit("V1", segments: [
            venueSegment("talks", "12:00", "13:00"),
            segment("lunch", "12:00", "13:00", hostAttends: false, needs: ["catering": [:]]),
        ])])
        d.venues = [venue("X", costPerHour: 60)]
        d.catering = [cateringOption("X", costPerHead: 10)]
        // 60 + 10 * 2 guests = 80.
        let (_, plan) = try solve(d)
        expectPlan(plan, objective: 80)
        #expect(plan.chosen("V1", "talks", "venue") == "X")
        #expect(plan.chosen("V1", "lunch", "catering") == "X")
    }

    // MARK: Catering

    @Test("catering: kind, location, seats >= attendees, and every dietary item")
    func cateringDietaryAndSeats() throws {
        // 4 guests + 1 internal = 5 attendees, dietary halal + vegetarian, banquet-room at HQ.
        // C1 fits at 100/head = 500; every other option is cheaper but breaks one rule.
        func day(c1Seats: Int, c1Dietary: [String]) -> DayBuilder {
            var d = DayBuilder(visits: [visit("V1", guests: 4, extra: ["dietary": ["halal", "vegetarian"]], segments: [
                segment("lunch", "12:00", "13:00", location: "HQ", internalAttendees: 1,
                        needs: ["catering": ["kinds": ["banquet-room"]]]),
            ])])
            let all = ["halal", "vegetarian", "vegan"]
            d.catering = [
                cateringOption("C1", seats: c1Seats, costPerHead: 100, dietary: c1Dietary),
                cateringOption("C2-SMALL", seats: 4, costPerHead: 10, dietary: all),
                cateringOption("C3-HALAL-ONLY", seats: 10, costPerHead: 10, dietary: ["halal"]),
                cateringOption("C4-RESTAURANT", kind: "restaurant", seats: 10, costPerHead: 10, dietary: all),
                cateringOption("C5-HOTEL", location: "HOTEL", seats: 10, costPerHead: 10, dietary: all),
            ]
            return d
        }
        // C1 seats 5 = 5 attendees, serves both: 100 * 5 = 500.
        let (_, met) = try solve(day(c1Seats: 5, c1Dietary: ["halal", "vegetarian", "vegan"]))
        expectPlan(met, objective: 500)
        #expect(met.chosen("V1", "lunch", "catering") == "C1")
        #expect(met.visit("V1")?["costs"]?["catering"]?.number == 500)
        // One seat short.
        let (_, seats) = try solve(day(c1Seats: 4, c1Dietary: ["halal", "vegetarian", "vegan"]))
        expectPlan(seats, objective: 100_000, unmet: ["V1/lunch/catering"])
        // Serves halal but not vegetarian.
        let (_, diet) = try solve(day(c1Seats: 5, c1Dietary: ["halal"]))
        expectPlan(diet, objective: 100_000, unmet: ["V1/lunch/catering"])
    }

    // MARK: Transport

    @Test("transport seats: exactly enough with one pair; one short needs a second pair")
    func transportSeats() throws {
        // Pickup PVG -> HQ 09:00-10:00 with 3 internal attendees (not counted in seats).
        // CAR-A 4 seats at 60/h, CAR-B 3 seats at 120/h; D1 free, D2 at 30/h.
        func day(guests: Int, drivers: [JSONValue]) -> DayBuilder {
            var d = DayBuilder(visits: [visit("V1", guests: guests, segments: [
                transferSegment("pickup", "09:00", "10:00", from: "PVG", to: "HQ", internalAttendees: 3),
            ])])
            d.vehicles = [vehicle("CAR-A", seats: 4, costPerHour: 60), vehicle("CAR-B", seats: 3, costPerHour: 120)]
            d.drivers = drivers
            return d
        }
        let both = [driver("D1"), driver("D2", costPerHour: 30)]
        // 4 guests: CAR-A + D1 = 60.
        let (_, one) = try solve(day(guests: 4, drivers: both))
        expectPlan(one, objective: 60)
        #expect(one.pairs("V1", "pickup") == [Pair("CAR-A", "D1")])
        // 5 guests: both cars, both drivers: 60 + 120 + 30 = 210.
        let (_, two) = try solve(day(guests: 5, drivers: both))
        expectPlan(two, objective: 210)
        let pairs = try #require(two.pairs("V1", "pickup"))
        #expect(pairs.map(\.vehicle) == ["CAR-A", "CAR-B"])
        #expect(Set(pairs.map(\.driver)) == ["D1", "D2"])
        // 5 guests and one driver: one driver cannot drive two cars at once.
        let (_, short) = try solve(day(guests: 5, drivers: [driver("D1")]))
        expectPlan(short, objective: 100_000, unmet: ["V1/pickup/transport"])
    }

    @Test("licence: a driver drives only vehicle types they hold a licence for")
    func driverLicence() throws {
        // MPV (type mpv, free); D-SEDAN (sedan licence, free), D-MPV (mpv licence, 60/h); 60-minute transfer.
        func day(drivers: [JSONValue]) -> DayBuilder {
            var d = DayBuilder(visits: [visit("V1", segments: [transferSegment("pickup", "09:00", "10:00", from: "PVG", to: "HQ")])])
            d.vehicles = [vehicle("MPV", type: "mpv", seats: 6)]
            d.drivers = drivers
            return d
        }
        // The licensed but paid driver: 60.
        let (_, met) = try solve(day(drivers: [driver("D-SEDAN", licences: ["sedan"]), driver("D-MPV", licences: ["mpv"], costPerHour: 60)]))
        expectPlan(met, objective: 60)
        #expect(met.pairs("V1", "pickup") == [Pair("MPV", "D-MPV")])
        // Only the sedan driver: unmet.
        let (_, unlicensed) = try solve(day(drivers: [driver("D-SEDAN", licences: ["sedan"])]))
        expectPlan(unlicensed, objective: 100_000, unmet: ["V1/pickup/transport"])
    }

    @Test("travel gap between two transfers of one vehicle or driver: exactly met vs one minute short")
    func transferTravelGap() throws {
        // V1 PVG -> HQ 09:00-10:00; V2 HOTEL -> HQ from `start` for 90 minutes; HQ-HOTEL is 15 minutes.
        // Pair costs 60/h in total: V1 = 60, V2 = 90.
        func day(start: String, end: String, vehicles: [JSONValue], drivers: [JSONValue]) -> DayBuilder {
            var d = DayBuilder(visits: [
                visit("V1", segments: [transferSegment("pickup", "09:00", "10:00", from: "PVG", to: "HQ")]),
                visit("V2", segments: [transferSegment("pickup", start, end, from: "HOTEL", to: "HQ")]),
            ])
            d.vehicles = vehicles
            d.drivers = drivers
            return d
        }
        let oneCar = [vehicle("CAR", costPerHour: 60)]
        // 10:15 >= 10:00 + 15: CAR + D1 serve both: 60 + 90 = 150.
        let (_, met) = try solve(day(start: "10:15", end: "11:45", vehicles: oneCar, drivers: [driver("D1")]))
        expectPlan(met, objective: 150)
        #expect(met.pairs("V1", "pickup") == [Pair("CAR", "D1")])
        #expect(met.pairs("V2", "pickup") == [Pair("CAR", "D1")])
        // 10:14: one vehicle cannot make it; meeting V1 (60) is cheaper: 100000 + 60.
        let (_, short) = try solve(day(start: "10:14", end: "11:44", vehicles: oneCar, drivers: [driver("D1")]))
        expectPlan(short, objective: 100_060, unmet: ["V2/pickup/transport"])
        // The same holds for a driver: two free cars but one driver at 60/h.
        let twoCars = [vehicle("CAR-1"), vehicle("CAR-2")]
        let (_, driverShort) = try solve(day(start: "10:14", end: "11:44", vehicles: twoCars, drivers: [driver("D1", costPerHour: 60)]))
        expectPlan(driverShort, objective: 100_060, unmet: ["V2/pickup/transport"])
        let (_, driverMet) = try solve(day(start: "10:15", end: "11:45", vehicles: twoCars, drivers: [driver("D1", costPerHour: 60)]))
        expectPlan(driverMet, objective: 150)
    }

    @Test("vehicle and driver availability includes travel from home and back, half-open")
    func vehicleWindowWithTravel() throws {
        // Transfer PVG -> HOTEL 10:00-11:00; home HQ; HQ-PVG 60, HOTEL-HQ 15: window [09:00, 11:15).
        // CAR at 60/h.
        func day(car: JSONValue? = nil, drv: JSONValue? = nil, start: String = "10:00", end: String = "11:00",
                 from: String = "PVG", to: String = "HOTEL") -> DayBuilder {
            var d = DayBuilder(visits: [visit("V1", segments: [transferSegment("pickup", start, end, from: from, to: to)])])
            d.vehicles = [vehicle("CAR", costPerHour: 60, available: car)]
            d.drivers = [driver("D1", available: drv)]
            return d
        }
        // Exactly the window: 60.
        let (_, exact) = try solve(day(car: windows("09:00-11:15")))
        expectPlan(exact, objective: 60)
        #expect(exact.pairs("V1", "pickup") == [Pair("CAR", "D1")])
        // One minute late to leave home.
        let (_, late) = try solve(day(car: windows("09:01-11:15")))
        expectPlan(late, objective: 100_000, unmet: ["V1/pickup/transport"])
        // One minute short of getting back home.
        let (_, early) = try solve(day(car: windows("09:00-11:14")))
        expectPlan(early, objective: 100_000, unmet: ["V1/pickup/transport"])
        // The driver's window counts the same way.
        let (_, driverShort) = try solve(day(drv: windows("09:00-11:14")))
        expectPlan(driverShort, objective: 100_000, unmet: ["V1/pickup/transport"])
        let (_, driverExact) = try solve(day(drv: windows("09:00-11:15")))
        expectPlan(driverExact, objective: 60)
        // A window reaching before 00:00 or past 24:00 fits no entry, not even the default whole day:
        // 00:30-01:00 from PVG needs the car from 23:30 the day before; 23:00-23:30 to PVG brings it
        // home at 24:30.
        let (_, midnight) = try solve(day(start: "00:30", end: "01:00", from: "PVG", to: "HQ"))
        expectPlan(midnight, objective: 100_000, unmet: ["V1/pickup/transport"])
        let (_, lateNight) = try solve(day(start: "23:00", end: "23:30", from: "HQ", to: "PVG"))
        expectPlan(lateNight, objective: 100_000, unmet: ["V1/pickup/transport"])
        // 22:30-23:00 to PVG is back home at 24:00 exactly: 30 minutes at 60/h = 30.
        let (_, lastTrip) = try solve(day(start: "22:30", end: "23:00", from: "HQ", to: "PVG"))
        expectPlan(lastTrip, objective: 30)
    }

    @Test("maxDrivingMinutes: a driver's transfer minutes add up to at most the limit (travel not counted)")
    func maxDrivingMinutes() throws {
        // V1 HQ -> HOTEL 09:00-10:00 (60 min), V2 HOTEL -> HQ 11:00-11:30 (30 min): 90 transfer minutes,
        // plus 15 + 15 travel from and to HQ that do not count. One free car, D1 at 60/h.
        func day(limit: Int) -> DayBuilder {
            var d = DayBuilder(visits: [
                visit("V1", segments: [transferSegment("go", "09:00", "10:00", from: "HQ", to: "HOTEL")]),
                visit("V2", segments: [transferSegment("back", "11:00", "11:30", from: "HOTEL", to: "HQ")]),
            ])
            d.vehicles = [vehicle("CAR")]
            d.drivers = [driver("D1", maxDrivingMinutes: limit, costPerHour: 60)]
            return d
        }
        // 90 <= 90: both, 60 + 30 = 90.
        let (_, met) = try solve(day(limit: 90))
        expectPlan(met, objective: 90)
        #expect(met.pairs("V1", "go") == [Pair("CAR", "D1")])
        #expect(met.pairs("V2", "back") == [Pair("CAR", "D1")])
        // 89: only one; meeting V2 (30) is cheaper: 100000 + 30.
        let (_, short) = try solve(day(limit: 89))
        expectPlan(short, objective: 100_030, unmet: ["V1/go/transport"])
    }

    // MARK: Staff

    @Test("presenters: count distinct staff of the department with rank >= minRank")
    func presenters() throws {
        // Tier high (host executive). Tour 10:00-11:00 (the host attends it).
        // H1 executive Admin; P1 manager R&D; P2 executive R&D; P3 staff R&D; P4 executive Sales.
        func day(_ need: JSONValue) -> DayBuilder {
            var d = DayBuilder(visits: [visit("V1", tier: "high", segments: [
                segment("tour", "10:00", "11:00", needs: ["presenters": need]),
            ])])
            d.staff = [
                staffMember("H1", rank: "executive", department: "Admin"),
                staffMember("P1", rank: "manager", department: "R&D"),
                staffMember("P2", rank: "executive", department: "R&D"),
                staffMember("P3", rank: "staff", department: "R&D"),
                staffMember("P4", rank: "executive", department: "Sales"),
            ]
            return d
        }
        // Two R&D managers or above: exactly P1 and P2; the host is another executive.
        let (_, met) = try solve(day(["department": "R&D", "count": 2, "minRank": "manager"]))
        expectPlan(met, objective: 0)
        #expect(met.need("V1", "tour", "presenters")?.strings?.sorted() == ["P1", "P2"])
        #expect(["H1", "P4"].contains(met.host("V1") ?? "-"))
        // Three R&D managers or above do not exist.
        let (_, short) = try solve(day(["department": "R&D", "count": 3, "minRank": "manager"]))
        expectPlan(short, objective: 100_000, unmet: ["V1/tour/presenters"])
        // Any department: three of H1, P1, P2, P4, and the host is the executive left over.
        let (_, any) = try solve(day(["count": 3, "minRank": "manager"]))
        expectPlan(any, objective: 0)
        let chosen = try #require(any.need("V1", "tour", "presenters")?.strings)
        #expect(chosen.count == 3 && Set(chosen).count == 3 && Set(chosen).isSubset(of: ["H1", "P1", "P2", "P4"]))
        #expect(!chosen.contains(any.host("V1") ?? "-"))
    }

    @Test("host rank; a pinned host who lacks the rank or is unavailable stays unmet, never replaced")
    func hostRankAndPinnedHost() throws {
        // Tier high: host must be executive. M1 manager, E1 executive. Talks 10:00-11:00 in the free
        // room R1 (the host attends it), so the day always has a meetable need besides the host.
        func day(pin: String?, staff: [JSONValue], extra: [JSONValue] = []) -> DayBuilder {
            var d = DayBuilder(visits: [visit("V1", tier: "high", extra: pin.map { ["host": .string($0)] } ?? [:],
                                              segments: [venueSegment("talks", "10:00", "11:00")] + extra)])
            d.venues = [venue("R1", grade: 3)]
            d.staff = staff
            return d
        }
        let both = [staffMember("M1", rank: "manager"), staffMember("E1", rank: "executive")]
        let (_, free) = try solve(day(pin: nil, staff: both))
        expectPlan(free, objective: 0)
        #expect(free.host("V1") == "E1")
        // Pinned manager: unmet although E1 could host.
        let (_, pinnedLow) = try solve(day(pin: "M1", staff: both))
        expectPlan(pinnedLow, objective: 100_000, unmet: ["V1/-/host"])
        #expect(pinnedLow.visit("V1")?["host"] == .null)
        // Pinned executive who is away 10:00-11:00: unmet, not given to E2.
        let away = [staffMember("E1", rank: "executive", available: windows("12:00-18:00")), staffMember("E2", rank: "executive")]
        let (_, pinnedAway) = try solve(day(pin: "E1", staff: away))
        expectPlan(pinnedAway, objective: 100_000, unmet: ["V1/-/host"])
        // Pinned executive who is there: met.
        let (_, pinnedOK) = try solve(day(pin: "E1", staff: both))
        expectPlan(pinnedOK, objective: 0)
        #expect(pinnedOK.host("V1") == "E1")
        // Nobody of the rank.
        let (_, none) = try solve(day(pin: nil, staff: [staffMember("M1", rank: "manager")]))
        expectPlan(none, objective: 100_000, unmet: ["V1/-/host"])
        // The host must be available over each attended segment (one entry each), not over the gap
        // or a transfer the host does not attend: E1 is there 10:00-11:00 and 12:00-13:00 only.
        var split = day(pin: "E1", staff: [staffMember("E1", rank: "executive", available: windows("10:00-11:00", "12:00-13:00"))],
                        extra: [segment("lunch", "12:00", "13:00"), transferSegment("sendoff", "14:00", "15:00", from: "HQ", to: "PVG")])
        split.vehicles = [vehicle("CAR", grade: 3)]
        split.drivers = [driver("D1")]
        let (_, splitPlan) = try solve(split)
        expectPlan(splitPlan, objective: 0)
        #expect(splitPlan.host("V1") == "E1")
    }

    @Test("host attending two overlapping segments of the visit is unmet")
    func hostOverlappingSegments() throws {
        // a: talks in the free room R1; b: no needs. The host attends both. Plenty of executives.
        func day(_ second: JSONValue) -> DayBuilder {
            var d = DayBuilder(visits: [visit("V1", segments: [venueSegment("a", "10:00", "11:00"), second])])
            d.venues = [venue("R1")]
            return d
        }
        let (_, overlap) = try solve(day(segment("b", "10:30", "11:30")))
        expectPlan(overlap, objective: 100_000, unmet: ["V1/-/host"])
        #expect(overlap.chosen("V1", "a", "venue") == "R1")
        // Touching (half-open): met.
        let (_, touching) = try solve(day(segment("b", "11:00", "12:00")))
        expectPlan(touching, objective: 0)
        #expect(touching.host("V1") != nil)
        // Overlapping but the host does not attend b: met.
        let (_, notAttended) = try solve(day(segment("b", "10:30", "11:30", hostAttends: false)))
        expectPlan(notAttended, objective: 0)
    }

    @Test("a plan is always possible: a day where no need can be met gets the all-unmet plan (§8)")
    func noMeetableNeedStillGivesPlan() throws {
        // Each day below has no need that any selection can meet, so the model has no columns.
        // Spec §8: every need unmet is a valid plan, and `schedule optimize` always writes one.
        var pinnedLow = DayBuilder(visits: [visit("V1", tier: "high", extra: ["host": "M1"], segments: [segment("talks", "10:00", "11:00")])])
        pinnedLow.staff = [staffMember("M1", rank: "manager"), staffMember("E1", rank: "executive")]
        var overlapping = DayBuilder(visits: [visit("V1", segments: [segment("a", "10:00", "11:00"), segment("b", "10:30", "11:30")])])
        overlapping.staff = [staffMember("E1", rank: "executive")]
        let noVisits = DayBuilder(visits: [])
        let cases: [(String, DayBuilder, Double, [String])] = [
            ("pinned host without the rank", pinnedLow, 100_000, ["V1/-/host"]),
            ("host attending overlapping segments", overlapping, 100_000, ["V1/-/host"]),
            ("no visits", noVisits, 0, []),
        ]
        for (name, day, objective, unmet) in cases {
            do {
                let (_, plan) = try solve(day)
                expectPlan(plan, objective: objective, unmet: unmet)
            } catch {
                Issue.record("\(name): no plan; the optimizer threw on a day whose model has no columns: \(error)")
            }
        }
    }

    @Test("escorts: default ceil(guests / guestsPerEscort), explicit count, and escorts 0 gives [] and no unmet")
    func escortCount() throws {
        // Tier medium: 4 guests per escort, host manager or above. EX1 is the only possible host;
        // S1-S3 (staff) can only escort. One segment 10:00-11:00 without needs.
        func day(guests: Int, escorts: Int?, language: String? = nil, staff: [JSONValue]? = nil) -> DayBuilder {
            var d = DayBuilder(visits: [visit("V1", tier: "medium", guests: guests, escorts: escorts,
                                              extra: language.map { ["language": .string($0)] } ?? [:],
                                              segments: [segment("talks", "10:00", "11:00")])])
            d.staff = staff ?? [staffMember("EX1", rank: "executive"), staffMember("S1"), staffMember("S2"), staffMember("S3")]
            return d
        }
        for (guests, escorts, expected) in [(4, nil, 1), (5, nil, 2), (9, nil, 3), (2, 3, 3)] as [(Int, Int?, Int)] {
            let (_, plan) = try solve(day(guests: guests, escorts: escorts))
            expectPlan(plan, objective: 0)
            let chosen = try #require(plan.escorts("V1"), "guests \(guests)")
            #expect(chosen.count == expected, "guests \(guests), escorts \(String(describing: escorts))")
            #expect(Set(chosen).count == chosen.count)
            #expect(plan.host("V1") == "EX1")
            #expect(!chosen.contains("EX1"))
        }
        // 13 guests need 4 escorts; with EX1 hosting only 3 people can escort, and EX1 cannot do both:
        // exactly one of host and escorts is unmet.
        let (_, tooFew) = try solve(day(guests: 13, escorts: nil))
        #expect(tooFew.status == .optimal)
        #expect(close(tooFew.objective, 100_000), "objective \(tooFew.objective)")
        #expect(tooFew.unmetKeys == ["V1/-/escorts"] || tooFew.unmetKeys == ["V1/-/host"], "\(tooFew.unmetKeys)")
        // escorts 0: [] and never unmet, even with a language nobody speaks and nobody free to escort.
        let (_, zero) = try solve(day(guests: 9, escorts: 0, language: "de", staff: [staffMember("EX1", rank: "executive")]))
        expectPlan(zero, objective: 0)
        #expect(zero.visit("V1")?["escorts"] == .array([]))
    }

    @Test("escort language: at least one escort speaks the visit's language")
    func escortLanguage() throws {
        // 2 escorts, language de; tier low (anyone can host). One segment 10:00-11:00 without needs.
        func day(s2Languages: [String], pin: String? = nil) -> DayBuilder {
            var extra: [String: JSONValue] = ["language": "de"]
            if let pin { extra["host"] = .string(pin) }
            var d = DayBuilder(visits: [visit("V1", escorts: 2, extra: extra, segments: [segment("talks", "10:00", "11:00")])])
            d.staff = [
                staffMember("S1", languages: ["en"]), staffMember("S2", languages: s2Languages),
                staffMember("S3", languages: ["en"]), staffMember("S4", languages: ["zh"]),
            ]
            return d
        }
        let (_, met) = try solve(day(s2Languages: ["en", "de"]))
        expectPlan(met, objective: 0)
        let chosen = try #require(met.escorts("V1"))
        #expect(chosen.count == 2 && chosen.contains("S2"))
        #expect(met.host("V1") != "S2")
        // Nobody speaks de.
        let (_, nobody) = try solve(day(s2Languages: ["fr"]))
        expectPlan(nobody, objective: 100_000, unmet: ["V1/-/escorts"])
        // The only de speaker is the pinned host, who cannot also escort: S2 hosts and the escorts
        // are unmet, or S2 escorts and the (pinned, never replaced) host is unmet.
        let (_, pinned) = try solve(day(s2Languages: ["de"], pin: "S2"))
        #expect(pinned.status == .optimal)
        #expect(close(pinned.objective, 100_000), "objective \(pinned.objective)")
        #expect(pinned.unmetKeys == ["V1/-/escorts"] || pinned.unmetKeys == ["V1/-/host"], "\(pinned.unmetKeys)")
        #expect(pinned.host("V1") == nil || pinned.host("V1") == "S2")
    }

    @Test("an escort is never the visit's host")
    func escortIsNotHost() throws {
        // Tier high, 1 escort, one segment 10:00-11:00 without needs.
        func day(pin: String?, staff: [JSONValue]) -> DayBuilder {
            var d = DayBuilder(visits: [visit("V1", tier: "high", escorts: 1, extra: pin.map { ["host": .string($0)] } ?? [:],
                                              segments: [segment("talks", "10:00", "11:00")])])
            d.staff = staff
            return d
        }
        // E1 alone, pinned or not: one of host and escorts is unmet (100000), never both filled by E1.
        for pin in ["E1", nil] as [String?] {
            let (_, alone) = try solve(day(pin: pin, staff: [staffMember("E1", rank: "executive")]))
            #expect(alone.status == .optimal)
            #expect(close(alone.objective, 100_000), "objective \(alone.objective)")
            #expect(alone.unmetKeys == ["V1/-/escorts"] || alone.unmetKeys == ["V1/-/host"], "\(alone.unmetKeys)")
            #expect(!(alone.host("V1") == "E1" && alone.escorts("V1") == ["E1"]))
        }
        // With S1 too: E1 hosts (only executive), S1 escorts.
        let (_, both) = try solve(day(pin: nil, staff: [staffMember("E1", rank: "executive"), staffMember("S1")]))
        expectPlan(both, objective: 0)
        #expect(both.host("V1") == "E1")
        #expect(both.escorts("V1") == ["S1"])
    }

    @Test("an escort is busy over the whole visit span and cannot present in it, not even in its own visit")
    func escortCannotPresentInSpan() throws {
        // V1 (tier low, 1 escort): talks 09:00-10:00 (no needs), tour 11:00-11:30 needing an R&D presenter.
        // H1 executive Admin, R1 staff R&D: whoever presents cannot escort, the host cannot escort,
        // and the host attends the tour so cannot present it: one need stays unmet.
        func day(extraStaff: [JSONValue]) -> DayBuilder {
            var d = DayBuilder(visits: [visit("V1", escorts: 1, segments: [
                segment("talks", "09:00", "10:00"),
                segment("tour", "11:00", "11:30", needs: ["presenters": ["department": "R&D"]]),
            ])])
            d.staff = [staffMember("H1", rank: "executive"), staffMember("R1", department: "R&D")] + extraStaff
            return d
        }
        let (_, short) = try solve(day(extraStaff: []))
        #expect(short.status == .optimal)
        #expect(close(short.objective, 100_000), "objective \(short.objective)")
        #expect(short.unmet.count == 1)
        #expect(short.escorts("V1")?.contains("R1") != true || short.need("V1", "tour", "presenters") == .null)
        // A third person: R1 presents, the others host and escort.
        let (_, met) = try solve(day(extraStaff: [staffMember("S2", department: "Sales")]))
        expectPlan(met, objective: 0)
        #expect(met.need("V1", "tour", "presenters")?.strings == ["R1"])
        #expect(met.escorts("V1")?.contains("R1") == false)

        // The gap counts: V1 escorted 09:00-11:30 with a gap 10:00-11:00; V2's tour 10:00-10:30 needs R1.
        // H1 hosts both (hosting is busy only over attended segments), so V1's escort must be R1,
        // who then cannot present in V2 inside V1's span: one need unmet (100000).
        var gap = DayBuilder(visits: [
            visit("V1", escorts: 1, segments: [segment("talks", "09:00", "10:00"), segment("farewell", "11:00", "11:30")]),
            visit("V2", segments: [segment("tour", "10:00", "10:30", needs: ["presenters": ["department": "R&D"]])]),
        ])
        gap.staff = [staffMember("H1", rank: "executive"), staffMember("R1", department: "R&D")]
        let (_, gapPlan) = try solve(gap)
        #expect(gapPlan.status == .optimal)
        #expect(close(gapPlan.objective, 100_000), "objective \(gapPlan.objective): an escort must stay busy in the gap")
        #expect(gapPlan.unmet.count == 1, "\(gapPlan.unmetKeys)")
    }

    // MARK: Costs, caps and weights

    @Test("visit cap: overrun = spend - cap, times weights.overrun, with an approval; approvedOverrun raises the cap")
    func visitCapOverrun() throws {
        // Tier low venue limit: perVisit 50 + perGuest 10 * 2 guests = cap 70. R1 for 60 minutes at `cost`/h.
        func day(cost: Double, approved: Double? = nil) -> DayBuilder {
            var d = DayBuilder(visits: [visit("V1", guests: 2, extra: approved.map { ["approvedOverrun": ["venue": .number($0)]] } ?? [:],
                                              segments: [venueSegment("talks", "10:00", "11:00")])])
            d.setTier("low", "limits", ["venue": ["perVisit": 50, "perGuest": 10]])
            d.venues = [venue("R1", costPerHour: cost)]
            return d
        }
        // Spend 120, overrun 50: 120 + 10 * 50 = 620 (cheaper than 100000 unmet).
        let (_, over) = try solve(day(cost: 120))
        expectPlan(over, objective: 620)
        #expect(over.chosen("V1", "talks", "venue") == "R1")
        #expect(over.totals.overrun == 50)
        #expect(over.approvalKeys == ["V1/venue/50"])
        #expect(over.visit("V1")?["overruns"] == ["venue": 50])
        #expect(over.visit("V1")?["costs"] == ["venue": 120, "transport": 0, "catering": 0])
        // Spend 70 = cap: no overrun, no approval, empty overruns.
        let (_, atCap) = try solve(day(cost: 70))
        expectPlan(atCap, objective: 70)
        #expect(atCap.approvalsNeeded.isEmpty)
        #expect(atCap.visit("V1")?["overruns"] == .object(JSONObject()))
        // approvedOverrun 50 raises the cap to 120: 120, no approval.
        let (_, approved) = try solve(day(cost: 120, approved: 50))
        expectPlan(approved, objective: 120)
        #expect(approved.approvalsNeeded.isEmpty)
        // approvedOverrun 30: cap 100, overrun 20: 120 + 200 = 320.
        let (_, partly) = try solve(day(cost: 120, approved: 30))
        expectPlan(partly, objective: 320)
        #expect(partly.approvalKeys == ["V1/venue/20"])
    }

    @Test("day budget: day overrun times weights.overrun with a {visit: null, category: day} approval")
    func dayBudgetOverrun() throws {
        // V1 and V2 each use their own room for 60 minutes at 60/h: total cost 120.
        func day(budget: Double) -> DayBuilder {
            var d = DayBuilder(visits: [
                visit("V1", segments: [venueSegment("talks", "10:00", "11:00", types: ["room-1"])]),
                visit("V2", segments: [venueSegment("talks", "10:00", "11:00", types: ["room-2"])]),
            ])
            d.venues = [venue("R1", type: "room-1", costPerHour: 60), venue("R2", type: "room-2", costPerHour: 60)]
            d.dayBudget = budget
            return d
        }
        // Budget 100: day overrun 20: 120 + 10 * 20 = 320.
        let (_, over) = try solve(day(budget: 100))
        expectPlan(over, objective: 320)
        #expect(over.totals.dayOverrun == 20)
        #expect(over.totals.overrun == 0)
        #expect(over.approvalKeys == ["null/day/20"])
        #expect(over.json["approvalsNeeded"] == [["visit": nil, "category": "day", "amount": 20]])
        // Budget 120: exactly spent, no approval.
        let (_, exact) = try solve(day(budget: 120))
        expectPlan(exact, objective: 120)
        #expect(exact.approvalsNeeded.isEmpty)
        #expect(exact.totals.dayOverrun == 0)
    }

    @Test("unmet weight: each unmet need costs weights.unmet, and leaving a need unmet is taken when cheaper")
    func unmetWeight() throws {
        // R1 at 60/h for 120 minutes = 120; the lunch needs catering and there is none.
        func day(unmet: Double) -> DayBuilder {
            var d = DayBuilder(visits: [visit("V1", segments: [
                venueSegment("talks", "10:00", "12:00"),
                segment("lunch", "12:00", "13:00", needs: ["catering": [:]]),
            ])])
            d.venues = [venue("R1", costPerHour: 60)]
            d.weights = ["unmet": .number(unmet)]
            return d
        }
        // unmet 50 < 120: both unmet, 2 * 50 = 100.
        let (_, cheap) = try solve(day(unmet: 50))
        expectPlan(cheap, objective: 100, unmet: ["V1/lunch/catering", "V1/talks/venue"])
        // unmet 200 > 120: the venue is met: 120 + 200 = 320.
        let (_, dear) = try solve(day(unmet: 200))
        expectPlan(dear, objective: 320, unmet: ["V1/lunch/catering"])
        #expect(dear.chosen("V1", "talks", "venue") == "R1")
    }

    @Test("weights override each key on its own; the others keep their defaults")
    func weightsOverride() throws {
        // Tier medium (minVenueGrade 2): R-MID grade 2 at 100/h, R-TOP grade 4 at 70/h (overGrade 2);
        // the lunch has no catering, so one need is always unmet.
        func day(weights: JSONValue?, limit: Bool = false) -> DayBuilder {
            var d = DayBuilder(visits: [visit("V1", tier: "medium", guests: 2, segments: [
                venueSegment("talks", "10:00", "11:00"),
                segment("lunch", "12:00", "13:00", needs: ["catering": [:]]),
            ])])
            d.venues = [venue("R-MID", grade: 2, costPerHour: 100), venue("R-TOP", grade: 4, costPerHour: 70)]
            d.weights = weights
            if limit { d.setTier("medium", "limits", ["venue": ["perVisit": 20, "perGuest": 10]]) }
            return d
        }
        // Defaults: R-TOP 70 + 20 * 2 = 110 > 100: R-MID; 100 + 100000.
        let (_, defaults) = try solve(day(weights: nil))
        expectPlan(defaults, objective: 100_100, unmet: ["V1/lunch/catering"])
        #expect(defaults.chosen("V1", "talks", "venue") == "R-MID")
        // overGrade 5 only: R-TOP 70 + 10 = 80 < 100; unmet keeps 100000: 100080.
        let (_, grade) = try solve(day(weights: ["overGrade": 5]))
        expectPlan(grade, objective: 100_080, unmet: ["V1/lunch/catering"])
        #expect(grade.chosen("V1", "talks", "venue") == "R-TOP")
        // overrun 1 only, cap 20 + 10 * 2 = 40: R-MID 100 + 1 * 60 = 160 vs R-TOP 70 + 40 + 1 * 30 = 140:
        // R-TOP, 140 + 100000.
        let (_, overrun) = try solve(day(weights: ["overrun": 1], limit: true))
        expectPlan(overrun, objective: 100_140, unmet: ["V1/lunch/catering"])
        #expect(overrun.chosen("V1", "talks", "venue") == "R-TOP")
        #expect(overrun.approvalKeys == ["V1/venue/30"])
        // Same with the default overrun weight 10: R-MID 100 + 600 = 700 vs R-TOP 70 + 40 + 300 = 410: R-TOP, 410 + 100000.
        let (_, overrunDefault) = try solve(day(weights: nil, limit: true))
        expectPlan(overrunDefault, objective: 100_410, unmet: ["V1/lunch/catering"])
    }
}
