import SchedulingCore

// The plan checker's staff rules (host, escorts, presenters, service roles), re-derived from
// PROBLEM.md §3 (eligibility), §4 (one place at a time) and §8. Nothing here
// calls the candidate logic of `contribute`, so a bug there shows up as a violation.
//
// Rules: plan.need-missing, staff.shape, staff.unknown, host.rank, host.pinned,
// host.availability, escorts.count, escorts.distinct, escorts.host,
// escorts.availability, escorts.language, presenters.count, presenters.distinct,
// presenters.department, presenters.rank, presenters.availability, roles.shape,
// roles.unknown, roles.count, roles.distinct, roles.qualified, roles.rank,
// roles.department, roles.language, roles.availability, staff.overlap.
//
// Service roles (`needs.roles`) are not in PROBLEM.md; docs/readings.md gives
// their reading: a member serves a role only when listing it in `roles`.

extension StaffPlugin {
    public func check(_ plan: PlanView, day: ResolvedDay, report: inout CheckReport) {
        var ignored = Diagnostics()
        let section = StaffSection(day.day, &ignored)
        let rules = StaffRules(day: day, section: section)
        var busy: [StaffRules.Busy] = []
        for visit in day.visits where plan.visits[visit.id] != nil {
            let host = rules.host(plan, visit, &report)
            busy += host.busy
            busy += rules.escorts(plan, visit, host: host.id, &report)
            for segment in visit.segments where segment.needs["presenters"] != nil {
                busy += rules.presenters(plan, visit, segment, &report)
            }
            for segment in visit.segments where segment.needs[StaffPlugin.rolesKey] != nil {
                busy += rules.roles(plan, visit, segment, &report)
            }
        }
        rules.overlaps(busy, &report)
    }
}

/// One rule per function; each reads the day and the plan's value directly.
struct StaffRules {
    /// One interval over which the plan makes a person busy (§4).
    struct Busy {
        enum Role: Equatable {
            case host, escort, presenter
            /// A service role of `needs.roles`, by its name.
            case service(String)

            var doing: String {
                switch self {
                case .host: return "hosting"
                case .escort: return "escorting"
                case .presenter: return "presenting in"
                case .service(let name): return "serving as \(name) in"
                }
            }
        }
        var person: String
        var role: Role
        var visit: Visit
        /// `nil` for an escort, who is busy over the whole visit.
        var segment: Segment?
        var span: TimeSpan
        var name: String { "\(role.doing) \(visit.id)\(segment.map { " " + $0.id } ?? "") \(span)" }
    }

    let day: ResolvedDay
    let section: StaffSection
    let staff: [String: StaffMember]

    init(day: ResolvedDay, section: StaffSection) {
        self.day = day
        self.section = section
        var byID: [String: StaffMember] = [:]
        for m in section.staff where byID[m.id] == nil { byID[m.id] = m }
        self.staff = byID
    }

    /// `[earliest start, latest end)` over the visit's segments of each day it has
    /// segments on, in whatever order they are listed (§8, §9): an escort is busy
    /// over these, not over the nights between them.
    func spans(of visit: Visit) -> [TimeSpan] {
        let minutesPerDay = 24 * 60
        var byDay: [Int: (start: Int, end: Int)] = [:]
        for segment in visit.segments {
            let day = segment.span.start / minutesPerDay
            let known = byDay[day] ?? (segment.span.start, segment.span.end)
            byDay[day] = (min(known.start, segment.span.start), max(known.end, segment.span.end))
        }
        return byDay.keys.sorted().compactMap { byDay[$0].map { TimeSpan($0.start, $0.end) } }
    }

    /// Escorts the visit needs: `escorts`, else `ceil(guests / tier.guestsPerEscort)` (§3).
    func escortCount(_ visit: Visit) -> Int {
        if let n = visit.escorts { return n }
        guard let per = section.guestsPerEscort[visit.tier], per > 0 else { return 0 }
        // A tiny guestsPerEscort must not overflow Int: more escorts than Int32.max are never met anyway.
        return Int(min((Double(visit.guests) / per).rounded(.up), Double(Int32.max)))
    }

