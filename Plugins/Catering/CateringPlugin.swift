import SchedulingCore

/// Meals: `resources.catering`, `needs.catering`.
public struct CateringPlugin: ResourceKindPlugin {
    public init() {}

    public var descriptor: PluginDescriptor {
        PluginDescriptor(
            name: "catering",
            summary: "Meals in banquet rooms and restaurants: kind, location, seats, grade, dietary options, cost per head.",
            resourceKeys: ["catering"], needKeys: ["catering"], tierFields: ["minCateringGrade"], costCategories: ["catering"],
            sizeFields: ["catering": "seats"])
    }

    public func contribute(to resolved: ResolvedDay, diagnostics d: inout Diagnostics) -> KindContribution {
        let section = CateringSection(resolved.day, &d)
        var out = KindContribution()
        for option in section.options {
            out.resources.append(ResourceDeclaration(
                key: ResourceKey(kind: "catering", id: option.id),
                sharing: option.shared ? .capacity(Double(option.seats)) : .exclusive(turnoverMinutes: option.turnoverMinutes)))
        }
        for visit in resolved.visits {
            let minGrade = section.minGrade[visit.tier] ?? 1
            for segment in visit.segments {
                guard let need = section.needs[visit.index][segment.index] else { continue }
                let attendees = Double(visit.guests) + segment.internalAttendees
                let options = section.options, span = segment.span
                let fitting = options.indices.filter { i in
                    let option = options[i]
                    return (need.kinds.map { $0.contains(option.kind) } ?? true)
                        && (segment.location.map { $0 == option.location } ?? true)
                        && Double(option.seats) >= attendees && option.grade >= minGrade
                        && visit.dietary.allSatisfy { option.dietary.contains($0) }
                        && option.availability.covers(span)
                }
                let candidates: @Sendable () -> [Candidate] = {
                    fitting.map { i in
                        let option = options[i]
                        return Candidate(
                            value: .string(option.id), label: option.id,
                            usages: [Usage(resource: ResourceKey(kind: "catering", id: option.id), span: span, load: attendees)],
                            cost: option.costPerHead * attendees + option.costPerUse, category: "catering",
                            overGrade: Double(option.grade - minGrade))
                    }
                }
                let what = need.kinds.map { $0.joined(separator: " or ") } ?? "meal"
                let diet = visit.dietary.isEmpty ? "" : " serving \(visit.dietary.joined(separator: ", "))"
                let requirement = "a \(what)\(segment.location.map { " at \($0)" } ?? "") for \(JSONWriter.format(attendees)) attendees\(diet), grade >= \(minGrade), \(segment.span)"
                out.needs.append(NeedDeclaration(
                    id: NeedID(visit: visit.index, segment: segment.index, key: "catering"), rule: .exactly(1), shape: .single,
                    deferredCandidates: candidates, requirement: requirement,
                    ineligibility: fitting.isEmpty ? "no \(what) fits: " + CateringPlugin.shortfall(section.options, need, visit, segment, attendees, minGrade) : nil))
            }
        }
        return out
    }

    static func shortfall(_ options: [CateringOption], _ need: CateringNeed, _ visit: Visit, _ segment: Segment, _ attendees: Double, _ minGrade: Int) -> String {
        var pool = options.filter { o in need.kinds.map { $0.contains(o.kind) } ?? true }
        if pool.isEmpty { return "the day has no catering of kind \(need.kinds?.joined(separator: ", ") ?? "any")" }
        if let loc = segment.location {
            pool = pool.filter { $0.location == loc }
            if pool.isEmpty { return "none of that kind is at \(loc)" }
        }
        let roomy = pool.filter { Double($0.seats) >= attendees }
        if roomy.isEmpty { return "the largest seats \(pool.map(\.seats).max() ?? 0), \(JSONWriter.format(attendees)) attend" }
        let graded = roomy.filter { $0.grade >= minGrade }
        if graded.isEmpty { return "those large enough (\(roomy.map(\.id).joined(separator: ", "))) are below grade \(minGrade)" }
        let diet = graded.filter { o in visit.dietary.allSatisfy { o.dietary.contains($0) } }
        if diet.isEmpty { return "none of \(graded.map(\.id).joined(separator: ", ")) serves \(visit.dietary.joined(separator: ", "))" }
        return "\(diet.map(\.id).joined(separator: ", ")) would fit but none is available \(segment.span)"
    }
}
