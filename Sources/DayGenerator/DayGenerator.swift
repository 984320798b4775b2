import Foundation
import SchedulingCore

/// Options of a generated day.
public struct GeneratorOptions: Sendable, Hashable {
    /// Number of visits, >= 1.
    public var visits: Int
    /// The same seed gives the same day, byte for byte.
    public var seed: UInt64
    /// 1.0 gives comfortably enough resources; 1.5 makes them scarce.
    public var tightness: Double
    /// Days of the programme; 1 writes a version-1 day, more a version-2 programme
    /// (PROBLEM.md §9) whose visits start on any day and of which about a third stay
    /// 1–4 nights at a hotel.
    public var days: Int

    public init(visits: Int, seed: UInt64, tightness: Double = 1.0, days: Int = 1) {
        self.visits = visits
        self.seed = seed
        self.tightness = tightness
        self.days = days
    }
}

/// Generates realistic reception days of any size (PROBLEM.md's format):
/// several locations with travel times, a tier mix of about 15 % high, 35 %
/// medium and 50 % low, small groups more often than large ones, itineraries
/// that follow the regulation's flow (pickup, welcome, presentation, tour with
/// a presenter, negotiation, meal, send-off; shorter for low tiers), starts
/// spread over the working day, and resources scaled to the peak demand of the
/// generated visits divided by the tightness. A programme of several days spreads
/// the visits over its days; a third of them stay 1–4 nights, come back each day
/// from their hotel, and book lodging at hotels scaled like the other resources.
public struct DayGenerator {
    public let options: GeneratorOptions
    private var random: SplitMix64

    public init(_ options: GeneratorOptions) {
        self.options = options
        self.random = SplitMix64(seed: options.seed)
    }

    /// The day as JSON.
    public static func generate(_ options: GeneratorOptions) -> JSONValue {
        var generator = DayGenerator(options)
        return generator.makeDay()
    }

    // MARK: Places

    static let locations: [(id: String, name: String)] = [
        ("HQ", "Headquarters"), ("PLANT", "Assembly plant"), ("PVG", "Pudong International Airport"),
        ("HSR", "Hongqiao railway station"), ("HOTEL-A", "Riverside Hotel (city centre)"), ("HOTEL-B", "Airport Marriott"),
    ]

    static let travel: [(String, String, Int)] = [
        ("HQ", "PLANT", 25), ("HQ", "PVG", 55), ("HQ", "HSR", 30), ("HQ", "HOTEL-A", 15), ("HQ", "HOTEL-B", 45),
        ("PLANT", "PVG", 60), ("PLANT", "HSR", 40), ("PLANT", "HOTEL-A", 30), ("PLANT", "HOTEL-B", 55),
        ("PVG", "HSR", 75), ("PVG", "HOTEL-A", 55), ("PVG", "HOTEL-B", 15),
        ("HSR", "HOTEL-A", 40), ("HSR", "HOTEL-B", 65), ("HOTEL-A", "HOTEL-B", 45),
    ]

    static func minutes(_ a: String, _ b: String) -> Int {
        if a == b { return 0 }
        return travel.first { ($0.0 == a && $0.1 == b) || ($0.0 == b && $0.1 == a) }?.2 ?? 60
    }

    // MARK: Visits

    /// A segment as generated, before it becomes JSON.
    struct Segment {
        var id: String
        var start: Int
        var end: Int
        var location: String?
        var from: String?
        var to: String?
        var internalAttendees = 0
        var needs: [(String, JSONValue)]
    }

    struct Visit {
        var id: String
        var tier: TierName
        /// Nights at a hotel (night k follows day k) and where, for a visit that stays.
        var nights: [Int] = []
        var hotelLocation: String?
        var guests: Int
        var language: String?
        var dietary: [String]
        var escorts: Int?
        var host: String?
        var approved: [(String, Double)]
        var company: String
        var purpose: String
        var segments: [Segment]
    }

    static let companies = ["Acme GmbH", "Nordwind AG", "Pacific Components", "Huaxin Electronics", "Sakura Motors",
                            "Lumen Optics", "Baltic Freight", "Orion Medical", "Kestrel Aerospace", "Atlas Retail",
                            "Hanseatic Steel", "Jade River Foods", "Meridian Pharma", "Solace Energy", "Vega Robotics"]
    static let purposes = ["supplier audit", "partnership talks", "quality review", "price negotiation", "line tour",
                           "project kickoff", "contract signing", "technical exchange"]

