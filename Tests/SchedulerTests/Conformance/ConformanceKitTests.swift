import Gifts
import GLPKOptimizer
import SchedulingCore
import SchedulingTestKit
import Testing

/// A plugin that decodes and checks like `base` but changes what it declares:
/// the bugs the conformance kit is there to catch.
private struct Mutant: ResourceKindPlugin {
    var base: any ResourceKindPlugin
    var mutate: @Sendable (inout KindContribution) -> Void

    var descriptor: PluginDescriptor { base.descriptor }

    func contribute(to day: ResolvedDay, diagnostics: inout Diagnostics) -> KindContribution {
        var contribution = base.contribute(to: day, diagnostics: &diagnostics)
        mutate(&contribution)
        return contribution
    }

    func check(_ plan: PlanView, day: ResolvedDay, report: inout CheckReport) {
        base.check(plan, day: day, report: &report)
    }
}

/// The kit must find real bugs, not only pass good plugins: each mutant of the gifts
/// plugin below breaks one promise, and the kit names the check it breaks.
@Suite("Conformance kit catches broken plugins")
struct ConformanceKitTests {
    static func failures(_ mutate: @escaping @Sendable (inout KindContribution) -> Void) -> [ConformanceFailure] {
        var fixture = ConformanceFixtures.gifts
        fixture.plugin = Mutant(base: GiftsPlugin(), mutate: mutate)
        return ConformanceSuite(fixture, optimizer: GLPKOptimizer()).run()
    }

    static func checks(_ failures: [ConformanceFailure]) -> Set<ConformanceFailure.Check> { Set(failures.map(\.check)) }

    @Test("a stock declared as a time-exclusive resource: conflicts disagree and the solved plan breaks gift.stock")
    func stockDeclaredExclusive() {
        let failures = Self.failures { c in
            c.resources = c.resources.map { ResourceDeclaration(key: $0.key, sharing: .exclusive(turnoverMinutes: 0)) }
        }
        #expect(Self.checks(failures).isSuperset(of: [.conflicts, .solvedPlan]), "\(failures)")
        #expect(failures.contains { $0.check == .solvedPlan && $0.message.contains("gift.stock") }, "\(failures)")
    }

    @Test("resources used but never declared")
    func undeclaredResources() {
        let failures = Self.failures { c in c.resources = [] }
        #expect(failures.contains { $0.check == .declarations && $0.message.contains("which no plugin declares") }, "\(failures)")
    }

    @Test("a declared cost the checker does not recompute")
    func wrongCost() {
        let failures = Self.failures { c in
            for j in c.needs.indices { for i in c.needs[j].candidates.indices { c.needs[j].candidates[i].cost /= 2 } }
        }
        #expect(failures.contains { $0.check == .candidates && $0.message.contains("declares cost") }, "\(failures)")
    }

    @Test("a candidate below the tier's grade")
    func ineligibleCandidate() {
        let failures = Self.failures { c in
            // V1 is high tier (minGiftGrade 4); PEN is grade 2 (and has the 4 pieces).
            guard let j = c.needs.firstIndex(where: { $0.id.visit == 0 }) else { return }
            c.needs[j].candidates.append(Candidate(
                value: "PEN", label: "PEN", usages: [Usage(resource: ResourceKey(kind: "gift", id: "PEN"), span: TimeSpan(960, 990), load: 4)],
                cost: 240, category: "gift"))
        }
        #expect(failures.contains { $0.check == .candidates && $0.message.contains("gift.grade") }, "\(failures)")
    }

    @Test("a cost in a category the descriptor does not declare")
    func undeclaredCategory() {
        let failures = Self.failures { c in
            for j in c.needs.indices { for i in c.needs[j].candidates.indices { c.needs[j].candidates[i].category = "souvenir" } }
        }
        #expect(failures.contains { $0.check == .declarations && $0.message.contains("\"souvenir\"") }, "\(failures)")
    }

    @Test("a bad input whose error is reported elsewhere than the fixture says")
    func wrongErrorPath() {
        var fixture = ConformanceFixtures.gifts
        fixture.badInputs = [.set("resources.gifts[0].stock", to: -1, errorAt: "resources.gifts[0].grade", "stock below 0")]
        let failures = ConformanceSuite(fixture, optimizer: GLPKOptimizer()).checkDecodingErrors()
        #expect(failures.count == 1 && failures.first?.message.contains("no error at resources.gifts[0].grade") == true, "\(failures)")
    }

    @Test("a fixture day without competition for any resource")
    func fixtureWithoutConflicts() {
        var fixture = ConformanceFixtures.gifts
        fixture.day = fixture.day.replacingOccurrences(of: "\"stock\": ", with: "\"stock\": 10")
        let failures = ConformanceSuite(fixture, optimizer: GLPKOptimizer()).checkConflicts()
        #expect(failures.contains { $0.message.contains("no two candidates of different needs conflict") }, "\(failures)")
    }
}
