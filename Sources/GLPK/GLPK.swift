import CGLPKGuard

/// A mixed-integer program in the plain form GLPK takes: minimise
/// `objectiveConstant + Σ objective[j]·x[j]` subject to row bounds on `A·x`
/// and column bounds.
public struct LinearProblem: Sendable, Equatable {
    /// The kind of a column.
    public enum ColumnKind: Int32, Sendable {
        case continuous = 0
        case binary = 1
        case integer = 2
    }

    /// One column (variable).
    public struct Column: Sendable, Equatable {
        public var kind: ColumnKind
        public var lower: Double
        /// `nil` means unbounded above.
        public var upper: Double?
        public var objective: Double

        public init(kind: ColumnKind, lower: Double = 0, upper: Double? = nil, objective: Double = 0) {
            self.kind = kind
            self.lower = lower
            self.upper = kind == .binary ? 1 : upper
            self.objective = objective
        }
    }

    /// One row (constraint) `lower <= Σ a[j]·x[j] <= upper`.
    public struct Row: Sendable, Equatable {
        public var lower: Double?
        public var upper: Double?
        public init(lower: Double? = nil, upper: Double? = nil) {
            self.lower = lower
            self.upper = upper
        }
    }

    /// A non-zero of the constraint matrix, 0-based.
    public struct Entry: Sendable, Equatable {
        public var row: Int
        public var column: Int
        public var value: Double
        public init(row: Int, column: Int, value: Double) {
            self.row = row
            self.column = column
            self.value = value
        }
    }

    public var columns: [Column] = []
    public var rows: [Row] = []
    public var entries: [Entry] = []
    public var objectiveConstant: Double = 0

    public init() {}
}

/// The file format of an exported model.
public enum ModelFileFormat: Sendable {
    /// CPLEX LP format (`.lp`).
    case cplexLP
    /// Free MPS format (`.mps`).
    case freeMPS
}

/// A flag another thread or a signal handler sets to stop a running search.
public final class InterruptFlag: @unchecked Sendable {
    let storage: UnsafeMutablePointer<Int32>

    public init() {
        storage = .allocate(capacity: 1)
        storage.initialize(to: 0)
    }

    deinit { storage.deallocate() }

    /// Asks the search to stop at its next callback; an atomic store, safe from
    /// another thread and from a signal handler.
    public func raise() { sched_flag_raise(storage) }

    /// Whether `raise()` was called (an atomic load).
    public var isRaised: Bool { sched_flag_is_raised(storage) != 0 }

    /// The raw cell, for a C signal handler that must not touch Swift objects.
    public var rawCell: UnsafeMutablePointer<Int32> { storage }
}