    private mutating func makeVisit(_ n: Int) -> Visit {
        let r = random.double()
        let tier: TierName = r < 0.15 ? .high : (r < 0.5 ? .medium : .low)
        // Small groups are common, large ones rare: 1 + 24·u^2.5 (median about 4).
        var guests = 1 + Int(24 * pow(random.double(), 2.5))
        if tier == .high { guests = max(guests, 2) }
        let language: String? = random.double() < 0.45 ? random.pick(["en", "en", "en", "de", "ja", "ko", "fr"]) : nil
        let dietary: [String] = random.double() < 0.15 ? [random.pick(["vegetarian", "halal"])] : []
        var visit = Visit(id: "V-" + pad(n, 4), tier: tier, guests: guests, language: language, dietary: dietary,
                          escorts: random.double() < 0.1 ? random.int(0...2) : nil, host: nil, approved: [],
                          company: random.pick(Self.companies), purpose: random.pick(Self.purposes), segments: [])
        if random.double() < 0.1 { visit.approved = [(random.pick(["transport", "catering", "venue"]), Double(100 * random.int(1...5)))] }
        let earliest = tier == .low ? 8 * 60 : 7 * 60 + 30
        var clock = earliest + 5 * random.int(0...((14 * 60 + 30 - earliest) / 5))
        var segments: [Segment] = []
        func add(_ id: String, _ length: Int, location: String? = nil, from: String? = nil, to: String? = nil,
                 inside: Int = 0, needs: [(String, JSONValue)], gap: Int) {
            segments.append(Segment(id: id, start: clock, end: clock + length, location: location, from: from, to: to,
                                    internalAttendees: inside, needs: needs))
            clock += length + gap
        }
        func venue(_ types: [String]) -> (String, JSONValue) { ("venue", .object(JSONObject(pairs: ["types": .array(types.map { .string($0) })]))) }
        func presenters(_ department: String) -> (String, JSONValue) {
            ("presenters", .object(JSONObject(pairs: ["department": .string(department), "count": 1])))
        }
        let transport: (String, JSONValue) = ("transport", .object(JSONObject()))
        let gap = { (r: inout SplitMix64) in 5 * r.int(0...3) }

        switch tier {
        case .high:
            let origin = random.pick(["PVG", "PVG", "HSR", "HOTEL-B"])
            add("pickup", Self.minutes(origin, "HQ") + 5, from: origin, to: "HQ", needs: [transport], gap: 10)
            add("welcome", 30, location: "HQ", inside: random.int(2...4), needs: [venue(["meeting-room"])], gap: gap(&random))
            add("presentation", 45 + 15 * random.int(0...1), location: "HQ", inside: random.int(1...3), needs: [venue(["meeting-room"])], gap: gap(&random))
            add("tour", 45, location: "HQ", needs: [venue(["showroom"]), presenters("R&D")], gap: gap(&random))
            add("negotiation", 60 + 30 * random.int(0...1), location: "HQ", inside: random.int(2...3),
                needs: [venue(["negotiation-room", "meeting-room"])], gap: 15)
            add("meal", 90, location: "HQ", inside: random.int(1...3),
                needs: [("catering", .object(JSONObject(pairs: ["kinds": ["banquet-room"]])))], gap: 15)
            add("sendoff", Self.minutes("HQ", origin) + 5, from: "HQ", to: origin, needs: [transport], gap: 0)
            if random.double() < 0.05 { visit.host = "S-0001" }
        case .medium:
            let picked = random.double() < 0.6
            let origin = random.pick(["HOTEL-A", "HOTEL-B", "HSR"])
            if picked { add("pickup", Self.minutes(origin, "HQ") + 5, from: origin, to: "HQ", needs: [transport], gap: 10) }
            add("talks", 60 + 30 * random.int(0...1), location: "HQ", inside: random.int(1...3),
                needs: [venue(["meeting-room", "negotiation-room"])], gap: gap(&random) + 5)
            if random.double() < 0.4 {
                add("to-plant", 30, from: "HQ", to: "PLANT", needs: [transport], gap: 5)
                add("plant-tour", 60, location: "PLANT", needs: [venue(["workshop", "showroom"]), presenters("Production")], gap: 5)
                add("from-plant", 30, from: "PLANT", to: "HQ", needs: [transport], gap: 10)
            } else if random.double() < 0.5 {
                add("tour", 45, location: "HQ", needs: [venue(["showroom"]), presenters("R&D")], gap: gap(&random))
            }
            if random.double() < 0.5 {
                add("meal", 75, location: "HQ", inside: random.int(1...2),
                    needs: [("catering", .object(JSONObject(pairs: ["kinds": ["restaurant", "banquet-room"]])))], gap: 10)
            }
            if picked { add("sendoff", Self.minutes("HQ", origin) + 5, from: "HQ", to: origin, needs: [transport], gap: 0) }
        case .low:
            let picked = random.double() < 0.3
            let origin = random.pick(["HOTEL-A", "HSR"])
            if picked { add("pickup", Self.minutes(origin, "HQ") + 5, from: origin, to: "HQ", needs: [transport], gap: 10) }
            add("meeting", 45 + 15 * random.int(0...1), location: "HQ", inside: random.int(0...2),
                needs: [venue(["meeting-room"])], gap: gap(&random) + 5)
            if random.double() < 0.3 {
                add("tour", 30, location: "HQ", needs: [venue(["showroom"]), presenters(random.pick(["R&D", "Production"]))], gap: 5)
            }
            if random.double() < 0.2 {
                add("lunch", 60, location: "HQ", inside: 1, needs: [("catering", .object(JSONObject(pairs: ["kinds": ["restaurant"]])))], gap: 10)
            }
            if picked { add("sendoff", Self.minutes("HQ", origin) + 5, from: "HQ", to: origin, needs: [transport], gap: 0) }
        }
        visit.segments = segments
        if options.days > 1 { spread(&visit, origin: segments.last?.to) }
        return visit
    }

