import SchedulingCore

/// What was really spent on a day's visits, read from `actuals.json`:
///
/// ```json
/// { "schemaVersion": 1, "date": "2026-12-01",
///   "visits": [ { "id": "V-001", "costs": { "venue": 150, "transport": 420.5, "catering": 2800 } } ] }
/// ```
///
/// A listed visit's `costs` are its whole spend: a category it does not list
/// was not spent (0). Visits the file does not list keep whatever actuals the
/// archive already has for them (none at first).
public struct ActualCosts: Sendable, Hashable {
    /// The file's name, for messages.
    public var file: String
    /// The file's `date`, when it gives one; it must be the day's.
    public var date: CalendarDate?
    /// Spend by visit id, then category.
    public var byVisit: [String: [String: Double]]
    /// Unknown keys, ignored.
    public var warnings: [ArchiveInputIssue]

    public init(file: String, date: CalendarDate?, byVisit: [String: [String: Double]], warnings: [ArchiveInputIssue] = []) {
        self.file = file
        self.date = date
        self.byVisit = byVisit
        self.warnings = warnings
    }

    /// Reads and checks an actuals file against its day.
    ///
    /// - Parameters:
    ///   - bytes: The file's contents.
    ///   - file: Its name, for messages.
    ///   - day: The day the actuals belong to: every visit id must be one of its visits.
    ///   - categories: The cost categories (`Problem.categories`).
    /// - Throws: ``ArchiveError/invalidInput(_:)`` with every error, each with its JSON path.
    public static func parse(_ bytes: [UInt8], file: String, day: Day, categories: [String]) throws(ArchiveError) -> ActualCosts {
        let root: JSONValue
        var d = Diagnostics()
        do {
            let parsed = try JSONParser.parse(bytes)
            root = parsed.value
            for path in parsed.duplicateKeys { d.error(path, "this key appears more than once in its object; keep one") }
        } catch {
            throw .input(file, "not valid JSON: \(error.description)")
        }
        guard var top = ObjectReader(root, at: JSONPath(), diagnostics: &d) else { throw failure(d, file: file) }

        if let version = top.value("schemaVersion"), version != .number(1) {
            d.error(JSONPath(["schemaVersion"].map { .key($0) }), "\(version.excerpt) is not a supported version; write 1")
        }
        var date: CalendarDate?
        if let text = top.string("date", &d) {
            do {
                date = try CalendarDate(parsing: text)
            } catch {
                d.error(JSONPath([.key("date")]), "\(error)")
            }
        }
        let known = Set(day.visits.map(\.id))
        let categoryList = categories.joined(separator: ", ")
        var byVisit: [String: [String: Double]] = [:]
        for (i, item) in (top.array("visits", required: true, &d) ?? []).enumerated() {
            guard var entry = ObjectReader(item, at: top.path + "visits" + i, diagnostics: &d) else { continue }
            let id = entry.identifier("id", &d)
            if let id {
                if !known.contains(id) {
                    let sample = day.visits.prefix(5).map(\.id).joined(separator: ", ") + (day.visits.count > 5 ? ", ..." : "")
                    d.error(entry.path + "id", "\"\(id)\" is not a visit of the day\(day.date.map { " \($0)" } ?? ""); its visits are \(sample)")
                } else if byVisit[id] != nil {
                    d.error(entry.path + "id", "\"\(id)\" is listed twice; give each visit's costs once")
                }
            }
            var costs: [String: Double] = [:]
            if var c = entry.object("costs", required: true, &d) {
                for key in c.object.keys {
                    guard categories.contains(key) else {
                        d.error(c.path + key, "\"\(key)\" is not a cost category; use \(categoryList)")
                        continue
                    }
                    if let amount = c.number(key, required: true, minimum: 0, &d) { costs[key] = amount }
                }
            }
            entry.warnAboutUnknownKeys(&d)
            if let id, known.contains(id), byVisit[id] == nil { byVisit[id] = costs }
        }
        top.warnAboutUnknownKeys(&d)
        if d.hasErrors { throw failure(d, file: file) }
        return ActualCosts(file: file, date: date, byVisit: byVisit,
                           warnings: d.warnings.map { ArchiveInputIssue(field: "\(file): \($0.path)", message: $0.message) })
    }

    private static func failure(_ d: Diagnostics, file: String) -> ArchiveError {
        .invalidInput(d.errors.map { ArchiveInputIssue(field: "\(file): \($0.path)", message: $0.message) })
    }
}
