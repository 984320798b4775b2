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

    @Option(name: .customLong("time-limit"), help: "Stop after this many seconds with the best plan found (status feasible).")
    var timeLimit: Double?

    @Option(help: "Stop when the relative gap between plan and bound is at most this (e.g. 0.01).")
    var gap: Double?

    @Flag(help: "Show GLPK's output and the model's size.")
    var verbose = false

    func validate() throws {
        if let timeLimit, !(timeLimit > 0 && timeLimit.isFinite) {
            throw ValidationError("--time-limit must be a positive number of seconds, got \(timeLimit)")
        }
        if let gap, !(gap >= 0 && gap < 1) {
            throw ValidationError("--gap must be a fraction in [0, 1), e.g. 0.01 for 1 %, got \(gap)")
        }
    }

    func run() throws {
        let interrupt = InterruptFlag()
        let optimizer = GLPKOptimizer(interrupt: interrupt)
        let registry = builtinRegistry(optimizer: optimizer)
        let problem = try loadProblem(day, registry: registry)
        let result: OptimizationResult
        do {
            let watcher = InterruptWatcher(flag: interrupt)
            defer { watcher.stop() }
            result = try optimizer.optimize(problem, options: OptimizeOptions(timeLimit: timeLimit, relativeGap: gap, verbose: verbose))
        } catch {
            printError("error: the optimizer failed: \(error)\(output.map { "; \($0) was left as it was" } ?? "")")
            throw Exit.internalFailure
        }
        let plan = PlanAssembler.assemble(problem, result: result, solverName: optimizer.name)
        let text = JSONWriter.pretty(plan.json)
        if let output {
            try writeAtomically(text, to: output)
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
        printError(Summary(problem: problem, plan: plan, verbose: verbose).text)
        if plan.totals.unmet > 0 || !plan.approvalsNeeded.isEmpty { throw Exit.needsAttention }
    }
}

/// The short report a person reads after `optimize`.
struct Summary {
    let problem: Problem
    let plan: Plan
    let verbose: Bool

    var text: String {
        var lines: [(String, String)] = []
        lines.append(("status", plan.status.rawValue))
        var objective = money(plan.objective)
        if let bound = plan.bound, let gap = plan.gap {
            objective += "   bound \(money(bound))   gap \(String(format: "%.2f", gap * 100)) %"
        } else {
            objective += "   bound unknown"
        }
        lines.append(("objective", objective))
        let t = plan.totals
        lines.append(("cost", "\(money(t.cost)) " + problem.day.currency + "  (" + t.byCategory.map { "\($0.category) \(money($0.amount))" }.joined(separator: ", ") + ")"))
        lines.append(("visits", "\(problem.day.visits.count)   needs \(problem.needs.filter { !$0.isTrivial }.count), unmet \(t.unmet)"))
        if plan.approvalsNeeded.isEmpty {
            lines.append(("approvals", "none needed"))
        } else {
            let items = plan.approvalsNeeded.map { a in a.visit.map { "\($0) \(a.category) +\(money(a.amount))" } ?? "day budget +\(money(a.amount))" }
            lines.append(("approvals", "\(items.count) needed: " + items.prefix(4).joined(separator: "; ") + (items.count > 4 ? "; ..." : "")))
        }
        for u in plan.unmet.prefix(verbose ? plan.unmet.count : 5) {
            lines.append(("unmet", "\(u.visit)\(u.segment.map { " " + $0 } ?? "") \(u.need)"))
        }
        if !verbose && plan.unmet.count > 5 { lines.append(("", "... \(plan.unmet.count - 5) more in the plan's unmet list")) }
        if verbose, let s = plan.statistics {
            lines.append(("model", "\(s.rows) rows, \(s.columns) columns (\(s.binaries) binary), \(s.nonzeros) non-zeros"))
        }
        lines.append(("time", String(format: "%.2f s", plan.seconds)))
        return lines.map { $0.0.isEmpty ? "           " + $0.1 : $0.0.padding(toLength: 11, withPad: " ", startingAt: 0) + $0.1 }.joined(separator: "\n")
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
