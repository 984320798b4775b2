import SchedulingCore

/// Numbers, durations and text wrapping for reports, independent of the
/// machine's locale so that reports read the same everywhere; money is
/// ``Money/format(_:)``, the same in every output.
enum Pretty {
    /// A count or measure as a person writes it: `8`, `2.5`, `1,200`.
    static func number(_ x: Double) -> String {
        let hundredths = (x * 100).rounded() / 100
        if hundredths.rounded() == hundredths, abs(hundredths) < 1e15 {
            return (hundredths < 0 ? "-" : "") + Money.grouped(Int(abs(hundredths)))
        }
        return Money.format(hundredths).replacingSuffix("0", with: "")
    }

    /// `50 min`, `1 h`, `1 h 30 min`.
    static func duration(_ minutes: Int) -> String {
        if minutes < 60 { return "\(minutes) min" }
        let h = minutes / 60, m = minutes % 60
        return m == 0 ? "\(h) h" : "\(h) h \(m) min"
    }

    /// `s` for plurals: `plural(2, "visit")` is `2 visits`.
    static func plural(_ n: Int, _ word: String, _ pluralWord: String? = nil) -> String {
        "\(n) \(n == 1 ? word : (pluralWord ?? word + "s"))"
    }

    /// `a, b and c` (or `a, b or c`), with `and 3 more` past `limit` items.
    static func list(_ items: [String], limit: Int = .max, conjunction: String = "and") -> String {
        var shown = Array(items.prefix(limit))
        if items.count > limit { shown.append("\(items.count - limit) more") }
        switch shown.count {
        case 0: return ""
        case 1: return shown[0]
        default: return shown.dropLast().joined(separator: ", ") + " \(conjunction) " + (shown.last ?? "")
        }
    }
}

extension String {
    /// Drops one trailing `suffix` when present (`"2.50"` to `"2.5"`).
    fileprivate func replacingSuffix(_ suffix: String, with replacement: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) + replacement : self
    }
}

/// Plain-text layout: wrapping and aligned tables for an 80-column terminal.
enum TextLayout {
    /// Wraps `text` at word boundaries to `width` characters. The first line
    /// starts with `indent`, the following ones with `hanging` (default: `indent`).
    /// A word longer than the line is kept whole rather than split.
    static func wrap(_ text: String, width: Int, indent: String = "", hanging: String? = nil) -> [String] {
        let next = hanging ?? indent
        var lines: [String] = []
        var line = indent
        var lineHasWord = false
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            let candidate = lineHasWord ? line + " " + word : line + word
            if lineHasWord && candidate.count > width {
                lines.append(line)
                line = next + word
            } else {
                line = candidate
            }
            lineHasWord = true
        }
        lines.append(line)
        return lines
    }

    /// Aligns `rows` under `header` in columns two spaces apart. Columns in
    /// `rightAligned` are right-aligned (amounts). When the table is wider than
    /// `width`, the last column wraps under itself.
    static func table(header: [String]?, rows: [[String]], rightAligned: Set<Int> = [], width: Int, indent: String = "") -> [String] {
        let all = (header.map { [$0] } ?? []) + rows
        let columns = all.map(\.count).max() ?? 0
        guard columns > 0 else { return [] }
        var widths = Array(repeating: 0, count: columns)
        for row in all {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        let lead = indent.count + widths.dropLast().reduce(0) { $0 + $1 + 2 }
        let lastWidth = max(20, width - lead)
        func render(_ row: [String]) -> [String] {
            var head = indent
            for i in 0..<(columns - 1) {
                let cell = i < row.count ? row[i] : ""
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                head += (rightAligned.contains(i) ? pad + cell : cell + pad) + "  "
            }
            let last = columns - 1 < row.count ? row[columns - 1] : ""
            if rightAligned.contains(columns - 1) {
                return [head + String(repeating: " ", count: widths[columns - 1] - last.count) + last].map(trimmingTrailingSpaces)
            }
            let continuation = String(repeating: " ", count: head.count)
            let wrapped = wrap(last, width: head.count + lastWidth, indent: head, hanging: continuation)
            return wrapped.map(trimmingTrailingSpaces)
        }
        var out: [String] = []
        if let header {
            out += render(header)
            var rule = widths
            rule[columns - 1] = min(rule[columns - 1], rightAligned.contains(columns - 1) ? rule[columns - 1] : lastWidth)
            out.append(indent + rule.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
        }
        for row in rows { out += render(row) }
        return out
    }

    static func trimmingTrailingSpaces(_ s: String) -> String {
        var s = Substring(s)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