    /// Reads a list of staff ids; `nil` when the value is absent, null or not a list of strings.
    private func ids(_ value: JSONValue?, key: String, _ visit: Visit, _ segment: Segment?, _ report: inout CheckReport) -> [String]? {
        guard let value else {
            report.fail("plan.need-missing", visit: visit.id, segment: segment?.id,
                        "the plan has no \"\(key)\" entry; write the assignment, or null and list the need in unmet")
            return nil
        }
        if value == .null { return nil }
        guard case .array(let items) = value else {
            report.fail("staff.shape", visit: visit.id, segment: segment?.id,
                        "\(key) is \(value.excerpt), \(value.typeName); write an array of staff ids or null")
            return nil
        }
        var out: [String] = []
        for item in items {
            guard case .string(let s) = item else {
                report.fail("staff.shape", visit: visit.id, segment: segment?.id, "\(key) holds \(item.excerpt), \(item.typeName); each entry is a staff id")
                return nil
            }
            out.append(s)
        }
        return out
    }

    /// Resolves ids, reporting unknown ones; duplicates resolve once.
    private func members(_ ids: [String], role: String, _ visit: Visit, _ segment: Segment?, _ report: inout CheckReport) -> [StaffMember] {
        var seen = Set<String>()
        var out: [StaffMember] = []
        for id in ids where seen.insert(id).inserted {
            if let m = staff[id] { out.append(m) } else {
                report.fail("staff.unknown", visit: visit.id, segment: segment?.id, resource: id, "\(role) \"\(id)\" is not a staff member of the day")
            }
        }
        return out
    }

    // MARK: Host

    /// Checks the visit's `host`; returns the host id the plan names (for the escort rule) and when the host is busy.
    func host(_ plan: PlanView, _ visit: Visit, _ report: inout CheckReport) -> (id: String?, busy: [Busy]) {
        guard let value = plan.visitValue(visit.id, "host") else {
            report.fail("plan.need-missing", visit: visit.id,
                        "the plan has no \"host\" entry; write the assignment, or null and list the need in unmet")
            return (nil, [])
        }
        if value == .null { return (nil, []) }
        guard case .string(let id) = value else {
            report.fail("staff.shape", visit: visit.id, "host is \(value.excerpt), \(value.typeName); write one staff id or null")
            return (nil, [])
        }
        checkPinnedHost(visit, id, &report)
        guard let m = staff[id] else {
            report.fail("staff.unknown", visit: visit.id, resource: id, "host \"\(id)\" is not a staff member of the day")
            return (id, [])
        }
        checkHostRank(visit, m, &report)
        let attended = visit.segments.filter { day.hostAttends[visit.index][$0.index] }
        for segment in attended { checkHostAvailability(visit, segment, m, &report) }
        // §8: busy over each attended segment separately.
        return (id, attended.map { Busy(person: id, role: .host, visit: visit, segment: $0, span: $0.span) })
    }

    /// A pinned host is never replaced by someone else (§8).
    func checkPinnedHost(_ visit: Visit, _ id: String, _ report: inout CheckReport) {
        guard let pinned = visit.host, pinned != id else { return }
        report.fail("host.pinned", visit: visit.id, resource: id,
                    "the day pins \(pinned) as host; the plan names \(id). When \(pinned) cannot host, the host need is unmet")
    }

    /// Rank `>= tier.hostRank`.
    func checkHostRank(_ visit: Visit, _ m: StaffMember, _ report: inout CheckReport) {
        guard let needed = section.hostRank[visit.tier], m.rank < needed else { return }
        report.fail("host.rank", visit: visit.id, resource: m.id,
                    "\(m.id) is \(m.rank); a \(visit.tier.rawValue)-tier visit needs a host of rank \(needed) or above")
    }

    /// Available over each segment the host attends.
    func checkHostAvailability(_ visit: Visit, _ segment: Segment, _ m: StaffMember, _ report: inout CheckReport) {
        guard !CheckSupport.fits(segment.span, m.availability) else { return }
        report.fail("host.availability", visit: visit.id, segment: segment.id, resource: m.id,
                    "host \(m.id) attends \(segment.id) \(segment.span) but is \(CheckSupport.describe(m.availability))")
    }