/// How a solve is run.
public struct SolveOptions: Sendable {
    /// Stop after this many seconds of wall time (enforced in GLPK's callback too).
    public var timeLimit: Double?
    /// Stop when the relative gap between incumbent and bound is at most this.
    public var relativeGap: Double?
    /// Show GLPK's own terminal output on stderr.
    public var verbose: Bool
    /// A feasible solution offered as the first incumbent.
    public var startSolution: [Double]?
    /// Stops the search when raised.
    public var interrupt: InterruptFlag?
    /// Also stops the search when raised: the caller's own flag beside the user's
    /// ``interrupt`` (another part of a larger search failed). Like the interrupt,
    /// it is seen between LP solves, not inside one.
    public var cancel: InterruptFlag?
    /// Writes the model to this file before solving.
    public var export: (path: String, format: ModelFileFormat)?
    /// Called during the search at most once per ``progressInterval`` seconds.
    public var progress: (@Sendable (SearchProgress) -> Void)?
    public var progressInterval: Double = 1
    /// Builds an integer solution from a node's LP solution (`nil`: none), called
    /// first at the root and then at most once per ``heuristicInterval`` seconds;
    /// GLPK keeps what it returns when it is better than its incumbent.
    public var heuristic: (@Sendable ([Double]) -> [Double]?)?
    public var heuristicInterval: Double = 10
    /// Depth-first search branching on the most fractional column: finds plans
    /// sooner, proves bounds later than GLPK's default best-bound search.
    public var depthFirst = false
    /// Branch on the most fractional column (best-bound search kept): GLPK's default
    /// branching evaluates a tableau row per fractional column, which on large models
    /// takes longer than a time limit allows (it cannot be stopped meanwhile).
    public var mostFractional = false
    /// Gomory's mixed-integer cuts at the root too (as `glpsol --cuts`). They cost root
    /// time and often close most of the gap on mid-size days: on generated 40-visit
    /// days at tightness 1.5, proofs in 3 and 8 s with them, none in 30 s without.
    public var gomoryCuts = false
    /// Rows a node's LP solution breaks, valid for every solution of the problem
    /// (lazy constraints): called each time a node's LP is solved, and GLPK adds what
    /// it returns to the node's problem before going on. GLPK's own rounding heuristic
    /// is off then, since its solutions would not be checked; offered solutions
    /// (``startSolution``, ``heuristic``) must satisfy these rows themselves.
    public var lazyRows: (@Sendable ([Double]) -> [LazyRow])?
    /// GLPK's MIP presolver before the search (as `glpsol` runs it). The search then
    /// works on the presolved problem, whose columns are not the caller's: a presolved
    /// solve takes no ``startSolution``, ``heuristic`` or ``lazyRows`` (it fails with
    /// ``GLPKError/invalidProblem(_:)`` when given one), and its LP relaxation is solved inside
    /// GLPK, where ``interrupt`` and ``cancel`` are seen only once it is done.
    public var presolve = false
    /// Seconds between checks of ``interrupt`` and ``cancel`` while the LP relaxation
    /// is solved, in chunks of iterations; `nil` solves it in one run that no flag
    /// interrupts, for a search on a thread of its own that the caller may leave
    /// behind. Chunks restart GLPK's pricing: at 200 visits 0.25 s chunks took four
    /// times the iterations of one run (34,000 against about 8,000).
    public var lpCheckInterval: Double? = 0.25

    public init(timeLimit: Double? = nil, relativeGap: Double? = nil, verbose: Bool = false,
                startSolution: [Double]? = nil, interrupt: InterruptFlag? = nil,
                export: (path: String, format: ModelFileFormat)? = nil,
                progress: (@Sendable (SearchProgress) -> Void)? = nil) {
        self.progress = progress
        self.timeLimit = timeLimit
        self.relativeGap = relativeGap
        self.verbose = verbose
        self.startSolution = startSolution
        self.interrupt = interrupt
        self.export = export
    }
}

/// A row `Σ coefficients[k] · x[columns[k]] <= upper` added during the search.
public struct LazyRow: Sendable, Equatable {
    /// 0-based columns.
    public var columns: [Int]
    public var coefficients: [Double]
    public var upper: Double

    public init(columns: [Int], coefficients: [Double], upper: Double) {
        self.columns = columns
        self.coefficients = coefficients
        self.upper = upper
    }
}

/// Where a running search stands.
public struct SearchProgress: Sendable, Equatable {
    public var elapsed: Double
    /// Objective of the best integer solution so far.
    public var incumbent: Double?
    /// Best proven lower bound so far.
    public var bound: Double?

    public init(elapsed: Double, incumbent: Double?, bound: Double?) {
        self.elapsed = elapsed
        self.incumbent = incumbent
        self.bound = bound
    }

    /// Relative gap between incumbent and bound, when both are known.
    public var gap: Double? {
        guard let incumbent, let bound else { return nil }
        return max(0, incumbent - bound) / max(1, abs(incumbent))
    }
}

/// Carries a closure over a node's LP solution (the heuristic, the lazy rows)
/// through GLPK's C callback, with the number of columns to read.
final class NodeCallbackBox<Output>: Sendable {
    let run: @Sendable ([Double]) -> Output
    let columns: Int
    init(run: @escaping @Sendable ([Double]) -> Output, columns: Int) {
        self.run = run
        self.columns = columns
    }

