import DayGenerator
import GLPKOptimizer
import GreedyOptimizer
import GreedyPlanning
@testable import MIPModel
import PlanChecker
@testable import SchedulingCore
import Testing

/// The model over types of interchangeable resources: which resources it
/// groups, that its plans match the individual model's, that it is smaller,
/// and that solutions go back to members exactly.
@Suite("Typed formulation")
struct TypedFormulationTests {
    /// Three identical rooms, one of a higher grade, one of the same grade that closes
    /// at 09:30; `meetings` visits meeting 09:00-10:00 at once, without their hosts.
    static func rooms(meetings: Int) -> DayBuilder {
        var day = DayBuilder()
        day.venues = ["R1", "R2", "R3"].map { venue($0, grade: 1, costPerHour: 10) }
            + [venue("R4", grade: 2, costPerHour: 10), venue("R5", grade: 1, costPerHour: 10, available: windows("08:00-09:30"))]
        day.visits = (1...meetings).map {
            visit("V-\($0)", segments: [segment("talks", "09:00", "10:00", location: "HQ", hostAttends: false, needs: ["venue": [:]])])
        }
        return day
    }

    @Test("identical rooms form one class; another grade or other opening hours stay apart")
    func classes() throws {
        let problem = try Problem.load(json: Array(Self.rooms(meetings: 2).text.utf8), registry: makeRegistry())
        let classes = ResourceClasses(problem)
        let venue = { (id: String) in ResourceKey(kind: "venue", id: id) }
        let members = classes.members.map { $0.map(\.id) }
        #expect(members.contains(["R1", "R2", "R3"]))
        #expect(members.contains(["R4"]))
        #expect(classes.classOf[venue("R5")] != classes.classOf[venue("R1")])
        #expect(classes.members.filter { $0.count > 1 && $0[0].kind == "venue" }.count == 1)
    }

    @Test("four meetings at once in three identical rooms and a better one: all met, the grade-2 room counted as over grade")
    func countsBecomeMembers() throws {
        let (_, plan) = try solve(Self.rooms(meetings: 4))
        #expect(plan.status == .optimal)
        #expect(plan.totals.unmet == 0)
        #expect(plan.totals.overGrade == 1)
        let rooms = plan.json["visits"]?.array?.compactMap { $0["segments"]?.array?.first?["venue"]?.string } ?? []
        #expect(Set(rooms) == ["R1", "R2", "R3", "R4"])
    }

    @Test("a fifth meeting cannot be placed: exactly one need unmet")
    func overflow() throws {
        let (_, plan) = try solve(Self.rooms(meetings: 5))
        #expect(plan.status == .optimal)
        #expect(plan.totals.unmet == 1)
    }

    /// Small generated days solved with both models: the same optimum, and plans the checker accepts.
    @Test("typed and individual models reach the same optimum on generated days", arguments: [UInt64(3), 7, 11])
    func sameOptimum(seed: UInt64) throws {
        let registry = try makeRegistry()
        let day = DayGenerator.generate(GeneratorOptions(visits: 6, seed: seed, tightness: 1.4))
        let problem = try Problem.load(day, registry: registry)
        var objectives: [Double] = []
        for choice in GLPKOptimizer.FormulationChoice.allCases {
            var optimizer = GLPKOptimizer()
            optimizer.formulation = choice
            let result = try optimizer.optimize(problem, options: OptimizeOptions(timeLimit: 60))
            let plan = PlanAssembler.assemble(problem, result: result, solverName: "glpk")
            expectCheckerAccepts(plan, problem: problem, registry: registry)
            #expect(plan.status == .optimal, "\(choice)")
            objectives.append(plan.objective)
        }
        #expect(close(objectives[0], objectives[1]), "typed \(objectives[0]) against individual \(objectives[1])")
    }

