import SchedulingCore

// The plan checker's lodging rules, written from PROBLEM.md §9 (one hotel for
// all of a visit's nights, ceil(guests / guestsPerRoom) rooms each night, grade
// >= minHotelGrade, held on each night, at the asked location; on each night the
// rooms taken at a hotel add up to at most its block; cost pricePerNight * rooms
// a night on the day the night begins; overGrade like a venue's). Nothing here
// calls the candidate logic of `contribute`, so a bug there shows up as a violation.
//
// Rules: plan.need-missing, lodging.shape, lodging.unknown, lodging.rooms,
// lodging.grade, lodging.location, lodging.nights, lodging.capacity.

extension LodgingPlugin {
    /// Checks the plan's lodging from the rules above; reports each stay's cost by
    /// night, its overGrade, and what `perGuestNight` adds to the visit's cap.
    public func check(_ plan: PlanView, day: ResolvedDay, report: inout CheckReport) {
        var ignored = Diagnostics()
        let section = LodgingSection(day.day, &ignored)
        var hotels: [String: Hotel] = [:]
        for h in section.hotels where hotels[h.id] == nil { hotels[h.id] = h }
        var stays: [LodgingRules.Stay] = []
        for visit in day.visits {
            guard let need = section.needs[visit.index] else { continue }
            // The cap: perGuestNight * guests * nights, whatever the plan does.
            if let rate = section.perGuestNight[visit.tier] {
                report.addCapAllowance(rate * Double(visit.guests) * Double(need.nights.count), visit: visit.id, category: "lodging")
            }
            guard plan.visits[visit.id] != nil else { continue }
            if let stay = LodgingRules.stay(plan, visit, need, hotels: hotels, section: section, &report) { stays.append(stay) }
        }
        LodgingRules.capacity(stays, &report)
    }
}

/// One rule per function; each reads the day and the plan's value directly.
enum LodgingRules {
    /// A visit's stay as the plan writes it.
    struct Stay {
        var visit: Visit
        var hotel: Hotel
        var rooms: Int
        var nights: [Int]
    }

    /// Reads a visit's `lodging` value, checks it, and adds its cost night by night.
    static func stay(_ plan: PlanView, _ visit: Visit, _ need: LodgingNeed, hotels: [String: Hotel], section: LodgingSection,
                     _ report: inout CheckReport) -> Stay? {
        guard let value = plan.visitValue(visit.id, "lodging") else {
            report.fail("plan.need-missing", visit: visit.id, "the plan has no \"lodging\" entry; write {\"hotel\", \"rooms\"}, or null and list the need in unmet")
            return nil
        }
        if value == .null { return nil }
        guard case .object(let o) = value, case .string(let id)? = o["hotel"], case .number(let n)? = o["rooms"], n == n.rounded(), n >= 0, n < 1e9 else {
            report.fail("lodging.shape", visit: visit.id, "\(value.excerpt) is not a stay; write {\"hotel\": id, \"rooms\": n} or null")
            return nil
        }
        guard let hotel = hotels[id] else {
            report.fail("lodging.unknown", visit: visit.id, resource: id, "\"\(id)\" is not a hotel of the programme")
            return nil
        }
        let stay = Stay(visit: visit, hotel: hotel, rooms: Int(n), nights: need.nights)
        let guestsPerRoom = section.guestsPerRoom[visit.tier] ?? 1
        let rooms = Int((Double(visit.guests) / Double(guestsPerRoom)).rounded(.up))
        if stay.rooms != rooms {
            report.fail("lodging.rooms", visit: visit.id, resource: id,
                        "the plan books \(stay.rooms) rooms; \(visit.guests) guests at \(guestsPerRoom) per room (\(visit.tier.rawValue) tier) take \(rooms)")
        }
        let minGrade = section.minGrade[visit.tier] ?? 1
        if hotel.grade < minGrade {
            report.fail("lodging.grade", visit: visit.id, resource: id,
                        "\(id) is grade \(hotel.grade); a \(visit.tier.rawValue)-tier visit stays at grade \(minGrade) or above")
        }
        if let place = need.location, place != hotel.location {
            report.fail("lodging.location", visit: visit.id, resource: id, "\(id) is at \(hotel.location); the visit asks for a hotel at \(place)")
        }
        let missing = need.nights.filter { !hotel.nights.contains($0) }
        if !missing.isEmpty {
            report.fail("lodging.nights", visit: visit.id, resource: id,
                        "\(id) holds no rooms on night\(missing.count == 1 ? "" : "s") \(missing.map(String.init).joined(separator: ", ")); the visit stays nights \(need.nights.map(String.init).joined(separator: ", "))")
        }
        // §9: pricePerNight * rooms for each night, on the day the night begins; overGrade like a venue's.
        for night in need.nights {
            report.addCost(hotel.pricePerNight * Double(stay.rooms), visit: visit.id, category: "lodging", day: night)
        }
        report.addOverGrade(Double(hotel.grade - minGrade))
        return stay
    }

    /// On each night, the rooms the plan books at a hotel add up to at most its block.
    static func capacity(_ stays: [Stay], _ report: inout CheckReport) {
        var taken: [String: [Int: [Stay]]] = [:]
        for stay in stays { for night in stay.nights { taken[stay.hotel.id, default: [:]][night, default: []].append(stay) } }
        for (id, byNight) in taken.sorted(by: { $0.key < $1.key }) {
            for (night, list) in byNight.sorted(by: { $0.key < $1.key }) {
                guard let hotel = list.first?.hotel else { continue }
                let rooms = list.reduce(0) { $0 + $1.rooms }
                guard rooms > hotel.rooms else { continue }
                let last = list.sorted { $0.visit.index < $1.visit.index }[list.count - 1]
                report.fail("lodging.capacity", visit: last.visit.id, resource: id,
                            "\(id) holds \(hotel.rooms) rooms on night \(night); the plan books \(rooms): \(list.map { "\($0.visit.id) \($0.rooms)" }.joined(separator: ", "))")
            }
        }
    }
}
