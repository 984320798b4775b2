import SchedulingCore

/// How a report is written.
public enum ReportFormat: String, Sendable, Hashable, CaseIterable {
    /// Aligned columns for a terminal.
    case text
    /// A GitHub-flavoured Markdown table.
    case markdown
    /// RFC 4180 CSV with a header row of column keys; the total is the last row.
    case csv
    /// One JSON object: the report's parameters, `rows` and `total`, numbers unrounded.
    case json
}

/// A report as a table of typed cells, written in any ``ReportFormat``.
public struct ReportTable: Sendable {
    /// How a column's numbers are shown.
    public enum Kind: Sendable, Hashable {
        /// Text, left-aligned.
        case text
        /// A whole number.
        case count
        /// Money, two decimals with thousands separators in text.
        case money
        /// A fraction shown as a percentage (JSON and CSV keep the fraction).
        case percent
        /// An average score, two decimals.
        case score
    }

    /// One column: its key (CSV header, JSON member), its title for people, its kind.
    public struct Column: Sendable, Hashable {
        public var key: String
        public var title: String
        public var kind: Kind

        public init(_ key: String, _ title: String, _ kind: Kind) {
            self.key = key
            self.title = title
            self.kind = kind
        }
    }

    /// One value; `nil` is shown as `n/a` (text), empty (CSV) or `null` (JSON).
    public enum Cell: Sendable, Hashable {
        case text(String?)
        case count(Int)
        case number(Double?)
    }

    /// The heading line.
    public var title: String
    /// The report's parameters, first members of the JSON form.
    public var parameters: [(key: String, value: JSONValue)]
    public var columns: [Column]
    public var rows: [[Cell]]
    /// The totals row, when the report has one.
    public var total: [Cell]?
    /// Lines under the table in text and Markdown: definitions and remarks.
    public var notes: [String]

    public init(title: String, parameters: [(key: String, value: JSONValue)], columns: [Column], rows: [[Cell]],
                total: [Cell]?, notes: [String] = []) {
        self.title = title
        self.parameters = parameters
        self.columns = columns
        self.rows = rows
        self.total = total
        self.notes = notes
    }

    /// The report in `format`, ending with a newline.
    public func render(_ format: ReportFormat) -> String {
        switch format {
        case .text: return text()
        case .markdown: return markdown()
        case .csv: return csv()
        case .json: return JSONWriter.pretty(json)
        }
    }

    /// The JSON form.
    public var json: JSONValue {
        func object(_ cells: [Cell]) -> JSONValue {
            .object(JSONObject(zip(columns, cells).map { column, cell in
                switch cell {
                case .text(let s): return (key: column.key, value: s.map { .string($0) } ?? .null)
                case .count(let n): return (key: column.key, value: .number(Double(n)))
                case .number(let x): return (key: column.key, value: x.map { .number($0) } ?? .null)
                }
            }))
        }
        var members = parameters
        members.append((key: "rows", value: .array(rows.map(object))))
        if let total { members.append((key: "total", value: object(total))) }
        return .object(JSONObject(members))
    }

    // MARK: Formats

    private func display(_ cell: Cell, _ kind: Kind) -> String {
        switch cell {
        case .text(let s): return s ?? "n/a"
        case .count(let n): return String(n)
        case .number(nil): return "n/a"
        case .number(let x?):
            switch kind {
            case .money: return Money.format(x)
            case .percent: return Self.fixed(x * 100, digits: 1) + " %"
            case .score: return Self.fixed(x, digits: 2)
            case .count, .text: return JSONWriter.format(x)
            }
        }
    }

    private func text() -> String {
        var grid = [columns.map(\.title)] + rows.map { zip($0, columns).map { display($0, $1.kind) } }
        if let total { grid.append(zip(total, columns).map { display($0, $1.kind) }) }
        let widths = columns.indices.map { c in grid.map { $0[c].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            zip(cells, columns.indices).map { cell, c in
                let pad = String(repeating: " ", count: widths[c] - cell.count)
                return columns[c].kind == .text ? cell + pad : pad + cell
            }.joined(separator: "  ").replacingTrailingSpaces()
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        var out = [title, "", line(grid[0]), rule]
        out += grid[1..<(1 + rows.count)].map(line)
        if total != nil, let last = grid.last {
            out.append(rule)
            out.append(line(last))
        }
        if rows.isEmpty { out.append("(nothing in this period)") }
        if !notes.isEmpty { out.append("") }
        out += notes
        return out.joined(separator: "\n") + "\n"
    }

    private func markdown() -> String {
        func escape(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }
        func line(_ cells: [String]) -> String { "| " + cells.map(escape).joined(separator: " | ") + " |" }
        var out = ["## " + title, "", line(columns.map(\.title)),
                   "|" + columns.map { $0.kind == .text ? " --- |" : " ---: |" }.joined()]
        out += rows.map { line(zip($0, columns).map { display($0, $1.kind) }) }
        if let total { out.append(line(zip(total, columns).map { "**\(display($0, $1.kind))**" })) }
        if !notes.isEmpty {
            out.append("")
            out += notes.map { "- " + $0 }
        }
        return out.joined(separator: "\n") + "\n"
    }

    private func csv() -> String {
        func field(_ cell: Cell, _ kind: Kind) -> String {
            switch cell {
            case .text(let s):
                guard let s else { return "" }
                if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
                    return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                }
                return s
            case .count(let n): return String(n)
            case .number(nil): return ""
            case .number(let x?):
                switch kind {
                case .money, .score: return Self.fixed(x, digits: 2)
                case .percent: return Self.fixed(x, digits: 4)
                case .count, .text: return JSONWriter.format(x)
                }
            }
        }
        var lines = [columns.map(\.key).joined(separator: ",")]
        lines += rows.map { zip($0, columns).map { field($0, $1.kind) }.joined(separator: ",") }
        if let total { lines.append(zip(total, columns).map { field($0, $1.kind) }.joined(separator: ",")) }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    // MARK: Helpers

    /// `2026-12-01 to 2026-12-31`, with open ends named.
    static func period(_ from: CalendarDate?, _ to: CalendarDate?) -> String {
        switch (from, to) {
        case let (from?, to?): return "\(from) to \(to)"
        case let (from?, nil): return "from \(from)"
        case let (nil, to?): return "up to \(to)"
        case (nil, nil): return "all archived days"
        }
    }

    /// A string or `null`.
    static func value(_ text: String?) -> JSONValue {
        text.map { .string($0) } ?? .null
    }

    // MARK: Numbers

    /// `x` with exactly `digits` decimals, rounded half away from zero, without locale.
    static func fixed(_ x: Double, digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(x) * scale).rounded()
        let whole = Int(scaled / scale)
        let fraction = Int(scaled - Double(whole) * scale)
        let sign = x < 0 && scaled > 0 ? "-" : ""
        guard digits > 0 else { return sign + String(whole) }
        let f = String(fraction)
        return sign + String(whole) + "." + String(repeating: "0", count: digits - f.count) + f
    }
}

extension String {
    fileprivate func replacingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
