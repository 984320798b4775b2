import SchedulingCore

// The plan checker's catering rules, re-derived from PROBLEM.md §3 (eligibility),
// §4 (conflicts), §5 (cost, overGrade) and §8. Nothing here calls the
// candidate logic of `contribute`, so a bug there shows up as a violation.
//
// Rules: plan.need-missing, catering.shape, catering.unknown, catering.kind,
// catering.location, catering.seats, catering.grade, catering.dietary,
// catering.availability, catering.double-booked, catering.turnover,
// catering.shared-capacity.

extension CateringPlugin {
    public func check(_ plan: PlanView, day: ResolvedDay, report: inout CheckReport) {
        var ignored = Diagnostics()
        let section = CateringSection(day.day, &ignored)
        let rules = CateringRules(day: day, section: section)
        var uses: [CateringRules.Use] = []
        for visit in day.visits where plan.visits[visit.id] != nil {
            for segment in visit.segments where segment.needs["catering"] != nil {
                if let use = rules.assignment(plan, visit, segment, &report) { uses.append(use) }
            }
        }
        rules.conflicts(uses, &report)
    }
}

/// One rule per function; each reads the day and the plan's value directly.
struct CateringRules {
    /// A catering option the plan assigns to a segment.
    struct Use {
        var visit: Visit
        var segment: Segment
        var option: CateringOption
        var attendees: Double
    }

    let day: ResolvedDay
    let section: CateringSection
    let options: [String: CateringOption]

    init(day: ResolvedDay, section: CateringSection) {
        self.day = day
        self.section = section
        var byID: [String: CateringOption] = [:]
        for o in section.options where byID[o.id] == nil { byID[o.id] = o }
        self.options = byID
    }

    /// Reads one segment's `catering` value, checks it, and adds its cost; returns the use for conflicts.
    func assignment(_ plan: PlanView, _ visit: Visit, _ segment: Segment, _ report: inout CheckReport) -> Use? {
        guard let option = CheckSupport.singleID(plan, visit, segment, key: "catering", rule: "catering", noun: "catering option", in: options, &report) else {
            return nil
        }
        let use = Use(visit: visit, segment: segment, option: option, attendees: Double(visit.guests) + segment.internalAttendees)
        let minGrade = section.minGrade[visit.tier] ?? 1
        checkKind(use, &report)
        checkLocation(use, &report)
        checkSeats(use, &report)
        checkGrade(use, minGrade: minGrade, &report)
        checkDietary(use, &report)
        checkAvailability(use, &report)
        // §5: costPerHead for every attendee, and a hired option's fee for the use; overGrade against the tier's minimum.
        report.addCost(option.costPerHead * use.attendees + option.costPerUse, visit: visit.id, category: "catering", day: segment.day)
        report.addOverGrade(Double(option.grade - minGrade))
        return use
    }

    // MARK: Eligibility (§3)

    /// `kind` in the need's `kinds`; no `kinds` accepts any kind.
    func checkKind(_ u: Use, _ report: inout CheckReport) {
        guard let kinds = section.needs[u.visit.index][u.segment.index]?.kinds, !kinds.contains(u.option.kind) else { return }
        report.fail("catering.kind", visit: u.visit.id, segment: u.segment.id, resource: u.option.id,
                    "\(u.option.id) is a \(u.option.kind); the segment asks for \(kinds.joined(separator: " or "))")
    }

    /// The option's `location` equals the segment's `location` when that is given.
    func checkLocation(_ u: Use, _ report: inout CheckReport) {
        guard let wanted = u.segment.location, wanted != u.option.location else { return }
        report.fail("catering.location", visit: u.visit.id, segment: u.segment.id, resource: u.option.id,
                    "\(u.option.id) is at \(u.option.location); the segment takes place at \(wanted)")
    }

    /// `seats >= guests + internalAttendees`.
    func checkSeats(_ u: Use, _ report: inout CheckReport) {
        guard Double(u.option.seats) < u.attendees else { return }
        report.fail("catering.seats", visit: u.visit.id, segment: u.segment.id, resource: u.option.id,
                    "\(u.option.id) seats \(u.option.seats) but \(fmt(u.attendees)) attend (\(u.visit.guests) guests + \(fmt(u.segment.internalAttendees)) internal)")
    }

    /// `grade >= tier.minCateringGrade`.
    func checkGrade(_ u: Use, minGrade: Int, _ report: inout CheckReport) {
        guard u.option.grade < minGrade else { return }
        report.fail("catering.grade", visit: u.visit.id, segment: u.segment.id, resource: u.option.id,
                    "\(u.option.id) is grade \(u.option.grade); a \(u.visit.tier.rawValue)-tier visit needs grade \(minGrade) or above")
    }

    /// The option's `dietary` contains every item of the visit's `dietary`.
    func checkDietary(_ u: Use, _ report: inout CheckReport) {
        let missing = u.visit.dietary.filter { !u.option.dietary.contains($0) }
        guard !missing.isEmpty else { return }
        report.fail("catering.dietary", visit: u.visit.id, segment: u.segment.id, resource: u.option.id,
                    "\(u.option.id) does not serve \(missing.joined(separator: ", ")), which the visit needs")
    }

    /// One `available` entry contains the whole segment.
    func checkAvailability(_ u: Use, _ report: inout CheckReport) {
        guard !CheckSupport.fits(u.segment.span, u.option.availability) else { return }
        report.fail("catering.availability", visit: u.visit.id, segment: u.segment.id, resource: u.option.id,
                    "\(u.option.id) is not available over the whole of \(u.segment.span) (\(CheckSupport.describe(u.option.availability)))")
    }

    // MARK: Conflicts (§4)

    func conflicts(_ uses: [Use], _ report: inout CheckReport) {
        var byOption: [String: [Use]] = [:]
        for u in uses { byOption[u.option.id, default: []].append(u) }
        for (id, list) in byOption.sorted(by: { $0.key < $1.key }) {
            guard let resource = list.first?.option else { continue }
            let rooms = list.map { CheckSupport.RoomUse(visit: $0.visit.id, segment: $0.segment.id, span: $0.segment.span, attendees: $0.attendees) }
            if resource.shared {
                CheckSupport.checkShared(id, rooms, capacity: Double(resource.seats), rule: "catering.shared-capacity", &report)
            } else {
                CheckSupport.checkExclusive(id, rooms, turnover: resource.turnoverMinutes, rule: "catering", &report)
            }
        }
    }
}

private func fmt(_ x: Double) -> String { JSONWriter.format(x) }
