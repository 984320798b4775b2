import SchedulingCore

/// Meeting rooms, showrooms and halls: `resources.venues`, `needs.venue`.
public struct VenuesPlugin: ResourceKindPlugin {
    public init() {}

    public var descriptor: PluginDescriptor {
        PluginDescriptor(
            name: "venues",
            summary: "Rooms for talks, tours and ceremonies: type, location, capacity, grade, turnover, exclusive or shared.",
            resourceKeys: ["venues"], needKeys: ["venue"], tierFields: ["minVenueGrade"], costCategories: ["venue"],
            sizeFields: ["venues": "capacity"])
    }

    public func contribute(to resolved: ResolvedDay, diagnostics d: inout Diagnostics) -> KindContribution {
        let section = VenueSection(resolved.day, &d)
        var out = KindContribution()
        for venue in section.venues {
            out.resources.append(ResourceDeclaration(
                key: ResourceKey(kind: "venue", id: venue.id),
                sharing: venue.shared ? .capacity(Double(venue.capacity)) : .exclusive(turnoverMinutes: venue.turnoverMinutes)))
        }
        for visit in resolved.visits {
            let minGrade = section.minGrade[visit.tier] ?? 1
            for segment in visit.segments {
                guard let need = section.needs[visit.index][segment.index] else { continue }
                let attendees = Double(visit.guests) + segment.internalAttendees
                let venues = section.venues, span = segment.span
                let fitting = venues.indices.filter { i in
                    let venue = venues[i]
                    return (need.types.map { $0.contains(venue.type) } ?? true)
                        && (segment.location.map { $0 == venue.location } ?? true)
                        && Double(venue.capacity) >= attendees && venue.grade >= minGrade
                        && venue.availability.covers(span)
                }
                let candidates: @Sendable () -> [Candidate] = {
                    fitting.map { i in
                        let venue = venues[i]
                        return Candidate(
                            value: .string(venue.id), label: venue.id,
                            usages: [Usage(resource: ResourceKey(kind: "venue", id: venue.id), span: span, load: attendees)],
                            cost: venue.costPerHour * Double(span.minutes) / 60 + venue.costPerUse, category: "venue",
                            overGrade: Double(venue.grade - minGrade))
                    }
                }
                let what = need.types.map { $0.joined(separator: " or ") } ?? "venue"
                let requirement = "a \(what)\(segment.location.map { " at \($0)" } ?? "") for \(JSONWriter.format(attendees)) attendees, grade >= \(minGrade), \(segment.span)"
                out.needs.append(NeedDeclaration(
                    id: NeedID(visit: visit.index, segment: segment.index, key: "venue"), rule: .exactly(1), shape: .single,
                    deferredCandidates: candidates, requirement: requirement,
                    ineligibility: fitting.isEmpty ? "no \(what) fits: " + VenuesPlugin.shortfall(section.venues, need, segment, attendees, minGrade) : nil))
            }
        }
        return out
    }

    /// Says which condition rules out the venues that come closest.
    static func shortfall(_ venues: [Venue], _ need: VenueNeed, _ segment: Segment, _ attendees: Double, _ minGrade: Int) -> String {
        var pool = venues.filter { v in need.types.map { $0.contains(v.type) } ?? true }
        if pool.isEmpty { return "the day has no venue of type \(need.types?.joined(separator: ", ") ?? "any")" }
        if let loc = segment.location {
            pool = pool.filter { $0.location == loc }
            if pool.isEmpty { return "none of that type is at \(loc)" }
        }
        let roomy = pool.filter { Double($0.capacity) >= attendees }
        if roomy.isEmpty { return "the largest holds \(pool.map(\.capacity).max() ?? 0), \(JSONWriter.format(attendees)) attend" }
        let graded = roomy.filter { $0.grade >= minGrade }
        if graded.isEmpty { return "those large enough (\(roomy.map(\.id).joined(separator: ", "))) are below grade \(minGrade)" }
        return "\(graded.map(\.id).joined(separator: ", ")) would fit but none is available \(segment.span)"
    }
}
