import Archive
import ArgumentParser
import Foundation
import PlanReports
import SchedulingCore

/// Formats of `schedule report` and `schedule explain` on the command line.
enum ReportFormatOption: String, CaseIterable, ExpressibleByArgument {
    case text, md, html

    var format: PlanReport.Format {
        switch self {
        case .text: return .text
        case .md: return .md
        case .html: return .html
        }
    }

    /// The format an output file's extension names (`.html`, `.md`), else text.
    static func inferred(from output: String?) -> ReportFormatOption {
        guard let output else { return .text }
        let lower = output.lowercased()
        if lower.hasSuffix(".html") || lower.hasSuffix(".htm") { return .html }
        if lower.hasSuffix(".md") || lower.hasSuffix(".markdown") { return .md }
        return .text
    }
}

/// Reads a day and its plan for the planner's view; input errors exit 2 with their message.
func loadDayPlan(day: String, plan: String) throws -> DayPlan {
    let registry = builtinRegistry()
    let problem = try loadProblem(day, registry: registry, quiet: true)
    // The day's own text too, for details the day model does not keep (a client's contact).
    let dayDocument = try? JSONParser.parse(readInput(day, what: "day file")).value
    let bytes = try readInput(plan, what: "plan file")
    do {
        return try DayPlan(problem: problem, planJSON: bytes, dayDocument: dayDocument)
    } catch {
        printError("\(plan): error: \(error.message)")
        throw Exit.badInput
    }
}

/// Writes a report to `output` atomically, or to stdout.
func emit(_ text: String, to output: String?) throws {
    if let output {
        try writeAtomically(text, to: output)
    } else {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

/// `schedule report day.json plan.json`: the plan for the people who run the day.
struct PlanReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "A plan for people: day summary, unmet needs and approvals with reasons, run sheets, resource timelines.",
        discussion: """
            The default subcommand of `schedule report`: `schedule report day.json plan.json` is \
            `schedule report plan day.json plan.json`.

            The whole day has a summary (visits by tier, needs met and unmet, cost by category against \
            the caps and the day budget), every unmet need with the eligible resources and what holds \
            them, every approval with its cap, spend and what drove it, a run sheet per visit in the \
            order of the reception flow, and a timeline per resource with turnover, travel and free \
            windows. --visit and --resource print only those run sheets and timelines (repeat them for \
            several). html is one self-contained page with a Gantt-style timeline.

            Exit codes: 0 written; 2 unreadable day or plan, or an unknown --visit or --resource; \
            1 the output could not be written.
            """)

    @Argument(help: "The day (day.json).")
    var day: String

    @Argument(help: "Its plan (plan.json), as `schedule optimize` writes it.")
    var plan: String

    @Option(help: "text (80 columns), md or html; by default from the extension of -o, else text.")
    var format: ReportFormatOption?

    @Option(name: [.short, .customLong("output")], help: "Write the report here (atomically) instead of to stdout.")
    var output: String?

    @Option(name: .customLong("visit"), help: "Print only this visit's run sheet (e.g. V-017); repeatable.")
    var visits: [String] = []

    @Option(name: .customLong("resource"), help: "Print only this resource's timeline (e.g. CAR-01, or vehicle:CAR-01); repeatable.")
    var resources: [String] = []

    @Flag(help: "Print the special-plan approvals recorded in the archive (schedule approve) instead of blanks to sign.")
    var approvals = false

    @OptionGroup var database: ArchiveDatabaseOptions

    func validate() throws {
        if database.db != nil && !approvals { throw ValidationError("--db is read with --approvals only") }
    }

    func run() throws {
        let dayPlan = try loadDayPlan(day: day, plan: plan)
        var report = PlanReport(plan: dayPlan)
        if approvals { report.specialPlanSignatures = try archivedSignatures(of: dayPlan.problem.day) }
        let chosen = format ?? ReportFormatOption.inferred(from: output)
        let text: String
        do {
            text = try report.render(chosen.format, scope: PlanReport.Scope(visits: visits, resources: resources))
        } catch {
            printError("error: \(error.message)")
            throw Exit.badInput
        }
        try emit(text, to: output)
    }

    /// The approvals the archive holds for the day's receptions, by visit id.
    private func archivedSignatures(of day: Day) throws -> [String: SpecialPlanSignature] {
        guard let text = day.date, let first = try? CalendarDate(parsing: text) else {
            printError("\(self.day): error: date: the day has no date, and the archive files receptions by date; add \"date\" or leave out --approvals")
            throw Exit.badInput
        }
        // A programme's receptions start on its dates (one plan per date in the archive).
        let query = SpecialPlanQuery(from: first, to: first.adding(days: max(day.days, 1) - 1))
        let found = try database.use(.existingOnly) { archive throws(ArchiveError) in try archive.specialPlans(query) }
        var out: [String: SpecialPlanSignature] = [:]
        for status in found {
            guard let a = status.approval else { continue }
            out[status.visit] = SpecialPlanSignature(approvedBy: a.approvedBy + (a.approverName.map { " (\($0))" } ?? ""),
                                                     approvedOn: a.approvedOn.description)
        }
        return out
    }
}
