import Synchronization
import SchedulingCore
import Testing

/// A need may state its candidates as a recipe: it runs on first read, once,
/// and every copy of the need sees the same list.
@Suite("Deferred candidates")
struct DeferredCandidatesTests {
    static func candidate(_ id: String) -> Candidate {
        Candidate(value: .string(id), label: id, usages: [Usage(resource: ResourceKey(kind: "venue", id: id), span: TimeSpan(600, 660))])
    }

    /// How often a recipe ran.
    final class Runs: Sendable {
        private let count = Mutex(0)
        func add() { count.withLock { $0 += 1 } }
        var value: Int { count.withLock { $0 } }
    }

    static func need(counting runs: Runs) -> NeedDeclaration {
        NeedDeclaration(id: NeedID(visit: 0, segment: 0, key: "venue"), rule: .exactly(1), shape: .single,
                        deferredCandidates: {
                            runs.add()
                            return ["R1", "R2"].map(candidate)
                        },
                        requirement: "a room")
    }

    @Test("the recipe runs on the first read only, and copies share what it built")
    func buildsOnce() {
        let runs = Runs()
        let need = Self.need(counting: runs)
        #expect(runs.value == 0)
        let copy = need
        #expect(need.candidates.map(\.label) == ["R1", "R2"])
        #expect(copy.candidates.map(\.label) == ["R1", "R2"])
        #expect(need.candidates[1].assigned == [ResourceKey(kind: "venue", id: "R2")])
        #expect(runs.value == 1)
    }

    @Test("writing the candidates replaces the list of this need only")
    func writing() {
        let runs = Runs()
        var need = Self.need(counting: runs)
        let copy = need
        need.candidates[0].cost = 5
        #expect(need.candidates.map(\.cost) == [5, 0])
        #expect(copy.candidates.map(\.cost) == [0, 0])
        need.candidates = [Self.candidate("R9")]
        #expect(need.candidates.map(\.label) == ["R9"])
        #expect(runs.value == 1)
    }

    @Test("reads from many tasks at once run the recipe once")
    func concurrentReads() async {
        let runs = Runs()
        let need = Self.need(counting: runs)
        let counts = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<16 { group.addTask { need.candidates.count } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(counts == Array(repeating: 2, count: 16))
        #expect(runs.value == 1)
    }
}
