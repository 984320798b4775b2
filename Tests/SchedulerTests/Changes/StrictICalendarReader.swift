/// A strict, minimal iCalendar reader for the tests: it rejects what RFC 5545
/// forbids and `schedule notify` must never write, rather than repairing it.
///
/// Checked: UTF-8; every line ends in CRLF (no bare CR or LF); every physical
/// line is at most 75 octets; folded lines start with one space; BEGIN and END
/// balance and nest; one VCALENDAR with VERSION 2.0 and PRODID; every VEVENT has
/// exactly one UID, DTSTAMP (UTC) and DTSTART, and a DTEND of the same form;
/// TEXT values use only the escapes `\\ \; \, \n`, with no bare `,` or `;`.
struct StrictICalendarReader {
    struct Component {
        var name: String
        var properties: [Property] = []
        var children: [Component] = []

        func values(_ name: String) -> [Property] { properties.filter { $0.name == name } }
        func value(_ name: String) -> String? { values(name).first?.value }
        /// The TEXT value unescaped.
        func text(_ name: String) -> String? { value(name).map(StrictICalendarReader.unescape) }
        var events: [Component] { children.filter { $0.name == "VEVENT" } }
    }

    struct Property {
        var name: String
        var parameters: [String]
        var value: String
    }

    struct ReadError: Error, CustomStringConvertible {
        var description: String
    }

    static let textProperties: Set<String> = ["SUMMARY", "DESCRIPTION", "LOCATION", "UID", "X-WR-CALNAME", "PRODID"]

    /// Reads one calendar file.
    static func read(_ bytes: [UInt8]) throws -> Component {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw ReadError(description: "not UTF-8") }
        guard bytes.count >= 2, bytes.suffix(2) == [13, 10] else { throw ReadError(description: "does not end in CRLF") }
        // Physical lines: split on CRLF; a bare CR or LF is an error.
        var physical: [[UInt8]] = []
        var line: [UInt8] = []
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 13 {
                guard i + 1 < bytes.count, bytes[i + 1] == 10 else { throw ReadError(description: "a bare CR after \(String(decoding: line, as: UTF8.self))") }
                physical.append(line)
                line = []
                i += 2
                continue
            }
            if b == 10 { throw ReadError(description: "a bare LF after \(String(decoding: line, as: UTF8.self))") }
            line.append(b)
            i += 1
        }
        _ = text
        // Unfolding (§3.1): a line starting with a space continues the previous one.
        var logical: [String] = []
        for p in physical {
            guard p.count <= 75 else { throw ReadError(description: "a line of \(p.count) octets (more than 75): \(String(decoding: p, as: UTF8.self))") }
            guard let s = String(validating: p, as: UTF8.self) else { throw ReadError(description: "a fold splits a UTF-8 character: \(p)") }
            if p.first == 32 || p.first == 9 {
                guard !logical.isEmpty else { throw ReadError(description: "the file starts with a continuation line") }
                logical[logical.count - 1] += String(s.dropFirst())
            } else {
                guard !p.isEmpty else { throw ReadError(description: "an empty line") }
                logical.append(s)
            }
        }
        // Content lines and nesting.
        var stack: [Component] = []
        var root: Component?
        for l in logical {
            let property = try parse(l)
            if property.name == "BEGIN" {
                guard root == nil else { throw ReadError(description: "content after END:VCALENDAR") }
                stack.append(Component(name: property.value))
            } else if property.name == "END" {
                guard let last = stack.popLast(), last.name == property.value else { throw ReadError(description: "END:\(property.value) does not close the open component") }
                if stack.isEmpty { root = last } else { stack[stack.count - 1].children.append(last) }
            } else {
                guard !stack.isEmpty else { throw ReadError(description: "\(property.name) outside any component") }
                if textProperties.contains(property.name) { try checkText(property) }
                stack[stack.count - 1].properties.append(property)
            }
        }
        guard stack.isEmpty, let calendar = root else { throw ReadError(description: "BEGIN and END do not balance") }
        guard calendar.name == "VCALENDAR" else { throw ReadError(description: "the top component is \(calendar.name)") }
        guard calendar.value("VERSION") == "2.0", calendar.values("PRODID").count == 1 else { throw ReadError(description: "VERSION:2.0 or PRODID missing") }
        for event in calendar.events {
            for name in ["UID", "DTSTAMP", "DTSTART"] where event.values(name).count != 1 {
                throw ReadError(description: "a VEVENT has \(event.values(name).count) \(name)")
            }
            guard let stamp = event.value("DTSTAMP"), matches(stamp, "dddddddd'T'dddddd'Z'") else { throw ReadError(description: "DTSTAMP is not UTC") }
            for name in ["DTSTART", "DTEND"] {
                guard let p = event.values(name).first else { continue }
                let ok = p.parameters == ["VALUE=DATE"] ? matches(p.value, "dddddddd") : p.parameters.isEmpty && matches(p.value, "dddddddd'T'dddddd")
                guard ok else { throw ReadError(description: "\(name) \(p.parameters) \(p.value) is neither a floating date-time nor a DATE") }
            }
            if let start = event.values("DTSTART").first, let end = event.values("DTEND").first {
                guard start.parameters == end.parameters, start.value < end.value else { throw ReadError(description: "DTEND \(end.value) is not after DTSTART \(start.value)") }
            }
        }
        return calendar
    }

    /// `NAME;PARAM=...:value`.
    static func parse(_ line: String) throws -> Property {
        var name = "", parameters: [String] = [], current = ""
        var inQuotes = false, seenName = false
        var index = line.startIndex
        while index < line.endIndex {
            let c = line[index]
            if c == "\"" { inQuotes.toggle() }
            if !inQuotes && (c == ";" || c == ":") {
                if seenName { parameters.append(current) } else { name = current; seenName = true }
                current = ""
                if c == ":" {
                    let value = String(line[line.index(after: index)...])
                    guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else { throw ReadError(description: "bad property name in \(line)") }
                    return Property(name: name.uppercased(), parameters: parameters, value: value)
                }
            } else {
                current.append(c)
            }
            index = line.index(after: index)
        }
        throw ReadError(description: "no ':' in \(line)")
    }

    /// Only `\\ \; \, \n \N` escapes, and no bare `;` or `,` (§3.3.11).
    static func checkText(_ p: Property) throws {
        var escaped = false
        for c in p.value {
            if escaped {
                guard "\\;,nN".contains(c) else { throw ReadError(description: "\(p.name) has the escape \\\(c)") }
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else if c == ";" || c == "," {
                throw ReadError(description: "\(p.name) has an unescaped \(c): \(p.value)")
            }
        }
        if escaped { throw ReadError(description: "\(p.name) ends in a backslash") }
    }

    static func unescape(_ value: String) -> String {
        var out = "", escaped = false
        for c in value {
            if escaped {
                out.append(c == "n" || c == "N" ? "\n" : c)
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else {
                out.append(c)
            }
        }
        return out
    }

    /// `d` a digit, `'x'` a literal.
    static func matches(_ value: String, _ pattern: String) -> Bool {
        var expected: [Character?] = []
        var literal = false
        for c in pattern {
            if c == "'" { literal.toggle(); continue }
            expected.append(literal ? c : (c == "d" ? nil : c))
        }
        let chars = Array(value)
        guard chars.count == expected.count else { return false }
        return zip(chars, expected).allSatisfy { c, e in e.map { $0 == c } ?? (c.isASCII && c.isNumber) }
    }
}
