import Archive
import ArgumentParser

/// `schedule report kpi`: the supervision group's scores.
struct KPIReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kpi",
        abstract: "Reception KPIs from the archive: receptions hosted and escorted, satisfaction, follow-ups on time, cost against caps.",
        discussion: """
            For each department or person G: hosted = receptions whose host is in G; escorted = receptions with an \
            escort in G; avg satisfaction = mean feedback score of the receptions G hosted or escorted; on-time share = \
            follow-ups owned by G closed by their due date / (those + the ones closed late or open past due as of --as-of); \
            spend/caps = the capped costs of the receptions G hosted (actual where recorded, else planned, lodging included) / \
            their caps. A reception is in the period by its start date. \
            docs/archive.md has the formulas. Exit 0; 2 bad options or no archive.
            """)

    @OptionGroup var period: PeriodOptions

    @Option(help: "Group by department or staff (default: totals only).")
    var by: KPIGrouping?

    @Option(name: .customLong("as-of"), help: ArgumentHelp("Judge open follow-ups as of this day (default: today).", valueName: "YYYY-MM-DD"))
    var asOf: String?

    @Option(help: "Only days in this currency (needed when the period mixes currencies).")
    var currency: String?

    @OptionGroup var database: ArchiveDatabaseOptions

    func validate() throws {
        _ = try parseDate(asOf, option: "--as-of")
    }

    func run() throws {
        let start = try period.start(), end = try period.end()
        let day = try parseDate(asOf, option: "--as-of") ?? CalendarDate.today()
        let report = try database.use(.existingOnly) { archive throws(ArchiveError) in
            try archive.kpiReport(from: start, to: end, by: by, asOf: day, currency: currency)
        }
        emit(report.table, period.format)
    }
}
