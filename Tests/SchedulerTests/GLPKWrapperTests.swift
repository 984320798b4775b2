import GLPK
import Testing

@Suite("GLPK wrapper")
struct GLPKWrapperTests {
    /// max 5a + 4b + 3c  s.t. 2a + 3b + c <= 5, 4a + b + 2c <= 11, 3a + 4b + 2c <= 8 (binary) — as a minimisation.
    static func knapsack() -> LinearProblem {
        var p = LinearProblem()
        p.columns = [-5.0, -4, -3].map { LinearProblem.Column(kind: .binary, objective: $0) }
        p.rows = [5.0, 11, 8].map { LinearProblem.Row(upper: $0) }
        let a: [[Double]] = [[2, 3, 1], [4, 1, 2], [3, 4, 2]]
        for (i, row) in a.enumerated() {
            for (j, v) in row.enumerated() { p.entries.append(.init(row: i, column: j, value: v)) }
        }
        return p
    }

    @Test("a small binary program is solved to optimality with its bound")
    func solvesKnapsack() throws {
        let outcome = try GLPKSolver.solve(Self.knapsack())
        #expect(outcome.termination == .finished)
        #expect(outcome.isOptimal)
        // a+b fits (5 <= 5, 5 <= 11, 7 <= 8) for 9; a+b+c breaks the first row; a+c gives 8, b+c 7.
        #expect(abs((outcome.objective ?? 0) + 9) < 1e-9)
        #expect(outcome.values?.map { $0.rounded() } == [1, 1, 0])
        #expect(abs((outcome.bound ?? 0) + 9) < 1e-9)
    }

    @Test("an infeasible program reports infeasible and holds no solution")
    func infeasible() throws {
        var p = LinearProblem()
        p.columns = [LinearProblem.Column(kind: .binary, objective: 1)]
        p.rows = [LinearProblem.Row(lower: 2)]
        p.entries = [.init(row: 0, column: 0, value: 1)]
        let outcome = try GLPKSolver.solve(p)
        #expect(outcome.termination == .infeasible)
        #expect(outcome.values == nil)
        #expect(!outcome.isOptimal)
    }

    @Test("GLPK's internal errors become Swift errors, and GLPK still works afterwards")
    func internalErrorIsCaught() throws {
        var p = Self.knapsack()
        // glp_load_matrix rejects duplicate elements through its error hook, which would abort the process.
        p.entries.append(p.entries[0])
        #expect {
            _ = try GLPKSolver.solve(p)
        } throws: { error in
            guard case GLPKError.internalError(let message) = error else { return false }
            return message.contains("duplicate")
        }
        // The environment was freed and recreated: the next solve on this thread is fine.
        let outcome = try GLPKSolver.solve(Self.knapsack())
        #expect(abs((outcome.objective ?? 0) + 9) < 1e-9)
    }

    @Test("entries outside the matrix are refused before GLPK sees them")
    func invalidIndex() {
        var p = Self.knapsack()
        p.entries.append(.init(row: 7, column: 0, value: 1))
        #expect(throws: GLPKError.self) { try GLPKSolver.solve(p) }
    }

    @Test("a model that cannot be exported is an error, not a crash")
    func exportFailure() {
        #expect(throws: GLPKError.self) {
            try GLPKSolver.solve(Self.knapsack(), options: SolveOptions(export: (path: "/nonexistent/folder/model.lp", format: .cplexLP)))
        }
    }

    @Test("a raised interrupt flag stops the search without claiming optimality")
    func interrupt() throws {
        // A program that needs branching: 21 items with odd weights and capacity 100.
        var p = LinearProblem()
        let n = 21
        p.columns = (0..<n).map { LinearProblem.Column(kind: .binary, objective: -Double(17 + 2 * $0)) }
        p.rows = [LinearProblem.Row(upper: 100)]
        p.entries = (0..<n).map { .init(row: 0, column: $0, value: Double(13 + 2 * $0)) }
        let flag = InterruptFlag()
        flag.raise()
        let outcome = try GLPKSolver.solve(p, options: SolveOptions(interrupt: flag))
        #expect(outcome.termination == .interrupted)
        #expect(!outcome.isOptimal)
    }
}

extension GLPKWrapperTests {
    @Test("a raised flag stops the LP relaxation itself: a pure LP ends interrupted, without a solution")
    func interruptStopsLP() throws {
        // Without integer columns the whole solve is the LP, which GLPK runs without callbacks:
        // the flag is seen between the chunks of iterations the guard runs it in.
        var p = LinearProblem()
        p.columns = (0..<30).map { LinearProblem.Column(kind: .continuous, lower: 0, upper: 1, objective: -Double($0 + 1)) }
        p.rows = [LinearProblem.Row(upper: 7)]
        p.entries = (0..<30).map { .init(row: 0, column: $0, value: Double($0 % 5 + 1)) }
        #expect(try GLPKSolver.solve(p).termination == .finished)
        let flag = InterruptFlag()
        flag.raise()
        let outcome = try GLPKSolver.solve(p, options: SolveOptions(interrupt: flag))
        #expect(outcome.termination == .interrupted)
        #expect(outcome.values == nil)
    }

    @Test("a problem without columns is solved without calling GLPK's cut generators")
    func noColumns() throws {
        var p = LinearProblem()
        p.objectiveConstant = 42
        let outcome = try GLPKSolver.solve(p)
        #expect(outcome.termination == .finished)
        #expect(outcome.objective == 42)
        #expect(outcome.bound == 42)
        #expect(outcome.values == [])
        p.rows = [LinearProblem.Row(lower: 1)]
        #expect(try GLPKSolver.solve(p).termination == .infeasible)
    }
}
