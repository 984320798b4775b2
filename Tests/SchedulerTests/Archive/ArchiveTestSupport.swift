import Archive
import Foundation
import GRDB
import SchedulingCore
import Testing

// Helpers of the archive suites: temporary folders, running `schedule` with a
// chosen environment, a logical dump of an archive file, and small records.

enum ArchiveFixtures {
    /// A new empty folder under the system's temporary folder.
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("schedule-archive-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs the built `schedule` with `environment` added to this process's.
    static func run(_ arguments: [String], environment extra: [String: String] = [:]) throws -> CLI.Run {
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = arguments
        process.currentDirectoryURL = CLI.packageRoot
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLI.Run(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                       stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Starts `schedule` without waiting, for concurrency tests.
    static func start(_ arguments: [String]) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = arguments
        process.currentDirectoryURL = CLI.packageRoot
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return (process, out, err)
    }

    /// Every row of every table, the schema version and the application id, as
    /// text: equal dumps mean the archive holds the same data.
    static func dump(_ path: String) throws -> String {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        return try queue.read { db in
            var lines = ["user_version \(try Int.fetchOne(db, sql: "PRAGMA user_version") ?? -1)",
                         "application_id \(try Int.fetchOne(db, sql: "PRAGMA application_id") ?? -1)"]
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            for table in tables {
                let rows = try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\"").map(\.description).sorted()
                lines.append("\(table): \(rows.count) rows")
                lines += rows
            }
            return lines.joined(separator: "\n")
        }
    }

    /// The schema's tables and indexes, as SQLite keeps their SQL.
    static func schema(_ path: String) throws -> [String] {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in
            try String.fetchAll(db, sql: "SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master ORDER BY type, name")
        }
    }

    /// A count from one SQL query on the file.
    static func count(_ path: String, _ sql: String) throws -> Int {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in try Int.fetchOne(db, sql: sql) ?? -1 }
    }

    static func date(_ text: String) -> CalendarDate {
        // Test literals are valid dates.
        (try? CalendarDate(parsing: text)) ?? CalendarDate.today()
    }

    /// A small hand-made day record: `count` receptions V-001..., hosted by S-1, escorted by S-2.
    static func record(date: String = "2026-12-01", count: Int = 3, guests: Int = 2, planned: Double = 100) -> DayRecord {
        let receptions = (1...count).map { i in
            ReceptionRecord(
                visit: String(format: "V-%03d", i), company: "Client \(i)", contact: nil, contactTitle: nil, purpose: nil,
                tier: .medium, guests: guests, language: nil, start: "09:00", end: "11:00",
                assignments: [AssignmentRecord(segment: "", need: "host", position: 0, role: "host", resource: "S-1"),
                              AssignmentRecord(segment: "", need: "escorts", position: 0, role: "escorts", resource: "S-2")],
                unmet: [],
                costs: [CategoryCost(category: "venue", planned: planned, cap: 500, approved: 0, actual: nil)],
                hasActuals: false)
        }
        return DayRecord(date: self.date(date), currency: "CNY", dayBudget: nil, planStatus: "optimal", objective: planned * Double(count),
                         dayJSON: "{\"date\":\"\(date)\"}", planJSON: "{\"status\":\"optimal\"}",
                         staff: [StaffRecord(id: "S-1", name: "Li Wei", rank: "manager", department: "Sales"),
                                 StaffRecord(id: "S-2", name: "Chen Jing", rank: "staff", department: "Admin")],
                         receptions: receptions)
    }

    /// The bundled example day, its plan from `schedule optimize`, in `folder`.
    static func exampleDayAndPlan(in folder: URL) throws -> (day: String, plan: String) {
        let plan = folder.appendingPathComponent("plan.json").path
        let run = try ArchiveFixtures.run(["optimize", CLI.exampleDay, "-o", plan])
        #expect(run.status == 0 || run.status == 3, "optimize failed: \(run.stderr)")
        return (CLI.exampleDay, plan)
    }
}

extension ArchiveError {
    /// The case's name, for expectations.
    var kind: String {
        switch self {
        case .invalidInput: return "invalidInput"
        case .notFound: return "notFound"
        case .notADatabase: return "notADatabase"
        case .foreignDatabase: return "foreignDatabase"
        case .newerSchema: return "newerSchema"
        case .corrupt: return "corrupt"
        case .cannotOpen: return "cannotOpen"
        case .busy: return "busy"
        case .storage: return "storage"
        }
    }
}

/// Runs `body`, returning the ``ArchiveError`` it throws, or nil.
func archiveError<T>(_ body: () throws(ArchiveError) -> T) -> ArchiveError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error
    }
}
