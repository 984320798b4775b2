import Archive
import ArgumentParser

/// `schedule report costs`: periodic statistics of reception costs.
struct CostsReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "costs",
        abstract: "Reception costs from the archive: planned vs actual vs caps, approved overruns, totals.",
        discussion: """
            Sums over the (reception, category) items of the period: planned; actual and actual-planned over the \
            receptions with actuals; caps (perVisit + perGuest x guests + approved) over capped items; approved = the \
            visits' approvedOverrun; planned/actual over cap = the sum of max(0, cost - cap). \
            --by department uses the host's department. Exit 0; 2 bad options or no archive.
            """)

    @Option(help: ArgumentHelp("First reception date, inclusive (default: the first archived).", valueName: "YYYY-MM-DD"))
    var from: String?

    @Option(help: ArgumentHelp("Last reception date, inclusive (default: the last archived).", valueName: "YYYY-MM-DD"))
    var to: String?

    @Option(help: "Group by tier, category, department, client or month (default: totals only).")
    var by: CostGrouping?

    @Option(help: "Only days in this currency (needed when the period mixes currencies).")
    var currency: String?

    @Option(help: "text, markdown, csv or json.")
    var format: ReportFormat = .text

    @OptionGroup var database: ArchiveDatabaseOptions

    func validate() throws { try validatePeriod(from: from, to: to) }

    func run() throws {
        let start = try parseDate(from, option: "--from"), end = try parseDate(to, option: "--to")
        let report = try database.use(.existingOnly) { archive throws(ArchiveError) in
            try archive.costReport(from: start, to: end, by: by, currency: currency)
        }
        emit(report.table, format)
    }
}
