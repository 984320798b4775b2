import ArgumentParser
import Foundation
import GLPK
import GLPKOptimizer
import SchedulingCore

struct Optimize: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find the best plan for a day and write it as plan.json.",
        discussion: "Exit 0 when every need is met within caps, 3 when the plan has unmet needs or needs approvals, 2 for bad input, 1 for an internal failure.")

    @Argument(help: "The day to plan (day.json).")
    var day: String

    @Option(name: [.short, .customLong("output")], help: "Write the plan here (atomically) instead of to stdout.")
    var output: String?

    @Option(name: .customLong("time-limit"),
            help: "Stop after this many seconds with the best plan found (status feasible); 0 searches until the plan is proven optimal. Default: \(Int(Optimize.defaultTimeLimit)).")
    var timeLimit: Double?

    @Flag(name: .customLong("no-limit"), help: "Search until the plan is proven optimal, however long it takes (as --time-limit 0).")
    var noLimit = false

    /// The limit of a run that names none: a planner at a desk gets the best plan
    /// within a minute, with its bound and gap.
    static let defaultTimeLimit = 60.0

    /// The run's limit in seconds, `nil` for none (a full proof).
    var effectiveTimeLimit: Double? {
        if noLimit || timeLimit == 0 { return nil }
        return timeLimit ?? Optimize.defaultTimeLimit
    }

    @Option(help: "Stop when the relative gap between plan and bound is at most this (e.g. 0.01).")
    var gap: Double?

    @Flag(help: "Show GLPK's output and the model's size.")
    var verbose = false

    @Option(help: Optimize.optimizerHelp)
    var optimizer = Optimize.optimizerNames.first ?? ""

    /// The optimizers this build knows, in the plugin registry's order; the first
    /// is the default. `--optimizer`'s values, help and validation come from
    /// here, so an optimizer plugin is added in `builtinRegistry` alone.
    static let optimizerNames = builtinRegistry().optimizers.map(\.name)

    /// `--optimizer`'s help: the names, and each optimizer's summary below.
    static var optimizerHelp: ArgumentHelp {
        ArgumentHelp("The optimizer: \(alternatives(optimizerNames)).",
                     discussion: builtinRegistry().optimizers.map { "\($0.name): \($0.summary)" }.joined(separator: "\n"))
    }

    /// `a`, `a or b`, `a, b or c`.
    static func alternatives(_ names: [String]) -> String {
        guard let last = names.last else { return "" }
        return names.count == 1 ? last : names.dropLast().joined(separator: ", ") + " or " + last
    }

    /// The name of the optimizer that `--formulation` and `--export-model` configure.
    private static let glpkName = GLPKOptimizer().name

    @Option(help: "The model GLPK solves: typed (interchangeable resources as types; the default) or individual (one column per candidate, for comparison).")
    var formulation = "typed"

    @Option(name: .customLong("export-model"), help: "Write the exact model GLPK solves to this file: .lp (CPLEX LP) or .mps (free MPS).")
    var exportModel: String?

    @Flag(help: "Print a progress line (elapsed, incumbent, bound, gap) at most once a second even when stderr is not a terminal.")
    var progress = false

    func validate() throws {
        guard Optimize.optimizerNames.contains(optimizer) else {
            throw ValidationError("--optimizer must be \(Optimize.alternatives(Optimize.optimizerNames)), got \(optimizer)")
        }
        guard GLPKOptimizer.FormulationChoice(rawValue: formulation) != nil else {
            throw ValidationError("--formulation must be typed or individual, got \(formulation)")
        }
        if formulation != "typed", optimizer != Optimize.glpkName {
            throw ValidationError("--formulation chooses GLPK's model; use it with --optimizer \(Optimize.glpkName)")
        }
        if let exportModel {
            guard exportModel.hasSuffix(".lp") || exportModel.hasSuffix(".mps") else {
                throw ValidationError("--export-model needs a file ending in .lp or .mps, got \(exportModel)")
            }
            guard optimizer == Optimize.glpkName else {
                throw ValidationError("--export-model writes GLPK's model; use it with --optimizer \(Optimize.glpkName)")
            }
        }
        if let timeLimit, !(timeLimit >= 0 && timeLimit.isFinite) {
            throw ValidationError("--time-limit must be a number of seconds, 0 for no limit, got \(timeLimit)")
        }
        if noLimit, let timeLimit, timeLimit > 0 {
            throw ValidationError("--no-limit and --time-limit \(timeLimit) contradict each other; give one of them")
        }
        if let gap, !(gap >= 0 && gap < 1) {
            throw ValidationError("--gap must be a fraction in [0, 1), e.g. 0.01 for 1 %, got \(gap)")
        }
    }

    func run() throws { try run(preparing: { $0 }) }

    /// Loads the day, lets `prepare` adjust the problem (a replan's earlier plan and
    /// moment), optimizes, writes the plan and the summary, and exits as §7 says.
    func run(preparing prepare: (Problem) throws -> Problem) throws {
        let clock = ContinuousClock()
        let started = clock.now
        let interrupt = InterruptFlag()
        // A testing aid (docs/limits.md): SCHEDULE_INJECT_FAULT=glpk-error or write-error.
        let fault = ProcessInfo.processInfo.environment["SCHEDULE_INJECT_FAULT"].flatMap { $0.isEmpty ? nil : $0 }
        if let fault, GLPKOptimizer.Fault(rawValue: fault) == nil, fault != "write-error" {
            printError("error: SCHEDULE_INJECT_FAULT=\(fault) is not a fault (use glpk-error or write-error, or unset it)")
            throw Exit.badInput
        }
        var glpk = GLPKOptimizer(
            export: exportModel.map { (path: $0, format: $0.hasSuffix(".mps") ? ModelFileFormat.freeMPS : .cplexLP) },
            interrupt: interrupt, fault: fault.flatMap(GLPKOptimizer.Fault.init(rawValue:)))
        glpk.formulation = GLPKOptimizer.FormulationChoice(rawValue: formulation) ?? .typed
        let registry = builtinRegistry(optimizer: glpk)
        let problem = try prepare(try loadProblem(day, registry: registry))
        guard let optimizer = registry.optimizer(named: optimizer) else { throw Exit.badInput }
        let terminal = isatty(STDERR_FILENO) != 0
        let line = (progress || terminal) && !verbose ? ProgressLine(terminal: terminal) : nil
        let result: OptimizationResult
        do {
            let watcher = InterruptWatcher(flag: interrupt)
            defer { watcher.stop(); line?.finish() }
            // The limit is the command's: reading and checking the day count too (at
            // 1000 visits about 13 s, which otherwise came on top of the limit).
            let spent = (clock.now - started).inSeconds
            var options = OptimizeOptions(timeLimit: effectiveTimeLimit.map { max(1, $0 - spent) }, relativeGap: gap, verbose: verbose)
            if let line {
                let limit = effectiveTimeLimit
                options.progress = { @Sendable status in line.show(status, spent: spent, limit: limit) }
            }
            result = try optimizer.optimize(problem, options: options)
        } catch {
            printError("error: the optimizer failed: \(error)\(output.map { "; \($0) was left as it was" } ?? "")")
            throw Exit.internalFailure
        }
        let plan = PlanAssembler.assemble(problem, result: result, solverName: optimizer.name)
        let text = JSONWriter.pretty(plan.json)
        if let output {
            try writeAtomically(text, to: output, failBeforeRename: fault == "write-error")
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
        let stop = Summary.Stop(reason: result.stop, limit: effectiveTimeLimit, defaultLimit: timeLimit == nil && !noLimit,
                                gap: gap)
        printError(Summary(problem: problem, plan: plan, verbose: verbose, stop: stop).text)
        if plan.totals.unmet > 0 || !plan.approvalsNeeded.isEmpty { throw Exit.needsAttention }
    }
}

