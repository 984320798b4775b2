import SchedulingCore

/// People: the visit's host, its escorts, presenters on tours and people in
/// service roles (sign-in desk, minute-taker, interpreter): `resources.staff`,
/// `needs.presenters`, `needs.roles`, and the visit-level `host` and `escorts`.
public struct StaffPlugin: ResourceKindPlugin {
    public init() {}

    public var descriptor: PluginDescriptor {
        PluginDescriptor(
            name: "staff",
            summary: "Hosts by rank, escorts for the whole visit (with its language), presenters by department, service roles; one place at a time.",
            resourceKeys: ["staff"], needKeys: ["presenters", StaffPlugin.rolesKey], visitNeedKeys: ["host", "escorts"],
            visitFields: [Pins.visitKey(for: "escorts")], tierFields: ["hostRank", "guestsPerEscort"])
    }

    /// The segment need, and plan key, of service roles.
    public static let rolesKey = "roles"

    static func key(_ member: StaffMember) -> ResourceKey { ResourceKey(kind: "staff", id: member.id) }

    public func contribute(to resolved: ResolvedDay, diagnostics d: inout Diagnostics) -> KindContribution {
        let section = StaffSection(resolved.day, &d)
        var out = KindContribution()
        out.resources = section.staff.map { ResourceDeclaration(key: StaffPlugin.key($0), sharing: .exclusive(turnoverMinutes: 0)) }
        for visit in resolved.visits {
            out.needs.append(hostNeed(visit, resolved, section))
            out.needs.append(escortNeed(visit, section))
            for segment in visit.segments {
                if let need = section.presenters[visit.index][segment.index] {
                    out.needs.append(presenterNeed(need, visit, segment, section))
                }
                if let roles = section.roles[visit.index][segment.index], !roles.isEmpty {
                    out.needs.append(roleNeed(roles, visit, segment, section))
                }
            }
        }
        return out
    }

    private func hostNeed(_ visit: Visit, _ resolved: ResolvedDay, _ section: StaffSection) -> NeedDeclaration {
        let rank = section.hostRank[visit.tier] ?? .staff
        let attended = visit.segments.filter { resolved.hostAttends[visit.index][$0.index] }
        let id = NeedID(visit: visit.index, segment: nil, key: "host")
        let requirement = "a host of rank \(rank) or above" + (attended.isEmpty ? "" : " free over \(attended.map { "\($0.id) \($0.span)" }.joined(separator: ", "))")
        for (i, a) in attended.enumerated() {
            if let b = attended[(i + 1)...].first(where: { $0.span.overlaps(a.span) }) {
                return NeedDeclaration(id: id, rule: .exactly(1), shape: .single, candidates: [], requirement: requirement,
                                       ineligibility: "the host attends \(a.id) \(a.span) and \(b.id) \(b.span), which overlap; set hostAttends to false on one")
            }
        }
        let staff = section.staff
        let fitting = staff.indices.filter { i in
            let m = staff[i]
            return (visit.host.map { $0 == m.id } ?? true) && m.rank >= rank && attended.allSatisfy { m.availability.covers($0.span) }
        }
        let spans = attended.map(\.span)
        let candidates: @Sendable () -> [Candidate] = {
            fitting.map { i in
                let m = staff[i]
                return Candidate(value: .string(m.id), label: m.id,
                                 usages: spans.map { Usage(resource: StaffPlugin.key(m), span: $0) },
                                 assigned: [StaffPlugin.key(m)])
            }
        }
        var why: String?
        if fitting.isEmpty {
            if let pinned = visit.host, let m = section.staff.first(where: { $0.id == pinned }) {
                why = m.rank < rank
                    ? "the pinned host \(pinned) is \(m.rank), the \(visit.tier.rawValue) tier needs \(rank); pin someone else or remove host"
                    : "the pinned host \(pinned) is not available over every attended segment; pin someone else or remove host"
            } else {
                why = "no staff of rank \(rank) or above is available over every attended segment"
            }
        }
        return NeedDeclaration(id: id, rule: .exactly(1), shape: .single, deferredCandidates: candidates, requirement: requirement, ineligibility: why)
    }

    private func escortNeed(_ visit: Visit, _ section: StaffSection) -> NeedDeclaration {
        let n = section.escortCount(visit)
        // §9: busy over each day's span of the visit, not over the nights (one span on a one-day visit).
        let spans = visit.daySpans
        let span = spans.count == 1 ? "\(spans[0])" : spans.map(\.description).joined(separator: ", ")
        let id = NeedID(visit: visit.index, segment: nil, key: "escorts")
        guard n > 0 else {
            return NeedDeclaration(id: id, rule: .exactly(0), shape: .list, candidates: [], requirement: "no escorts")
        }
        let staff = section.staff, tags = section.languageTags
        let fitting = staff.indices.filter { i in spans.allSatisfy { staff[i].availability.covers($0) } }
        let language = visit.language.map { (tag: "language:" + $0, phrase: "speak \($0)") }
        return NeedDeclaration(
            id: id, rule: .exactly(n), shape: .list,
            deferredCandidates: {
                fitting.map { i in
                    Candidate(value: .string(staff[i].id), label: staff[i].id, usages: spans.map { Usage(resource: StaffPlugin.key(staff[i]), span: $0) },
                              tags: tags[i])
                }
            },
            requiredTag: language, distinctFrom: ["host"],
            requirement: "\(n) escort\(n == 1 ? "" : "s") free \(span)\(visit.language.map { ", one speaking \($0)" } ?? ""), not the host",
            ineligibility: fitting.isEmpty ? "no staff member is available over the whole visit \(span)" : nil)
    }

