import GLPKOptimizer
import SchedulingCore
import SchedulingTestKit
import Testing

/// Every resource plugin of this build through the conformance kit, one check per
/// test so that a failure names the part of the contract that broke.
@Suite("Conformance")
struct PluginConformanceTests {
    static func suite(_ fixture: ConformanceFixture) -> ConformanceSuite {
        ConformanceSuite(fixture, optimizer: GLPKOptimizer())
    }

    static func expectNone(_ failures: [ConformanceFailure], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(failures.isEmpty, "\(failures.count) failure(s):\n\(failures.map(\.description).joined(separator: "\n"))",
                sourceLocation: sourceLocation)
    }

    @Test("the descriptor is well formed and the fixture day exercises the plugin", arguments: ConformanceFixtures.all)
    func descriptorAndFixture(_ fixture: ConformanceFixture) {
        let suite = Self.suite(fixture)
        Self.expectNone(suite.checkDescriptor() + suite.checkFixture())
    }

    @Test("decoding errors carry their JSON paths", arguments: ConformanceFixtures.all)
    func decodingErrors(_ fixture: ConformanceFixture) {
        Self.expectNone(Self.suite(fixture).checkDecodingErrors())
    }

    @Test("needs, candidates, resources and categories are declared consistently", arguments: ConformanceFixtures.all)
    func declarations(_ fixture: ConformanceFixture) {
        Self.expectNone(Self.suite(fixture).checkDeclarations())
    }

    @Test("every candidate passes the plugin's own checker, which recomputes its cost", arguments: ConformanceFixtures.all)
    func candidates(_ fixture: ConformanceFixture) {
        Self.expectNone(Self.suite(fixture).checkCandidates())
    }

    @Test("declared resources and the checker agree on conflicts", arguments: ConformanceFixtures.all)
    func conflicts(_ fixture: ConformanceFixture) {
        Self.expectNone(Self.suite(fixture).checkConflicts())
    }

    @Test("the solved fixture day passes the plan checker at its hand-worked optimum", arguments: ConformanceFixtures.all)
    func solvedPlan(_ fixture: ConformanceFixture) {
        Self.expectNone(Self.suite(fixture).checkSolvedPlan())
    }

    @Test("segment needs pinned to their planned values keep them (PROBLEM.md §10)", arguments: ConformanceFixtures.all)
    func pins(_ fixture: ConformanceFixture) {
        Self.expectNone(Self.suite(fixture).checkPins())
    }
}
