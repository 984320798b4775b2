import Foundation

/// A day of the Gregorian calendar, written `YYYY-MM-DD`, as the archive files
/// receptions, feedback and follow-ups by it.
///
/// Dates compare in calendar order, and their text form sorts the same way, so
/// the archive stores them as text and filters ranges with plain comparisons.
public struct CalendarDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The year, 1 to 9999.
    public let year: Int
    /// The month, 1 to 12.
    public let month: Int
    /// The day of the month, 1 to the month's length.
    public let day: Int

    /// Why a text is not a date.
    public struct FormatError: Error, Sendable, Equatable, CustomStringConvertible {
        /// The text that was read.
        public var text: String
        /// What is wrong with it.
        public var reason: String

        public var description: String { "\"\(text)\" is not a date (\(reason))" }
    }

    /// A date from its parts; fails when the day does not exist (e.g. February 30).
    public init(year: Int, month: Int, day: Int) throws(FormatError) {
        let text = Self.format(year, month, day)
        guard (1...9999).contains(year) else { throw FormatError(text: text, reason: "the year must be 0001 to 9999") }
        guard (1...12).contains(month) else { throw FormatError(text: text, reason: "the month must be 01 to 12") }
        let length = Self.daysIn(month: month, year: year)
        guard (1...length).contains(day) else {
            throw FormatError(text: text, reason: "\(Self.monthNames[month - 1]) \(year) has \(length) days")
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Reads exactly `YYYY-MM-DD` (four, two and two digits).
    public init(parsing text: String) throws(FormatError) {
        let u = Array(text.utf8)
        let shapeOK = u.count == 10 && u[4] == UInt8(ascii: "-") && u[7] == UInt8(ascii: "-")
            && [0, 1, 2, 3, 5, 6, 8, 9].allSatisfy { (48...57).contains(u[$0]) }
        guard shapeOK else { throw FormatError(text: text, reason: "write YYYY-MM-DD, e.g. 2026-12-01") }
        func number(_ range: Range<Int>) -> Int { range.reduce(0) { $0 * 10 + Int(u[$1] - 48) } }
        try self.init(year: number(0..<4), month: number(5..<7), day: number(8..<10))
    }

    /// `YYYY-MM-DD`.
    public var description: String { Self.format(year, month, day) }

    /// `YYYY-MM`, the month the date is in.
    public var monthKey: String { String(description.prefix(7)) }

    /// Days since 0001-01-01 (proleptic Gregorian), for differences between dates.
    public var ordinal: Int {
        let y = year - 1
        var days = y * 365 + y / 4 - y / 100 + y / 400
        for m in 1..<month { days += Self.daysIn(month: m, year: year) }
        return days + day - 1
    }

    /// The date `count` days later (earlier when negative).
    public func adding(days count: Int) -> CalendarDate {
        var (y, m, d) = (year, month, day + count)
        while d < 1 {
            m -= 1
            if m < 1 { m = 12; y -= 1 }
            d += Self.daysIn(month: m, year: y)
        }
        while d > Self.daysIn(month: m, year: y) {
            d -= Self.daysIn(month: m, year: y)
            m += 1
            if m > 12 { m = 1; y += 1 }
        }
        // Within the representable years the parts are valid by construction.
        return CalendarDate(unchecked: y, m, d)
    }

    /// Today in `timeZone` (the machine's by default).
    public static func today(in timeZone: TimeZone = .current, now: Date = Date()) -> CalendarDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: now)
        return CalendarDate(unchecked: parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1)
    }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    // MARK: Private

    private init(unchecked year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    private static let monthNames = ["January", "February", "March", "April", "May", "June", "July",
                                     "August", "September", "October", "November", "December"]

    private static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static func format(_ year: Int, _ month: Int, _ day: Int) -> String {
        func pad(_ n: Int, _ width: Int) -> String {
            let s = String(abs(n))
            return (n < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }
}
