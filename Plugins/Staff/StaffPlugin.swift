import SchedulingCore

/// People: the visit's host, its escorts and presenters on tours:
/// `resources.staff`, `needs.presenters`, and the visit-level `host` and `escorts`.
public struct StaffPlugin: ResourceKindPlugin {
    public init() {}

    public var descriptor: PluginDescriptor {
        PluginDescriptor(
            name: "staff",
            summary: "Hosts by rank, escorts for the whole visit (with its language), presenters by department; one place at a time.",
            resourceKeys: ["staff"], needKeys: ["presenters"], visitNeedKeys: ["host", "escorts"],
            visitFields: [Pins.visitKey(for: "escorts")], tierFields: ["hostRank", "guestsPerEscort"])
    }

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
}
