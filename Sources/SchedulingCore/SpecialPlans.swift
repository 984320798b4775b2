/// Which visits need a special reception plan approved by a superior: the
/// regulation's important clients and large groups (§2.2).
///
/// `policy.specialPlans` names the tiers whose visits need one and a number of
/// guests from which a visit needs one, e.g. `{"tiers": ["high"], "minGuests": 15}`:
/// a visit needs a special plan when its tier is listed or its guests are at
/// least `minGuests`. A day without `policy.specialPlans` has ``Policy/specialPlans``
/// `nil`, and no visit needs one.
public struct SpecialPlanPolicy: Sendable, Hashable {
    /// The tiers whose every visit needs a special plan, in the order given.
    public var tiers: [TierName]
    /// From how many guests a visit needs a special plan; `nil` when the size does not matter.
    public var minGuests: Int?

    /// A policy naming `tiers` and `minGuests`.
    public init(tiers: [TierName] = [], minGuests: Int? = nil) {
        self.tiers = tiers
        self.minGuests = minGuests
    }

    /// Why `visit` needs a special plan: its tier, its number of guests, both, or
    /// nothing (an empty list: it needs none).
    public func reasons(for visit: Visit) -> [SpecialPlanReason] {
        var out: [SpecialPlanReason] = []
        if tiers.contains(visit.tier) { out.append(.tier(visit.tier)) }
        if let minGuests, visit.guests >= minGuests { out.append(.guests(visit.guests, minimum: minGuests)) }
        return out
    }

    /// Reads `policy.specialPlans`; `nil` when absent. Errors and warnings name their place.
    static func decode(_ policy: inout ObjectReader, _ d: inout Diagnostics) -> SpecialPlanPolicy? {
        guard var given = policy.object("specialPlans", &d) else { return nil }
        var out = SpecialPlanPolicy()
        if let items = given.array("tiers", &d) {
            for (i, item) in items.enumerated() {
                let path = given.path + "tiers" + i
                guard case .string(let name) = item else {
                    d.error(path, "\(item.excerpt) is \(item.typeName), expected a tier name (high, medium or low)")
                    continue
                }
                guard let tier = TierName(rawValue: name) else {
                    d.error(path, "\"\(name)\" is not a tier: use high, medium or low")
                    continue
                }
                if out.tiers.contains(tier) {
                    d.warning(path, "\"\(name)\" is listed twice; once is enough")
                    continue
                }
                out.tiers.append(tier)
            }
        }
        out.minGuests = given.integer("minGuests", in: 1...Int(Int32.max), &d)
        given.warnAboutUnknownKeys(&d)
        if given.object["tiers"] == nil, given.object["minGuests"] == nil {
            d.warning(given.path, "names neither tiers nor minGuests, so no visit needs a special reception plan")
        }
        return out
    }
}

/// One ground on which a visit needs a special reception plan.
public enum SpecialPlanReason: Sendable, Hashable, CustomStringConvertible {
    /// The visit's tier is one that `policy.specialPlans.tiers` lists.
    case tier(TierName)
    /// The visit has `guests` guests, at least `policy.specialPlans.minGuests`.
    case guests(Int, minimum: Int)

    /// As plans write it: `tier high`, `24 guests >= 15`.
    public var description: String {
        switch self {
        case .tier(let tier): return "tier \(tier.rawValue)"
        case .guests(let count, let minimum): return "\(count) guest\(count == 1 ? "" : "s") >= \(minimum)"
        }
    }
}

/// A visit that needs a special reception plan, and why.
public struct SpecialPlanRequirement: Sendable, Hashable {
    /// The visit's id.
    public var visit: String
    /// The visit's index in ``Day/visits``.
    public var index: Int
    /// Every ground that applies, the tier first; never empty.
    public var reasons: [SpecialPlanReason]

    /// A requirement of the visit at `index`, on `reasons`.
    public init(visit: String, index: Int, reasons: [SpecialPlanReason]) {
        self.visit = visit
        self.index = index
        self.reasons = reasons
    }
}

extension Day {
    /// The visits that need a special reception plan, in the day's order, with
    /// their reasons; empty when the day has no `policy.specialPlans`.
    public var specialPlanRequirements: [SpecialPlanRequirement] {
        guard let policy = policy.specialPlans else { return [] }
        return visits.compactMap { visit in
            let reasons = policy.reasons(for: visit)
            return reasons.isEmpty ? nil : SpecialPlanRequirement(visit: visit.id, index: visit.index, reasons: reasons)
        }
    }
}