    /// Where the hotel of a staying visit is: near HQ for the high tier, by the airport
    /// for the low, either for the medium.
    private mutating func hotelLocation(_ tier: TierName) -> String {
        switch tier {
        case .high: return "HOTEL-A"
        case .medium: return random.pick(["HOTEL-A", "HOTEL-B"])
        case .low: return "HOTEL-B"
        }
    }

    /// Puts a one-day itinerary on a day of the programme; a third of the visits
    /// that start before the last day stay 1–4 nights: the first day ends at their
    /// hotel instead of the send-off, each later day brings them from the hotel to
    /// HQ for a day's programme, and the last day ends with the send-off.
    private mutating func spread(_ visit: inout Visit, origin: String?) {
        let first = random.int(1...options.days)
        let stays = first < options.days && random.double() < 1.0 / 3
        let nights = stays ? random.int(1...min(4, options.days - first)) : 0
        var segments = visit.segments
        if nights > 0 {
            let hotel = hotelLocation(visit.tier)
            visit.nights = Array(1...nights)
            visit.hotelLocation = hotel
            let sendoff = segments.last.flatMap { $0.needs.contains { $0.0 == "transport" } && $0.from == "HQ" ? $0 : nil }
            if sendoff != nil { segments.removeLast() }
            let driven = sendoff != nil
            let transport: (String, JSONValue) = ("transport", .object(JSONObject()))
            let meetingTypes: [JSONValue] = visit.tier == .high ? ["meeting-room", "negotiation-room"] : ["meeting-room"]
            for k in 1...nights {
                let offset = k * 1440
                var clock = offset + 8 * 60 + 30 + 15 * random.int(0...4)
                let tag = "-d\(k + 1)"
                if driven {
                    let minutes = Self.minutes(hotel, "HQ") + 5
                    segments.append(Segment(id: "pickup" + tag, start: clock, end: clock + minutes, from: hotel, to: "HQ", needs: [transport]))
                    clock += minutes + 10
                }
                let length = 90 + 30 * random.int(0...2)
                segments.append(Segment(id: "session" + tag, start: clock, end: clock + length, location: "HQ",
                                        internalAttendees: random.int(1...3),
                                        needs: [("venue", .object(JSONObject(pairs: ["types": .array(meetingTypes)])))]))
                clock += length + 15
                if random.double() < 0.5 {
                    // The restaurant is grade 3: a high-tier group (grade >= 4) lunches in a banquet room.
                    let kinds: JSONValue = visit.tier == .high ? ["banquet-room", "restaurant"] : ["restaurant"]
                    segments.append(Segment(id: "lunch" + tag, start: clock, end: clock + 60, location: "HQ", internalAttendees: 1,
                                            needs: [("catering", .object(JSONObject(pairs: ["kinds": kinds])))]))
                    clock += 70
                }
                if driven {
                    let to = k == nights ? (origin ?? hotel) : hotel
                    let minutes = Self.minutes("HQ", to) + 5
                    segments.append(Segment(id: (k == nights ? "sendoff" : "return") + tag, start: clock, end: clock + minutes,
                                            from: "HQ", to: to, needs: [transport]))
                }
            }
            if driven, let firstDayEnd = segments.filter({ $0.start < 1440 }).map(\.end).max() {
                // The first evening: from HQ to the hotel.
                let minutes = Self.minutes("HQ", hotel) + 5
                segments.append(Segment(id: "to-hotel", start: firstDayEnd + 15, end: firstDayEnd + 15 + minutes, from: "HQ", to: hotel, needs: [transport]))
            }
            segments.sort { $0.start < $1.start }
        }
        let shift = (first - 1) * 1440
        visit.segments = segments.map { var s = $0; s.start += shift; s.end += shift; return s }
        visit.nights = visit.nights.map { $0 + first - 1 }
    }

