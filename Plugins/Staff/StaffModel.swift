import SchedulingCore

/// A person from `resources.staff`.
public struct StaffMember: Sendable, Hashable {
    public var id: String
    public var name: String?
    public var rank: Rank
    public var department: String
    public var languages: [String]
    public var availability: Availability
}

/// A segment's `needs.presenters`.
public struct PresenterNeed: Sendable, Hashable {
    /// `nil` = any department.
    public var department: String?
    public var count: Int
    public var minRank: Rank
}

/// The staff part of a day, decoded and validated.
struct StaffSection {
    var staff: [StaffMember] = []
    var presenters: [[Int: PresenterNeed]] = []
    var hostRank: [TierName: Rank] = [:]
    var guestsPerEscort: [TierName: Double] = [:]
    /// Each member's languages as escort tags (`language:de`), by index into ``staff``:
    /// built once and shared by every escort candidate of that member.
    var languageTags: [Set<String>] = []

    init(_ day: Day, _ d: inout Diagnostics) {
        var seen = Set<String>()
        for (item, path) in PluginInput.resourceItems(day, key: "staff", &d) {
            guard var r = ObjectReader(item, at: path, diagnostics: &d) else { continue }
            let id = r.identifier("id", &d)
            let name = r.string("name", &d)
            let rank = r.rank("rank", required: true, &d)
            let department = r.identifier("department", &d)
            let languages = r.strings("languages", &d) ?? []
            let availability = r.availability(in: day, &d)
            r.warnAboutUnknownKeys(&d)
            guard let id, PluginInput.claim(id, in: &seen, at: path + "id", kind: "staff member", &d),
                  let rank, let department else { continue }
            staff.append(StaffMember(id: id, name: name, rank: rank, department: department, languages: languages, availability: availability))
        }
        languageTags = staff.map { Set($0.languages.map { "language:" + $0 }) }
        for tier in TierName.allCases {
            let policy = day.policy.tier(tier)
            var r = ObjectReader(object: policy.fields, at: policy.path)
            hostRank[tier] = r.rank("hostRank", required: true, &d)
            if let g = r.number("guestsPerEscort", required: true, minimum: nil, &d) {
                if g > 0 { guestsPerEscort[tier] = g } else { d.error(policy.path + "guestsPerEscort", "\(JSONWriter.format(g)) must be greater than 0") }
            }
        }
        let ids = Set(staff.map(\.id))
        for visit in day.visits {
            if let host = visit.host, !ids.contains(host) {
                d.error(visit.path + "host", "\"\(host)\" is not a staff id; pin an existing staff member or remove host")
            }
            var byIndex: [Int: PresenterNeed] = [:]
            for segment in visit.segments {
                guard var r = PluginInput.need(segment, key: "presenters", &d) else { continue }
                let department = r.string("department", &d)
                let count = r.integer("count", in: 1...Int(Int32.max), &d) ?? 1
                let minRank = r.rank("minRank", required: false, &d) ?? .staff
                r.warnAboutUnknownKeys(&d)
                byIndex[segment.index] = PresenterNeed(department: department, count: count, minRank: minRank)
            }
            presenters.append(byIndex)
        }
    }

    /// Escorts a visit needs: `escorts`, else `ceil(guests / guestsPerEscort)`.
    func escortCount(_ visit: Visit) -> Int {
        if let n = visit.escorts { return n }
        guard let per = guestsPerEscort[visit.tier] else { return 0 }
        // A tiny guestsPerEscort must not overflow Int: more escorts than Int32.max are never met anyway.
        return Int(min((Double(visit.guests) / per).rounded(.up), Double(Int32.max)))
    }
}
