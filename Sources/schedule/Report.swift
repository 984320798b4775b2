import ArgumentParser

/// `schedule report ...`: a plan for people (the default), and reports from the archive.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reports for people: a plan's run sheets and timelines, and cost and KPI statistics from the archive.",
        subcommands: Report.planSubcommands + Report.archiveSubcommands,
        defaultSubcommand: Report.planSubcommands.first)
}