    // MARK: Escorts

    /// Checks the visit's `escorts`; returns when the escorts are busy (the whole visit span).
    func escorts(_ plan: PlanView, _ visit: Visit, host: String?, _ report: inout CheckReport) -> [Busy] {
        let needed = escortCount(visit)
        let value = plan.visitValue(visit.id, "escorts")
        if needed == 0, value == .null {
            report.fail("escorts.count", visit: visit.id,
                        "the visit needs no escorts, so the need is never unmet: write \"escorts\": [] (and no unmet entry)")
            return []
        }
        guard let list = ids(value, key: "escorts", visit, nil, &report) else { return [] }
        let spans = spans(of: visit)
        checkEscortCount(visit, list, needed: needed, &report)
        checkDistinct(visit, nil, list, rule: "escorts.distinct", role: "escort", &report)
        if let host { checkEscortNotHost(visit, list, host: host, &report) }
        let people = members(list, role: "escort", visit, nil, &report)
        for m in people { for span in spans { checkEscortAvailability(visit, span, m, &report) } }
        if needed > 0, people.count == Set(list).count { checkEscortLanguage(visit, people, &report) }
        return people.flatMap { m in spans.map { Busy(person: m.id, role: .escort, visit: visit, segment: nil, span: $0) } }
    }

    /// Exactly `escorts` (default `ceil(guests / guestsPerEscort)`) escorts.
    func checkEscortCount(_ visit: Visit, _ list: [String], needed: Int, _ report: inout CheckReport) {
        guard list.count != needed else { return }
        let why = visit.escorts != nil ? "the visit asks for \(needed)"
            : "\(visit.guests) guests at \(JSONWriter.format(section.guestsPerEscort[visit.tier] ?? 0)) per escort (\(visit.tier.rawValue) tier) need \(needed)"
        report.fail("escorts.count", visit: visit.id, "the plan gives \(list.count) escort\(list.count == 1 ? "" : "s"); \(why)")
    }

    /// No escort is the visit's host.
    func checkEscortNotHost(_ visit: Visit, _ list: [String], host: String, _ report: inout CheckReport) {
        guard list.contains(host) else { return }
        report.fail("escorts.host", visit: visit.id, resource: host, "\(host) is the visit's host and cannot also escort it")
    }

    /// Available over the visit's span `[first start, last end)`.
    func checkEscortAvailability(_ visit: Visit, _ span: TimeSpan, _ m: StaffMember, _ report: inout CheckReport) {
        guard !CheckSupport.fits(span, m.availability) else { return }
        report.fail("escorts.availability", visit: visit.id, resource: m.id,
                    "escort \(m.id) must be free over the whole visit \(span) but is \(CheckSupport.describe(m.availability))")
    }

    /// When the visit has a `language`, at least one escort lists it.
    func checkEscortLanguage(_ visit: Visit, _ people: [StaffMember], _ report: inout CheckReport) {
        guard let language = visit.language, !people.contains(where: { $0.languages.contains(language) }) else { return }
        report.fail("escorts.language", visit: visit.id,
                    "the guests speak \(language) and none of the escorts (\(people.map(\.id).joined(separator: ", "))) lists it")
    }

    // MARK: Presenters

    /// Checks one segment's `presenters`; returns when they are busy (the segment).
    func presenters(_ plan: PlanView, _ visit: Visit, _ segment: Segment, _ report: inout CheckReport) -> [Busy] {
        guard let list = ids(plan.segmentValue(visit.id, segment.id, "presenters"), key: "presenters", visit, segment, &report),
              let need = section.presenters[visit.index][segment.index] else { return [] }
        checkPresenterCount(visit, segment, list, need, &report)
        checkDistinct(visit, segment, list, rule: "presenters.distinct", role: "presenter", &report)
        let people = members(list, role: "presenter", visit, segment, &report)
        for m in people {
            checkPresenterDepartment(visit, segment, m, need, &report)
            checkPresenterRank(visit, segment, m, need, &report)
            checkPresenterAvailability(visit, segment, m, &report)
        }
        return people.map { Busy(person: $0.id, role: .presenter, visit: visit, segment: segment, span: segment.span) }
    }

