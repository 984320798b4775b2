/// A date of the proleptic Gregorian calendar, for placing programme days on the calendar.
public struct CivilDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The year, 1...9999.
    public var year: Int
    /// The month, 1...12.
    public var month: Int
    /// The day of the month, 1...31.
    public var day: Int

    /// A date; `nil` when the month or the day does not exist.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= CivilDate.length(ofMonth: month, year: year), (1...9999).contains(year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Reads exactly `YYYY-MM-DD`.
    public init?(iso text: String) {
        let u = Array(text.utf8)
        guard u.count == 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-"),
              let y = CivilDate.digits(u[0..<4]), let m = CivilDate.digits(u[5..<7]), let d = CivilDate.digits(u[8..<10]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Days since 1970-01-01 (negative before).
    public var daysSinceEpoch: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date `daysSinceEpoch` days after 1970-01-01.
    public init(daysSinceEpoch z: Int) {
        let shifted = z + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let doe = shifted - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.month = m
        self.day = d
    }

    /// The date `days` later.
    public func adding(days: Int) -> CivilDate { CivilDate(daysSinceEpoch: daysSinceEpoch + days) }

    /// `20261201`, the form of an iCalendar DATE.
    public var compact: String { pad(year, 4) + pad(month, 2) + pad(day, 2) }

    /// `2026-12-01`.
    public var description: String { pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) }

    /// Earlier dates first.
    public static func < (a: CivilDate, b: CivilDate) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    static func length(ofMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func digits(_ bytes: ArraySlice<UInt8>) -> Int? {
        var n = 0
        for b in bytes {
            guard (48...57).contains(b) else { return nil }
            n = n * 10 + Int(b - 48)
        }
        return n
    }
}

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

func pad(_ n: Int, _ width: Int) -> String {
    let digits = String(n)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}

extension String {
    /// Every occurrence of `target` replaced (without Foundation).
    func replacingAll(_ target: Character, _ replacement: String) -> String {
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}