    @Test("on a generated 40-visit day the typed model is smaller than the individual one")
    func smaller() throws {
        let day = DayGenerator.generate(GeneratorOptions(visits: 40, seed: 2026))
        let problem = try Problem.load(day, registry: makeRegistry())
        let typed = TypedFormulation(problem).model.statistics
        let individual = Formulation(problem).model.statistics
        #expect(typed.columns < individual.columns)
        // Rows for hosts over several segments (spread cliques) cost some of the margin.
        #expect(typed.rows * 5 < individual.rows * 2)
        #expect(typed.nonzeros * 2 < individual.nonzeros)
        #expect(ResourceClasses(problem).groupedCount > 0)
    }

    @Test("the greedy plan goes into the typed model and back without loss")
    func roundTrip() throws {
        let registry = try makeRegistry()
        let day = DayGenerator.generate(GeneratorOptions(visits: 40, seed: 2026))
        let problem = try Problem.load(day, registry: registry)
        let formulation = TypedFormulation(problem)
        let greedy = GreedyPlanner.select(problem)
        let values = try #require(formulation.startValues(for: greedy))
        let decoded = formulation.decode(values)
        #expect(decoded.isExact)
        let result = { (s: Selection) in OptimizationResult(status: .feasible, selection: s, bound: nil, seconds: 0) }
        let back = PlanAssembler.assemble(problem, result: result(decoded.selection), solverName: "glpk")
        #expect(close(back.objective, PlanAssembler.objective(of: greedy, in: problem)))
        #expect(close(back.objective, formulation.model.objective(of: values)))
        expectCheckerAccepts(back, problem: problem, registry: registry)
    }

