/// A report as a list of sections of simple blocks, so that the same content
/// renders to an 80-column text, to Markdown and to HTML.
struct ReportDocument: Sendable {
    var title: String
    var sections: [ReportSection]
}

/// A titled part of a report; `level` 2 for the day's parts, 3 inside them.
struct ReportSection: Sendable {
    /// An anchor for HTML links, unique in the document.
    var anchor: String
    var title: String
    var level: Int
    var blocks: [ReportBlock]
    /// Extra HTML classes (`visit tier-high`).
    var htmlClass: String?

    init(anchor: String, title: String, level: Int = 2, htmlClass: String? = nil, blocks: [ReportBlock]) {
        self.anchor = anchor
        self.title = title
        self.level = level
        self.htmlClass = htmlClass
        self.blocks = blocks
    }
}

/// How an item is marked.
enum ReportMark: Sendable {
    case none, ok, problem
}

/// A bullet with optional labelled details under it.
struct ReportItem: Sendable {
    var mark: ReportMark
    var text: String
    var details: [(label: String, text: String)]

    init(_ mark: ReportMark = .none, _ text: String, details: [(label: String, text: String)] = []) {
        self.mark = mark
        self.text = text
        self.details = details
    }
}

/// A table; `rowClasses` mark rows for HTML (`unmet`, `free`).
struct ReportTable: Sendable {
    var header: [String]
    var rows: [[String]]
    var rightAligned: Set<Int> = []
    var rowClasses: [String?] = []
}

enum ReportBlock: Sendable {
    case paragraph(String)
    /// Label and value lines.
    case facts([(label: String, value: String)])
    case table(ReportTable)
    case items([ReportItem])
    /// A small heading inside a section.
    case subheading(String, anchor: String?)
}

// MARK: Text

extension ReportDocument {
    static let textWidth = 80

    func text() -> String {
        var lines: [String] = [title, String(repeating: "=", count: min(Self.textWidth, title.count))]
        for section in sections { lines += section.textLines() }
        // One blank line between blocks, never two.
        var out: [String] = []
        for line in lines where !(line.isEmpty && (out.last?.isEmpty ?? true)) { out.append(line) }
        while out.last?.isEmpty == true { out.removeLast() }
        return out.joined(separator: "\n") + "\n"
    }
}

extension ReportSection {
    func textLines() -> [String] {
        var lines = ["", title]
        lines.append(String(repeating: level <= 2 ? "-" : "~", count: min(ReportDocument.textWidth, title.count)))
        for block in blocks { lines += block.textLines() }
        return lines
    }
}

extension ReportBlock {
    func textLines() -> [String] {
        let width = ReportDocument.textWidth
        switch self {
        case .paragraph(let text):
            return TextLayout.wrap(text, width: width)
        case .facts(let facts):
            let labelWidth = (facts.map(\.label.count).max() ?? 0) + 2
            return facts.flatMap { fact in
                let head = fact.label + String(repeating: " ", count: labelWidth - fact.label.count)
                return TextLayout.wrap(fact.value, width: width, indent: head, hanging: String(repeating: " ", count: labelWidth))
            }
        case .table(let table):
            return [""] + TextLayout.table(header: table.header, rows: table.rows, rightAligned: table.rightAligned, width: width) + [""]
        case .items(let items):
            return items.flatMap { item -> [String] in
                let mark: String
                switch item.mark {
                case .none: mark = "- "
                case .ok: mark = "✓ "
                case .problem: mark = "✗ "
                }
                var lines = TextLayout.wrap(item.text, width: width, indent: mark, hanging: "  ")
                let labelWidth = (item.details.map(\.label.count).max() ?? 0) + 2
                for detail in item.details {
                    let head = "    " + detail.label + String(repeating: " ", count: labelWidth - detail.label.count)
                    lines += TextLayout.wrap(detail.text, width: width, indent: head, hanging: String(repeating: " ", count: 4 + labelWidth))
                }
                return lines
            }
        case .subheading(let text, _):
            return [""] + TextLayout.wrap(text, width: width)
        }
    }
}

// MARK: Markdown

extension ReportDocument {
    func markdown() -> String {
        var out = "# \(Markdown.escape(title))\n"
        for section in sections {
            out += "\n" + String(repeating: "#", count: section.level) + " " + Markdown.escape(section.title) + "\n"
            for block in section.blocks { out += "\n" + block.markdown() }
        }
        return out
    }
}