/// The short report a person reads after `optimize`: an aligned table that
/// fits 80 columns, amounts right-aligned in one column. Colour only when
/// stderr is a terminal, and never when `NO_COLOR` is set (https://no-color.org)
/// or `TERM` is `dumb`.
struct Summary {
    let problem: Problem
    let plan: Plan
    let verbose: Bool
    /// Why the optimizer ended, for the status row; `nil` leaves the row bare.
    var stop: Stop?

    /// Why a run ended and under which limit.
    struct Stop {
        var reason: StopReason
        /// The run's time limit in seconds, `nil` for none.
        var limit: Double?
        /// Whether the limit is the default one (no `--time-limit` given).
        var defaultLimit: Bool
        /// The `--gap` asked for.
        var gap: Double?

        /// The status row's note after the status word; none for a proof (`optimal` says it).
        var note: String? {
            let seconds = limit.map { String(format: "%g s", $0) } ?? ""
            switch reason {
            case .proven: return nil
            case .timeLimit:
                return defaultLimit
                    ? "the default \(seconds) limit ended the search; --no-limit to prove"
                    : "the \(seconds) limit ended the search"
            case .gapLimit: return "within the --gap \(gap.map { String(format: "%g", $0) } ?? "") of the bound"
            case .interrupted: return "stopped by Ctrl-C"
            case .constructed: return "built by a constructive optimizer, not proven"
            case .exhausted: return "the search ended without a proof"
            }
        }
    }
    /// Whether to colour; by default from stderr and the environment.
    var colour: Bool = Summary.colourWanted()

    /// The table's width.
    static let width = 80

