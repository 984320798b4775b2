import SchedulingCore

// The plan checker's gift rules, written from the rules (a piece of one
// gift for every guest, grade >= the tier's minGiftGrade, cost valuePerGuest *
// guests in category `gift`, stock counted over the whole day). Nothing here
// calls the candidate logic of `contribute`, so a bug there shows up as a violation.
//
// overGrade: none. PROBLEM.md §5 sums overGrade over venues, catering options and
// vehicles only; a gift above the tier's grade costs its value and nothing more.
//
// Rules: plan.need-missing, gift.shape, gift.unknown, gift.grade, gift.pieces, gift.stock.

extension GiftsPlugin {
    /// Checks the plan's gift assignments from the rules above, without asking `contribute`:
    /// grade, pieces, the stock over the whole day; reports each assignment's cost in `gift`.
    public func check(_ plan: PlanView, day: ResolvedDay, report: inout CheckReport) {
        var ignored = Diagnostics()
        let section = GiftSection(day.day, &ignored)
        let rules = GiftRules(section: section)
        var uses: [GiftRules.Use] = []
        for visit in day.visits where plan.visits[visit.id] != nil {
            for segment in visit.segments where segment.needs["gift"] != nil {
                if let use = rules.assignment(plan, visit, segment, &report) { uses.append(use) }
            }
        }
        rules.stock(uses, &report)
    }
}

/// One rule per function; each reads the day and the plan's value directly.
struct GiftRules {
    /// A gift the plan hands out at a segment: one piece per guest.
    struct Use {
        var visit: Visit
        var segment: Segment
        var item: GiftItem
        var pieces: Int { visit.guests }
        var name: String { "\(visit.id) \(segment.id) (\(pieces))" }
    }

    let section: GiftSection
    let items: [String: GiftItem]

    init(section: GiftSection) {
        self.section = section
        var byID: [String: GiftItem] = [:]
        for item in section.items where byID[item.id] == nil { byID[item.id] = item }
        self.items = byID
    }

    /// Reads one segment's `gift` value, checks it, and adds its cost; returns the use for the stock rule.
    func assignment(_ plan: PlanView, _ visit: Visit, _ segment: Segment, _ report: inout CheckReport) -> Use? {
        guard let item = CheckSupport.singleID(plan, visit, segment, key: "gift", rule: "gift", noun: "gift", in: items, &report) else {
            return nil
        }
        let use = Use(visit: visit, segment: segment, item: item)
        checkGrade(use, &report)
        checkPieces(use, &report)
        report.addCost(item.valuePerGuest * Double(visit.guests), visit: visit.id, category: "gift", day: segment.day)
        return use
    }

    /// `grade >= tier.minGiftGrade` (1 when the tier does not say).
    func checkGrade(_ u: Use, _ report: inout CheckReport) {
        let minGrade = section.minGrade[u.visit.tier] ?? GiftSection.defaultMinGrade
        guard u.item.grade < minGrade else { return }
        report.fail("gift.grade", visit: u.visit.id, segment: u.segment.id, resource: u.item.id,
                    "\(u.item.id) is grade \(u.item.grade); a \(u.visit.tier.rawValue)-tier visit gets grade \(minGrade) or above")
    }

    /// Every guest gets a piece of this one gift, so its stock must hold them all.
    func checkPieces(_ u: Use, _ report: inout CheckReport) {
        guard u.item.stock < u.pieces else { return }
        report.fail("gift.pieces", visit: u.visit.id, segment: u.segment.id, resource: u.item.id,
                    "\(u.item.id) has \(u.item.stock) pieces in stock for the day but the visit has \(u.pieces) guests; all of a visit's gifts are of one kind")
    }

    /// The pieces of each gift handed out over the day add up to at most its stock.
    /// The visit named is the one whose use, in time order, first goes over.
    func stock(_ uses: [Use], _ report: inout CheckReport) {
        var byItem: [String: [Use]] = [:]
        for u in uses { byItem[u.item.id, default: []].append(u) }
        for (id, list) in byItem.sorted(by: { $0.key < $1.key }) {
            guard let item = list.first?.item else { continue }
            let ordered = list.sorted { ($0.segment.span.start, $0.visit.id, $0.segment.id) < ($1.segment.span.start, $1.visit.id, $1.segment.id) }
            let total = ordered.reduce(0) { $0 + $1.pieces }
            // A single use above the stock is gift.pieces already; this rule is about several together.
            guard total > item.stock, ordered.count > 1 else { continue }
            var running = 0
            let over = ordered.first { running += $0.pieces; return running > item.stock } ?? ordered[ordered.count - 1]
            report.fail("gift.stock", visit: over.visit.id, segment: over.segment.id, resource: id,
                        "\(id) has \(item.stock) pieces for the day; the plan hands out \(total): \(ordered.map(\.name).joined(separator: ", "))")
        }
    }
}