    // MARK: Resources, scaled to peak demand

    /// The most uses of a class that overlap at once, with `pad` minutes of turnover.
    static func peak(_ spans: [(Int, Int)], pad: Int = 0) -> Int {
        var events: [(Int, Int)] = []
        for (s, e) in spans { events.append((s, 1)); events.append((e + pad, -1)) }
        events.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        var now = 0, best = 0
        for (_, d) in events { now += d; best = max(best, now) }
        return best
    }

    /// The largest sum of loads active at once.
    static func peakLoad(_ uses: [(Int, Int, Int)]) -> Int {
        var events: [(Int, Int)] = []
        for (s, e, l) in uses { events.append((s, l)); events.append((e, -l)) }
        events.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        var now = 0, best = 0
        for (_, d) in events { now += d; best = max(best, now) }
        return best
    }

    private func scaled(_ demand: Int, slack: Double = 1.2, minimum: Int = 1) -> Int {
        max(minimum, Int((Double(demand) * slack / options.tightness).rounded(.up)))
    }

    private mutating func makeDay() -> JSONValue {
        let visits = (1...max(1, options.visits)).map { makeVisit($0) }
        func segments(_ predicate: (Visit, Segment) -> Bool) -> [(Visit, Segment)] {
            visits.flatMap { v in v.segments.filter { predicate(v, $0) }.map { (v, $0) } }
        }
        func needs(_ s: Segment, _ key: String) -> JSONValue? { s.needs.first { $0.0 == key }?.1 }
        func types(_ s: Segment) -> [String] {
            guard case .object(let o)? = needs(s, "venue"), case .array(let t)? = o["types"] else { return [] }
            return t.compactMap { if case .string(let x) = $0 { return x }; return nil }
        }
        let attendees = { (v: Visit, s: Segment) in v.guests + s.internalAttendees }

        // Venues
        var venues: [JSONValue] = []
        func addRooms(prefix: String, type: String, location: String, count: Int, sizes: [Int], turnover: Int) {
            for i in 0..<count {
                let capacity = sizes[i % sizes.count]
                let grade = [3, 4, 5, 2, 4, 3][i % 6]
                venues.append(.object(JSONObject(pairs: [
                    "id": .string("\(prefix)-\(pad(i + 1, 3))"), "type": .string(type), "location": .string(location),
                    "capacity": .number(Double(capacity)), "grade": .number(Double(grade)),
                    "costPerHour": .number(Double(grade >= 4 ? 50 * (grade - 2) : 0)), "turnoverMinutes": .number(Double(turnover)),
                ])))
            }
        }
        // Rooms by size class, so that large groups find large rooms: the peak of the
        // segments of each class or larger sets how many rooms of at least that size exist.
        func addSizedRooms(prefix: String, type: String, uses: [(Visit, Segment)], turnover: Int, minimum: Int) {
            let largest = uses.map { attendees($0.0, $0.1) }.max() ?? 8
            let classes = [(0, 8), (8, 16), (16, max(30, largest))]
            var total = 0
            var counts: [Int] = []
            for (threshold, _) in classes.reversed() {
                let peak = Self.peak(uses.filter { attendees($0.0, $0.1) > threshold }.map { ($0.1.start, $0.1.end) }, pad: turnover)
                let atLeast = max(peak == 0 ? 0 : scaled(peak, minimum: 1), threshold == 0 ? minimum : 0)
                counts.insert(max(0, atLeast - total), at: 0)
                total = max(total, atLeast)
            }
            var n = 0
            for ((_, capacity), count) in zip(classes, counts) {
                for _ in 0..<count {
                    n += 1
                    let grade = [4, 3, 5][n % 3]
                    venues.append(.object(JSONObject(pairs: [
                        "id": .string("\(prefix)-\(pad(n, 3))"), "type": .string(type), "location": "HQ",
                        "capacity": .number(Double(capacity)), "grade": .number(Double(grade)),
                        "costPerHour": .number(Double(grade >= 4 ? 50 * (grade - 2) : 0)), "turnoverMinutes": .number(Double(turnover)),
                    ])))
                }
            }
        }
        addSizedRooms(prefix: "MR", type: "meeting-room", uses: segments { _, s in types(s).first == "meeting-room" }, turnover: 15, minimum: 2)
        addSizedRooms(prefix: "NR", type: "negotiation-room", uses: segments { _, s in types(s).first == "negotiation-room" }, turnover: 10, minimum: 1)
        for (prefix, type, location, wanted) in [("SHOW", "showroom", "HQ", "showroom"), ("WS", "workshop", "PLANT", "workshop")] {
            let uses = segments { _, s in types(s).contains(wanted) && s.location == location }
            let load = Self.peakLoad(uses.map { ($0.1.start, $0.1.end, attendees($0.0, $0.1)) })
            let largest = uses.map { attendees($0.0, $0.1) }.max() ?? 10
            let rooms = max(1, scaled(load, minimum: 1) / 40 + 1)
            for i in 0..<rooms {
                venues.append(.object(JSONObject(pairs: [
                    "id": .string("\(prefix)-\(i + 1)"), "type": .string(type), "location": .string(location),
                    "capacity": .number(Double(max(largest, scaled(load) / rooms + 1))), "grade": .number(Double(4 - i % 2)),
                    "costPerHour": 0, "shared": true,
                ])))
            }
        }

        // Vehicles and drivers
        let transfers = segments { _, s in needs(s, "transport") != nil }
        let transferSpans = transfers.map { ($0.1.start - Self.minutes("HQ", $0.1.from ?? "HQ"), $0.1.end + Self.minutes($0.1.to ?? "HQ", "HQ")) }
        // Seats where they are needed: grade-4 cars for high-tier groups, any car for
        // the rest, and enough cars for the most transfers at once.
        let padded = zip(transfers, transferSpans).map { ($0.1.0, $0.1.1, $0.0.0.guests) }
        let premiumSeats = scaled(Self.peakLoad(zip(transfers, padded).filter { $0.0.0.tier == .high }.map(\.1)), slack: 1.3, minimum: 0)
        let allSeats = scaled(Self.peakLoad(padded), slack: 1.3, minimum: 6)
        let cars = scaled(Self.peak(transferSpans), slack: 1.25, minimum: 2)
        var vehicles: [JSONValue] = []
        func addVehicle(_ type: String, seats: Int, grade: Int, cost: Int) {
            vehicles.append(.object(JSONObject(pairs: [
                "id": .string("CAR-" + pad(vehicles.count + 1, 3)), "type": .string(type), "grade": .number(Double(grade)),
                "seats": .number(Double(seats)), "costPerHour": .number(Double(cost)), "home": "HQ",
            ])))
        }
        var seats = 0
        while seats < premiumSeats {
            let left = premiumSeats - seats
            if left >= 10 { addVehicle("minibus", seats: 12, grade: 4, cost: 260); seats += 12 }
            else if left >= 4 { addVehicle("mpv", seats: 6, grade: 4, cost: 180); seats += 6 }
            else { addVehicle("sedan", seats: 3, grade: 5, cost: 160); seats += 3 }
        }
        var standard = 0
        while seats + standard < allSeats {
            let left = allSeats - seats - standard
            if left >= 20 { addVehicle("coach", seats: 25, grade: 3, cost: 350); standard += 25 }
            else if left >= 9 { addVehicle("minibus", seats: 12, grade: 3, cost: 220); standard += 12 }
            else { addVehicle("mpv", seats: 6, grade: 3, cost: 150); standard += 6 }
        }
        while vehicles.count < cars { addVehicle("sedan", seats: 3, grade: 4, cost: 120) }
        let fleet = vehicles.count
        var drivers: [JSONValue] = []
        for i in 0..<scaled(fleet, slack: 1.1, minimum: 2) {
            let licences: [JSONValue] = i % 3 == 0 ? ["sedan", "mpv", "minibus", "coach"] : (i % 3 == 1 ? ["sedan", "mpv"] : ["sedan", "mpv", "minibus"])
            drivers.append(.object(JSONObject(pairs: [
                "id": .string("DRV-" + pad(i + 1, 3)), "licences": .array(licences), "home": "HQ",
                "maxDrivingMinutes": 480, "costPerHour": .number(Double(40 + 10 * (i % 3))),
            ])))
        }

        // Staff: hosts by rank, escorts over whole visits (each day of a stay), presenters by department.
        let spans = visits.map { v in Self.daySpans(v) }
        let peakHigh = Self.peak(zip(visits, spans).filter { $0.0.tier == .high }.flatMap(\.1))
        let peakMedium = Self.peak(zip(visits, spans).filter { $0.0.tier != .low }.flatMap(\.1))
        let escortLoad = Self.peakLoad(zip(visits, spans).flatMap { v, list in
            list.map { s in (s.0, s.1, v.escorts ?? Int((Double(v.guests) / [TierName.high: 3.0, .medium: 4, .low: 6][v.tier, default: 6]).rounded(.up))) }
        })
        let tours = { (department: String) in
            Self.peak(segments { _, s in
                if case .object(let o)? = needs(s, "presenters"), case .string(department)? = o["department"] { return true }
                return false
            }.map { ($0.1.start, $0.1.end) })
        }
        var staff: [JSONValue] = []
        let languages: [[String]] = [["zh", "en"], ["zh"], ["zh", "en", "de"], ["zh", "ja"], ["zh", "en", "ko"], ["zh", "en", "fr"], ["zh", "en"]]
        func addStaff(_ count: Int, rank: String, departments: [String]) {
            for i in 0..<count {
                let n = staff.count + 1
                staff.append(.object(JSONObject(pairs: [
                    "id": .string("S-" + pad(n, 4)), "rank": .string(rank), "department": .string(departments[i % departments.count]),
                    "languages": .array(languages[n % languages.count].map { .string($0) }),
                ])))
            }
        }
        addStaff(scaled(peakHigh, slack: 1.3, minimum: 1) + 1, rank: "executive", departments: ["Management", "Sales"])
        addStaff(scaled(max(0, peakMedium - peakHigh), slack: 1.3, minimum: 1) + 1, rank: "manager", departments: ["Sales", "R&D", "Production"])
        addStaff(scaled(tours("R&D"), slack: 1.3, minimum: 1), rank: "staff", departments: ["R&D"])
        addStaff(scaled(tours("Production"), slack: 1.3, minimum: 1), rank: "staff", departments: ["Production"])
        addStaff(scaled(escortLoad, slack: 1.25, minimum: 2), rank: "staff", departments: ["Sales", "Admin", "Marketing"])

        // Catering
        let banquets = segments { _, s in
            if case .object(let o)? = needs(s, "catering"), case .array(let k)? = o["kinds"] { return k.first == "banquet-room" }
            return false
        }
        var catering: [JSONValue] = []
        for i in 0..<scaled(Self.peak(banquets.map { ($0.1.start, $0.1.end) }, pad: 30), minimum: 1) {
            catering.append(.object(JSONObject(pairs: [
                "id": .string("BQ-" + pad(i + 1, 2)), "kind": "banquet-room", "location": "HQ",
                "seats": .number(Double([16, 24, 36][i % 3])), "grade": .number(Double(4 + i % 2)),
                "costPerHead": .number(Double(380 + 70 * (i % 2))), "dietary": ["halal", "vegetarian", "vegan"],
                "turnoverMinutes": 30,
            ])))
        }
        let restaurantUses = segments { _, s in
            if case .object(let o)? = needs(s, "catering"), case .array(let k)? = o["kinds"] { return k.first == "restaurant" }
            return false
        }
        let load = Self.peakLoad(restaurantUses.map { ($0.1.start, $0.1.end, attendees($0.0, $0.1)) })
        catering.append(.object(JSONObject(pairs: [
            "id": "RESTAURANT", "kind": "restaurant", "location": "HQ", "seats": .number(Double(scaled(load, minimum: 30))),
            "grade": 3, "costPerHead": 120, "dietary": ["vegetarian", "halal"], "shared": true,
        ])))

        var resources = JSONObject(pairs: [
            "venues": .array(venues), "vehicles": .array(vehicles), "drivers": .array(drivers),
            "staff": .array(staff), "catering": .array(catering),
        ])
        guard options.days > 1 else {
            return .object(JSONObject(pairs: [
                "schemaVersion": 1,
                "date": "2026-12-01",
                "currency": "CNY",
                "policy": Self.policy(visits: visits.count),
                "locations": .array(Self.locations.map { .object(JSONObject(pairs: ["id": .string($0.id), "name": .string($0.name)])) }),
                "travelMinutes": .array(Self.travel.map { .object(JSONObject(pairs: ["from": .string($0.0), "to": .string($0.1), "minutes": .number(Double($0.2))])) }),
                "resources": .object(resources),
                "visits": .array(visits.map(Self.json)),
            ]))
        }
        resources["hotels"] = .array(hotels(for: visits))
        // The busiest day's visits set the day budget.
        let perDay = (1...options.days).map { k in visits.filter { v in v.segments.contains { $0.start / 1440 + 1 == k } }.count }
        return .object(JSONObject(pairs: [
            "schemaVersion": 2,
            "date": "2026-12-01",
            "days": .number(Double(options.days)),
            "currency": "CNY",
            "policy": Self.programmePolicy(busiestDay: perDay.max() ?? visits.count),
            "locations": .array(Self.locations.map { .object(JSONObject(pairs: ["id": .string($0.id), "name": .string($0.name)])) }),
            "travelMinutes": .array(Self.travel.map { .object(JSONObject(pairs: ["from": .string($0.0), "to": .string($0.1), "minutes": .number(Double($0.2))])) }),
            "resources": .object(resources),
            "visits": .array(visits.map(Self.json)),
        ]))
    }

