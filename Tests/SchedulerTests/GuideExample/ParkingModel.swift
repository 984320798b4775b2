import SchedulingCore

/// A parking bay from `resources.parking`.
public struct ParkingBay: Sendable, Hashable {
    public var id: String
    public var location: String
    public var covered: Bool
    public var costPerHour: Double
    public var availability: Availability
}

/// The parking part of a day, decoded and validated. `contribute` and the
/// checker part both read the day through it.
struct ParkingSection {
    var bays: [ParkingBay] = []
    /// For each visit (by index), the indices of its segments with `needs.parking`.
    var needs: [Set<Int>] = []
    /// `coveredParking` by tier; false when the tier does not say.
    var covered: [TierName: Bool] = [:]

    init(_ day: Day, _ d: inout Diagnostics) {
        var seen = Set<String>()
        for (item, path) in PluginInput.resourceItems(day, key: "parking", &d) {
            guard var r = ObjectReader(item, at: path, diagnostics: &d) else { continue }
            let id = r.identifier("id", &d)
            _ = r.string("name", &d)
            let location = PluginInput.location(r.identifier("location", &d), at: path + "location", day: day, &d)
            let covered = r.bool("covered", &d) ?? false
            let cost = r.number("costPerHour", &d) ?? 0
            let availability = r.availability(in: day, &d)
            r.warnAboutUnknownKeys(&d)
            guard let id, PluginInput.claim(id, in: &seen, at: path + "id", kind: "parking bay", &d),
                  let location else { continue }
            bays.append(ParkingBay(id: id, location: location, covered: covered, costPerHour: cost, availability: availability))
        }
        for tier in TierName.allCases {
            let policy = day.policy.tier(tier)
            var r = ObjectReader(object: policy.fields, at: policy.path)
            covered[tier] = r.bool("coveredParking", &d) ?? false
        }
        for visit in day.visits {
            var segments = Set<Int>()
            for segment in visit.segments {
                guard let r = PluginInput.need(segment, key: "parking", &d) else { continue }
                r.warnAboutUnknownKeys(&d)
                guard segment.location != nil else {
                    d.error(r.path, "a parking need needs the segment's location; add \"location\" to \(segment.path)")
                    continue
                }
                segments.insert(segment.index)
            }
            needs.append(segments)
        }
    }
}
