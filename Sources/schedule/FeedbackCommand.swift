import Archive
import ArgumentParser
import Foundation

/// `schedule feedback`: clients' feedback on archived receptions.
struct FeedbackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feedback",
        abstract: "Record and list clients' feedback (survey, interview or phone) on archived receptions.",
        subcommands: [FeedbackAdd.self, FeedbackList.self])
}

struct FeedbackAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Record one piece of feedback; a reception may have several.",
        discussion: "Exit 0 recorded; 2 bad value or no such archived reception (nothing recorded); 1 the archive failed or was busy.")

    @Option(help: ArgumentHelp("The visit id.", valueName: "id"))
    var visit: String

    @Option(help: ArgumentHelp("A date of the reception, any of a programme's (visit ids repeat from day to day); may be left out when the visit is archived once only.",
                               valueName: "YYYY-MM-DD"))
    var date: String?

    @Option(help: "How it was collected: survey, interview or phone.")
    var channel: FeedbackChannel

    @Option(help: "1 (very unsatisfied) to 5 (very satisfied).")
    var satisfaction: Int

    @Option(help: "What the client said.")
    var comment: String?

    @OptionGroup var database: ArchiveDatabaseOptions

    func validate() throws {
        _ = try parseDate(date, option: "--date")
        guard Satisfaction.range.contains(satisfaction) else {
            throw ValidationError("--satisfaction: \(satisfaction) is not a score; give a whole number from 1 (very unsatisfied) to 5 (very satisfied)")
        }
        guard !visit.isEmpty else { throw ValidationError("--visit: give a visit id, e.g. --visit V-017") }
    }

    func run() throws {
        let score = try archiveCall { () throws(ArchiveError) in try Satisfaction(satisfaction) }
        let feedback = NewFeedback(visit: visit, date: try parseDate(date, option: "--date"), channel: channel,
                                   satisfaction: score, comment: comment)
        let entry = try database.use(.existingOnly) { archive throws(ArchiveError) in try archive.addFeedback(feedback) }
        print("feedback #\(entry.id) recorded for \(entry.visit) \(receptionDates(entry.date, entry.endDate))\(entry.company.map { " (\($0))" } ?? ""): \(entry.channel.rawValue), satisfaction \(entry.satisfaction)")
    }
}

struct FeedbackList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List feedback, by reception date.",
        discussion: "--from and --to select receptions by their start date (a programme's reception counts on its first date).")

    @Option(help: ArgumentHelp("Only this visit id.", valueName: "id"))
    var visit: String?

    @OptionGroup var period: PeriodOptions

    @OptionGroup var database: ArchiveDatabaseOptions

    func run() throws {
        let start = try period.start(), end = try period.end()
        let entries = try database.use(.existingOnly) { archive throws(ArchiveError) in try archive.feedbackEntries(visit: visit, from: start, to: end) }
        let columns: [ReportTable.Column] = [
            .init("id", "#", .count), .init("date", "date", .text), .init("visit", "visit", .text), .init("client", "client", .text),
            .init("channel", "channel", .text), .init("satisfaction", "satisfaction", .count), .init("comment", "comment", .text),
            .init("recordedAt", "recorded", .text),
        ]
        let rows: [[ReportTable.Cell]] = entries.map { e in
            [.count(Int(e.id)), .text(e.date.description), .text(e.visit), .text(e.company), .text(e.channel.rawValue),
             .count(e.satisfaction), .text(e.comment ?? ""), .text(e.recordedAt)]
        }
        emit(ReportTable(title: "\(entries.count) feedback entr\(entries.count == 1 ? "y" : "ies")",
                         parameters: [(key: "report", value: "feedback")], columns: columns, rows: rows, total: nil), period.format)
    }
}