    @Test("the greedy completes a plan around kept choices without changing them")
    func completion() throws {
        let registry = try makeRegistry()
        let day = DayGenerator.generate(GeneratorOptions(visits: 20, seed: 5))
        let problem = try Problem.load(day, registry: registry)
        let full = GreedyPlanner.select(problem)
        // Keep every other met need; the completion must keep them and meet at least as many.
        var kept = full
        for j in kept.chosen.indices where j % 2 == 1 && !problem.needs[j].isTrivial { kept.chosen[j] = nil }
        let completed = GreedyPlanner.complete(kept, in: problem)
        for j in kept.chosen.indices { if let choice = kept.chosen[j] { #expect(completed.chosen[j] == choice) } }
        #expect(completed.chosen.filter { $0 != nil }.count >= kept.chosen.filter { $0 != nil }.count)
        let plan = PlanAssembler.assemble(problem, result: OptimizationResult(status: .feasible, selection: completed, bound: nil, seconds: 0),
                                          solverName: "greedy")
        expectCheckerAccepts(plan, problem: problem, registry: registry)
    }

    @Test("cover rows count a unit for at most the demand, in both models")
    func coverCoefficientsCapped() throws {
        let day = DayGenerator.generate(GeneratorOptions(visits: 12, seed: 5))
        let problem = try Problem.load(day, registry: try makeRegistry())
        var checked = 0
        for model in [TypedFormulation(problem).model, Formulation(problem).model] {
            var largest: [Int: Double] = [:]
            for entry in model.entries where model.rows[entry.row].name.hasPrefix("cover_") {
                largest[entry.row] = max(largest[entry.row] ?? 0, entry.value)
            }
            for (row, value) in largest {
                // The unmet column carries the demand itself; no group may count for more.
                #expect(value <= (model.rows[row].lower ?? 0) + 1e-9, "\(model.rows[row].name)")
                checked += 1
            }
        }
        #expect(checked > 0, "the generated day has cover needs (cars by seats)")
    }

    @Test("three hosts over two segments each, pairwise clashing at different times, two hosts: a spread row, one host unmet")
    func spreadCliques() throws {
        var day = DayBuilder(visits: [
            visit("V1", segments: [segment("a", "08:00", "09:00"), segment("b", "10:00", "11:00")]),
            visit("V2", segments: [segment("a", "08:00", "09:00"), segment("b", "12:00", "13:00")]),
            visit("V3", segments: [segment("a", "10:00", "11:00"), segment("b", "12:00", "13:00")]),
        ])
        day.staff = [staffMember("EX1", rank: "executive"), staffMember("EX2", rank: "executive")]
        let problem = try Problem.load(json: Array(day.text.utf8), registry: makeRegistry())
        let model = TypedFormulation(problem).model
        // At every time two hosts are busy at most: only the spread row sees that three cannot be met.
        #expect(model.rows.contains { $0.name.hasPrefix("spread_") })
        #expect(!model.rows.contains { $0.name.hasPrefix("busy_staff") })
        let (_, plan) = try solve(day)
        #expect(plan.status == .optimal)
        #expect(plan.unmet.count == 1)
        #expect(plan.unmet.allSatisfy { $0.need == "host" && $0.segment == nil }, "\(plan.unmet)")
    }

    /// Units of one two-member class, each over the given hour spans.
    static func units(_ spans: [[(Int, Int)]]) -> [Unit] {
        spans.enumerated().map { j, hours in
            Unit(need: j, column: j, index: 0, uses: hours.map {
                Usage(resource: ResourceKey(kind: "staff", id: "H1"), span: TimeSpan($0.0 * 60, $0.1 * 60))
            })
        }
    }

    static func hosts() -> Placement {
        Placement(members: [ResourceKey(kind: "staff", id: "H1"), ResourceKey(kind: "staff", id: "H2")],
                  rule: ResourceDeclaration(key: ResourceKey(kind: "staff", id: "H1"), sharing: .exclusive(turnoverMinutes: 0)),
                  travel: TravelTable())
    }

    @Test("hosts over several segments: the exact placement finds members where counts allow it")
    func exactPlacement() {
        let units = Self.units([[(8, 9), (12, 13)], [(8, 9)], [(12, 13), (14, 15)], [(14, 15)], [(10, 11)]])
        var placement = Self.hosts()
        let placed = placement.placeExactly(units, related: { [$0] })
        #expect(placed)
        #expect(units.indices.allSatisfy { placement.memberOf[$0] != nil })
        for a in units.indices {
            for b in units.indices where a < b {
                let clash = units[a].uses.contains { x in units[b].uses.contains { $0.span.overlaps(x.span) } }
                if clash { #expect(placement.memberOf[a] != placement.memberOf[b], "units \(a) and \(b)") }
            }
        }
    }

    @Test("three hosts' units clashing pairwise at different times: no placement with two members, nothing placed")
    func exactPlacementRefuses() {
        // At every time at most two units are busy, yet each two of them clash.
        let units = Self.units([[(8, 9), (10, 11)], [(8, 9), (12, 13)], [(10, 11), (12, 13)]])
        var placement = Self.hosts()
        let placed = placement.placeExactly(units, related: { [$0] })
        #expect(!placed)
        #expect(placement.memberOf.isEmpty)
        var greedy = Self.hosts()
        greedy.placeRest(units, related: { [$0] })
        #expect(greedy.memberOf.count == 2, "first fit and the exact search place two of the three")
    }

    @Test("fixing columns moves their part into row bounds and the objective")
    func fixing() {
        var m = LinearModel()
        let x = m.addColumn("x", kind: .binary, objective: 3)
        let y = m.addColumn("y", kind: .integer, upper: 4, objective: 2)
        let z = m.addColumn("z", kind: .continuous, objective: 1)
        m.addRow("a", [(x, 1), (y, 2), (z, 1)], lower: 2, upper: 9)
        m.addRow("b", [(x, 1)], upper: 1)
        let (sub, columns) = m.fixing([x: 1])
        #expect(columns == [y, z])
        #expect(sub.rows.count == 1)
        #expect(sub.rows[0].lower == 1 && sub.rows[0].upper == 8)
        #expect(sub.objectiveConstant == 3)
        #expect(sub.objective(of: [1, 2]) == 3 + 2 + 2)
    }
}
