import SchedulingCore

/// The dates of a programme's days, from the day file's `date` (`YYYY-MM-DD`),
/// computed on the proleptic Gregorian calendar (``CivilDate``) without the
/// machine's locale or time zone, so that reports read the same everywhere.
enum ProgrammeCalendar {
    private static let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

    /// `2026-12-08` and `Tue` for day 2 of a programme starting `2026-12-07`;
    /// `nil` when `start` is not a `YYYY-MM-DD` date.
    static func date(_ start: String, day: Int) -> (date: String, weekday: String)? {
        guard let date = CivilDate(iso: start)?.adding(days: day - 1) else { return nil }
        return (date.description, weekdays[date.weekday])
    }
}


extension DayPlan {
    // MARK: Days of a programme

    /// Whether the day is a version-2 programme, reported day by day.
    public var isProgramme: Bool { problem.day.isProgramme }

    /// The programme's days, `1...days` (`1...1` for a one-day file).
    public var dayNumbers: ClosedRange<Int> { 1...max(1, problem.day.days) }

    /// `Day 2 · Tue 2026-12-08`, or `Day 2` when the day file has no date.
    public func title(ofDay k: Int) -> String {
        guard let start = problem.day.date, let date = ProgrammeCalendar.date(start, day: k) else { return "Day \(k)" }
        return "Day \(k) · \(date.weekday) \(date.date)"
    }

    /// The date of day `k` (`2026-12-08`), when the day file has a date.
    public func date(ofDay k: Int) -> String? {
        problem.day.date.flatMap { ProgrammeCalendar.date($0, day: k)?.date }
    }

    /// The part of day `k` a report shows: on a programme the same hours every
    /// day, from the hour of the earliest segment start (by time of day) to the
    /// hour after the latest end; on a one-day file ``window``.
    public func window(onDay k: Int) -> TimeSpan {
        guard isProgramme else { return window }
        let segments = problem.day.visits.flatMap(\.segments)
        let offset = { (s: TimeSpan) in (s.day - 1) * minutesPerDay }
        let start = segments.map { $0.span.start - offset($0.span) }.min() ?? 8 * 60
        let end = segments.map { $0.span.end - offset($0.span) }.max() ?? 18 * 60
        let base = (k - 1) * minutesPerDay
        return TimeSpan(base + start / 60 * 60, base + min(minutesPerDay, (end + 59) / 60 * 60))
    }

    /// `HH:MM-HH:MM` within its day, for the rows of a day's table.
    func timeOfDay(_ span: TimeSpan) -> String {
        guard isProgramme else { return span.description }
        let first = Clock.day(ofStart: span.start), last = Clock.day(ofEnd: span.end)
        guard first == last else { return Clock.format(span.start, asStart: true) + "-" + Clock.format(span.end) }
        return Clock.timeOfDay(span.start, asStart: true) + "-" + Clock.timeOfDay(span.end, asStart: false)
    }

    /// A visit's span in words: `09:00-17:00` on a one-day file, `day 1 09:00
    /// to day 3 11:00` on a programme.
    func describeSpan(of visit: Visit) -> String {
        let span = visit.span
        guard isProgramme else { return span.description }
        let first = Clock.day(ofStart: span.start), last = Clock.day(ofEnd: span.end)
        let from = "day \(first) " + Clock.timeOfDay(span.start, asStart: true)
        return first == last ? from + "-" + Clock.timeOfDay(span.end, asStart: false)
                             : from + " to day \(last) " + Clock.timeOfDay(span.end, asStart: false)
    }

    /// Whether a resource is used by nights: every use any candidate would make
    /// of it is a night's span (a hotel's room block).
    public func isNightly(_ key: ResourceKey) -> Bool { nightlyResources.contains(key) }

    /// The nights a need's candidates hold (the nights of a visit's stay), from
    /// their night uses; empty for a need that is not by night.
    public func nights(ofNeed j: Int) -> [Int] {
        var nights = Set<Int>()
        for candidate in problem.needs[j].candidates {
            for usage in candidate.usages { if let k = Nights.night(of: usage.span) { nights.insert(k) } }
        }
        return nights.sorted()
    }

    /// The resources of the kinds every candidate use of which is a night's
    /// span (hotels), including those no candidate uses.
    static func nightly(_ problem: Problem) -> Set<ResourceKey> {
        var nightly = Set<String>(), timed = Set<String>()
        for need in problem.needs {
            for candidate in need.candidates {
                for usage in candidate.usages {
                    if Nights.night(of: usage.span) != nil { nightly.insert(usage.resource.kind) } else { timed.insert(usage.resource.kind) }
                }
            }
        }
        let kinds = nightly.subtracting(timed)
        return Set(problem.resources.keys.filter { kinds.contains($0.kind) })
    }
}
