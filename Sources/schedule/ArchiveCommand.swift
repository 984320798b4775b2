import Archive
import ArgumentParser
import Foundation
import PlanChecker
import SchedulingCore

/// `schedule archive`: store days and their plans, and find receptions.
struct ArchiveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive",
        abstract: "Keep every reception's records (visits, clients, assignments, planned and actual costs) in an SQLite archive.",
        subcommands: [ArchiveAdd.self, ArchiveFind.self])
}

struct ArchiveAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Archive a day or programme, its plan and, optionally, the actual costs.",
        discussion: """
            The plan must pass `schedule check` against the day. Adding the same day and plan again changes nothing; \
            adding them with actuals stores the actuals of the visits the actuals file lists. \
            A programme over several days is archived once, under its first date, each reception with its own dates. \
            A different plan for an archived date is refused unless --replace is given; a day or programme whose dates \
            overlap an archived one starting on another date is refused. \
            actuals.json: {"schemaVersion": 1, "date": "YYYY-MM-DD", "visits": [{"id": "V-001", "costs": {"venue": 150, "transport": 420.5, "catering": 2800}}]}; \
            a listed visit's costs are its whole spend (a category it does not list counts 0). \
            Exit 0 archived or unchanged; 2 bad input (nothing stored); 1 the archive failed or was busy (nothing stored).
            """)

    @Argument(help: "The day (day.json).")
    var day: String

    @Argument(help: "Its plan (plan.json from `schedule optimize`).")
    var plan: String

    @Option(help: ArgumentHelp("The actual costs per visit and category.", valueName: "actuals.json"))
    var actuals: String?

    @Flag(help: "Replace another plan already archived for this (first) date (feedback and follow-ups are kept).")
    var replace = false

    @OptionGroup var database: ArchiveDatabaseOptions

    func run() throws {
        let registry = builtinRegistry()
        let problem = try loadProblem(day, registry: registry)
        let dayBytes = try readInput(day, what: "day file")
        let planBytes = try readInput(plan, what: "plan file")
        let dayDocument: JSONValue
        let planDocument: JSONValue
        do {
            dayDocument = try JSONParser.parse(dayBytes).value
            planDocument = try JSONParser.parse(planBytes).value
        } catch {
            printError("error: \(plan): not valid JSON: \(error.description)")
            throw Exit.badInput
        }
        let outcome = PlanChecker.check(plan: planDocument, problem: problem, registry: registry)
        if !outcome.isValid {
            for violation in outcome.violations.prefix(10) { printError("error: \(plan): \(violation)") }
            if outcome.violations.count > 10 { printError("... and \(outcome.violations.count - 10) more") }
            printError("error: \(plan) is not a valid plan of \(day) (\(outcome.violations.count) broken rule\(outcome.violations.count == 1 ? "" : "s")); archive the plan `schedule optimize` wrote for this day; nothing was stored")
            throw Exit.badInput
        }
        var costs: ActualCosts?
        if let actuals {
            let bytes = try readInput(actuals, what: "actuals file")
            costs = try archiveCall { () throws(ArchiveError) in
                try ActualCosts.parse(bytes, file: actuals, day: problem.day, categories: problem.categories)
            }
            for warning in costs?.warnings ?? [] { printError("warning: \(warning)") }
        }
        let record = try archiveCall { () throws(ArchiveError) in
            try DayRecord.make(problem: problem, day: dayDocument, plan: planDocument, actuals: costs, dayFile: day, planFile: plan)
        }
        let (result, path) = try database.use(.createIfMissing) { archive throws(ArchiveError) in
            (try archive.add(record, replace: replace), archive.path)
        }
        // A programme is named by its dates, a day by its date.
        let date = record.days > 1 ? "\(record.date) to \(record.lastDate)" : "\(record.date)"
        switch result {
        case .added(let count):
            let withActuals = record.receptions.filter(\.hasActuals).count
            print("archived \(date): \(count) reception\(count == 1 ? "" : "s")\(withActuals > 0 ? ", actual costs for \(withActuals)" : "") in \(path)")
        case .unchanged:
            print("\(date) is already archived with this plan\(costs == nil ? "" : " and these actuals"); nothing changed")
        case .actualsUpdated(let visits):
            print("\(date) was already archived with this plan; actual costs stored for \(visits.joined(separator: ", "))")
        case .replaced(let count, let removed):
            print("replaced \(date): \(count) reception\(count == 1 ? "" : "s")\(removed.isEmpty ? "" : "; removed \(removed.joined(separator: ", "))")")
        }
    }
}

struct ArchiveFind: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "find",
        abstract: "Find archived receptions by client, visit or dates (all given filters must hold).",
        discussion: "--from and --to select receptions by their start date; a reception over several days shows its time as `09:00 to 2026-12-09 11:00`.")

    @Option(help: "Part of the client's company name, any case.")
    var client: String?

    @Option(help: ArgumentHelp("A visit id.", valueName: "id"))
    var visit: String?

    @OptionGroup var period: PeriodOptions

    @OptionGroup var database: ArchiveDatabaseOptions

    func run() throws {
        let query = ReceptionQuery(client: client, visit: visit, from: try period.start(), to: try period.end())
        let found = try database.use(.existingOnly) { archive throws(ArchiveError) in try archive.findReceptions(query) }
        let columns: [ReportTable.Column] = [
            .init("date", "date", .text), .init("visit", "visit", .text), .init("client", "client", .text),
            .init("tier", "tier", .text), .init("guests", "guests", .count), .init("time", "time", .text),
            .init("host", "host", .text), .init("escorts", "escorts", .text), .init("currency", "cur", .text),
            .init("planned", "planned", .money), .init("actual", "actual", .money), .init("unmet", "unmet", .count),
            .init("feedback", "feedback", .count), .init("averageSatisfaction", "satisfaction", .score),
            .init("openFollowUps", "open follow-ups", .count),
        ]
        let rows: [[ReportTable.Cell]] = found.map { r in
            [.text(r.date.description), .text(r.visit), .text(r.company), .text(r.tier.rawValue), .count(r.guests),
             .text(r.time), .text(r.host), .text(r.escorts.joined(separator: " ")), .text(r.currency), .number(r.planned),
             .number(r.actual), .count(r.unmetNeeds), .count(r.feedbackCount), .number(r.averageSatisfaction),
             .count(r.openFollowUps)]
        }
        var filters: [String] = []
        if let client { filters.append("client \"\(client)\"") }
        if let visit { filters.append("visit \(visit)") }
        if let from = period.from { filters.append("from \(from)") }
        if let to = period.to { filters.append("to \(to)") }
        let table = ReportTable(
            title: "\(found.count) archived reception\(found.count == 1 ? "" : "s")\(filters.isEmpty ? "" : ": " + filters.joined(separator: ", "))",
            parameters: [(key: "report", value: "receptions")], columns: columns, rows: rows, total: nil)
        emit(table, period.format)
    }
}