    /// One line: a label, an optional amount (right-aligned) and a note.
    private struct Row {
        var label: String
        var amount: String = ""
        var note: String = ""
        var style: Style = .plain
        /// Sub-rows are indented under their label.
        var indented = false
    }

    private enum Style { case plain, good, warn, bad }

    var text: String {
        let t = plan.totals
        let currency = problem.day.currency
        var rows: [Row] = []
        let status = plan.status.rawValue + (stop?.note.map { ": " + $0 } ?? "")
        rows.append(Row(label: "status", note: status, style: plan.status == .optimal ? .good : plan.status == .feasible ? .warn : .bad))
        var proof = "bound unknown"
        if let bound = plan.bound, let gap = plan.gap {
            proof = "bound \(Money.format(bound)), gap \(String(format: "%.2f", gap * 100)) %"
        }
        rows.append(Row(label: "objective", amount: Money.format(plan.objective), note: proof))
        var budget = currency
        if let limit = problem.day.policy.dayBudget {
            if problem.day.isProgramme {
                // The budget holds per day (PROBLEM.md §9): name the days over it.
                let over = plan.approvalsNeeded.compactMap(\.day)
                budget += ", day budget \(Money.format(limit)) a day" + (over.isEmpty ? "" : " (over on day \(over.map(String.init).joined(separator: ", ")))")
            } else {
                budget += ", day budget \(Money.format(limit))" + (t.dayOverrun > 0 ? " (\(Money.format(t.dayOverrun)) over)" : "")
            }
        }
        rows.append(Row(label: "cost", amount: Money.format(t.cost), note: budget, style: t.dayOverrun > 0 ? .warn : .plain))
        for item in t.byCategory where item.amount != 0 || verbose {
            rows.append(Row(label: item.category, amount: Money.format(item.amount), indented: true))
        }
        let needs = problem.needs.filter { !$0.isTrivial }.count
        rows.append(Row(label: "needs", amount: "\(needs - t.unmet)", note: "met of \(needs) in \(problem.day.visits.count) visits" + (t.unmet > 0 ? ", \(t.unmet) unmet" : ""),
                        style: t.unmet > 0 ? .bad : .good))
        if let replanning = problem.replanning {
            var kinds: [String] = []
            for reason in [Replanning.Reason.broken, .freed, .cheaper] {
                let n = plan.changes.filter { $0.why == reason }.count
                if n > 0 { kinds.append("\(n) \(reason.rawValue)") }
            }
            rows.append(Row(label: "changes", amount: "\(plan.changes.count)",
                            note: "from the plan being carried out at \(Clock.format(replanning.now, asStart: true))" + (kinds.isEmpty ? "" : ": " + kinds.joined(separator: ", "))))
        }
        if plan.approvalsNeeded.isEmpty {
            rows.append(Row(label: "approvals", note: "none needed", style: .good))
        } else {
            let total = plan.approvalsNeeded.reduce(0) { $0 + $1.amount }
            rows.append(Row(label: "approvals", amount: Money.format(total), note: "\(currency) in \(plan.approvalsNeeded.count) to ask for", style: .warn))
            let shown = verbose ? plan.approvalsNeeded.count : 4
            for a in plan.approvalsNeeded.prefix(shown) {
                let dayLabel = a.day.map { "day \($0) budget" } ?? "day budget"
                rows.append(Row(label: a.visit.map { "\($0) \(a.category)" } ?? dayLabel, amount: Money.format(a.amount), indented: true))
            }
            if plan.approvalsNeeded.count > shown {
                rows.append(Row(label: "...", note: "\(plan.approvalsNeeded.count - shown) more in the plan's approvalsNeeded", indented: true))
            }
        }
        if problem.day.policy.specialPlans != nil {
            // Regulation §2.2: the policy's tiers and large groups need a special reception plan.
            let special = problem.day.specialPlanRequirements
            if special.isEmpty {
                rows.append(Row(label: "special", note: "no visit needs a special reception plan"))
            } else {
                rows.append(Row(label: "special", amount: "\(special.count)",
                                note: "\(special.count == 1 ? "visit needs" : "visits need") a special plan approved by a superior"))
                let shown = verbose ? special.count : 4
                for r in special.prefix(shown) {
                    rows.append(Row(label: r.visit, note: r.reasons.map(\.description).joined(separator: "; "), indented: true))
                }
                if special.count > shown {
                    rows.append(Row(label: "...", note: "\(special.count - shown) more in the plan's specialPlans", indented: true))
                }
            }
        }
        let shownUnmet = verbose ? plan.unmet.count : 5
        for u in plan.unmet.prefix(shownUnmet) {
            rows.append(Row(label: "unmet", note: "\(u.visit)\(u.segment.map { " " + $0 } ?? "") \(u.need): \(u.reason)", style: .bad))
        }
        if plan.unmet.count > shownUnmet {
            rows.append(Row(label: "", note: "... \(plan.unmet.count - shownUnmet) more in the plan's unmet list"))
        }
        if verbose, let s = plan.statistics {
            rows.append(Row(label: "model", note: "\(s.rows) rows, \(s.columns) columns (\(s.binaries) binary), \(s.nonzeros) non-zeros"))
        }
        rows.append(Row(label: "time", note: String(format: "%.2f s", plan.seconds)))
        if plan.totals.unmet > 0 || !plan.approvalsNeeded.isEmpty {
            rows.append(Row(label: "", note: "reasons and amounts: schedule report day.json plan.json"))
        }
        return render(rows)
    }

