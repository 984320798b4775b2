import ArgumentParser
import PlanReports

/// `schedule explain day.json plan.json V-017`: why a visit costs what it costs.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain one visit of a plan: its costs against the caps, and the cheaper choices that were not possible and why.",
        discussion: """
            For each choice of the visit (host, escorts, rooms, cars and drivers, meals, ...) the \
            eligible alternatives that would have cost less in the objective, each with what in the \
            plan rules it out (held by another visit, turnover, travel time, a driving limit, the \
            visit's host, too few seats), and the resources that are not eligible at all; unmet needs \
            with the eligible resources and what holds them; approvals with their cap and spend.

            Exit codes: 0 written; 2 unreadable day or plan, or an unknown visit; 1 the output could \
            not be written.
            """)

    @Argument(help: "The day (day.json).")
    var day: String

    @Argument(help: "Its plan (plan.json).")
    var plan: String

    @Argument(help: "The visit to explain (e.g. V-017).")
    var visit: String

    @Option(help: "text (80 columns) or md.")
    var format: ExplainFormat = .text

    @Option(name: [.short, .customLong("output")], help: "Write the explanation here (atomically) instead of to stdout.")
    var output: String?

    enum ExplainFormat: String, CaseIterable, ExpressibleByArgument {
        case text, md
    }

    func run() throws {
        let dayPlan = try loadDayPlan(day: day, plan: plan)
        let report = PlanReport(plan: dayPlan)
        let text: String
        do {
            text = try report.explain(visit: visit, format: format == .md ? .md : .text)
        } catch {
            printError("error: \(error.message)")
            throw Exit.badInput
        }
        try emit(text, to: output)
    }
}
