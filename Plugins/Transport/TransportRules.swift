import SchedulingCore

// The plan checker's transport rules, re-derived from PROBLEM.md §3 (eligibility),
// §4 (conflicts), §5 (cost, overGrade) and §8. Nothing here calls the
// candidate logic of `contribute`, so a bug there shows up as a violation.
//
// Rules: plan.need-missing, transport.shape, transport.unknown,
// transport.distinct-vehicles, transport.distinct-drivers, transport.seats,
// transport.grade, transport.licence, transport.availability,
// transport.double-booked, transport.travel-gap, transport.driving-limit.

extension TransportPlugin {
    public func check(_ plan: PlanView, day: ResolvedDay, report: inout CheckReport) {
        var ignored = Diagnostics()
        let section = TransportSection(day.day, &ignored)
        let rules = TransportRules(day: day, section: section)
        var trips: [TransportRules.Trip] = []
        for visit in day.visits where plan.visits[visit.id] != nil {
            for segment in visit.segments where segment.needs["transport"] != nil {
                trips.append(contentsOf: rules.assignment(plan, visit, segment, &report))
            }
        }
        rules.conflicts(trips, &report)
    }
}

/// One rule per function; each reads the day and the plan's value directly.
struct TransportRules {
    /// A transfer segment: where and when it goes.
    struct Transfer {
        var visit: Visit
        var segment: Segment
        var from: String
        var to: String
        var span: TimeSpan { segment.span }
        var name: String { "\(visit.id) \(segment.id) \(segment.span) \(from)->\(to)" }
    }

    /// One vehicle or driver the plan sends on a transfer.
    struct Trip {
        enum Role: String { case vehicle, driver }
        var role: Role
        var id: String
        var transfer: Transfer
    }

    /// A (vehicle, driver) pair of the plan, each `nil` when its id does not resolve.
    struct Pair {
        var index: Int
        var vehicleID: String
        var driverID: String
        var vehicle: Vehicle?
        var driver: Driver?
    }

    let day: ResolvedDay
    let section: TransportSection
    let vehicles: [String: Vehicle]
    let drivers: [String: Driver]

    init(day: ResolvedDay, section: TransportSection) {
        self.day = day
        self.section = section
        var v: [String: Vehicle] = [:]
        for x in section.vehicles where v[x.id] == nil { v[x.id] = x }
        var d: [String: Driver] = [:]
        for x in section.drivers where d[x.id] == nil { d[x.id] = x }
        self.vehicles = v
        self.drivers = d
    }

    /// Reads one segment's `transport` value, checks it, and adds its costs; returns the trips for conflicts.
    func assignment(_ plan: PlanView, _ visit: Visit, _ segment: Segment, _ report: inout CheckReport) -> [Trip] {
        guard let value = plan.segmentValue(visit.id, segment.id, "transport") else {
            report.fail("plan.need-missing", visit: visit.id, segment: segment.id,
                        "the plan has no \"transport\" entry; write the assignment, or null and list the need in unmet")
            return []
        }
        if value == .null { return [] }  // unmet: the core checks the unmet list
        guard let from = segment.from, let to = segment.to else { return [] }  // an input error; never in a loaded day
        let transfer = Transfer(visit: visit, segment: segment, from: from, to: to)
        guard case .array(let items) = value else {
            report.fail("transport.shape", visit: visit.id, segment: segment.id,
                        "\(value.excerpt) is \(value.typeName); a transport need takes an array of {\"vehicle\", \"driver\"} pairs or null")
            return []
        }
        var pairs: [Pair] = []
        var wellFormed = true
        for (i, item) in items.enumerated() {
            guard case .object(let o) = item, case .string(let v)? = o["vehicle"], case .string(let d)? = o["driver"] else {
                report.fail("transport.shape", visit: visit.id, segment: segment.id,
                            "pair \(i + 1) is \(item.excerpt); each pair is {\"vehicle\": id, \"driver\": id}")
                wellFormed = false
                continue
            }
            let pair = Pair(index: i, vehicleID: v, driverID: d, vehicle: vehicles[v], driver: drivers[d])
            if pair.vehicle == nil {
                report.fail("transport.unknown", visit: visit.id, segment: segment.id, resource: v, "\"\(v)\" is not a vehicle of the day")
            }
            if pair.driver == nil {
                report.fail("transport.unknown", visit: visit.id, segment: segment.id, resource: d, "\"\(d)\" is not a driver of the day")
            }
            pairs.append(pair)
        }
        let minGrade = section.minGrade[visit.tier] ?? 1
        checkDistinctVehicles(transfer, pairs, &report)
        checkDistinctDrivers(transfer, pairs, &report)
        if wellFormed, pairs.allSatisfy({ $0.vehicle != nil }) { checkSeats(transfer, pairs, &report) }
        var trips: [Trip] = []
        for pair in pairs {
            if let v = pair.vehicle {
                checkGrade(transfer, v, minGrade: minGrade, &report)
                checkWindow(transfer, role: "vehicle", id: v.id, home: v.home, availability: v.availability, &report)
                report.addOverGrade(Double(v.grade - minGrade))
                trips.append(Trip(role: .vehicle, id: v.id, transfer: transfer))
            }
            if let d = pair.driver {
                checkWindow(transfer, role: "driver", id: d.id, home: d.home, availability: d.availability, &report)
                trips.append(Trip(role: .driver, id: d.id, transfer: transfer))
            }
            if let v = pair.vehicle, let d = pair.driver {
                checkLicence(transfer, v, d, &report)
                // §5: for each pair, (vehicle + driver costPerHour) prorated by the segment's minutes,
                // and a hired car's or driver's fee for the transfer.
                report.addCost((v.costPerHour + d.costPerHour) * Double(transfer.span.end - transfer.span.start) / 60 + (v.costPerUse + d.costPerUse),
                               visit: visit.id, category: "transport", day: transfer.segment.day)
            }
        }
        return trips
    }