enum Markdown {
    /// Escapes the characters that would start markup inside running text.
    static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            if "\\`*_[]<>|".contains(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }
}

extension ReportBlock {
    func markdown() -> String {
        switch self {
        case .paragraph(let text):
            return Markdown.escape(text) + "\n"
        case .facts(let facts):
            return facts.map { "- **\(Markdown.escape($0.label))**: \(Markdown.escape($0.value))\n" }.joined()
        case .table(let table):
            func row(_ cells: [String]) -> String { "| " + cells.map(Markdown.escape).joined(separator: " | ") + " |\n" }
            let rule = "|" + table.header.indices.map { table.rightAligned.contains($0) ? " ---: |" : " --- |" }.joined() + "\n"
            return row(table.header) + rule + table.rows.map(row).joined()
        case .items(let items):
            return items.map { item in
                let mark = item.mark == .ok ? "✓ " : item.mark == .problem ? "✗ " : ""
                return "- \(mark)\(Markdown.escape(item.text))\n"
                    + item.details.map { "  - *\(Markdown.escape($0.label))*: \(Markdown.escape($0.text))\n" }.joined()
            }.joined()
        case .subheading(let text, _):
            return "**\(Markdown.escape(text))**\n"
        }
    }
}

// MARK: HTML

enum HTML {
    /// Escapes text for element content and quoted attribute values.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    /// An id or class fragment made of letters, digits, `-` and `_` only; other
    /// characters become `_` followed by their code in hex, so distinct inputs stay distinct.
    static func slug(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.properties.isAlphabetic && scalar.isASCII || ("0"..."9").contains(scalar) || scalar == "-" {
                out.unicodeScalars.append(scalar)
            } else {
                out += "_" + String(scalar.value, radix: 16)
            }
        }
        return out
    }
}

extension ReportSection {
    func html() -> String {
        let classes = ["report-section", "level-\(level)"] + (htmlClass.map { [$0] } ?? [])
        var out = "<section id=\"\(HTML.escape(anchor))\" class=\"\(classes.joined(separator: " "))\">\n"
        out += "<h\(level)>\(HTML.escape(title))</h\(level)>\n"
        for block in blocks { out += block.html() }
        return out + "</section>\n"
    }
}

extension ReportBlock {
    func html() -> String {
        switch self {
        case .paragraph(let text):
            return "<p>\(HTML.escape(text))</p>\n"
        case .facts(let facts):
            return "<dl class=\"facts\">" + facts.map { "<dt>\(HTML.escape($0.label))</dt><dd>\(HTML.escape($0.value))</dd>" }.joined() + "</dl>\n"
        case .table(let table):
            func cell(_ tag: String, _ text: String, _ i: Int) -> String {
                "<\(tag)\(table.rightAligned.contains(i) ? " class=\"num\"" : "")>\(HTML.escape(text))</\(tag)>"
            }
            var out = "<table><thead><tr>" + table.header.enumerated().map { cell("th", $1, $0) }.joined() + "</tr></thead><tbody>\n"
            for (r, row) in table.rows.enumerated() {
                let rowClass = r < table.rowClasses.count ? table.rowClasses[r] : nil
                out += "<tr\(rowClass.map { " class=\"\(HTML.escape($0))\"" } ?? "")>" + row.enumerated().map { cell("td", $1, $0) }.joined() + "</tr>\n"
            }
            return out + "</tbody></table>\n"
        case .items(let items):
            var out = "<ul class=\"items\">\n"
            for item in items {
                let cls = item.mark == .ok ? "ok" : item.mark == .problem ? "problem" : "plain"
                out += "<li class=\"\(cls)\">\(HTML.escape(item.text))"
                if !item.details.isEmpty {
                    out += "<dl>" + item.details.map { "<dt>\(HTML.escape($0.label))</dt><dd>\(HTML.escape($0.text))</dd>" }.joined() + "</dl>"
                }
                out += "</li>\n"
            }
            return out + "</ul>\n"
        case .subheading(let text, let anchor):
            return "<h4\(anchor.map { " id=\"\(HTML.escape($0))\"" } ?? "")>\(HTML.escape(text))</h4>\n"
        }
    }
}