    /// Runs the closure on the `columns` values at `lp`.
    func callAsFunction(_ lp: UnsafePointer<Double>) -> Output {
        run(Array(UnsafeBufferPointer(start: lp, count: columns)))
    }
}

/// Carries the progress closure through GLPK's C callback.
private final class ProgressBox {
    let report: @Sendable (SearchProgress) -> Void
    init(_ report: @escaping @Sendable (SearchProgress) -> Void) { self.report = report }
}

/// Why the search stopped; separate from whether a solution is held.
public enum Termination: Sendable, Equatable {
    /// The search finished: the solution held (if any) is proven optimal.
    case finished
    /// The time limit ran out.
    case timeLimit
    /// The requested relative gap was reached.
    case gapLimit
    /// The interrupt flag was raised.
    case interrupted
    /// The problem (or its LP relaxation) has no feasible solution.
    case infeasible
}

/// What a solve returns.
public struct SolveOutcome: Sendable {
    public var termination: Termination
    /// Column values of the best integer solution found, if any.
    public var values: [Double]?
    /// Objective of `values`.
    public var objective: Double?
    /// Proven lower bound, when known.
    public var bound: Double?
    /// Whether `values` is proven optimal.
    public var isOptimal: Bool
    public var seconds: Double

    public init(termination: Termination, values: [Double]?, objective: Double?, bound: Double?,
                isOptimal: Bool, seconds: Double) {
        self.termination = termination
        self.values = values
        self.objective = objective
        self.bound = bound
        self.isOptimal = isOptimal
        self.seconds = seconds
    }
}

/// Errors from the solver: GLPK never aborts the process, it fails with one of these.
public enum GLPKError: Error, Sendable, Equatable, CustomStringConvertible {
    /// GLPK raised an internal error (caught through its error hook).
    case internalError(String)
    /// The problem description is inconsistent (bad index, size).
    case invalidProblem(String)
    /// The solver stopped for a reason other than a limit or infeasibility.
    case solverFailure(String)
    /// The model could not be written to a file.
    case exportFailed(String)

    public var description: String {
        switch self {
        case .internalError(let m): return m
        case .invalidProblem(let m): return "invalid model: \(m)"
        case .solverFailure(let m): return "solver failure: \(m)"
        case .exportFailed(let m): return m
        }
    }
}

/// The GLPK solver behind a safe interface.
public enum GLPKSolver {
    /// GLPK's version, e.g. "5.0".
    public static var version: String { String(cString: sched_glpk_version()) }

    /// Whether this GLPK keeps its environment per thread (built with thread-local
    /// storage), so that solves on two threads at once are safe.
    public static var isThreadSafe: Bool { sched_glpk_thread_safe() != 0 }

    /// Frees GLPK's environment of the calling thread. GLPK keeps one per thread;
    /// a thread started to solve calls this before it ends, or its memory stays.
    public static func releaseThreadResources() { sched_glpk_release_thread() }

