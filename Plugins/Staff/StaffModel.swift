import SchedulingCore

/// A person from `resources.staff`.
public struct StaffMember: Sendable, Hashable {
    public var id: String
    public var name: String?
    public var rank: Rank
    public var department: String
    public var languages: [String]
    public var availability: Availability
    /// The service roles the member can take (`sign-in-desk`, `minute-taker`,
    /// `interpreter`); empty = none. Only members who list a role are eligible for it.
    public var roles: [String] = []
}

/// A segment's `needs.presenters`.
public struct PresenterNeed: Sendable, Hashable {
    /// `nil` = any department.
    public var department: String?
    public var count: Int
    public var minRank: Rank
}

/// One entry of a segment's `needs.roles`: `count` distinct staff who list
/// `role` in their `roles`, of rank `>= minRank`, from `department` and speaking
/// `language` when those are given, busy over the segment.
public struct RoleNeed: Sendable, Hashable {
    /// A free identifier: `sign-in-desk`, `minute-taker`, `interpreter`.
    public var role: String
    public var count: Int
    public var minRank: Rank
    /// `nil` = any department.
    public var department: String?
    /// `nil` = any; else every person in the role speaks it.
    public var language: String?

    /// `minute-taker`, `interpreter (2)`: the role and its count.
    var phrase: String { count == 1 ? role : "\(role) (\(count))" }

    /// Whether `member` may serve in this role, availability aside.
    func admits(_ member: StaffMember) -> Bool {
        member.roles.contains(role) && member.rank >= minRank
            && (department.map { $0 == member.department } ?? true)
            && (language.map { member.languages.contains($0) } ?? true)
    }

    /// `who list minute-taker in roles, of rank manager or above, from legal, speaking de`.
    var conditions: String {
        var parts = ["listing \(role) in roles", "of rank \(minRank) or above"]
        if let department { parts.append("from \(department)") }
        if let language { parts.append("speaking \(language)") }
        return parts.joined(separator: ", ")
    }
}

/// The staff part of a day, decoded and validated.
struct StaffSection {
    var staff: [StaffMember] = []
    var presenters: [[Int: PresenterNeed]] = []
    /// Each segment's `needs.roles`, by visit index then segment index.
    var roles: [[Int: [RoleNeed]]] = []
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
            let roles = r.strings("roles", &d) ?? []
            for (i, role) in roles.enumerated() where role.isEmpty {
                d.error(path + "roles" + i, "must be a non-empty role name such as \"minute-taker\"")
            }
            r.warnAboutUnknownKeys(&d)
            guard let id, PluginInput.claim(id, in: &seen, at: path + "id", kind: "staff member", &d),
                  let rank, let department else { continue }
            staff.append(StaffMember(id: id, name: name, rank: rank, department: department, languages: languages,
                                     availability: availability, roles: roles.filter { !$0.isEmpty }))
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
            var rolesByIndex: [Int: [RoleNeed]] = [:]
            for segment in visit.segments {
                if let list = StaffSection.roles(segment, &d) { rolesByIndex[segment.index] = list }
            }
            roles.append(rolesByIndex)
        }
    }

    /// A segment's `needs.roles`: a non-empty list of role entries, each role once.
    static func roles(_ segment: Segment, _ d: inout Diagnostics) -> [RoleNeed]? {
        guard let value = segment.needs["roles"] else { return nil }
        let path = segment.path + "needs" + "roles"
        guard case .array(let items) = value else {
            d.error(path, "\(value.excerpt) is \(value.typeName); write a list of roles, e.g. [{\"role\": \"minute-taker\"}]")
            return nil
        }
        if items.isEmpty { d.error(path, "is empty; list at least one role or remove roles") }
        var out: [RoleNeed] = []
        for (i, item) in items.enumerated() {
            guard var r = ObjectReader(item, at: path + i, diagnostics: &d) else { continue }
            let role = r.identifier("role", &d)
            let count = r.integer("count", in: 1...Int(Int32.max), &d) ?? 1
            let minRank = r.rank("minRank", required: false, &d) ?? .staff
            let department = r.identifier("department", required: false, &d)
            let language = r.identifier("language", required: false, &d)
            r.warnAboutUnknownKeys(&d)
            guard let role else { continue }
            if out.contains(where: { $0.role == role }) {
                d.error(path + i + "role", "\"\(role)\" is already asked for on this segment; raise its count, or name the roles apart (interpreter-de, interpreter-fr)")
                continue
            }
            out.append(RoleNeed(role: role, count: count, minRank: minRank, department: department, language: language))
        }
        return out
    }

    /// Escorts a visit needs: `escorts`, else `ceil(guests / guestsPerEscort)`.
    func escortCount(_ visit: Visit) -> Int {
        if let n = visit.escorts { return n }
        guard let per = guestsPerEscort[visit.tier] else { return 0 }
        // A tiny guestsPerEscort must not overflow Int: more escorts than Int32.max are never met anyway.
        return Int(min((Double(visit.guests) / per).rounded(.up), Double(Int32.max)))
    }
}
