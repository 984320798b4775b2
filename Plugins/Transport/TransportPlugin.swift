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
        // Homes are few: look each resource's home up once, and each transfer's window once per home.
        let homes = Array(Set(section.vehicles.map(\.home) + section.drivers.map(\.home)))
        let homeIndex = Dictionary(uniqueKeysWithValues: homes.enumerated().map { ($0.element, $0.offset) })
        let vehicleHome = section.vehicles.map { homeIndex[$0.home] ?? 0 }
        let driverHome = section.drivers.map { homeIndex[$0.home] ?? 0 }
        for t in section.transfers {
            let visit = day.visits[t.visit]
            let minGrade = section.minGrade[visit.tier] ?? 1
            let windows: [TimeSpan?] = homes.map { home in
                guard let out = day.travel.minutes(from: home, to: t.from), let back = day.travel.minutes(from: t.to, to: home) else { return nil }
                return TimeSpan(t.span.start - out, t.span.end + back)
            }
            let vehicles = section.vehicles.indices.filter { i in
                let v = section.vehicles[i]
                return v.grade >= minGrade && (windows[vehicleHome[i]].map { v.availability.covers($0) } ?? false)
            }.map { section.vehicles[$0] }
            let drivers = section.drivers.indices.filter { i in
                let r = section.drivers[i]
                return (windows[driverHome[i]].map { r.availability.covers($0) } ?? false) && Double(t.span.minutes) <= r.maxDrivingMinutes
            }.map { section.drivers[$0] }
            // Licences depend on the vehicle type only: compare types, not every (vehicle, driver) pair.
            let licensed = Set(drivers.flatMap(\.licences))
            let usable = vehicles.filter { licensed.contains($0.type) }
            let usableTypes = Set(usable.map(\.type))
            let driving = drivers.filter { r in r.licences.contains { usableTypes.contains($0) } }
            let pairCount = TransportPlugin.pairCount(vehicles: usable, drivers: driving)
            // Two exact formulations. One column per (vehicle, driver) pair gives GLPK the
            // stronger relaxation (measured on generated 20-visit days: the root bound
            // closes the gap that the other leaves open), but grows as vehicles × drivers.
            // Past `pairLimit` pairs, one column per vehicle and one per driver with side
            // rules that keep them pairable stays linear in the fleet.
            let separate = pairCount > TransportPlugin.pairLimit
            var constraints: [NeedConstraint] = []
            var shape = PlanShape.list
            if separate {
                constraints = TransportPlugin.pairingConstraints(vehicles: usable, drivers: driving)
                shape = .custom(TransportPlugin.pairing(vehicles: usable, drivers: driving))
            }
            // One pair column per licensed pair; past `pairLimit` pairs, a column for each
            // usable vehicle and driver: candidates exist exactly when some pair does.
            var hasCandidates = pairCount > 0
            var why: String?
            // Each driver drives one car: at most as many cars as usable drivers, the largest first.
            let reachable = usable.map(\.seats).sorted(by: >).prefix(driving.count).reduce(0, +)
            if hasCandidates, reachable < visit.guests {
                why = "the available cars of grade >= \(minGrade) with a licensed driver seat at most \(reachable) of the \(visit.guests) guests (\(usable.map { "\($0.id) \($0.seats)" }.joined(separator: ", ")); \(driving.count) driver\(driving.count == 1 ? "" : "s"))"
                hasCandidates = false
            } else if !hasCandidates {
                if vehicles.isEmpty {
                    why = "no vehicle of grade >= \(minGrade) is available from its home trip to \(t.from) until back (\(t.span) plus travel)"
                } else if drivers.isEmpty {
                    why = "no driver is available from the trip to \(t.from) until back home (\(t.span) plus travel) within their driving limit"
                } else {
                    why = "no available driver holds a licence for the available vehicles (\(Set(vehicles.map(\.type)).sorted().joined(separator: ", ")))"
                }
            }
            let candidates: @Sendable () -> [Candidate]
            if !hasCandidates {
                candidates = { [] }
            } else if separate {
                candidates = { TransportPlugin.separateCandidates(t, usable, driving, minGrade) }
            } else {
                candidates = { TransportPlugin.pairCandidates(t, usable, driving, minGrade) }
            }
            var need = NeedDeclaration(
                id: NeedID(visit: t.visit, segment: t.segment, key: "transport"), rule: .cover(Double(visit.guests)), shape: shape,
                deferredCandidates: candidates, constraints: hasCandidates ? constraints : [],
                requirement: "cars of grade >= \(minGrade) seating \(visit.guests) from \(t.from) to \(t.to) \(t.span)",
                ineligibility: why)
            // A pair in a plan value is one vehicle candidate and one driver candidate.
            if separate { need.valueParts = { pair in [pair.objectValue?["vehicle"] ?? .null, pair.objectValue?["driver"] ?? .null] } }
            out.needs.append(need)
        }
        return out
    }

    /// The number of licensed (vehicle, driver) pairs, counted by vehicle type
    /// rather than pair by pair.
    static func pairCount(vehicles: [Vehicle], drivers: [Driver]) -> Int {
        var driversByType: [String: Int] = [:]
        for r in drivers {
            for type in Set(r.licences) { driversByType[type, default: 0] += 1 }
        }
        return vehicles.reduce(0) { $0 + (driversByType[$1.type] ?? 0) }
    }

    /// Above this many (vehicle, driver) pairs a transfer gets one column per vehicle
    /// and per driver instead of one per pair.
    static let pairLimit = 120

    static func usage(_ t: Transfer, vehicle v: Vehicle) -> Usage {
        Usage(resource: ResourceKey(kind: "vehicle", id: v.id), span: t.span, from: t.from, to: t.to)
    }

    static func usage(_ t: Transfer, driver r: Driver) -> Usage {
        Usage(resource: ResourceKey(kind: "driver", id: r.id), span: t.span, from: t.from, to: t.to, budgetMinutes: t.span.minutes)
    }

    /// One candidate per licensed (vehicle, driver) pair.
    static func pairCandidates(_ t: Transfer, _ vehicles: [Vehicle], _ drivers: [Driver], _ minGrade: Int) -> [Candidate] {
        vehicles.flatMap { v in
            drivers.filter { $0.licences.contains(v.type) }.map { r in
                Candidate(
                    value: .object(JSONObject(pairs: ["vehicle": .string(v.id), "driver": .string(r.id)])),
                    label: "\(v.id)+\(r.id)", usages: [usage(t, vehicle: v), usage(t, driver: r)],
                    cost: (v.costPerHour + r.costPerHour) * Double(t.span.minutes) / 60 + (v.costPerUse + r.costPerUse), category: "transport",
                    overGrade: Double(v.grade - minGrade), weight: Double(v.seats))
            }
        }
    }

    /// One candidate per vehicle (weighted by seats), then one per driver (weight 0).
    static func separateCandidates(_ t: Transfer, _ vehicles: [Vehicle], _ drivers: [Driver], _ minGrade: Int) -> [Candidate] {
        vehicles.map { v in
            Candidate(value: .string(v.id), label: v.id, usages: [usage(t, vehicle: v)],
                      cost: v.costPerHour * Double(t.span.minutes) / 60 + v.costPerUse, category: "transport",
                      overGrade: Double(v.grade - minGrade), weight: Double(v.seats))
        } + drivers.map { r in
            Candidate(value: .string(r.id), label: r.id, usages: [usage(t, driver: r)],
                      cost: r.costPerHour * Double(t.span.minutes) / 60 + r.costPerUse, category: "transport", weight: 0)
        }
    }

    /// Rows that make a set of chosen vehicles and drivers pairable: the counts are
    /// equal, and for every set S of vehicle types, the chosen vehicles of those types
    /// are at most the chosen drivers licensed for some type in S (Hall's condition;
    /// licences depend on the type only, so type sets are all the sets to check).
    /// Candidates are the vehicles (0..<vehicles.count) then the drivers. A set whose
    /// row a larger set with the same drivers implies, or whose drivers are all of
    /// them (implied by the equal counts), is left out.
    static func pairingConstraints(vehicles: [Vehicle], drivers: [Driver]) -> [NeedConstraint] {
        let offset = vehicles.count
        var rows = [NeedConstraint(
            terms: vehicles.indices.map { .init(candidate: $0, coefficient: 1) } + drivers.indices.map { .init(candidate: offset + $0, coefficient: -1) },
            sense: .equal, rhs: 0)]
        let types = Array(Set(vehicles.map(\.type))).sorted()
        guard !types.isEmpty, types.count <= 12 else { return rows }
        // Type sets as bit masks over `types`; each driver as the mask of the types it may drive.
        let bit = Dictionary(uniqueKeysWithValues: types.enumerated().map { ($0.element, 1 << $0.offset) })
        let vehicleMask = vehicles.map { bit[$0.type] ?? 0 }
        let driverMask = drivers.map { r in r.licences.reduce(0) { $0 | (bit[$1] ?? 0) } }
        // Drivers with equal masks behave alike: count them once per mask.
        var driversWithMask: [Int: Int] = [:]
        for m in driverMask { driversWithMask[m, default: 0] += 1 }
        let masks = driversWithMask.sorted { $0.key < $1.key }
        for set in 1..<(1 << types.count) {
            // The licensed drivers of `set` are those whose mask meets it. A type outside
            // `set` whose drivers are all licensed for `set` (no driver outside them holds it)
            // makes the row of `set` implied by the row of the larger set.
            var neighbourCount = 0
            var heldOutside = 0
            for (m, n) in masks {
                if m & set != 0 { neighbourCount += n } else { heldOutside |= m }
            }
            let dominated = types.indices.contains { set & (1 << $0) == 0 && heldOutside & (1 << $0) == 0 }
            if dominated || neighbourCount == drivers.count { continue }
            rows.append(NeedConstraint(
                terms: vehicles.indices.filter { vehicleMask[$0] & set != 0 }.map { .init(candidate: $0, coefficient: 1) }
                    + drivers.indices.filter { driverMask[$0] & set != 0 }.map { .init(candidate: offset + $0, coefficient: -1) },
                sense: .lessOrEqual, rhs: 0))
        }
        return rows
    }

    /// Pairs the chosen vehicles with the chosen drivers by licence for the plan
    /// (a bipartite matching by augmenting paths; the rows above guarantee one exists).
    static func pairing(vehicles: [Vehicle], drivers: [Driver]) -> @Sendable ([Int]) -> JSONValue {
        { chosen in
            let cars = chosen.filter { $0 < vehicles.count }
            let people = chosen.filter { $0 >= vehicles.count }.map { $0 - vehicles.count }
            var carOf: [Int: Int] = [:]   // person -> car
            func augment(_ car: Int, _ seen: inout Set<Int>) -> Bool {
                for person in people where drivers[person].licences.contains(vehicles[car].type) && seen.insert(person).inserted {
                    if let other = carOf[person], !augment(other, &seen) { continue }
                    carOf[person] = car
                    return true
                }
                return false
            }
            for car in cars {
                var seen = Set<Int>()
                _ = augment(car, &seen)
            }
            var personOf: [Int: Int] = [:]
            for (person, car) in carOf { personOf[car] = person }
            return .array(cars.map { car in
                .object(JSONObject(pairs: [
                    "vehicle": .string(vehicles[car].id),
                    "driver": personOf[car].map { .string(drivers[$0].id) } ?? .null,
                ]))
            })
        }
    }
}
