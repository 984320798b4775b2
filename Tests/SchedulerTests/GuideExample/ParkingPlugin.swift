import SchedulingCore

/// Parking bays for visitors' cars: `resources.parking`, `needs.parking` and the
/// tier field `coveredParking`.
public struct ParkingPlugin: ResourceKindPlugin {
    public init() {}

    public var descriptor: PluginDescriptor {
        PluginDescriptor(
            name: "parking",
            summary: "Parking bays for visitors' cars: one bay at the segment's location, covered for tiers that ask for it, cost per hour.",
            resourceKeys: ["parking"], needKeys: ["parking"], tierFields: ["coveredParking"], costCategories: ["parking"])
    }

    public func contribute(to resolved: ResolvedDay, diagnostics d: inout Diagnostics) -> KindContribution {
        let section = ParkingSection(resolved.day, &d)
        var out = KindContribution()
        out.resources = section.bays.map {
            ResourceDeclaration(key: ResourceKey(kind: "parking", id: $0.id), sharing: .exclusive(turnoverMinutes: 0))
        }
        for visit in resolved.visits {
            let covered = section.covered[visit.tier] ?? false
            for segment in visit.segments where section.needs[visit.index].contains(segment.index) {
                let candidates = section.bays.filter { bay in
                    bay.location == segment.location && (bay.covered || !covered) && bay.availability.covers(segment.span)
                }.map { bay in
                    Candidate(value: .string(bay.id), label: bay.id,
                              usages: [Usage(resource: ResourceKey(kind: "parking", id: bay.id), span: segment.span)],
                              cost: bay.costPerHour * Double(segment.span.minutes) / 60, category: "parking")
                }
                let place = segment.location ?? "?"
                let kind = covered ? "covered bay" : "bay"
                out.needs.append(NeedDeclaration(
                    id: NeedID(visit: visit.index, segment: segment.index, key: "parking"), rule: .exactly(1), shape: .single,
                    candidates: candidates, requirement: "a parking \(kind) at \(place) \(segment.span)",
                    ineligibility: candidates.isEmpty
                        ? "no \(kind) at \(place) is available \(segment.span); add one\(covered ? ", or set the tier's coveredParking to false" : "")"
                        : nil))
            }
        }
        return out
    }
}
