/// Minutes since midnight of the day, 0...1440.
public typealias Minute = Int

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

    /// `HH:MM-HH:MM`.
    public var description: String { "\(Clock.format(start))-\(Clock.format(end))" }
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

    public static func format(_ minute: Minute) -> String {
        let h = minute / 60, m = minute % 60
        return (h < 10 ? "0" : "") + String(h) + ":" + (m < 10 ? "0" : "") + String(m)
    }
}

/// When a resource can be used: a list of windows, one of which must contain
/// the whole interval (entries are not merged). `nil` windows mean all day.
public struct Availability: Sendable, Hashable {
    /// `nil` = the whole day.
    public var windows: [TimeSpan]?

    public init(windows: [TimeSpan]?) { self.windows = windows }

    public static let wholeDay = Availability(windows: nil)

    /// Whether one entry contains `span`; spans reaching outside the day fit no entry.
    public func covers(_ span: TimeSpan) -> Bool {
        guard span.start >= 0, span.end <= 1440, span.end > span.start else { return false }
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