    // MARK: Eligibility (§3)

    /// No vehicle twice in one transfer.
    func checkDistinctVehicles(_ t: Transfer, _ pairs: [Pair], _ report: inout CheckReport) {
        var seen = Set<String>()
        for p in pairs where !seen.insert(p.vehicleID).inserted {
            report.fail("transport.distinct-vehicles", visit: t.visit.id, segment: t.segment.id, resource: p.vehicleID,
                        "vehicle \(p.vehicleID) appears in more than one pair of this transfer")
        }
    }

    /// No driver twice in one transfer.
    func checkDistinctDrivers(_ t: Transfer, _ pairs: [Pair], _ report: inout CheckReport) {
        var seen = Set<String>()
        for p in pairs where !seen.insert(p.driverID).inserted {
            report.fail("transport.distinct-drivers", visit: t.visit.id, segment: t.segment.id, resource: p.driverID,
                        "driver \(p.driverID) appears in more than one pair of this transfer")
        }
    }

    /// Total seats of the (distinct) vehicles >= guests; internal attendees do not count (§8).
    func checkSeats(_ t: Transfer, _ pairs: [Pair], _ report: inout CheckReport) {
        var seen = Set<String>()
        let seats = pairs.compactMap(\.vehicle).filter { seen.insert($0.id).inserted }.reduce(0) { $0 + $1.seats }
        guard seats < t.visit.guests else { return }
        let which = pairs.isEmpty ? "no vehicle is assigned" : "the vehicles (\(seen.sorted().joined(separator: ", "))) seat \(seats)"
        report.fail("transport.seats", visit: t.visit.id, segment: t.segment.id,
                    "\(which) for \(t.visit.guests) guests; write null and list the need in unmet if it cannot be met")
    }

    /// Every vehicle `grade >= tier.minVehicleGrade`.
    func checkGrade(_ t: Transfer, _ v: Vehicle, minGrade: Int, _ report: inout CheckReport) {
        guard v.grade < minGrade else { return }
        report.fail("transport.grade", visit: t.visit.id, segment: t.segment.id, resource: v.id,
                    "\(v.id) is grade \(v.grade); a \(t.visit.tier.rawValue)-tier visit needs grade \(minGrade) or above")
    }

    /// Every driver holds a licence for the `type` of the vehicle it drives.
    func checkLicence(_ t: Transfer, _ v: Vehicle, _ d: Driver, _ report: inout CheckReport) {
        guard !d.licences.contains(v.type) else { return }
        report.fail("transport.licence", visit: t.visit.id, segment: t.segment.id, resource: d.id,
                    "driver \(d.id) has no licence for \(v.id), a \(v.type) (holds: \(d.licences.isEmpty ? "none" : d.licences.joined(separator: ", ")))")
    }

