import SchedulingCore

/// Send-off souvenirs: `resources.gifts`, `needs.gift`, the tier field
/// `minGiftGrade` and the cost category `gift`.
///
/// A segment with `"needs": {"gift": {}}` gets one piece for each guest, all
/// of one gift, of grade at least the tier's `minGiftGrade` (default 1). Its
/// cost is `valuePerGuest * guests` in category `gift`, which the core caps
/// through the tier's `limits.gift`. Each gift is a consumable resource: the
/// pieces handed out over the whole day add up to at most its `stock`.
///
/// Gift grade does not count toward overGrade: PROBLEM.md §5 defines overGrade
/// over venues, catering options and vehicles only, so a better gift than the
/// tier asks for costs its value and nothing more.
public struct GiftsPlugin: ResourceKindPlugin {
    public init() {}

    public var descriptor: PluginDescriptor {
        PluginDescriptor(
            name: "gifts",
            summary: "Send-off souvenirs: one piece of one gift per guest, grade by tier (minGiftGrade), value per guest, stock used up over the day.",
            resourceKeys: ["gifts"], needKeys: ["gift"], tierFields: [GiftSection.gradeField], costCategories: ["gift"],
            listsCategoriesOnlyWhenUsed: true)
    }

    static func key(_ item: GiftItem) -> ResourceKey { ResourceKey(kind: "gift", id: item.id) }

    public func contribute(to resolved: ResolvedDay, diagnostics d: inout Diagnostics) -> KindContribution {
        let section = GiftSection(resolved.day, &d)
        var out = KindContribution()
        out.resources = section.items.map { ResourceDeclaration(key: GiftsPlugin.key($0), sharing: .consumable(stock: Double($0.stock))) }
        for visit in resolved.visits {
            let minGrade = section.minGrade[visit.tier] ?? GiftSection.defaultMinGrade
            let guests = Double(visit.guests)
            for segment in visit.segments where section.needs[visit.index].contains(segment.index) {
                // All pieces of one gift: an item whose whole stock is below the guests never fits.
                let items = section.items, span = segment.span
                let fitting = items.indices.filter { items[$0].grade >= minGrade && items[$0].stock >= visit.guests }
                out.needs.append(NeedDeclaration(
                    id: NeedID(visit: visit.index, segment: segment.index, key: "gift"), rule: .exactly(1), shape: .single,
                    deferredCandidates: {
                        fitting.map { i in
                            Candidate(value: .string(items[i].id), label: items[i].id,
                                      usages: [Usage(resource: GiftsPlugin.key(items[i]), span: span, load: guests)],
                                      cost: items[i].valuePerGuest * guests, category: "gift")
                        }
                    },
                    requirement: "\(visit.guests) pieces of one gift of grade >= \(minGrade) (stock counts for the whole day)",
                    ineligibility: fitting.isEmpty ? GiftsPlugin.shortfall(section.items, visit, minGrade) : nil))
            }
        }
        return out
    }

    /// Which condition rules out the gifts that come closest, and what a planner can change.
    static func shortfall(_ items: [GiftItem], _ visit: Visit, _ minGrade: Int) -> String {
        guard !items.isEmpty else { return "the day has no gifts; add items to resources.gifts" }
        let graded = items.filter { $0.grade >= minGrade }
        guard !graded.isEmpty else {
            let best = items.map(\.grade).max() ?? 0
            return "no gift is of grade \(minGrade) or above (the \(visit.tier.rawValue) tier's minGiftGrade; the best is grade \(best)); add a better gift or approve an exception"
        }
        let stocks = graded.map { "\($0.id) \($0.stock)" }.joined(separator: ", ")
        return "no gift of grade \(minGrade) or above has \(visit.guests) pieces, one for each guest (in stock for the day: \(stocks)); a visit's gifts are all of one kind, so restock one of them"
    }
}
