import SchedulingCore

// The plan checker's parking rules, written from the kind's rules: a bay at the
// segment's location, covered when the tier says coveredParking, available over
// the segment, one car at a time; cost costPerHour * minutes / 60 in `parking`.
//
// Rules: plan.need-missing, parking.shape, parking.unknown, parking.location,
// parking.covered, parking.availability, parking.double-booked.

extension ParkingPlugin {
    public func check(_ plan: PlanView, day: ResolvedDay, report: inout CheckReport) {
        var ignored = Diagnostics()
        let section = ParkingSection(day.day, &ignored)
        var bays: [String: ParkingBay] = [:]
        for bay in section.bays where bays[bay.id] == nil { bays[bay.id] = bay }
        var uses: [String: [CheckSupport.RoomUse]] = [:]
        for visit in day.visits where plan.visits[visit.id] != nil {
            for segment in visit.segments where segment.needs["parking"] != nil {
                guard let bay = CheckSupport.singleID(plan, visit, segment, key: "parking", rule: "parking", noun: "parking bay",
                                                      in: bays, &report) else { continue }
                if bay.location != segment.location {
                    report.fail("parking.location", visit: visit.id, segment: segment.id, resource: bay.id,
                                "\(bay.id) is at \(bay.location); the segment is at \(segment.location ?? "no location")")
                }
                if section.covered[visit.tier] == true && !bay.covered {
                    report.fail("parking.covered", visit: visit.id, segment: segment.id, resource: bay.id,
                                "\(bay.id) is not covered; the \(visit.tier.rawValue) tier asks for covered parking")
                }
                if !CheckSupport.fits(segment.span, bay.availability) {
                    report.fail("parking.availability", visit: visit.id, segment: segment.id, resource: bay.id,
                                "\(bay.id) is not available over the whole of \(segment.span) (\(CheckSupport.describe(bay.availability)))")
                }
                report.addCost(bay.costPerHour * Double(segment.span.end - segment.span.start) / 60, visit: visit.id, category: "parking", day: segment.day)
                uses[bay.id, default: []].append(CheckSupport.RoomUse(visit: visit.id, segment: segment.id, span: segment.span, attendees: 1))
            }
        }
        for (id, list) in uses.sorted(by: { $0.key < $1.key }) {
            CheckSupport.checkExclusive(id, list, turnover: 0, rule: "parking", &report)
        }
    }
}
