import SchedulingCore

/// A hotel from `resources.hotels`: a block of rooms held for the company on
/// some nights of the programme (night `k` is the night after day `k`).
public struct Hotel: Sendable, Hashable {
    public var id: String
    public var name: String?
    public var location: String
    /// Its standard, 1...5, compared with the tier's `minHotelGrade`.
    public var grade: Int
    /// Rooms held for the company on each night of ``nights``.
    public var rooms: Int
    /// What one room costs for one night (category `lodging`).
    public var pricePerNight: Double
    /// The nights the block is held; every night of the programme by default.
    public var nights: Set<Int>
}

/// A visit's `lodging`: one hotel for all of these nights.
public struct LodgingNeed: Sendable, Hashable {
    /// Distinct nights of the programme, in ascending order.
    public var nights: [Int]
    /// Where the hotel must be; any location when `nil`.
    public var location: String?
}

/// The lodging part of a programme, decoded and validated. `contribute` and
/// the checker part both read the day through it, so they agree on the input
/// while deciding eligibility, room counts, capacity and cost separately.
struct LodgingSection {
    /// The fields this plugin owns, and their defaults (PROBLEM.md §9).
    static let roomsField = "guestsPerRoom", gradeField = "minHotelGrade", perGuestNightField = "perGuestNight"
    static let defaultGuestsPerRoom = 1, defaultMinGrade = 1

    var hotels: [Hotel] = []
    /// The lodging need of each visit that has one, by visit index.
    var needs: [Int: LodgingNeed] = [:]
    /// `guestsPerRoom` and `minHotelGrade` by tier.
    var guestsPerRoom: [TierName: Int] = [:]
    var minGrade: [TierName: Int] = [:]
    /// `limits.lodging.perGuestNight` by tier, when the tier gives it.
    var perGuestNight: [TierName: Double] = [:]

    init(_ day: Day, _ d: inout Diagnostics) {
        let programme = day.schemaVersion >= 2
        var seen = Set<String>()
        let items = PluginInput.resourceItems(day, key: "hotels", &d)
        if !programme, !items.isEmpty {
            d.error(JSONPath([.key("resources"), .key("hotels")]), "hotels are part of schemaVersion 2 (PROBLEM.md §9); set \"schemaVersion\": 2 to book lodging")
        }
        for (item, path) in items where programme {
            guard var r = ObjectReader(item, at: path, diagnostics: &d) else { continue }
            let id = r.identifier("id", &d)
            let name = r.string("name", &d)
            let location = PluginInput.location(r.identifier("location", &d), at: path + "location", day: day, &d)
            let grade = r.integer("grade", required: true, in: 1...5, &d)
            let rooms = r.integer("rooms", required: true, in: 1...Int(Int32.max), &d)
            let price = r.number("pricePerNight", &d) ?? 0
            let nights = LodgingSection.nights(&r, required: false, day: day, &d)
            r.warnAboutUnknownKeys(&d)
            guard let id, PluginInput.claim(id, in: &seen, at: path + "id", kind: "hotel", &d),
                  let location, let grade, let rooms else { continue }
            hotels.append(Hotel(id: id, name: name, location: location, grade: grade, rooms: rooms, pricePerNight: price,
                                nights: Set(nights ?? Array(1...max(1, day.days)))))
        }
        for tier in TierName.allCases {
            let policy = day.policy.tier(tier)
            var r = ObjectReader(object: policy.fields, at: policy.path)
            guestsPerRoom[tier] = r.integer(LodgingSection.roomsField, in: 1...Int(Int32.max), &d) ?? LodgingSection.defaultGuestsPerRoom
            minGrade[tier] = r.integer(LodgingSection.gradeField, in: 1...5, &d) ?? LodgingSection.defaultMinGrade
            if case .object(let limits)? = policy.fields["limits"], case .object(let lodging)? = limits["lodging"],
               let value = lodging[LodgingSection.perGuestNightField] {
                perGuestNight[tier] = ObjectReader.number(value, at: policy.path + "limits" + "lodging" + LodgingSection.perGuestNightField, minimum: 0, &d)
            }
        }
        for visit in day.visits {
            guard let value = visit.fields["lodging"], value != .null else { continue }
            let path = visit.path + "lodging"
            guard programme else {
                d.error(path, "lodging is part of schemaVersion 2 (PROBLEM.md §9); set \"schemaVersion\": 2 to book it")
                continue
            }
            guard var r = ObjectReader(value, at: path, diagnostics: &d) else { continue }
            let nights = LodgingSection.nights(&r, required: true, day: day, &d)
            let location = PluginInput.location(r.identifier("location", required: false, &d), at: path + "location", day: day, &d)
            r.ignore(Pins.key)  // the core's (PROBLEM.md §10)
            r.warnAboutUnknownKeys(&d)
            guard let nights else { continue }
            needs[visit.index] = LodgingNeed(nights: nights, location: location)
        }
    }

    /// Reads `nights`: distinct nights of the programme, at least one.
    static func nights(_ r: inout ObjectReader, required: Bool, day: Day, _ d: inout Diagnostics) -> [Int]? {
        guard let items = r.array("nights", required: required, &d) else { return nil }
        guard !items.isEmpty else {
            d.error(r.path + "nights", "lists no night; give at least one (night k is the night after day k)")
            return nil
        }
        var nights: [Int] = []
        var ok = true
        for (i, item) in items.enumerated() {
            guard let k = ObjectReader.integer(item, at: r.path + "nights" + i, in: 1...max(1, day.days), &d) else { ok = false; continue }
            if nights.contains(k) {
                d.error(r.path + "nights" + i, "night \(k) is listed twice; list each night once")
                ok = false
            }
            nights.append(k)
        }
        return ok ? nights.sorted() : nil
    }

    /// Rooms a visit takes each night: `ceil(guests / guestsPerRoom)`.
    func rooms(for visit: Visit) -> Int {
        let per = guestsPerRoom[visit.tier] ?? LodgingSection.defaultGuestsPerRoom
        return (visit.guests + per - 1) / per
    }
}