    /// Solves `problem`. Runs synchronously on the calling thread (GLPK's
    /// environment is thread-local), never aborts the process.
    public static func solve(_ problem: LinearProblem, options: SolveOptions = SolveOptions()) throws(GLPKError) -> SolveOutcome {
        let cols = problem.columns
        let rows = problem.rows
        if let start = options.startSolution, start.count != cols.count {
            throw .invalidProblem("start solution has \(start.count) values for \(cols.count) columns")
        }
        for entry in problem.entries where !entry.value.isFinite {
            throw .invalidProblem("non-finite coefficient at row \(entry.row), column \(entry.column)")
        }
        if cols.isEmpty {
            // Nothing to decide (GLPK 5.0's cut generators fail on a problem without columns):
            // every row's activity is 0.
            let feasible = rows.allSatisfy { ($0.lower ?? 0) <= 0 && 0 <= ($0.upper ?? 0) }
            return SolveOutcome(termination: feasible ? .finished : .infeasible, values: feasible ? [] : nil,
                                objective: feasible ? problem.objectiveConstant : nil,
                                bound: feasible ? problem.objectiveConstant : nil, isOptimal: feasible, seconds: 0)
        }
        let colKind = cols.map { $0.kind.rawValue }
        let colLower = cols.map(\.lower)
        let colUpper = cols.map { $0.upper ?? 0 }
        let colHasUpper: [Int32] = cols.map { $0.upper == nil ? 0 : 1 }
        let objective = cols.map(\.objective)
        let rowLower = rows.map { $0.lower ?? 0 }
        let rowUpper = rows.map { $0.upper ?? 0 }
        let rowHasLower: [Int32] = rows.map { $0.lower == nil ? 0 : 1 }
        let rowHasUpper: [Int32] = rows.map { $0.upper == nil ? 0 : 1 }
        let entryRow = problem.entries.map { Int32(truncatingIfNeeded: $0.row) }
        let entryCol = problem.entries.map { Int32(truncatingIfNeeded: $0.column) }
        let entryValue = problem.entries.map(\.value)
        var values = [Double](repeating: 0, count: cols.count)
        var result = sched_glpk_result()
        let exportPath = options.export?.path
        let exportFormat: Int32 = options.export?.format == .freeMPS ? 1 : 0
        let box = options.progress.map(ProgressBox.init)
        let heuristicBox = options.heuristic.map { NodeCallbackBox(run: $0, columns: cols.count) }
        let lazyBox = options.lazyRows.map { NodeCallbackBox(run: $0, columns: cols.count) }
        defer { withExtendedLifetime(box) {}; withExtendedLifetime(heuristicBox) {}; withExtendedLifetime(lazyBox) {} }

        let code: Int32 = colKind.withUnsafeBufferPointer { colKind in
        colLower.withUnsafeBufferPointer { colLower in
        colUpper.withUnsafeBufferPointer { colUpper in
        colHasUpper.withUnsafeBufferPointer { colHasUpper in
        objective.withUnsafeBufferPointer { objective in
        rowLower.withUnsafeBufferPointer { rowLower in
        rowUpper.withUnsafeBufferPointer { rowUpper in
        rowHasLower.withUnsafeBufferPointer { rowHasLower in
        rowHasUpper.withUnsafeBufferPointer { rowHasUpper in
        entryRow.withUnsafeBufferPointer { entryRow in
        entryCol.withUnsafeBufferPointer { entryCol in
        entryValue.withUnsafeBufferPointer { entryValue in
        values.withUnsafeMutableBufferPointer { values in
        withOptionalBuffer(options.startSolution) { start in
        withOptionalCString(exportPath) { exportPath in
            var p = sched_glpk_problem()
            p.rows = Int32(rows.count)
            p.cols = Int32(cols.count)
            p.col_kind = colKind.baseAddress
            p.col_lower = colLower.baseAddress
            p.col_upper = colUpper.baseAddress
            p.col_has_upper = colHasUpper.baseAddress
            p.objective = objective.baseAddress
            p.objective_constant = problem.objectiveConstant
            p.row_lower = rowLower.baseAddress
            p.row_upper = rowUpper.baseAddress
            p.row_has_lower = rowHasLower.baseAddress
            p.row_has_upper = rowHasUpper.baseAddress
            p.nonzeros = Int32(entryRow.count)
            p.entry_row = entryRow.baseAddress
            p.entry_col = entryCol.baseAddress
            p.entry_value = entryValue.baseAddress
            p.time_limit_seconds = options.timeLimit ?? 0
            p.relative_gap = options.relativeGap ?? 0
            p.verbose = options.verbose ? 1 : 0
            p.start_solution = start
            p.interrupt_flag = options.interrupt.map { UnsafePointer($0.storage) }
            p.cancel_flag = options.cancel.map { UnsafePointer($0.storage) }
            p.export_path = exportPath
            p.export_format = exportFormat
            if let box {
                p.progress = { context, elapsed, hasIncumbent, incumbent, hasBound, bound in
                    guard let context else { return }
                    let box = Unmanaged<ProgressBox>.fromOpaque(context).takeUnretainedValue()
                    box.report(SearchProgress(elapsed: elapsed, incumbent: hasIncumbent != 0 ? incumbent : nil,
                                              bound: hasBound != 0 ? bound : nil))
                }
                p.progress_context = Unmanaged.passUnretained(box).toOpaque()
                p.progress_interval = options.progressInterval
            }
            if let heuristicBox {
                p.heuristic = { context, lp, solution in
                    guard let context, let lp, let solution else { return 0 }
                    let box = Unmanaged<NodeCallbackBox<[Double]?>>.fromOpaque(context).takeUnretainedValue()
                    guard let found = box(lp), found.count == box.columns else { return 0 }
                    for (j, v) in found.enumerated() { solution[j] = v }
                    return 1
                }
                p.heuristic_context = Unmanaged.passUnretained(heuristicBox).toOpaque()
                p.heuristic_interval = options.heuristicInterval
            }
            if let lazyBox {
                p.lazy_rows = { context, lp, rows in
                    guard let context, let lp, let rows else { return }
                    let box = Unmanaged<NodeCallbackBox<[LazyRow]>>.fromOpaque(context).takeUnretainedValue()
                    for row in box(lp)
                    where row.columns.count == row.coefficients.count
                        && row.columns.allSatisfy({ (0..<box.columns).contains($0) }) {
                        row.columns.map(Int32.init).withUnsafeBufferPointer { columns in
                            row.coefficients.withUnsafeBufferPointer { coefficients in
                                sched_glpk_rows_add(rows, Int32(columns.count), columns.baseAddress, coefficients.baseAddress, row.upper)
                            }
                        }
                    }
                }
                p.lazy_rows_context = Unmanaged.passUnretained(lazyBox).toOpaque()
            }
            p.depth_first = options.depthFirst ? 1 : 0
            p.most_fractional = options.mostFractional ? 1 : 0
            p.gomory_cuts = options.gomoryCuts ? 1 : 0
            p.presolve = options.presolve ? 1 : 0
            p.lp_check_seconds = options.lpCheckInterval ?? 0
            result.col_values = values.baseAddress
            return sched_glpk_solve(&p, &result)
        }}}}}}}}}}}}}}}

        let message = withUnsafeBytes(of: result.message) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        let hasSolution = result.mip_status == Int32(SCHED_SOL_FEASIBLE) || result.mip_status == Int32(SCHED_SOL_OPTIMAL)
        let termination: Termination
        switch Int(code) {
        case Int(SCHED_OK):
            termination = result.mip_status == Int32(SCHED_SOL_INFEASIBLE) ? .infeasible : .finished
        case Int(SCHED_TIME_LIMIT): termination = .timeLimit
        case Int(SCHED_GAP_LIMIT): termination = .gapLimit
        case Int(SCHED_INTERRUPTED): termination = .interrupted
        case Int(SCHED_NO_PRIMAL): termination = .infeasible
        case Int(SCHED_GLPK_ERROR): throw .internalError(message)
        case Int(SCHED_BAD_INPUT): throw .invalidProblem(message)
        case Int(SCHED_EXPORT_FAILED): throw .exportFailed(message)
        default: throw .solverFailure(message.isEmpty ? "GLPK returned code \(code)" : message)
        }
        let bound: Double? = result.has_bound != 0 ? result.bound : nil
        return SolveOutcome(
            termination: termination,
            values: hasSolution ? values : nil,
            objective: hasSolution ? result.objective : nil,
            bound: bound,
            isOptimal: result.mip_status == Int32(SCHED_SOL_OPTIMAL),
            seconds: result.seconds
        )
    }
}

private func withOptionalBuffer<R>(_ array: [Double]?, _ body: (UnsafePointer<Double>?) -> R) -> R {
    guard let array else { return body(nil) }
    return array.withUnsafeBufferPointer { body($0.baseAddress) }
}

private func withOptionalCString<R>(_ string: String?, _ body: (UnsafePointer<CChar>?) -> R) -> R {
    guard let string else { return body(nil) }
    return string.withCString { body($0) }
}
