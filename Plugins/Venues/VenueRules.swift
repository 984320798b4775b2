import SchedulingCore

// The plan checker's venue rules, re-derived from PROBLEM.md §3 (eligibility),
// §4 (conflicts), §5 (cost, overGrade) and §8. Nothing here calls the
// candidate logic of `contribute`, so a bug there shows up as a violation.
//
// Rules: plan.need-missing, venue.shape, venue.unknown, venue.type,
// venue.location, venue.capacity, venue.grade, venue.availability,
// venue.double-booked, venue.turnover, venue.shared-capacity.

extension VenuesPlugin {
    public func check(_ plan: PlanView, day: ResolvedDay, report: inout CheckReport) {
        var ignored = Diagnostics()
        let section = VenueSection(day.day, &ignored)
        let rules = VenueRules(day: day, section: section)
        var uses: [VenueRules.Use] = []
        for visit in day.visits where plan.visits[visit.id] != nil {
            for segment in visit.segments where segment.needs["venue"] != nil {
                if let use = rules.assignment(plan, visit, segment, &report) { uses.append(use) }
            }
        }
        rules.conflicts(uses, &report)
    }
}

/// One rule per function; each reads the day and the plan's value directly.
struct VenueRules {
    /// A venue the plan assigns to a segment.
    struct Use {
        var visit: Visit
        var segment: Segment
        var venue: Venue
        var attendees: Double
    }

    let day: ResolvedDay
    let section: VenueSection
    let venues: [String: Venue]

    init(day: ResolvedDay, section: VenueSection) {
        self.day = day
        self.section = section
        var byID: [String: Venue] = [:]
        for v in section.venues where byID[v.id] == nil { byID[v.id] = v }
        self.venues = byID
    }

    /// Reads one segment's `venue` value, checks it, and adds its cost; returns the use for conflicts.
    func assignment(_ plan: PlanView, _ visit: Visit, _ segment: Segment, _ report: inout CheckReport) -> Use? {
        guard let venue = CheckSupport.singleID(plan, visit, segment, key: "venue", rule: "venue", noun: "venue", in: venues, &report) else {
            return nil
        }
        let use = Use(visit: visit, segment: segment, venue: venue, attendees: Double(visit.guests) + segment.internalAttendees)
        let minGrade = section.minGrade[visit.tier] ?? 1
        checkType(use, &report)
        checkLocation(use, &report)
        checkCapacity(use, &report)
        checkGrade(use, minGrade: minGrade, &report)
        checkAvailability(use, &report)
        // §5: costPerHour prorated by the minute, and a hired room's fee for the use; overGrade against the tier's minimum.
        report.addCost(venue.costPerHour * Double(segment.span.end - segment.span.start) / 60 + venue.costPerUse, visit: visit.id, category: "venue", day: segment.day)
        report.addOverGrade(Double(venue.grade - minGrade))
        return use
    }

    // MARK: Eligibility (§3)

    /// `type` in the need's `types`; no `types` accepts any type.
    func checkType(_ u: Use, _ report: inout CheckReport) {
        guard let types = section.needs[u.visit.index][u.segment.index]?.types, !types.contains(u.venue.type) else { return }
        report.fail("venue.type", visit: u.visit.id, segment: u.segment.id, resource: u.venue.id,
                    "\(u.venue.id) is a \(u.venue.type); the segment asks for \(types.joined(separator: " or "))")
    }

    /// The venue's `location` equals the segment's `location` when that is given.
    func checkLocation(_ u: Use, _ report: inout CheckReport) {
        guard let wanted = u.segment.location, wanted != u.venue.location else { return }
        report.fail("venue.location", visit: u.visit.id, segment: u.segment.id, resource: u.venue.id,
                    "\(u.venue.id) is at \(u.venue.location); the segment takes place at \(wanted)")
    }

    /// `capacity >= guests + internalAttendees`.
    func checkCapacity(_ u: Use, _ report: inout CheckReport) {
        guard Double(u.venue.capacity) < u.attendees else { return }
        report.fail("venue.capacity", visit: u.visit.id, segment: u.segment.id, resource: u.venue.id,
                    "\(u.venue.id) holds \(u.venue.capacity) but \(fmt(u.attendees)) attend (\(u.visit.guests) guests + \(fmt(u.segment.internalAttendees)) internal)")
    }

    /// `grade >= tier.minVenueGrade`.
    func checkGrade(_ u: Use, minGrade: Int, _ report: inout CheckReport) {
        guard u.venue.grade < minGrade else { return }
        report.fail("venue.grade", visit: u.visit.id, segment: u.segment.id, resource: u.venue.id,
                    "\(u.venue.id) is grade \(u.venue.grade); a \(u.visit.tier.rawValue)-tier visit needs grade \(minGrade) or above")
    }

    /// One `available` entry contains the whole segment.
    func checkAvailability(_ u: Use, _ report: inout CheckReport) {
        guard !CheckSupport.fits(u.segment.span, u.venue.availability) else { return }
        report.fail("venue.availability", visit: u.visit.id, segment: u.segment.id, resource: u.venue.id,
                    "\(u.venue.id) is not available over the whole of \(u.segment.span) (\(CheckSupport.describe(u.venue.availability)))")
    }

    // MARK: Conflicts (§4)

    func conflicts(_ uses: [Use], _ report: inout CheckReport) {
        var byVenue: [String: [Use]] = [:]
        for u in uses { byVenue[u.venue.id, default: []].append(u) }
        for (id, list) in byVenue.sorted(by: { $0.key < $1.key }) {
            guard let resource = list.first?.venue else { continue }
            let rooms = list.map { CheckSupport.RoomUse(visit: $0.visit.id, segment: $0.segment.id, span: $0.segment.span, attendees: $0.attendees) }
            if resource.shared {
                CheckSupport.checkShared(id, rooms, capacity: Double(resource.capacity), rule: "venue.shared-capacity", &report)
            } else {
                CheckSupport.checkExclusive(id, rooms, turnover: resource.turnoverMinutes, rule: "venue", &report)
            }
        }
    }
}

private func fmt(_ x: Double) -> String { JSONWriter.format(x) }
