import Archive
import ArgumentParser
import Foundation

/// `--db`, shared by the archive, feedback, follow-up and report commands.
struct ArchiveDatabaseOptions: ParsableArguments {
    @Option(name: .customLong("db"), help: ArgumentHelp(
        "The archive file.",
        discussion: "Default: $XDG_DATA_HOME/reception-scheduler/archive.sqlite, or ~/.local/share/reception-scheduler/archive.sqlite.",
        valueName: "path"))
    var db: String?

    /// Opens the archive, printing the reason and exiting 2 or 1 when it cannot be used.
    func open(_ mode: ReceptionArchive.OpenMode) throws -> ReceptionArchive {
        let path: String
        if let db {
            path = db
        } else {
            guard let fallback = ReceptionArchive.defaultPath(environment: ProcessInfo.processInfo.environment) else {
                printError("error: --db: no default archive location (neither XDG_DATA_HOME nor HOME is set); pass --db with the archive's path")
                throw Exit.badInput
            }
            path = fallback
            if mode == .createIfMissing {
                // The default location's folder is ours to make; a --db folder must exist.
                let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
                try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            }
        }
        return try archiveCall { () throws(ArchiveError) in try ReceptionArchive.open(at: path, mode: mode) }
    }

    /// Opens the archive, runs `body` (one archive operation, one transaction)
    /// and closes it, so the file alone holds the result. Errors are printed and
    /// become exit 2 (bad input or usage) or 1 (failure).
    func use<T>(_ mode: ReceptionArchive.OpenMode, _ body: (ReceptionArchive) throws(ArchiveError) -> T) throws -> T {
        let archive = try open(mode)
        defer { try? archive.close() }
        return try archiveCall { () throws(ArchiveError) in try body(archive) }
    }
}

/// Runs an archive operation; an ``ArchiveError`` is printed (one `error:` line
/// per problem) and becomes exit 2 for bad input or usage, 1 for a failure.
func archiveCall<T>(_ body: () throws(ArchiveError) -> T) throws -> T {
    do {
        return try body()
    } catch {
        for line in error.lines { printError("error: \(line)") }
        throw error.isInputError ? Exit.badInput : Exit.internalFailure
    }
}

/// `on 2026-12-01`, or `from 2026-12-07 to 2026-12-09` for a reception over several days.
func receptionDates(_ start: CalendarDate, _ end: CalendarDate) -> String {
    end == start ? "on \(start)" : "from \(start) to \(end)"
}

/// Parses an optional date option, naming the option in the error.
func parseDate(_ text: String?, option: String) throws -> CalendarDate? {
    guard let text else { return nil }
    do {
        return try CalendarDate(parsing: text)
    } catch {
        throw ValidationError("\(option): \(error)")
    }
}

/// `--from`, `--to` and `--format`, shared by the commands that list or sum
/// archived receptions over a period: `archive find`, `feedback list`,
/// `report costs` and `report kpi`. A reception is in the period when its
/// start date is.
struct PeriodOptions: ParsableArguments {
    // The help says "reception date"; each command's discussion says that a
    // reception over several days is selected by its start date.
    @Option(help: ArgumentHelp("First reception date, inclusive (default: the first archived).", valueName: "YYYY-MM-DD"))
    var from: String?

    @Option(help: ArgumentHelp("Last reception date, inclusive (default: the last archived).", valueName: "YYYY-MM-DD"))
    var to: String?

    @Option(help: "text, markdown, csv or json.")
    var format: ReportFormat = .text

    /// Both dates must parse, and `--from` must not be after `--to`.
    func validate() throws {
        if let start = try parseDate(from, option: "--from"), let end = try parseDate(to, option: "--to"), start > end {
            throw ValidationError("--from \(start) is after --to \(end); give the earlier date first")
        }
    }

    /// The first date; `nil` when open.
    func start() throws -> CalendarDate? { try parseDate(from, option: "--from") }

    /// The last date; `nil` when open.
    func end() throws -> CalendarDate? { try parseDate(to, option: "--to") }
}

/// Writes a report or list in the chosen format to stdout.
func emit(_ table: ReportTable, _ format: ReportFormat) {
    FileHandle.standardOutput.write(Data(table.render(format).utf8))
}

extension ReportFormat: ExpressibleByArgument {}
extension FeedbackChannel: ExpressibleByArgument {}
extension CostGrouping: ExpressibleByArgument {}
extension KPIGrouping: ExpressibleByArgument {}
extension FollowUpQuery.State: ExpressibleByArgument {}