    /// Each vehicle and each driver is available over
    /// `[start - travel(home, from), end + travel(to, home))` with its own home (§3, §8).
    func checkWindow(_ t: Transfer, role: String, id: String, home: String, availability: Availability, _ report: inout CheckReport) {
        guard let out = day.day.travel.minutes(from: home, to: t.from), let back = day.day.travel.minutes(from: t.to, to: home) else {
            report.fail("transport.availability", visit: t.visit.id, segment: t.segment.id, resource: id,
                        "\(role) \(id) is based at \(home) and the day gives no travel time to \(t.from) or from \(t.to)")
            return
        }
        let window = TimeSpan(t.span.start - out, t.span.end + back)
        guard !CheckSupport.fits(window, availability) else { return }
        let shown = window.start < 0 || window.end > 24 * 60
            ? "from \(out) min before \(Clock.format(t.span.start)) to \(back) min after \(Clock.format(t.span.end)), which leaves the day"
            : window.description
        report.fail("transport.availability", visit: t.visit.id, segment: t.segment.id, resource: id,
                    "\(role) \(id) (home \(home)) must be available \(shown) to drive \(t.from)->\(t.to) and return; \(CheckSupport.describe(availability))")
    }

    // MARK: Conflicts (§4)

    func conflicts(_ trips: [Trip], _ report: inout CheckReport) {
        var byResource: [String: [Trip]] = [:]
        for trip in trips {
            let key = trip.role.rawValue + "\u{1}" + trip.id
            // A vehicle twice in one transfer is a distinctness fault, not a second trip.
            if byResource[key]?.contains(where: { $0.transfer.visit.index == trip.transfer.visit.index && $0.transfer.segment.index == trip.transfer.segment.index }) == true { continue }
            byResource[key, default: []].append(trip)
        }
        for (_, trips) in byResource.sorted(by: { $0.key < $1.key }) {
            let list = trips.sorted { ($0.transfer.span.start, $0.transfer.span.end) < ($1.transfer.span.start, $1.transfer.span.end) }
            checkTravelGaps(list, &report)
            if list[0].role == .driver, let driver = drivers[list[0].id] { checkDrivingLimit(driver, list, programmeDays: day.day.days, &report) }
        }
    }

    /// Every two transfers `a.start <= b.start` sharing a vehicle or driver need
    /// `b.start >= a.end + travel(a.to, b.from)`; equal starts always conflict (§8).
    func checkTravelGaps(_ list: [Trip], _ report: inout CheckReport) {
        for i in list.indices {
            for j in list.indices where j > i {
                let a = list[i].transfer, b = list[j].transfer, who = "\(list[j].role.rawValue) \(list[j].id)"
                if b.span.start < a.span.end {
                    report.fail("transport.double-booked", visit: b.visit.id, segment: b.segment.id, resource: list[j].id,
                                "\(who) is on \(a.name) and \(b.name) at once")
                    continue
                }
                guard let gap = day.day.travel.minutes(from: a.to, to: b.from) else {
                    report.fail("transport.travel-gap", visit: b.visit.id, segment: b.segment.id, resource: list[j].id,
                                "\(who) goes from \(a.name) to \(b.name), but the day gives no travel time \(a.to)->\(b.from)")
                    continue
                }
                guard b.span.start < a.span.end + gap else { continue }
                report.fail("transport.travel-gap", visit: b.visit.id, segment: b.segment.id, resource: list[j].id,
                            "\(who) ends \(a.name) at \(Clock.format(a.span.end)) and needs \(gap) min from \(a.to) to \(b.from), but \(b.name) starts \(b.span.start - a.span.end) min later")
            }
        }
    }

    /// A driver's transfers of each day add up to at most `maxDrivingMinutes` of
    /// segment time (§4, §8; per day in a programme, §9).
    func checkDrivingLimit(_ driver: Driver, _ list: [Trip], programmeDays: Int, _ report: inout CheckReport) {
        var byDay: [Int: [Trip]] = [:]
        for trip in list { byDay[trip.transfer.span.start / (24 * 60) + 1, default: []].append(trip) }
        for dayNumber in byDay.keys.sorted() {
            guard let trips = byDay[dayNumber] else { continue }
            let minutes = trips.reduce(0) { $0 + ($1.transfer.span.end - $1.transfer.span.start) }
            guard Double(minutes) > driver.maxDrivingMinutes else { continue }
            let last = trips[trips.count - 1].transfer
            let when = programmeDays > 1 ? " on day \(dayNumber)" : ""
            report.fail("transport.driving-limit", visit: last.visit.id, segment: last.segment.id, resource: driver.id,
                        "driver \(driver.id) drives \(minutes) min\(when) over \(trips.count) transfers (\(trips.map { "\($0.transfer.visit.id) \($0.transfer.segment.id)" }.joined(separator: ", "))); the limit is \(JSONWriter.format(driver.maxDrivingMinutes))")
        }
    }
}

