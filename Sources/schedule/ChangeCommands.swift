import ArgumentParser
import Foundation
import PlanChanges
import SchedulingCore

// Changes on the day (issue 17): telling the people affected by a new plan.
extension Schedule {
    static let changeCommands: [any ParsableCommand.Type] = [ChangesCommand.self, NotifyCommand.self]
}

/// Reads a plan's assignments against a day; input errors exit 2 with their message.
func loadAssignments(plan path: String, problem: Problem, dayDocument: JSONValue?) throws -> PlanAssignments {
    let bytes = try readInput(path, what: "plan file")
    do {
        return try PlanAssignments(problem: problem, planJSON: bytes, dayDocument: dayDocument)
    } catch {
        printError("\(path): error: \(error.message)")
        throw Exit.badInput
    }
}

/// A day with its own text, for the details the day model does not keep (a client's contact, a purpose).
func loadDayWithDocument(_ path: String) throws -> (Problem, JSONValue?) {
    let problem = try loadProblem(path, registry: builtinRegistry(), quiet: true)
    let document = try? JSONParser.parse(readInput(path, what: "day file")).value
    return (problem, document)
}

/// Formats of `schedule changes`.
enum ChangesFormatOption: String, CaseIterable, ExpressibleByArgument {
    case text, md, json

    var format: PlanComparison.Format {
        switch self {
        case .text: return .text
        case .md: return .md
        case .json: return .json
        }
    }

    /// The format an output file's extension names (`.json`, `.md`), else text.
    static func inferred(from output: String?) -> ChangesFormatOption {
        guard let output else { return .text }
        let lower = output.lowercased()
        if lower.hasSuffix(".json") { return .json }
        if lower.hasSuffix(".md") || lower.hasSuffix(".markdown") { return .md }
        return .text
    }
}

/// `schedule changes old.json new.json --day day.json`: what changed, per resource.
struct ChangesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "changes",
        abstract: "What changed between two plans of a day, per person, driver, car, room, caterer and hotel.",
        discussion: """
            For each resource whose assignments differ, one line a dispatcher can read out: \
            `DRV-03 (driver): now V-014 pickup 13:00-13:50 PVG → HQ with CAR-07 (was CAR-02); \
            no longer V-009 sendoff 15:00-15:40`. Grouped by kind (staff, drivers, vehicles, venues, \
            catering, hotels), resources sorted; then the needs that are unmet or met anew. Both plans \
            are read against --day (the day as it now stands); give --old-day when the old plan was made \
            for an earlier version of the day file, so that moved segments show as moved.

            Exit codes: 0 written (with or without changes); 2 an unreadable day or plan, or a plan of \
            another day; 1 the output could not be written.
            """)

    @Argument(help: "The plan before (plan.json).")
    var old: String

    @Argument(help: "The plan after (plan.json), e.g. a replanned one.")
    var new: String

    @Option(help: "The day both plans are for (day.json).")
    var day: String

    @Option(name: .customLong("old-day"), help: "The day file the old plan was made for, when it differs from --day.")
    var oldDay: String?

    @Option(help: "text, md or json; by default from the extension of -o, else text.")
    var format: ChangesFormatOption?

    @Option(name: [.short, .customLong("output")], help: "Write here (atomically) instead of to stdout.")
    var output: String?

    func run() throws {
        let (problem, document) = try loadDayWithDocument(day)
        let newPlan = try loadAssignments(plan: new, problem: problem, dayDocument: document)
        let oldPlan: PlanAssignments
        if let oldDay {
            let (earlier, earlierDocument) = try loadDayWithDocument(oldDay)
            oldPlan = try loadAssignments(plan: old, problem: earlier, dayDocument: earlierDocument)
        } else {
            oldPlan = try loadAssignments(plan: old, problem: problem, dayDocument: document)
        }
        let comparison = PlanComparison(old: oldPlan, new: newPlan)
        let chosen = format ?? ChangesFormatOption.inferred(from: output)
        try emit(comparison.render(chosen.format), to: output)
    }
}

/// `schedule notify day.json plan.json --out DIR`: iCalendar files per resource.
struct NotifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify",
        abstract: "iCalendar files (RFC 5545) of a plan: one per staff member, driver, car, room, caterer and hotel, plus all.ics.",
        discussion: """
            Writes DIR/staff-S-001.ics, DIR/driver-DRV-01.ics, DIR/vehicle-CAR-01.ics, DIR/venue-R301.ics, \
            DIR/catering-BQ-1.ics, DIR/hotel-H-1.ics (one per resource with assignments) and DIR/all.ics \
            with every event. One event per assignment, in floating local time (the day file's clock \
            time, no time zone); a hotel stay is an all-day event from the first night's date to the \
            morning after the last. UIDs are made of the day's date, the visit, the segment (or `visit`), \
            the role and the resource only, so a calendar updates an event when a replanned plan moves it.

            With --previous, an event whose time, place, partners or rooms changed has SEQUENCE:1 \
            (0 otherwise), and an assignment the previous plan had and this one has not comes as a \
            cancelled event (STATUS:CANCELLED, SEQUENCE:1) in the same METHOD:PUBLISH files. DTSTAMP is \
            --stamp, by default now.

            Each file is written atomically; other files in DIR are left alone. Exit codes: 0 written; \
            2 an unreadable day or plan, a plan of another day, a day without a date, or a bad --stamp; \
            1 DIR is a file or cannot be written.
            """)

    @Argument(help: "The day (day.json).")
    var day: String

    @Argument(help: "Its plan (plan.json).")
    var plan: String

    @Option(help: "The folder to write the .ics files into (created when missing).")
    var out: String

    @Option(help: "The plan the people were last sent, to mark moved events and cancel dropped ones.")
    var previous: String?

    @Option(name: .customLong("previous-day"), help: "The day file the previous plan was made for, when it differs.")
    var previousDay: String?

    @Option(help: "DTSTAMP of every event, UTC: 20261201T070000Z or 2026-12-01T07:00:00Z (default: now).")
    var stamp: String?

    func run() throws {
        let (problem, document) = try loadDayWithDocument(day)
        let current = try loadAssignments(plan: plan, problem: problem, dayDocument: document)
        var earlier: PlanAssignments?
        if let previous {
            if let previousDay {
                let (p, d) = try loadDayWithDocument(previousDay)
                earlier = try loadAssignments(plan: previous, problem: p, dayDocument: d)
            } else {
                earlier = try loadAssignments(plan: previous, problem: problem, dayDocument: document)
            }
        }
        let calendars: NotificationCalendars
        do {
            let moment = try stamp.map { text throws(PlanChangesError) in try CalendarStamp(parsing: text) }
                ?? CalendarStamp(secondsSince1970: Date().timeIntervalSince1970)
            calendars = try NotificationCalendars(plan: current, previous: earlier, stamp: moment)
        } catch {
            printError("error: \(error.kind == .missingDate ? day + ": " : "")\(error.message)")
            throw Exit.badInput
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                printError("error: cannot write into \(out): it is a file, not a folder; give --out a folder")
                throw Exit.internalFailure
            }
        } else {
            do {
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            } catch {
                printError("error: cannot create the folder \(out): \(error.localizedDescription)")
                throw Exit.internalFailure
            }
        }
        if calendars.files.isEmpty {
            printError("note: \(plan) assigns no staff, driver, vehicle, venue, caterer or hotel; no calendar was written")
        }
        for file in calendars.files {
            try writeAtomically(file.text, to: URL(fileURLWithPath: out).appendingPathComponent(file.name).path)
        }
    }
}