    private func presenterNeed(_ need: PresenterNeed, _ visit: Visit, _ segment: Segment, _ section: StaffSection) -> NeedDeclaration {
        let staff = section.staff, span = segment.span
        let fitting = staff.indices.filter { i in
            let m = staff[i]
            return (need.department.map { $0 == m.department } ?? true) && m.rank >= need.minRank && m.availability.covers(span)
        }
        let from = need.department.map { " from \($0)" } ?? ""
        return NeedDeclaration(
            id: NeedID(visit: visit.index, segment: segment.index, key: "presenters"), rule: .exactly(need.count), shape: .list,
            deferredCandidates: {
                fitting.map { i in Candidate(value: .string(staff[i].id), label: staff[i].id, usages: [Usage(resource: StaffPlugin.key(staff[i]), span: span)]) }
            },
            requirement: "\(need.count) presenter\(need.count == 1 ? "" : "s")\(from) of rank \(need.minRank) or above, \(segment.span)",
            ineligibility: fitting.isEmpty ? "no staff\(from) of rank \(need.minRank) or above is available \(segment.span)" : nil)
    }

    /// A segment's service roles as one need: met when every role has its people,
    /// written `{"minute-taker": ["S-12"], "interpreter": ["S-3"]}`. Each candidate is
    /// one person in one role; a rule per role keeps its count, and the person's
    /// exclusive use of the segment keeps anyone from taking two roles at once.
    private func roleNeed(_ roles: [RoleNeed], _ visit: Visit, _ segment: Segment, _ section: StaffSection) -> NeedDeclaration {
        let staff = section.staff, tags = section.languageTags, span = segment.span
        let eligible = roles.map { role in staff.indices.filter { role.admits(staff[$0]) && staff[$0].availability.covers(span) } }
        let short = roles.indices.filter { eligible[$0].count < roles[$0].count }.map { r in
            let role = roles[r]
            return eligible[r].isEmpty
                ? "no staff member \(role.conditions) is available \(span)"
                : "\(role.role) needs \(role.count) but only \(eligible[r].count) staff \(role.conditions) \(eligible[r].count == 1 ? "is" : "are") available \(span) (\(eligible[r].map { staff[$0].id }.joined(separator: ", ")))"
        }
        // The roles are met together or not at all: when one cannot be filled, nobody is a candidate.
        let fitting = short.isEmpty ? eligible : roles.map { _ in [Int]() }
        var constraints: [NeedConstraint] = []
        if roles.count > 1 {
            var first = 0
            for (r, role) in roles.enumerated() {
                let terms = fitting[r].indices.map { NeedConstraint.Term(candidate: first + $0, coefficient: 1) }
                constraints.append(NeedConstraint(terms: terms, sense: .equal, rhs: Double(role.count), unmetCoefficient: Double(role.count)))
                first += fitting[r].count
            }
        }
        let names = roles.map(\.role)
        var need = NeedDeclaration(
            id: NeedID(visit: visit.index, segment: segment.index, key: StaffPlugin.rolesKey),
            rule: .exactly(roles.reduce(0) { $0 + $1.count }),
            shape: .custom { chosen in StaffPlugin.renderRoles(chosen, names: names, counts: fitting.map(\.count), staff: fitting.map { $0.map { staff[$0].id } }) },
            deferredCandidates: {
                zip(roles, fitting).flatMap { role, members in
                    members.map { i in
                        Candidate(value: .object(JSONObject([(key: role.role, value: .string(staff[i].id))])), label: staff[i].id,
                                  usages: [Usage(resource: StaffPlugin.key(staff[i]), span: span)], tags: tags[i])
                    }
                }
            },
            constraints: constraints,
            requirement: roles.map { "\($0.phrase) (\($0.conditions))" }.joined(separator: "; ") + ", \(span)",
            ineligibility: short.isEmpty ? nil : short.joined(separator: "; "))
        // Pins and replans match `{"minute-taker": ["S-1"]}` with the candidate `{"minute-taker": "S-1"}`.
        need.valueParts = StaffPlugin.roleParts
        return need
    }

    /// The plan value of a roles need: each role's chosen people, in the day's order of roles.
    static func renderRoles(_ chosen: [Int], names: [String], counts: [Int], staff: [[String]]) -> JSONValue {
        var out = JSONObject()
        var first = 0
        for (r, name) in names.enumerated() {
            let own = chosen.filter { $0 >= first && $0 < first + counts[r] }.map { JSONValue.string(staff[r][$0 - first]) }
            out[name] = .array(own)
            first += counts[r]
        }
        return .object(out)
    }

    /// A roles value split into its candidates' values: `{"minute-taker": ["S-1", "S-2"]}`
    /// is `{"minute-taker": "S-1"}` and `{"minute-taker": "S-2"}`.
    @Sendable static func roleParts(_ value: JSONValue) -> [JSONValue] {
        guard case .object(let o) = value else { return [value] }
        return o.members.flatMap { member -> [JSONValue] in
            let ids: [JSONValue]
            if case .array(let items) = member.value { ids = items } else { ids = [member.value] }
            return ids.map { .object(JSONObject([(key: member.key, value: $0)])) }
        }
    }
}
