import Archive
import ArgumentParser
import Foundation

/// `schedule approve`: a superior's approval of a special reception plan (regulation §2.2).
struct ApproveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Record who approved a reception's special reception plan, and list those still to approve.",
        discussion: "`schedule approve --visit ID --by NAME` records an approval (the `add` subcommand); `schedule approve list --pending` shows what is left.",
        subcommands: [ApproveAdd.self, ApproveList.self],
        defaultSubcommand: ApproveAdd.self)
}

struct ApproveAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Record the approval of an archived reception's special reception plan.",
        discussion: """
            The reception must need one: its day's policy.specialPlans names its tier or its number of guests. \
            The same approval again changes nothing; a different one replaces the recorded one only with --replace. \
            Exit 0 recorded (or unchanged); 2 bad value, no such archived reception, no special plan needed, or already approved (nothing recorded); \
            1 the archive failed or was busy.
            """)

    @Option(help: ArgumentHelp("The visit id.", valueName: "id"))
    var visit: String

    @Option(help: ArgumentHelp("A date of the reception, any of a programme's; may be left out when the visit is archived once only.", valueName: "YYYY-MM-DD"))
    var date: String?

    @Option(help: ArgumentHelp("Who approved: a staff id or a name.", valueName: "name"))
    var by: String

    @Option(help: ArgumentHelp("The day of the approval (default: today).", valueName: "YYYY-MM-DD"))
    var on: String?

    @Option(help: "A note, e.g. what the approval is subject to.")
    var note: String?

    @Flag(help: "Replace an earlier, different approval of the same reception.")
    var replace = false

    @OptionGroup var database: ArchiveDatabaseOptions

    func validate() throws {
        _ = try parseDate(date, option: "--date")
        _ = try parseDate(on, option: "--on")
        guard !visit.isEmpty else { throw ValidationError("--visit: give a visit id, e.g. --visit V-017") }
    }

    func run() throws {
        let approval = NewSpecialPlanApproval(visit: visit, date: try parseDate(date, option: "--date"), approvedBy: by,
                                              approvedOn: try parseDate(on, option: "--on") ?? CalendarDate.today(), note: note, replace: replace)
        let outcome = try database.use(.existingOnly) { archive throws(ArchiveError) in try archive.approveSpecialPlan(approval) }
        func describe(_ s: SpecialPlanStatus) -> String {
            let who = s.approval.map { a in a.approvedBy + (a.approverName.map { " (\($0))" } ?? "") + " on \(a.approvedOn)" } ?? "nobody"
            return "special reception plan of \(s.visit) \(receptionDates(s.date, s.endDate))\(s.company.map { " (\($0))" } ?? "") "
                + "[\(s.reasons)] approved by \(who)" + (s.approvedLate ? ", after the reception began" : "")
        }
        switch outcome {
        case .approved(let s): print(describe(s))
        case .unchanged(let s): print(describe(s) + "; already recorded, nothing changed")
        case .replaced(let s, let previous): print(describe(s) + " (replaces the approval by \(previous.approvedBy) on \(previous.approvedOn))")
        }
    }
}

struct ApproveList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List archived receptions that need a special reception plan, with who approved each and when.",
        discussion: "--from and --to select receptions by their start date (a programme's reception counts on its first date).")

    @Option(help: ArgumentHelp("Only this visit id.", valueName: "id"))
    var visit: String?

    @Flag(help: "Only the special plans not yet approved.")
    var pending = false

    @OptionGroup var period: PeriodOptions

    @OptionGroup var database: ArchiveDatabaseOptions

    func run() throws {
        let query = SpecialPlanQuery(visit: visit, from: try period.start(), to: try period.end(), pendingOnly: pending)
        let items = try database.use(.existingOnly) { archive throws(ArchiveError) in try archive.specialPlans(query) }
        let columns: [ReportTable.Column] = [
            .init("date", "reception", .text), .init("visit", "visit", .text), .init("client", "client", .text),
            .init("tier", "tier", .text), .init("guests", "guests", .count), .init("reasons", "reasons", .text),
            .init("status", "status", .text), .init("approvedBy", "approved by", .text), .init("approvedOn", "on", .text),
            .init("note", "note", .text),
        ]
        let rows: [[ReportTable.Cell]] = items.map { s in
            let a = s.approval
            let status = a == nil ? "PENDING" : (s.approvedLate ? "approved late" : "approved")
            return [.text(s.date.description), .text(s.visit), .text(s.company), .text(s.tier), .count(s.guests), .text(s.reasons),
                    .text(status), .text(a.map { $0.approvedBy + ($0.approverName.map { " (\($0))" } ?? "") }),
                    .text(a?.approvedOn.description), .text(a?.note)]
        }
        let open = items.filter { $0.approval == nil }.count
        emit(ReportTable(title: "\(items.count) special reception plan\(items.count == 1 ? "" : "s")\(pending ? " pending" : ""), \(open) not yet approved",
                         parameters: [(key: "report", value: "specialPlans")], columns: columns, rows: rows, total: nil), period.format)
    }
}
