import Archive
import ArgumentParser
import Foundation

/// `schedule followup`: actions agreed during receptions.
struct FollowupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "followup",
        abstract: "Track the actions agreed during receptions: owner, due date, status; overdue items are flagged.",
        subcommands: [FollowupAdd.self, FollowupList.self, FollowupDone.self])
}

struct FollowupAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Record an agreed action for an archived reception.",
        discussion: "Exit 0 recorded; 2 bad value, unknown owner or no such archived reception (nothing recorded); 1 the archive failed or was busy.")

    @Option(help: ArgumentHelp("The visit id.", valueName: "id"))
    var visit: String

    @Option(help: ArgumentHelp("A date of the reception, any of a programme's; may be left out when the visit is archived once only.", valueName: "YYYY-MM-DD"))
    var date: String?

    @Option(help: "What was agreed.")
    var action: String

    @Option(help: ArgumentHelp("The staff id responsible (default: the reception's host).", valueName: "staff-id"))
    var owner: String?

    @Option(help: ArgumentHelp("When it is due: on or after the reception's start date.", valueName: "YYYY-MM-DD"))
    var due: String

    @OptionGroup var database: ArchiveDatabaseOptions

    func validate() throws {
        _ = try parseDate(date, option: "--date")
        _ = try parseDate(due, option: "--due")
    }

    func run() throws {
        guard let dueDate = try parseDate(due, option: "--due") else { throw Exit.badInput }
        let item = NewFollowUp(visit: visit, date: try parseDate(date, option: "--date"), action: action, owner: owner, due: dueDate)
        let created = try database.use(.existingOnly) { archive throws(ArchiveError) in try archive.addFollowUp(item) }
        let minutes = created.minuteTakers.isEmpty ? "" : "; minutes taken by \(created.minuteTakers.joined(separator: ", "))"
        print("follow-up #\(created.id) for \(created.visit) \(receptionDates(created.date, created.endDate)): \"\(created.action)\", owner \(created.owner), due \(created.due)\(minutes)")
    }
}

struct FollowupList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List follow-ups by due date; open items past their due date are flagged OVERDUE.",
        discussion: "The minutes column names who took the minutes of the reception: the staff in a minute-taking service role (minute-taker) in its plan.")

    @Option(help: ArgumentHelp("Only this visit id.", valueName: "id"))
    var visit: String?

    @Option(help: ArgumentHelp("Only the receptions whose dates contain this date.", valueName: "YYYY-MM-DD"))
    var date: String?

    @Option(help: ArgumentHelp("Only this owner.", valueName: "staff-id"))
    var owner: String?

    @Option(help: "open, done or all.")
    var status: FollowUpQuery.State = .open

    @Flag(help: "Only open items past their due date.")
    var overdue = false

    @Option(name: .customLong("as-of"), help: ArgumentHelp("Judge due dates as of this day (default: today).", valueName: "YYYY-MM-DD"))
    var asOf: String?

    @Option(help: "text, markdown, csv or json.")
    var format: ReportFormat = .text

    @OptionGroup var database: ArchiveDatabaseOptions

    func validate() throws {
        _ = try parseDate(date, option: "--date")
        _ = try parseDate(asOf, option: "--as-of")
        if overdue && status == .done { throw ValidationError("--overdue lists open items; it cannot be combined with --status done") }
    }

    func run() throws {
        let today = try parseDate(asOf, option: "--as-of") ?? CalendarDate.today()
        let query = FollowUpQuery(visit: visit, date: try parseDate(date, option: "--date"), owner: owner,
                                  state: overdue ? .open : status, overdueAsOf: overdue ? today : nil)
        let items = try database.use(.existingOnly) { archive throws(ArchiveError) in try archive.followUps(query) }
        let columns: [ReportTable.Column] = [
            .init("id", "#", .count), .init("date", "reception", .text), .init("visit", "visit", .text),
            .init("client", "client", .text), .init("action", "action", .text), .init("owner", "owner", .text),
            .init("department", "department", .text), .init("minutes", "minutes", .text), .init("due", "due", .text), .init("status", "status", .text),
            .init("overdue", "overdue", .text),
        ]
        let rows: [[ReportTable.Cell]] = items.map { item in
            let status = item.status(asOf: today)
            var isOverdue = false
            if case .overdue = status { isOverdue = true }
            return [.count(Int(item.id)), .text(item.date.description), .text(item.visit), .text(item.company), .text(item.action),
                    .text(item.owner + (item.ownerName.map { " (\($0))" } ?? "")), .text(item.department),
                    .text(item.minuteTakers.isEmpty ? nil : item.minuteTakers.joined(separator: ", ")), .text(item.due.description),
                    .text(status.description), .text(isOverdue ? "yes" : "no")]
        }
        let overdueCount = items.filter { if case .overdue = $0.status(asOf: today) { return true } else { return false } }.count
        emit(ReportTable(title: "\(items.count) follow-up\(items.count == 1 ? "" : "s") (\(overdue ? "overdue" : status.rawValue)) as of \(today), \(overdueCount) overdue",
                         parameters: [(key: "report", value: "followups"), (key: "asOf", value: .string(today.description))],
                         columns: columns, rows: rows, total: nil), format)
    }
}

struct FollowupDone: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "done",
        abstract: "Mark follow-ups done (all or none).",
        discussion: "Exit 0 marked (or already done); 2 an unknown id or a bad date (nothing marked); 1 the archive failed or was busy.")

    @Argument(help: ArgumentHelp("The follow-up ids (from `schedule followup list`).", valueName: "id"))
    var ids: [Int64]

    @Option(help: ArgumentHelp("The day it was done (default: today).", valueName: "YYYY-MM-DD"))
    var on: String?

    @OptionGroup var database: ArchiveDatabaseOptions

    func validate() throws {
        guard !ids.isEmpty else { throw ValidationError("give at least one follow-up id, e.g. `schedule followup done 3`") }
        _ = try parseDate(on, option: "--on")
    }

    func run() throws {
        let day = try parseDate(on, option: "--on") ?? CalendarDate.today()
        let outcomes = try database.use(.existingOnly) { archive throws(ArchiveError) in try archive.closeFollowUps(ids, on: day) }
        for outcome in outcomes {
            switch outcome {
            case .closed(let item):
                var note = ""
                if case .doneLate(_, let days) = item.status(asOf: day) { note = ", \(plural(days, "day", "days")) after its due date \(item.due)" }
                print("follow-up #\(item.id) done on \(day)\(note)")
            case .alreadyDone(let item):
                print("follow-up #\(item.id) was already done on \(item.closedOn?.description ?? "an earlier day"); nothing changed")
            }
        }
    }
}

/// `1 day`, `2 days`.
private func plural(_ count: Int, _ one: String, _ many: String) -> String { "\(count) \(count == 1 ? one : many)" }