    /// Exactly `count` presenters.
    func checkPresenterCount(_ visit: Visit, _ segment: Segment, _ list: [String], _ need: PresenterNeed, _ report: inout CheckReport) {
        guard list.count != need.count else { return }
        report.fail("presenters.count", visit: visit.id, segment: segment.id,
                    "the plan gives \(list.count) presenter\(list.count == 1 ? "" : "s"); the segment asks for \(need.count)")
    }

    /// Of `department` when given.
    func checkPresenterDepartment(_ visit: Visit, _ segment: Segment, _ m: StaffMember, _ need: PresenterNeed, _ report: inout CheckReport) {
        guard let department = need.department, m.department != department else { return }
        report.fail("presenters.department", visit: visit.id, segment: segment.id, resource: m.id,
                    "\(m.id) works in \(m.department); the segment asks for presenters from \(department)")
    }

    /// Rank `>= minRank`.
    func checkPresenterRank(_ visit: Visit, _ segment: Segment, _ m: StaffMember, _ need: PresenterNeed, _ report: inout CheckReport) {
        guard m.rank < need.minRank else { return }
        report.fail("presenters.rank", visit: visit.id, segment: segment.id, resource: m.id,
                    "\(m.id) is \(m.rank); the segment asks for \(need.minRank) or above")
    }

    /// Available over `[start, end)`.
    func checkPresenterAvailability(_ visit: Visit, _ segment: Segment, _ m: StaffMember, _ report: inout CheckReport) {
        guard !CheckSupport.fits(segment.span, m.availability) else { return }
        report.fail("presenters.availability", visit: visit.id, segment: segment.id, resource: m.id,
                    "presenter \(m.id) is needed \(segment.span) but is \(CheckSupport.describe(m.availability))")
    }

    // MARK: Service roles

    /// Checks one segment's `roles`: an object naming, for each role the segment asks
    /// for, its people; returns when they are busy (the segment).
    func roles(_ plan: PlanView, _ visit: Visit, _ segment: Segment, _ report: inout CheckReport) -> [Busy] {
        let key = StaffPlugin.rolesKey
        guard let value = plan.segmentValue(visit.id, segment.id, key) else {
            report.fail("plan.need-missing", visit: visit.id, segment: segment.id,
                        "the plan has no \"\(key)\" entry; write the assignment, or null and list the need in unmet")
            return []
        }
        guard value != .null, let needs = section.roles[visit.index][segment.index] else { return [] }
        guard case .object(let given) = value else {
            report.fail("roles.shape", visit: visit.id, segment: segment.id,
                        "roles is \(value.excerpt), \(value.typeName); write an object of role name to staff ids, e.g. {\"minute-taker\": [\"S-12\"]}, or null")
            return []
        }
        for name in given.keys where !needs.contains(where: { $0.role == name }) {
            report.fail("roles.unknown", visit: visit.id, segment: segment.id,
                        "the segment asks for no \"\(name)\" (it asks for \(needs.map(\.role).joined(separator: ", "))); remove it")
        }
        var busy: [Busy] = []
        var taken: [String: String] = [:]
        for need in needs {
            guard let entry = given[need.role], entry != .null else {
                report.fail("roles.shape", visit: visit.id, segment: segment.id,
                            "roles has no people for \(need.role); a segment's roles are met or unmet as a whole: list them, or write null for the whole roles entry")
                continue
            }
            guard let list = ids(entry, key: "\(key).\(need.role)", visit, segment, &report) else { continue }
            checkRoleCount(visit, segment, list, need, &report)
            checkDistinct(visit, segment, list, rule: "roles.distinct", role: need.role, &report)
            for id in Set(list).sorted() {
                if let other = taken[id] {
                    report.fail("roles.distinct", visit: visit.id, segment: segment.id, resource: id,
                                "\(id) is both \(other) and \(need.role); one person takes one role at a time")
                } else {
                    taken[id] = need.role
                }
            }
            let people = members(list, role: need.role, visit, segment, &report)
            for m in people {
                checkRoleQualification(visit, segment, m, need, &report)
                checkRoleAvailability(visit, segment, m, need, &report)
            }
            busy += people.map { Busy(person: $0.id, role: .service(need.role), visit: visit, segment: segment, span: segment.span) }
        }
        return busy
    }

