/// One thing wrong with what was asked of the archive: the option, file or
/// JSON path it concerns, and what would fix it.
public struct ArchiveInputIssue: Sendable, Hashable, CustomStringConvertible {
    /// Where the problem is: an option (`--satisfaction`), or a file and JSON
    /// path (`actuals.json: visits[2].costs.food`).
    public var field: String
    /// What is wrong, and what would fix it.
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}

/// Why an archive operation failed. Every case reads as a sentence that says
/// what to do; ``isInputError`` tells bad input or usage (exit 2) from a
/// failure of the archive itself (exit 1).
public enum ArchiveError: Error, Sendable, CustomStringConvertible {
    /// The request cannot be carried out as given (bad values, unknown visit,
    /// a plan that conflicts with the archived one, ...). Nothing was changed.
    case invalidInput([ArchiveInputIssue])
    /// No archive exists at the path yet, and the command only reads.
    case notFound(path: String)
    /// The file exists but is not an SQLite database at all. It was left as it was.
    case notADatabase(path: String)
    /// The file is an SQLite database of some other application. It was left as it was.
    case foreignDatabase(path: String, detail: String)
    /// The archive was written by a newer version of `schedule`.
    case newerSchema(path: String, found: Int, supported: Int)
    /// The archive is damaged; SQLite's own words are in `detail`.
    case corrupt(path: String, detail: String)
    /// The file cannot be opened or written (a folder, no permission, missing folder, ...).
    case cannotOpen(path: String, reason: String)
    /// Another process held the archive longer than the busy timeout. Nothing was changed.
    case busy(path: String, waitedSeconds: Double)
    /// Any other failure of the storage (disk full, I/O error, ...). Nothing was changed.
    case storage(path: String, detail: String)

    /// A single input issue.
    public static func input(_ field: String, _ message: String) -> ArchiveError {
        .invalidInput([ArchiveInputIssue(field: field, message: message)])
    }

    /// `true` for bad input or usage (exit 2); `false` for a failure of the archive (exit 1).
    public var isInputError: Bool {
        switch self {
        case .invalidInput, .notFound, .notADatabase, .foreignDatabase, .newerSchema, .cannotOpen: return true
        case .corrupt, .busy, .storage: return false
        }
    }

    /// One line per problem.
    public var lines: [String] {
        switch self {
        case .invalidInput(let issues):
            return issues.map(\.description)
        case .notFound(let path):
            return ["no archive at \(path) yet: archive a day first with `schedule archive add day.json plan.json`, or pass --db with the archive's path"]
        case .notADatabase(let path):
            return ["\(path) is not a reception archive (it is not an SQLite database); it was left as it was: pass --db with another path"]
        case .foreignDatabase(let path, let detail):
            return ["\(path) is not a reception archive (\(detail)); it was left as it was: pass --db with another path"]
        case .newerSchema(let path, let found, let supported):
            return ["\(path) was written by a newer version of schedule (archive schema v\(found); this build knows up to v\(supported)); it was left as it was: use a newer schedule"]
        case .corrupt(let path, let detail):
            return ["\(path) is damaged (\(detail)); nothing was changed: restore the archive from a backup"]
        case .cannotOpen(let path, let reason):
            return ["cannot open the archive \(path): \(reason)"]
        case .busy(let path, let waited):
            return ["the archive \(path) is busy: another process kept it locked for more than \(Self.seconds(waited)); nothing was changed: try again"]
        case .storage(let path, let detail):
            return ["the archive \(path) failed: \(detail); nothing was changed"]
        }
    }

    public var description: String { lines.joined(separator: "\n") }

    private static func seconds(_ s: Double) -> String {
        s == s.rounded() ? "\(Int(s)) s" : "\(s) s"
    }
}
