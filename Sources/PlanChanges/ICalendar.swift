import SchedulingCore

/// A moment in UTC to the second: an event's `DTSTAMP`.
public struct CalendarStamp: Sendable, Hashable, CustomStringConvertible {
    /// The date in UTC.
    public var date: CivilDate
    /// Seconds since midnight UTC, 0..<86400.
    public var second: Int

    /// The moment `seconds` after 1970-01-01T00:00:00Z (fractions dropped).
    public init(secondsSince1970 seconds: Double) {
        let whole = Int(seconds.rounded(.down))
        let days = whole >= 0 ? whole / 86_400 : (whole - 86_399) / 86_400
        self.date = CivilDate(daysSinceEpoch: days)
        self.second = whole - days * 86_400
    }

    /// Reads `20261201T070000Z` (iCalendar UTC form) or `2026-12-01T07:00:00Z` (ISO 8601, UTC).
    public init(parsing text: String) throws(PlanChangesError) {
        var compact = text
        if text.utf8.count == 20 { compact = text.replacingAll("-", "").replacingAll(":", "") }
        let u = Array(compact.utf8)
        guard u.count == 16, u[8] == UInt8(ascii: "T"), u[15] == UInt8(ascii: "Z"),
              let y = CivilDate.digits(u[0..<4]), let m = CivilDate.digits(u[4..<6]), let d = CivilDate.digits(u[6..<8]),
              let date = CivilDate(year: y, month: m, day: d),
              let hh = CivilDate.digits(u[9..<11]), let mm = CivilDate.digits(u[11..<13]), let ss = CivilDate.digits(u[13..<15]),
              hh < 24, mm < 60, ss < 60 else {
            throw PlanChangesError(.badStamp, "--stamp \(text) is not a UTC time; write it as 20261201T070000Z or 2026-12-01T07:00:00Z")
        }
        self.date = date
        self.second = hh * 3600 + mm * 60 + ss
    }

    /// `20261201T070000Z`.
    public var description: String {
        date.compact + "T" + pad(second / 3600, 2) + pad(second / 60 % 60, 2) + pad(second % 60, 2) + "Z"
    }
}

/// Writes iCalendar content lines (RFC 5545 §3.1): text values escaped,
/// lines folded at 75 octets without splitting a UTF-8 character, CRLF line ends.
public struct ICalendarWriter: Sendable {
    /// The content written so far.
    public private(set) var text = ""

    /// An empty calendar text.
    public init() {}

    /// Appends `NAME;PARAMS:value` with `value` written as is (for dates, numbers, fixed words).
    public mutating func raw(_ name: String, _ value: String) {
        text += ICalendarWriter.fold(name + ":" + value)
    }

    /// Appends `NAME:value` with `value` escaped as TEXT (§3.3.11).
    public mutating func text(_ name: String, _ value: String) {
        raw(name, ICalendarWriter.escape(value))
    }

    /// Escapes `\`, `;`, `,` and line breaks of a TEXT value (§3.3.11).
    public static func escape(_ value: String) -> String {
        var out = ""
        var previousCR = false
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\r": out += "\\n"
            case "\n": if !previousCR { out += "\\n" }
            default:
                // Other control characters are not allowed in TEXT (§3.3.11); a space stands in.
                if scalar.value < 0x20 || scalar.value == 0x7F { out += " " } else { out.unicodeScalars.append(scalar) }
            }
            previousCR = scalar == "\r"
        }
        return out
    }

    /// One content line folded at 75 octets (§3.1), with CRLF after each physical line.
    public static func fold(_ line: String) -> String {
        var out = ""
        var current = 0
        var limit = 75
        for character in line.unicodeScalars {
            let size = String(character).utf8.count
            if current + size > limit {
                out += "\r\n "
                current = 1
                limit = 75
            }
            out.unicodeScalars.append(character)
            current += size
        }
        return out + "\r\n"
    }
}

func pad(_ n: Int, _ width: Int) -> String { CivilDate.pad(n, width) }

extension CivilDate {
    /// `20261201`, the form of an iCalendar DATE.
    public var compact: String { CivilDate.pad(year, 4) + CivilDate.pad(month, 2) + CivilDate.pad(day, 2) }
}

extension String {
    /// Every occurrence of `target` replaced (without Foundation).
    func replacingAll(_ target: Character, _ replacement: String) -> String {
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}
