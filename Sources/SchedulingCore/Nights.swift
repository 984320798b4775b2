/// Nights of a programme (PROBLEM.md §9), as resource kinds state uses by night
/// (hotel rooms): night `k`, the night after day `k`, is a usage over 20:00-24:00
/// of day `k`, so that uses on one night overlap and uses on different nights
/// never do. Reports show such uses by night, not by time.
public enum Nights {
    /// The span night `k` is stated as.
    public static func span(ofNight k: Int) -> TimeSpan { TimeSpan((k - 1) * minutesPerDay + 20 * 60, k * minutesPerDay) }

    /// The night a span stands for, or `nil` when it is not a night's span.
    public static func night(of span: TimeSpan) -> Int? {
        let k = Clock.day(ofStart: span.start)
        return k >= 1 && span == self.span(ofNight: k) ? k : nil
    }

    /// `night 2`, `nights 1-3`, `nights 1, 3`.
    public static func describe(_ nights: [Int]) -> String {
        let sorted = Array(Set(nights)).sorted()
        guard let first = sorted.first, let last = sorted.last else { return "no night" }
        if sorted.count == 1 { return "night \(first)" }
        if last - first + 1 == sorted.count { return "nights \(first)-\(last)" }
        return "nights " + sorted.map(String.init).joined(separator: ", ")
    }
}