    /// `[first start, last end)` of each day a visit has segments on.
    static func daySpans(_ v: Visit) -> [(Int, Int)] {
        var byDay: [Int: (Int, Int)] = [:]
        for s in v.segments {
            let known = byDay[s.start / 1440] ?? (s.start, s.end)
            byDay[s.start / 1440] = (min(known.0, s.start), max(known.1, s.end))
        }
        return byDay.keys.sorted().compactMap { byDay[$0] }
    }

    /// Hotels where staying visits sleep, each block sized to the busiest night's rooms
    /// there (by the tier's guests per room) divided by the tightness: at HOTEL-A one
    /// hotel of grade 5; at HOTEL-B a grade-4 and a grade-3 hotel sharing the demand.
    private func hotels(for visits: [Visit]) -> [JSONValue] {
        let perRoom: [TierName: Int] = [.high: 1, .medium: 2, .low: 2]
        func peakRooms(_ location: String, _ tiers: Set<TierName>) -> Int {
            var byNight: [Int: Int] = [:]
            for v in visits where v.hotelLocation == location && tiers.contains(v.tier) {
                let rooms = (v.guests + (perRoom[v.tier] ?? 1) - 1) / (perRoom[v.tier] ?? 1)
                for night in v.nights { byNight[night, default: 0] += rooms }
            }
            return byNight.values.max() ?? 0
        }
        func hotel(_ id: String, _ name: String, _ location: String, grade: Int, rooms: Int, price: Int) -> JSONValue {
            .object(JSONObject(pairs: [
                "id": .string(id), "name": .string(name), "location": .string(location), "grade": .number(Double(grade)),
                "rooms": .number(Double(rooms)), "pricePerNight": .number(Double(price)),
            ]))
        }
        let all: Set<TierName> = [.high, .medium, .low]
        let nearHQ = scaled(peakRooms("HOTEL-A", all), minimum: 2)
        let byAirport = scaled(peakRooms("HOTEL-B", all), minimum: 2)
        let better = scaled(peakRooms("HOTEL-B", [.medium]), slack: 1.1, minimum: 1)
        return [
            hotel("H-RIVERSIDE", "Riverside Hotel", "HOTEL-A", grade: 5, rooms: nearHQ, price: 1100),
            hotel("H-MARRIOTT", "Airport Marriott", "HOTEL-B", grade: 4, rooms: better, price: 650),
            hotel("H-EXPRESS", "Airport Express Inn", "HOTEL-B", grade: 3, rooms: max(1, byAirport - better / 2), price: 380),
        ]
    }