    /// Exactly `count` people in the role.
    func checkRoleCount(_ visit: Visit, _ segment: Segment, _ list: [String], _ need: RoleNeed, _ report: inout CheckReport) {
        guard list.count != need.count else { return }
        report.fail("roles.count", visit: visit.id, segment: segment.id,
                    "the plan gives \(list.count) \(need.role)\(list.count == 1 ? "" : " people"); the segment asks for \(need.count)")
    }

    /// Lists the role, and meets its rank, department and language.
    func checkRoleQualification(_ visit: Visit, _ segment: Segment, _ m: StaffMember, _ need: RoleNeed, _ report: inout CheckReport) {
        if !m.roles.contains(need.role) {
            let listed = m.roles.isEmpty ? "lists no roles" : "lists \(m.roles.joined(separator: ", "))"
            report.fail("roles.qualified", visit: visit.id, segment: segment.id, resource: m.id,
                        "\(m.id) \(listed); only staff who list \(need.role) in their roles may serve as \(need.role)")
        }
        if m.rank < need.minRank {
            report.fail("roles.rank", visit: visit.id, segment: segment.id, resource: m.id,
                        "\(m.id) is \(m.rank); the segment asks for a \(need.role) of rank \(need.minRank) or above")
        }
        if let department = need.department, m.department != department {
            report.fail("roles.department", visit: visit.id, segment: segment.id, resource: m.id,
                        "\(m.id) works in \(m.department); the segment asks for a \(need.role) from \(department)")
        }
        if let language = need.language, !m.languages.contains(language) {
            report.fail("roles.language", visit: visit.id, segment: segment.id, resource: m.id,
                        "\(m.id) does not list \(language); the segment asks for a \(need.role) who speaks it")
        }
    }

    /// Available over `[start, end)`.
    func checkRoleAvailability(_ visit: Visit, _ segment: Segment, _ m: StaffMember, _ need: RoleNeed, _ report: inout CheckReport) {
        guard !CheckSupport.fits(segment.span, m.availability) else { return }
        report.fail("roles.availability", visit: visit.id, segment: segment.id, resource: m.id,
                    "\(need.role) \(m.id) is needed \(segment.span) but is \(CheckSupport.describe(m.availability))")
    }

    /// The same person at most once in a list.
    func checkDistinct(_ visit: Visit, _ segment: Segment?, _ list: [String], rule: String, role: String, _ report: inout CheckReport) {
        var seen = Set<String>()
        for id in list where !seen.insert(id).inserted {
            report.fail(rule, visit: visit.id, segment: segment?.id, resource: id, "\(id) is listed more than once as \(role)")
        }
    }

    // MARK: One place at a time (§4, §8)

    /// No two busy intervals of one person overlap: escorts over the whole span (gaps
    /// included), hosts over each attended segment, presenters over the segment.
    func overlaps(_ busy: [Busy], _ report: inout CheckReport) {
        var byPerson: [String: [Busy]] = [:]
        for b in busy { byPerson[b.person, default: []].append(b) }
        for (person, uses) in byPerson.sorted(by: { $0.key < $1.key }) {
            let list = uses.sorted { ($0.span.start, $0.span.end) < ($1.span.start, $1.span.end) }
            for i in list.indices {
                for j in list.indices where j > i {
                    let a = list[i], b = list[j]
                    guard a.span.start < b.span.end, b.span.start < a.span.end else { continue }
                    // Host and escort of one visit is already `escorts.host`.
                    if a.visit.index == b.visit.index, (a.role, b.role) == (.host, .escort) || (a.role, b.role) == (.escort, .host) { continue }
                    report.fail("staff.overlap", visit: b.visit.id, segment: b.segment?.id, resource: person,
                                "\(person) would be in two places at once: \(a.name) and \(b.name)")
                }
            }
        }
    }
}