    private func render(_ rows: [Row]) -> String {
        // Notes of rows without an amount start at column 11 (`status     optimal`);
        // amounts are right-aligned in one column after the longest such label.
        let labelWidth = 11
        func label(_ row: Row) -> String { (row.indented ? "  " : "") + row.label }
        let amountStart = max(labelWidth, (rows.filter { !$0.amount.isEmpty }.map { label($0).count }.max() ?? 0) + 2)
        let amountWidth = rows.map(\.amount.count).max() ?? 0
        return rows.map { row -> String in
            var line = label(row)
            if row.amount.isEmpty {
                line = line.padding(toLength: max(labelWidth, line.count + 1), withPad: " ", startingAt: 0)
            } else {
                line = line.padding(toLength: amountStart, withPad: " ", startingAt: 0)
                line += String(repeating: " ", count: amountWidth - row.amount.count) + row.amount
                if !row.note.isEmpty { line += "  " }
            }
            // Notes are cut to the width rather than wrapped: the plan has them in full.
            var note = row.note
            let room = Summary.width - line.count
            if note.count > room { note = String(note.prefix(max(0, room - 3))) + "..." }
            return TextTrim.trailing(line + paint(note, row.style))
        }.joined(separator: "\n")
    }

    /// Trailing spaces of a line.
    private enum TextTrim {
        static func trailing(_ s: String) -> String {
            var s = Substring(s)
            while s.last == " " { s = s.dropLast() }
            return String(s)
        }
    }

    private func paint(_ text: String, _ style: Style) -> String {
        guard colour, !text.isEmpty else { return text }
        let code: String
        switch style {
        case .plain: return text
        case .good: code = "32"
        case .warn: code = "33"
        case .bad: code = "31"
        }
        return "\u{1B}[\(code)m" + text + "\u{1B}[0m"
    }

    /// Colour only on a terminal, never with `NO_COLOR` set or `TERM=dumb`.
    static func colourWanted(environment: [String: String] = ProcessInfo.processInfo.environment,
                             isTerminal: Bool = isatty(STDERR_FILENO) != 0) -> Bool {
        isTerminal && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
    }
}

/// Ctrl-C during a solve: the first stops the search and the best plan found is
/// written (status feasible); a second one quits at once, writing nothing.
final class InterruptWatcher: @unchecked Sendable {
    private let source: DispatchSourceSignal
    private let lock = NSLock()
    private var count = 0

    init(flag: InterruptFlag) {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [self] in
            lock.lock()
            count += 1
            let first = count == 1
            lock.unlock()
            if first {
                printError("\nstopping the search; the best plan found so far will be written (Ctrl-C again to quit without writing)")
                flag.raise()
            } else {
                Foundation.exit(130)
            }
        }
        source.resume()
    }

    func stop() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}

/// The progress line of a long solve: rewritten in place on a terminal, one
/// line per report otherwise (with --progress).
final class ProgressLine: @unchecked Sendable {
    private let terminal: Bool
    private let lock = NSLock()
    private var shown = false

    init(terminal: Bool) { self.terminal = terminal }

    /// One report: `spent` seconds went to loading before the search started;
    /// `limit` is the run's, so the line says how much of it is used.
    func show(_ status: SearchStatus, spent: Double = 0, limit: Double? = nil) {
        var text = String(format: "%7.1f s", status.elapsed + spent)
        if let limit { text += String(format: " of %g", limit) }
        text += "  incumbent " + (status.incumbent.map(Money.format) ?? "none yet")
        text += "  bound " + (status.bound.map(Money.format) ?? "unknown")
        if let incumbent = status.incumbent, let bound = status.bound {
            text += String(format: "  gap %.2f %%", max(0, incumbent - bound) / max(1, abs(incumbent)) * 100)
        }
        lock.lock()
        defer { lock.unlock() }
        shown = true
        FileHandle.standardError.write(Data((terminal ? "\r\u{1B}[K" + text : text + "\n").utf8))
    }

    /// Clears the line on a terminal before the summary.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if terminal && shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
