import SchedulingCore

/// A room from `resources.venues`.
public struct Venue: Sendable, Hashable {
    public var id: String
    public var type: String
    public var location: String
    public var capacity: Int
    public var grade: Int
    public var costPerHour: Double
    /// A fixed fee for each use, on top of the hourly cost: a room hired on demand
    /// (issue 18). 0 for the company's own rooms.
    public var costPerUse: Double = 0
    public var turnoverMinutes: Double
    public var shared: Bool
    public var availability: Availability
}

/// A segment's `needs.venue`.
public struct VenueNeed: Sendable, Hashable {
    /// `nil` accepts any type.
    public var types: [String]?
}

/// The venues part of a day, decoded and validated.
struct VenueSection {
    var venues: [Venue] = []
    /// Needs by (visit index, segment index).
    var needs: [[Int: VenueNeed]] = []
    /// `minVenueGrade` by tier.
    var minGrade: [TierName: Int] = [:]

    init(_ day: Day, _ d: inout Diagnostics) {
        var seen = Set<String>()
        for (item, path) in PluginInput.resourceItems(day, key: "venues", &d) {
            guard var r = ObjectReader(item, at: path, diagnostics: &d) else { continue }
            let id = r.identifier("id", &d)
            _ = r.string("name", &d)
            let type = r.identifier("type", &d)
            let location = PluginInput.location(r.identifier("location", &d), at: path + "location", day: day, &d)
            let capacity = r.integer("capacity", required: true, in: 1...Int(Int32.max), &d)
            let grade = r.integer("grade", required: true, in: 1...5, &d)
            let cost = r.number("costPerHour", &d) ?? 0
            let perUse = r.number("costPerUse", &d) ?? 0
            let turnover = r.number("turnoverMinutes", &d) ?? 0
            let shared = r.bool("shared", &d) ?? false
            let availability = r.availability(in: day, &d)
            r.warnAboutUnknownKeys(&d)
            guard let id, PluginInput.claim(id, in: &seen, at: path + "id", kind: "venue", &d),
                  let type, let location, let capacity, let grade else { continue }
            venues.append(Venue(id: id, type: type, location: location, capacity: capacity, grade: grade,
                                costPerHour: cost, costPerUse: perUse, turnoverMinutes: turnover, shared: shared, availability: availability))
        }
        for tier in TierName.allCases {
            minGrade[tier] = PluginInput.tierInteger(day.policy.tier(tier), "minVenueGrade", in: 1...5, &d)
        }
        for visit in day.visits {
            var byIndex: [Int: VenueNeed] = [:]
            for segment in visit.segments {
                guard var r = PluginInput.need(segment, key: "venue", &d) else { continue }
                let types = r.strings("types", &d)
                r.warnAboutUnknownKeys(&d)
                byIndex[segment.index] = VenueNeed(types: types)
            }
            needs.append(byIndex)
        }
    }
}
