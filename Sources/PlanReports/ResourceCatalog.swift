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
        /// Its `available` windows; `nil` = the whole day.
        public var availability: [TimeSpan]?
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
            var entry = Entry(key: key, group: group ?? key.kind, name: nil, details: [], availability: nil,
                              sharing: declaration.sharing, minuteBudget: declaration.minuteBudget)
            if let object {
                if case .string(let name)? = object["name"] { entry.name = name }
                entry.availability = ResourceCatalog.windows(object["available"])
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
        entries[key] ?? Entry(key: key, group: key.kind, name: nil, details: [], availability: nil,
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

    private static func windows(_ value: JSONValue?) -> [TimeSpan]? {
        guard case .array(let items)? = value else { return nil }
        var out: [TimeSpan] = []
        for item in items {
            guard case .object(let o) = item, case .string(let from)? = o["from"], case .string(let to)? = o["to"],
                  let start = Clock.parse(from, allowEndOfDay: false), let end = Clock.parse(to, allowEndOfDay: true) else { continue }
            out.append(TimeSpan(start, end))
        }
        return out
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
