import SchedulingCore

/// Vehicles and drivers for pickups, transfers and send-offs:
/// `resources.vehicles`, `resources.drivers`, `needs.transport`.
public struct TransportPlugin: ResourceKindPlugin {
    public init() {}

    public var descriptor: PluginDescriptor {
        PluginDescriptor(
            name: "transport",
            summary: "Cars and drivers: (vehicle, driver) pairs seating the guests, licences, travel between places, driving limits.",
            resourceKeys: ["vehicles", "drivers"], needKeys: ["transport"], tierFields: ["minVehicleGrade"],
            costCategories: ["transport"], needKeysWithoutHost: ["transport"])
    }

    public func contribute(to resolved: ResolvedDay, diagnostics d: inout Diagnostics) -> KindContribution {
        let day = resolved.day
        let section = TransportSection(day, &d)
        var out = KindContribution()
        for v in section.vehicles {
            out.resources.append(ResourceDeclaration(key: ResourceKey(kind: "vehicle", id: v.id), sharing: .mobile))
        }
        for r in section.drivers {
            out.resources.append(ResourceDeclaration(key: ResourceKey(kind: "driver", id: r.id), sharing: .mobile, minuteBudget: r.maxDrivingMinutes))
        }
        guard !d.hasErrors else { return out }
        for t in section.transfers {
            let visit = day.visits[t.visit]
            let minGrade = section.minGrade[visit.tier] ?? 1
            func window(_ home: String) -> TimeSpan? {
                guard let out = day.travel.minutes(from: home, to: t.from), let back = day.travel.minutes(from: t.to, to: home) else { return nil }
                return TimeSpan(t.span.start - out, t.span.end + back)
            }
            let vehicles = section.vehicles.filter { v in
                v.grade >= minGrade && (window(v.home).map { v.availability.covers($0) } ?? false)
            }
            let drivers = section.drivers.filter { r in
                (window(r.home).map { r.availability.covers($0) } ?? false) && Double(t.span.minutes) <= r.maxDrivingMinutes
            }
            var candidates: [Candidate] = []
            for v in vehicles {
                for r in drivers where r.licences.contains(v.type) {
                    candidates.append(Candidate(
                        value: .object(JSONObject(pairs: ["vehicle": .string(v.id), "driver": .string(r.id)])),
                        label: "\(v.id)+\(r.id)",
                        usages: [
                            Usage(resource: ResourceKey(kind: "vehicle", id: v.id), span: t.span, from: t.from, to: t.to),
                            Usage(resource: ResourceKey(kind: "driver", id: r.id), span: t.span, from: t.from, to: t.to, budgetMinutes: t.span.minutes),
                        ],
                        cost: (v.costPerHour + r.costPerHour) * Double(t.span.minutes) / 60, category: "transport",
                        overGrade: Double(v.grade - minGrade), weight: Double(v.seats)))
                }
            }
            var why: String?
            // Each driver drives one car: at most as many cars as usable drivers, the largest first.
            let usable = vehicles.filter { v in drivers.contains { $0.licences.contains(v.type) } }
            let driving = drivers.filter { r in usable.contains { r.licences.contains($0.type) } }
            let reachable = usable.map(\.seats).sorted(by: >).prefix(driving.count).reduce(0, +)
            if !candidates.isEmpty, reachable < visit.guests {
                why = "the available cars of grade >= \(minGrade) with a licensed driver seat at most \(reachable) of the \(visit.guests) guests (\(usable.map { "\($0.id) \($0.seats)" }.joined(separator: ", ")); \(driving.count) driver\(driving.count == 1 ? "" : "s"))"
                candidates = []
            } else if candidates.isEmpty {
                if vehicles.isEmpty {
                    why = "no vehicle of grade >= \(minGrade) is available from its home trip to \(t.from) until back (\(t.span) plus travel)"
                } else if drivers.isEmpty {
                    why = "no driver is available from the trip to \(t.from) until back home (\(t.span) plus travel) within their driving limit"
                } else {
                    why = "no available driver holds a licence for the available vehicles (\(Set(vehicles.map(\.type)).sorted().joined(separator: ", ")))"
                }
            }
            out.needs.append(NeedDeclaration(
                id: NeedID(visit: t.visit, segment: t.segment, key: "transport"), rule: .cover(Double(visit.guests)), shape: .list,
                candidates: candidates,
                requirement: "cars of grade >= \(minGrade) seating \(visit.guests) from \(t.from) to \(t.to) \(t.span)",
                ineligibility: why))
        }
        return out
    }
}
