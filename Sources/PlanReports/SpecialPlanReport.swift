import SchedulingCore

/// Who approved a visit's special reception plan and on which day, as the
/// archive records it (`schedule approve`), to print in place of the blanks.
public struct SpecialPlanSignature: Sendable, Hashable {
    /// Who approved, as recorded, e.g. `S-001 (Li Wei)` or `Director Wu`.
    public var approvedBy: String
    /// The day of the approval, `YYYY-MM-DD`.
    public var approvedOn: String

    /// A signature by `approvedBy` on `approvedOn`.
    public init(approvedBy: String, approvedOn: String) {
        self.approvedBy = approvedBy
        self.approvedOn = approvedOn
    }
}

// Special reception plans in reports (regulation §2.2, issue 18): the visits the
// day's `policy.specialPlans` names get a line for the superior's approval in
// their run sheet, and the whole day lists them in a section of their own.
extension PlanReport {
    /// The blank a planner fills in by hand.
    static let approvalBlank = "________"

    /// `tier high; 24 guests ≥ 15`: a visit's reasons, as people read them.
    static func describe(_ reasons: [SpecialPlanReason]) -> String {
        reasons.map { reason -> String in
            switch reason {
            case .tier(let tier): return "tier \(tier.rawValue)"
            case .guests(let count, let minimum): return "\(Pretty.plural(count, "guest")) ≥ \(minimum)"
            }
        }.joined(separator: "; ")
    }

    /// Why the visit at `v` needs a special reception plan; `nil` when it needs none.
    func specialPlanRequirement(_ v: Int) -> SpecialPlanRequirement? {
        plan.problem.day.specialPlanRequirements.first { $0.index == v }
    }

    /// `approved by ________ on ________`, or the recorded signature of `visit`.
    func approvalText(_ visit: String) -> String {
        let signature = specialPlanSignatures[visit]
        return "approved by \(signature?.approvedBy ?? Self.approvalBlank) on \(signature?.approvedOn ?? Self.approvalBlank)"
    }

    /// The run sheet's approval line for the visit at `v`, or nothing when it needs no special plan.
    func specialPlanBlocks(_ v: Int) -> [ReportBlock] {
        guard let requirement = specialPlanRequirement(v) else { return [] }
        return [.paragraph("Special reception plan required (\(Self.describe(requirement.reasons))) — \(approvalText(requirement.visit))")]
    }

    /// The whole day's list of the visits that need a special reception plan; `nil`
    /// when the day's policy does not say which do.
    func specialPlansSection() -> ReportSection? {
        let day = plan.problem.day
        guard let policy = day.policy.specialPlans else { return nil }
        let required = day.specialPlanRequirements
        var rule: [String] = []
        if !policy.tiers.isEmpty { rule.append("every \(Pretty.list(policy.tiers.map(\.rawValue), conjunction: "or"))-tier visit") }
        if let least = policy.minGuests { rule.append("every visit of \(least) guests or more") }
        var blocks: [ReportBlock] = [.paragraph("The day's policy asks a special reception plan, approved by a superior, for "
            + (rule.isEmpty ? "no visit" : rule.joined(separator: " and ")) + " (regulation §2.2). Record each approval in the archive: schedule approve --visit ID --by NAME.")]
        if required.isEmpty {
            blocks.append(.paragraph("No visit of this day needs one."))
        } else {
            blocks.append(.items(required.map { r in
                ReportItem(.none, "\(day.visits[r.index].label): \(Self.describe(r.reasons)) — \(approvalText(r.visit))")
            }))
        }
        return ReportSection(anchor: "special-plans", title: "Special reception plans (\(required.count))", blocks: blocks)
    }
}