    /// The policy of a programme: the day's, with rooms per guest, hotel grades and
    /// lodging caps per guest and night by tier, and a budget for each day.
    static func programmePolicy(busiestDay: Int) -> JSONValue {
        let day = policy(visits: busiestDay)
        guard case .object(var document) = day, case .object(var tiers)? = document["tiers"] else { return day }
        let lodging: [(String, Int, Int, Int)] = [("high", 1, 4, 1200), ("medium", 2, 3, 600), ("low", 2, 2, 250)]
        for (name, perRoom, grade, perGuestNight) in lodging {
            guard case .object(var tier)? = tiers[name], case .object(var limits)? = tier["limits"] else { continue }
            tier["guestsPerRoom"] = .number(Double(perRoom))
            tier["minHotelGrade"] = .number(Double(grade))
            limits["lodging"] = .object(JSONObject(pairs: ["perGuestNight": .number(Double(perGuestNight))]))
            tier["limits"] = .object(limits)
            tiers[name] = .object(tier)
        }
        document["tiers"] = .object(tiers)
        document["dayBudget"] = .number(Double(2500 * busiestDay))
        return .object(document)
    }

    static func policy(visits: Int) -> JSONValue {
        func tier(_ rank: String, _ perEscort: Int, _ grade: Int, venue: Int, transport: (Int, Int), catering: (Int, Int)) -> JSONValue {
            .object(JSONObject(pairs: [
                "hostRank": .string(rank), "guestsPerEscort": .number(Double(perEscort)),
                "minVenueGrade": .number(Double(grade)), "minVehicleGrade": .number(Double(grade)), "minCateringGrade": .number(Double(grade)),
                "limits": .object(JSONObject(pairs: [
                    "venue": .object(JSONObject(pairs: ["perVisit": .number(Double(venue))])),
                    "transport": .object(JSONObject(pairs: ["perVisit": .number(Double(transport.0)), "perGuest": .number(Double(transport.1))])),
                    "catering": .object(JSONObject(pairs: ["perVisit": .number(Double(catering.0)), "perGuest": .number(Double(catering.1))])),
                ])),
            ]))
        }
        return .object(JSONObject(pairs: [
            "tiers": .object(JSONObject(pairs: [
                "high": tier("executive", 3, 4, venue: 1500, transport: (1000, 80), catering: (1500, 400)),
                "medium": tier("manager", 4, 3, venue: 600, transport: (500, 40), catering: (600, 220)),
                "low": tier("staff", 6, 2, venue: 200, transport: (250, 20), catering: (150, 80)),
            ])),
            "dayBudget": .number(Double(1500 * visits)),
            "weights": .object(JSONObject(pairs: ["unmet": 100000, "overrun": 10, "overGrade": 20])),
        ]))
    }

