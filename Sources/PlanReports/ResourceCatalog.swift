import SchedulingCore

/// The day's resources with what a person needs to recognise them: the list
/// they come from (`venues`, `drivers`), their name and their details, read
/// from the day's `resources` object whatever plugin declared them.
public struct ResourceCatalog: Sendable {
    /// One resource of the day.
    public struct Entry: Sendable {
        /// Its kind and id.
        public var key: ResourceKey
        /// The `resources` list it is written in (`vehicles`), or its kind when no list matches.
        public var group: String
        /// Its `name`, when the day gives one.
        public var name: String?
        /// Its other plain fields in the day's order (`type sedan`, `seats 3`), for people.
        public var details: [(field: String, value: String)]
        /// Its `available` windows in programme minutes (an entry without `day`
        /// on a programme is one window on each day); `nil` = the whole of every day.
        public var availability: [TimeSpan]?
        /// The nights its block is held (a hotel's `nights`); `nil` when it does not say.
        public var nights: [Int]?
        /// How it is shared, as its plugin declares it.
        public var sharing: Sharing
        /// Its budget of used minutes, as its plugin declares it.
        public var minuteBudget: Double?

        /// `DRV-01 Zhang Min`, or just the id.
        public var label: String { name.map { "\(key.id) \($0)" } ?? key.id }

        /// `type sedan · grade 5 · seats 3 · home HQ`.
        public var detailText: String { details.map { "\($0.field) \($0.value)" }.joined(separator: " · ") }

        /// `available all day`, `available 07:00-19:00`.
        public var availabilityText: String {
            guard let availability else { return "available all day" }
            return availability.isEmpty ? "never available" : "available " + availability.map(\.description).joined(separator: ", ")
        }

        /// Its windows on programme day `k` (`nil` = all of that day).
        public func availability(onDay k: Int) -> [TimeSpan]? {
            availability.map { windows in windows.filter { $0.day == k } }
        }

        /// `available all day`, `available 07:00-19:00`, `not available on day 2`:
        /// its availability on programme day `k`, times within the day.
        public func availabilityText(onDay k: Int) -> String {
            guard let windows = availability(onDay: k) else { return "available all day" }
            guard !windows.isEmpty else { return "not available on day \(k)" }
            return "available " + windows.map { Clock.timeOfDay($0.start, asStart: true) + "-" + Clock.timeOfDay($0.end, asStart: false) }
                .joined(separator: ", ")
        }
    }

    /// Every resource by key.
    public let entries: [ResourceKey: Entry]
    /// Groups in the order the day lists them, each with its resources by id.
    public let groups: [(name: String, keys: [ResourceKey])]

    /// Reads the resources of a day: those its plugins declared, with their entries in `resources`.
    public init(problem: Problem) {
        let lists = problem.day.resources
        var items: [String: [String: JSONObject]] = [:]
        for member in lists.members {
            guard case .array(let array) = member.value else { continue }
            var byID: [String: JSONObject] = [:]
            for item in array {
                if case .object(let o) = item, case .string(let id)? = o["id"], byID[id] == nil { byID[id] = o }
            }
            items[member.key] = byID
        }
        var entries: [ResourceKey: Entry] = [:]
        var grouped: [String: [ResourceKey]] = [:]
        for (key, declaration) in problem.resources {
            let group = ResourceCatalog.list(for: key, in: lists.keys, items: items)
            let object = group.flatMap { items[$0]?[key.id] }
            var entry = Entry(key: key, group: group ?? key.kind, name: nil, details: [], availability: nil, nights: nil,
                              sharing: declaration.sharing, minuteBudget: declaration.minuteBudget)
            if let object {
                if case .string(let name)? = object["name"] { entry.name = name }
                entry.availability = ResourceCatalog.windows(object["available"], days: problem.day.isProgramme ? max(1, problem.day.days) : 1)
                if problem.day.isProgramme, case .array(let nights)? = object["nights"] {
                    entry.nights = nights.compactMap { if case .number(let n) = $0, n == n.rounded() { return Int(n) } else { return nil } }
                }
                for member in object.members where !["id", "name", "available"].contains(member.key) {
                    if let text = ResourceCatalog.plain(member.value) { entry.details.append((member.key, text)) }
                }
            }
            entries[key] = entry
            grouped[entry.group, default: []].append(key)
        }
        let order = lists.keys + grouped.keys.filter { !lists.keys.contains($0) }.sorted()
        self.entries = entries
        self.groups = order.compactMap { name in grouped[name].map { (name, $0.sorted()) } }
    }

    /// The entry of a key; resources the day names but no plugin declared get a bare entry.
    public subscript(key: ResourceKey) -> Entry {
        entries[key] ?? Entry(key: key, group: key.kind, name: nil, details: [], availability: nil, nights: nil,
                              sharing: .exclusive(turnoverMinutes: 0), minuteBudget: nil)
    }

    /// `Venues` for the group `venues`.
    public static func title(ofGroup group: String) -> String {
        group.prefix(1).uppercased() + group.dropFirst()
    }

    /// Keys whose id (or `kind:id`) is `query`.
    public func keys(matching query: String) -> [ResourceKey] {
        entries.keys.filter { $0.id == query || "\($0.kind):\($0.id)" == query }.sorted()
    }

    /// The `resources` list a key comes from: the one named after its kind
    /// (`venue` in `venues`), else the only list holding its id.
    private static func list(for key: ResourceKey, in names: [String], items: [String: [String: JSONObject]]) -> String? {
        let kind = key.kind
        let plural = [kind, kind + "s", kind + "es", kind.hasSuffix("y") ? String(kind.dropLast()) + "ies" : kind + "s"]
        if let name = names.first(where: { plural.contains($0) && items[$0]?[key.id] != nil }) { return name }
        let holding = names.filter { items[$0]?[key.id] != nil }
        return holding.count == 1 ? holding[0] : nil
    }

    /// `available` entries as programme-minute windows: an entry with `day` on
    /// that day, one without on each of the `days` days (PROBLEM.md §9).
    private static func windows(_ value: JSONValue?, days: Int) -> [TimeSpan]? {
        guard case .array(let items)? = value else { return nil }
        var out: [TimeSpan] = []
        for item in items {
            guard case .object(let o) = item, case .string(let from)? = o["from"], case .string(let to)? = o["to"],
                  let start = Clock.parse(from, allowEndOfDay: false), let end = Clock.parse(to, allowEndOfDay: true) else { continue }
            var onDays = Array(1...days)
            if case .number(let k)? = o["day"] { onDays = [Int(k)] }
            for k in onDays { out.append(TimeSpan((k - 1) * minutesPerDay + start, (k - 1) * minutesPerDay + end)) }
        }
        // A one-day file's entries stay in the order written.
        return days > 1 ? out.sorted { ($0.start, $0.end) < ($1.start, $1.end) } : out
    }

    /// A plain value for people: strings, numbers, yes/no, lists of those.
    private static func plain(_ value: JSONValue) -> String? {
        switch value {
        case .string(let s): return s.isEmpty ? nil : s
        case .number(let n): return Pretty.number(n)
        case .bool(let b): return b ? "yes" : "no"
        case .array(let items):
            let parts = items.compactMap(plain)
            return parts.isEmpty || parts.count != items.count ? nil : parts.joined(separator: ", ")
        case .null, .object: return nil
        }
    }
}
