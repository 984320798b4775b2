import Archive
import ArgumentParser

/// `schedule report costs`: periodic statistics of reception costs.
struct CostsReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "costs",
        abstract: "Reception costs from the archive: planned vs actual vs caps, approved overruns, totals.",
        discussion: """
            Sums over the (reception, category) items of the period: planned; actual and actual-planned over the \
            receptions with actuals; caps (perVisit + perGuest x guests + approved, and for lodging \
            perGuestNight x guests x nights) over capped items; approved = the visits' approvedOverrun; \
            planned/actual over cap = the sum of max(0, cost - cap). A reception is in the period, and in a month, \
            by its start date. --by department uses the host's department. Exit 0; 2 bad options or no archive.
            """)

    @OptionGroup var period: PeriodOptions

    @Option(help: "Group by tier, category, department, client or month (default: totals only).")
    var by: CostGrouping?

    @Option(help: "Only days in this currency (needed when the period mixes currencies).")
    var currency: String?

    @OptionGroup var database: ArchiveDatabaseOptions

    func run() throws {
        let start = try period.start(), end = try period.end()
        let report = try database.use(.existingOnly) { archive throws(ArchiveError) in
            try archive.costReport(from: start, to: end, by: by, currency: currency)
        }
        emit(report.table, period.format)
    }
}
