import SchedulingCore

/// Lodging for programmes over several days (PROBLEM.md §9): `resources.hotels`,
/// the visit need `lodging`, the tier fields `guestsPerRoom` and
/// `minHotelGrade`, the limit field `perGuestNight` and the cost category
/// `lodging`.
///
/// A visit with `"lodging": {"nights": [1, 2]}` gets one hotel for all of those
/// nights, with `ceil(guests / guestsPerRoom)` rooms each night, of grade at
/// least `minHotelGrade`, held on each of the nights, at `location` when given.
/// Each hotel is one resource shared by capacity: the rooms visits take on a
/// night add up to at most its `rooms`. Night `k` is stated as the evening of day
/// `k` (20:00-24:00), so that uses on one night overlap and uses on different
/// nights never do. Its cost, `pricePerNight * rooms` a night, falls on the day
/// the night begins, for the per-day budget.
public struct LodgingPlugin: ResourceKindPlugin {
    public init() {}

    /// The need's key, in the day's visit object and in the plan's visit entry.
    static let needKey = "lodging"
    static let category = "lodging"

    public var descriptor: PluginDescriptor {
        PluginDescriptor(
            name: "lodging",
            summary: "Hotels for programmes over several days: one hotel for all of a visit's nights, rooms by guestsPerRoom, grade by tier (minHotelGrade), room blocks per night.",
            resourceKeys: ["hotels"], needKeys: [], visitNeedKeys: [LodgingPlugin.needKey], visitFields: [LodgingPlugin.needKey],
            tierFields: [LodgingSection.roomsField, LodgingSection.gradeField], limitFields: [LodgingSection.perGuestNightField],
            costCategories: [LodgingPlugin.category], listsCategoriesOnlyWhenUsed: true,
            sizeFields: ["hotels": "rooms"])
    }

    static func key(_ hotel: Hotel) -> ResourceKey { ResourceKey(kind: "hotel", id: hotel.id) }


    public func contribute(to resolved: ResolvedDay, diagnostics d: inout Diagnostics) -> KindContribution {
        let section = LodgingSection(resolved.day, &d)
        var out = KindContribution()
        out.resources = section.hotels.map { ResourceDeclaration(key: LodgingPlugin.key($0), sharing: .capacity(Double($0.rooms))) }
        for visit in resolved.visits {
            guard let need = section.needs[visit.index] else { continue }
            let rooms = section.rooms(for: visit)
            let minGrade = section.minGrade[visit.tier] ?? LodgingSection.defaultMinGrade
            let hotels = section.hotels
            let fitting = hotels.indices.filter { i in
                let h = hotels[i]
                return h.grade >= minGrade && h.rooms >= rooms && (need.location.map { $0 == h.location } ?? true)
                    && need.nights.allSatisfy { h.nights.contains($0) }
            }
            out.needs.append(NeedDeclaration(
                id: NeedID(visit: visit.index, segment: nil, key: LodgingPlugin.needKey), rule: .exactly(1), shape: .single,
                deferredCandidates: {
                    fitting.map { i in
                        let h = hotels[i]
                        let perNight = h.pricePerNight * Double(rooms)
                        return Candidate(
                            value: .object(JSONObject([(key: "hotel", value: .string(h.id)), (key: "rooms", value: .number(Double(rooms)))])),
                            label: h.id,
                            usages: need.nights.map { Usage(resource: LodgingPlugin.key(h), span: Nights.span(ofNight: $0), load: Double(rooms)) },
                            cost: perNight * Double(need.nights.count), category: LodgingPlugin.category,
                            overGrade: Double(h.grade - minGrade),
                            costByDay: need.nights.map { DayCost(day: $0, amount: perNight) })
                    }
                },
                requirement: "\(rooms) room\(rooms == 1 ? "" : "s") at one hotel of grade >= \(minGrade)\(need.location.map { " at \($0)" } ?? "") for \(Nights.describe(need.nights))",
                ineligibility: fitting.isEmpty ? LodgingPlugin.shortfall(hotels, need, rooms: rooms, minGrade: minGrade, visit) : nil))
            if let rate = section.perGuestNight[visit.tier] {
                out.capAllowances.append(CapAllowance(visit: visit.index, category: LodgingPlugin.category,
                                                      amount: rate * Double(visit.guests) * Double(need.nights.count)))
            }
        }
        return out
    }

    /// Which condition rules out the hotels, and what a planner can change.
    static func shortfall(_ hotels: [Hotel], _ need: LodgingNeed, rooms: Int, minGrade: Int, _ visit: Visit) -> String {
        guard !hotels.isEmpty else { return "the programme has no hotels; add a room block to resources.hotels" }
        let placed = hotels.filter { h in need.location.map { $0 == h.location } ?? true }
        guard !placed.isEmpty else { return "no hotel is at \(need.location ?? "")" }
        let graded = placed.filter { $0.grade >= minGrade }
        guard !graded.isEmpty else {
            return "no hotel\(need.location.map { " at \($0)" } ?? "") is of grade \(minGrade) or above (the \(visit.tier.rawValue) tier's minHotelGrade; the best is grade \(placed.map(\.grade).max() ?? 0)); book a better hotel or approve an exception"
        }
        let held = graded.filter { h in need.nights.allSatisfy { h.nights.contains($0) } }
        guard !held.isEmpty else {
            return "no hotel of grade \(minGrade) or above holds rooms on all of \(Nights.describe(need.nights)) (one hotel serves all of a visit's nights); extend a block"
        }
        return "no hotel of grade \(minGrade) or above holds \(rooms) rooms a night (blocks: \(held.map { "\($0.id) \($0.rooms)" }.joined(separator: ", "))); enlarge a block"
    }
}