    static func json(_ v: Visit) -> JSONValue {
        var o = JSONObject(pairs: [
            "id": .string(v.id),
            "client": .object(JSONObject(pairs: ["company": .string(v.company)])),
            "purpose": .string(v.purpose), "tier": .string(v.tier.rawValue), "guests": .number(Double(v.guests)),
        ])
        if let language = v.language { o["language"] = .string(language) }
        if !v.dietary.isEmpty { o["dietary"] = .array(v.dietary.map { .string($0) }) }
        if let escorts = v.escorts { o["escorts"] = .number(Double(escorts)) }
        if let host = v.host { o["host"] = .string(host) }
        if !v.approved.isEmpty { o["approvedOverrun"] = .object(JSONObject(v.approved.map { (key: $0.0, value: .number($0.1)) })) }
        if let hotel = v.hotelLocation, !v.nights.isEmpty {
            o["lodging"] = .object(JSONObject(pairs: ["nights": .array(v.nights.map { .number(Double($0)) }), "location": .string(hotel)]))
        }
        o["segments"] = .array(v.segments.map { s in
            // On a programme's later days, the day and the time within it.
            let day = s.start / 1440 + 1, offset = (day - 1) * 1440
            var so = JSONObject(pairs: ["id": .string(s.id), "start": .string(Clock.timeOfDay(s.start - offset, asStart: true)),
                                        "end": .string(Clock.timeOfDay(s.end - offset, asStart: false))])
            if day > 1 { so["day"] = .number(Double(day)) }
            if let l = s.location { so["location"] = .string(l) }
            if let f = s.from { so["from"] = .string(f) }
            if let t = s.to { so["to"] = .string(t) }
            if s.internalAttendees > 0 { so["internalAttendees"] = .number(Double(s.internalAttendees)) }
            so["needs"] = .object(JSONObject(s.needs.map { (key: $0.0, value: $0.1) }))
            return .object(so)
        })
        return .object(o)
    }
}

private func pad(_ n: Int, _ width: Int) -> String {
    let s = String(n)
    return String(repeating: "0", count: max(0, width - s.count)) + s
}

/// A small, fast, seedable generator (SplitMix64): the same seed gives the same
/// sequence on every platform, for generated days and randomized tests.
public struct SplitMix64: Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    public mutating func double() -> Double { Double(next() >> 11) / Double(1 << 53) }

    public mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    public mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }

    /// True with probability `p`, in steps of 1/1000.
    public mutating func chance(_ p: Double) -> Bool { Double(next() % 1000) < p * 1000 }
}
