import SchedulingCore

/// A banquet room, restaurant or meal service from `resources.catering`.
public struct CateringOption: Sendable, Hashable {
    public var id: String
    public var kind: String
    public var location: String
    public var seats: Int
    public var grade: Int
    public var costPerHead: Double
    /// A fixed fee for each use, on top of the price per head: an outside restaurant
    /// hired on demand (issue 18). 0 for the company's own.
    public var costPerUse: Double = 0
    public var dietary: [String]
    public var shared: Bool
    public var turnoverMinutes: Double
    public var availability: Availability
}

/// A segment's `needs.catering`.
public struct CateringNeed: Sendable, Hashable {
    /// `nil` accepts any kind.
    public var kinds: [String]?
}

/// The catering part of a day, decoded and validated.
struct CateringSection {
    var options: [CateringOption] = []
    var needs: [[Int: CateringNeed]] = []
    var minGrade: [TierName: Int] = [:]

    init(_ day: Day, _ d: inout Diagnostics) {
        var seen = Set<String>()
        for (item, path) in PluginInput.resourceItems(day, key: "catering", &d) {
            guard var r = ObjectReader(item, at: path, diagnostics: &d) else { continue }
            let id = r.identifier("id", &d)
            _ = r.string("name", &d)
            let kind = r.identifier("kind", &d)
            let location = PluginInput.location(r.identifier("location", &d), at: path + "location", day: day, &d)
            let seats = r.integer("seats", required: true, in: 1...Int(Int32.max), &d)
            let grade = r.integer("grade", required: true, in: 1...5, &d)
            let cost = r.number("costPerHead", &d) ?? 0
            let perUse = r.number("costPerUse", &d) ?? 0
            let dietary = r.strings("dietary", &d) ?? []
            let shared = r.bool("shared", &d) ?? false
            let turnover = r.number("turnoverMinutes", &d) ?? 0
            let availability = r.availability(in: day, &d)
            r.warnAboutUnknownKeys(&d)
            guard let id, PluginInput.claim(id, in: &seen, at: path + "id", kind: "catering option", &d),
                  let kind, let location, let seats, let grade else { continue }
            options.append(CateringOption(id: id, kind: kind, location: location, seats: seats, grade: grade, costPerHead: cost, costPerUse: perUse,
                                          dietary: dietary, shared: shared, turnoverMinutes: turnover, availability: availability))
        }
        for tier in TierName.allCases {
            minGrade[tier] = PluginInput.tierInteger(day.policy.tier(tier), "minCateringGrade", in: 1...5, &d)
        }
        for visit in day.visits {
            var byIndex: [Int: CateringNeed] = [:]
            for segment in visit.segments {
                guard var r = PluginInput.need(segment, key: "catering", &d) else { continue }
                let kinds = r.strings("kinds", &d)
                r.warnAboutUnknownKeys(&d)
                byIndex[segment.index] = CateringNeed(kinds: kinds)
            }
            needs.append(byIndex)
        }
    }
}
