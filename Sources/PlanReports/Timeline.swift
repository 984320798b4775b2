import SchedulingCore

/// What one resource does over the day: its uses in the plan, the turnover or
/// travel they need around them, and the windows when it is free.
public struct ResourceTimeline: Sendable {
    /// One line of a timeline.
    public enum Entry: Sendable, Hashable {
        /// A use by the plan.
        case use(ResourceUse)
        /// Turnover after a use of an exclusive resource.
        case turnover(TimeSpan)
        /// Travel between two uses of a mobile resource, placed just before the
        /// second use: the latest it can leave.
        case travel(TimeSpan, from: String, to: String)
        /// Free and available.
        case free(TimeSpan)

        /// When the line starts and ends.
        public var span: TimeSpan {
            switch self {
            case .use(let u): return u.span
            case .turnover(let s), .travel(let s, _, _), .free(let s): return s
            }
        }
    }

    /// The resource.
    public var resource: ResourceKey
    /// Uses, turnover, travel and free windows, by start time.
    public var entries: [Entry]
    /// Assignments that occupy no time (a host who attends no segment): need and candidate indices.
    public var untimed: [(need: Int, candidate: Int)]
    /// Minutes counted against the resource's minute budget.
    public var budgetMinutes: Int

    /// Whether the plan uses the resource at all.
    public var isIdle: Bool { untimed.isEmpty && !entries.contains { if case .use = $0 { return true } else { return false } } }

    /// The uses only.
    public var uses: [ResourceUse] {
        entries.compactMap { if case .use(let u) = $0 { return u } else { return nil } }
    }
}

extension DayPlan {
    /// The part of the day a report shows: from the hour of the first segment
    /// to the hour after the last one. On a programme this spans all its days;
    /// reports show each day's ``window(onDay:)``.
    public var window: TimeSpan {
        let segments = problem.day.visits.flatMap(\.segments)
        let start = segments.map(\.span.start).min() ?? 8 * 60
        let end = segments.map(\.span.end).max() ?? 18 * 60
        return TimeSpan(start / 60 * 60, min(24 * 60, (end + 59) / 60 * 60))
    }

    /// The timeline of one resource over the whole day (on a one-day file) or,
    /// given `day`, over that day of a programme only: its uses, turnover and
    /// travel on that day and its free windows within that day's availability
    /// and ``window(onDay:)``; ``ResourceTimeline/budgetMinutes`` counts that day's uses.
    public func timeline(of key: ResourceKey, catalog: ResourceCatalog, onDay day: Int? = nil) -> ResourceTimeline {
        let entry = catalog[key]
        let uses = self.uses.filter { $0.resource == key }
        var entries: [ResourceTimeline.Entry] = uses.map { .use($0) }
        var busy: [TimeSpan] = uses.map(\.span)
        switch entry.sharing {
        case .exclusive(let turnover) where turnover > 0:
            for u in uses {
                // Turnover ends with the use's day.
                let span = TimeSpan(u.span.end, min(Clock.day(ofEnd: u.span.end) * minutesPerDay, u.span.end + Int(turnover.rounded(.up))))
                if span.minutes > 0 {
                    entries.append(.turnover(span))
                    busy.append(span)
                }
            }
        case .mobile:
            for (a, b) in zip(uses, uses.dropFirst()) {
                guard let from = a.usage.to, let to = b.usage.from, from != to,
                      let minutes = problem.day.travel.minutes(from: from, to: to), minutes > 0 else { continue }
                let span = TimeSpan(max(a.span.end, b.span.start - minutes), b.span.start)
                if span.minutes > 0 {
                    entries.append(.travel(span, from: from, to: to))
                    busy.append(span)
                }
            }
        default:
            break
        }
        let shown = day.map { window(onDay: $0) } ?? self.window
        let base = day.map { ($0 - 1) * minutesPerDay } ?? 0
        let available = day.flatMap { entry.availability(onDay: $0) } ?? (day == nil ? entry.availability : nil) ?? [TimeSpan(base, base + 24 * 60)]
        for window in available {
            let clipped = TimeSpan(max(window.start, shown.start), min(window.end, shown.end))
            guard clipped.minutes > 0 else { continue }
            for free in ResourceTimeline.subtract(busy, from: clipped) { entries.append(.free(free)) }
        }
        if let day { entries.removeAll { Clock.day(ofStart: $0.span.start) != day } }
        entries.sort { ($0.span.start, $0.order) < ($1.span.start, $1.order) }
        var untimed: [(Int, Int)] = []
        for (j, need) in problem.needs.enumerated() {
            for i in outcomes[j].chosen where need.candidates[i].usages.allSatisfy({ $0.resource != key }) && need.candidates[i].assigned.contains(key) {
                untimed.append((j, i))
            }
        }
        let counted = day.map { k in uses.filter { $0.span.day == k } } ?? uses
        return ResourceTimeline(resource: key, entries: entries, untimed: untimed, budgetMinutes: counted.reduce(0) { $0 + $1.usage.budgetMinutes })
    }
}

extension ResourceTimeline {
    /// `window` minus every span of `busy`, in order.
    static func subtract(_ busy: [TimeSpan], from window: TimeSpan) -> [TimeSpan] {
        var out: [TimeSpan] = []
        var cursor = window.start
        for span in busy.sorted(by: { $0.start < $1.start }) where span.end > cursor && span.start < window.end {
            if span.start > cursor { out.append(TimeSpan(cursor, span.start)) }
            cursor = max(cursor, span.end)
        }
        if cursor < window.end { out.append(TimeSpan(cursor, window.end)) }
        return out
    }
}

extension ResourceTimeline.Entry {
    /// Ties at one minute: what ends first is listed first.
    fileprivate var order: Int {
        switch self {
        case .turnover, .travel: return 0
        case .free: return 1
        case .use: return 2
        }
    }
}
