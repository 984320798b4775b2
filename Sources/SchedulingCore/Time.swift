/// Minutes since midnight of the programme's first day: on day `k` (1-based) of a
/// version-2 programme, `HH:MM` is `(k - 1) * 1440 + minutes` (PROBLEM.md §9). On a
/// one-day file every minute is in 0...1440.
public typealias Minute = Int

/// Minutes in a day.
public let minutesPerDay = 1440

/// A half-open interval of minutes `[start, end)`.
public struct TimeSpan: Sendable, Hashable, CustomStringConvertible {
    public var start: Minute
    public var end: Minute

    public init(_ start: Minute, _ end: Minute) {
        self.start = start
        self.end = end
    }

    public var minutes: Int { end - start }

    public func overlaps(_ other: TimeSpan) -> Bool { start < other.end && other.start < end }

    public func contains(_ other: TimeSpan) -> Bool { start <= other.start && other.end <= end }

    /// The programme day (1-based) the span starts on.
    public var day: Int { Clock.day(ofStart: start) }

    /// Whether the span lies within one day (it does not cross midnight).
    public var isWithinOneDay: Bool { start >= 0 && end > start && Clock.day(ofStart: start) == Clock.day(ofEnd: end) }

    /// `HH:MM-HH:MM`; on day 2 and later `day 2 HH:MM-HH:MM` (and the end's day too
    /// when the span crosses midnight).
    public var description: String {
        let first = Clock.day(ofStart: start), last = Clock.day(ofEnd: end)
        let from = first == 1 ? Clock.format(start) : Clock.format(start, asStart: true)
        let to = last == first ? Clock.timeOfDay(end, asStart: false) : Clock.format(end)
        return from + "-" + to
    }
}

/// Reading and writing `HH:MM`.
public enum Clock {
    /// Parses exactly two-digit `HH:MM`; `24:00` only when `allowEndOfDay`.
    public static func parse(_ text: String, allowEndOfDay: Bool) -> Minute? {
        let u = Array(text.utf8)
        guard u.count == 5, u[2] == UInt8(ascii: ":") else { return nil }
        let digits = [u[0], u[1], u[3], u[4]]
        guard digits.allSatisfy({ (48...57).contains($0) }) else { return nil }
        let h = Int(u[0] - 48) * 10 + Int(u[1] - 48)
        let m = Int(u[3] - 48) * 10 + Int(u[4] - 48)
        guard m < 60 else { return nil }
        if h == 24 && m == 0 { return allowEndOfDay ? 1440 : nil }
        guard h < 24 else { return nil }
        return h * 60 + m
    }

    /// `HH:MM` on the first day (`24:00` is its end); `day k HH:MM` on later days.
    /// `asStart` reads a minute on a day's boundary as the next day's `00:00`
    /// rather than the previous day's `24:00`.
    public static func format(_ minute: Minute, asStart: Bool = false) -> String {
        let day = asStart ? day(ofStart: minute) : day(ofEnd: minute)
        let time = timeOfDay(minute, asStart: asStart)
        return day == 1 ? time : "day \(day) \(time)"
    }

    /// `HH:MM` of a minute within its day (see ``format(_:asStart:)`` for `asStart`).
    public static func timeOfDay(_ minute: Minute, asStart: Bool) -> String {
        let day = asStart ? day(ofStart: minute) : day(ofEnd: minute)
        let within = minute - (day - 1) * minutesPerDay
        let h = within / 60, m = within % 60
        return (h < 10 ? "0" : "") + String(h) + ":" + (m < 10 ? "0" : "") + String(m)
    }

    /// The day (1-based) a span starting at `minute` is on.
    public static func day(ofStart minute: Minute) -> Int {
        minute >= 0 ? minute / minutesPerDay + 1 : (minute + 1) / minutesPerDay
    }

    /// The day (1-based) a span ending at `minute` is on (`24:00` ends its day).
    public static func day(ofEnd minute: Minute) -> Int {
        minute > 0 ? (minute - 1) / minutesPerDay + 1 : minute / minutesPerDay
    }
}

/// When a resource can be used: a list of windows, one of which must contain
/// the whole interval (entries are not merged). `nil` windows mean all day,
/// every day. Windows are in programme minutes (an entry without `day` in a
/// version-2 programme stands for one window on each day); nothing is
/// available across midnight (PROBLEM.md §8, §9).
public struct Availability: Sendable, Hashable {
    /// `nil` = the whole of every day.
    public var windows: [TimeSpan]?

    public init(windows: [TimeSpan]?) { self.windows = windows }

    public static let wholeDay = Availability(windows: nil)

    /// Whether one entry contains `span`; spans reaching before the first day or
    /// across a midnight fit no entry.
    public func covers(_ span: TimeSpan) -> Bool {
        guard span.isWithinOneDay else { return false }
        guard let windows else { return true }
        return windows.contains { $0.contains(span) }
    }
}

extension Duration {
    /// The duration in seconds, as a `Double` (time limits and reports are in seconds).
    public var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
