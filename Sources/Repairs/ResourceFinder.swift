import SchedulingCore

/// Resources of the day file found by id, for edits: where each one is, and its
/// availability as written.
struct ResourceFinder: Sendable {
    /// A resource object in `resources.<section>`.
    struct Found: Sendable {
        var section: String
        var index: Int
        var object: JSONObject
        /// How many resources the section lists.
        var sectionCount: Int

        var path: JSONPath { JSONPath([.key("resources"), .key(section), .index(index)]) }
        /// A key for counting entries added to this resource.
        var pathKey: String { "\(section)/\(index)" }
        var availableCount: Int {
            if case .array(let a)? = object["available"] { return a.count }
            return 0
        }
    }

    let day: JSONValue
    private var byID: [String: [Found]] = [:]

    init(_ day: JSONValue) {
        self.day = day
        guard case .object(let root) = day, case .object(let sections)? = root["resources"] else { return }
        for (section, value) in sections.members {
            guard case .array(let items) = value else { continue }
            for (i, item) in items.enumerated() {
                guard case .object(let o) = item, case .string(let id)? = o["id"] else { continue }
                byID[id, default: []].append(Found(section: section, index: i, object: o, sectionCount: items.count))
            }
        }
    }

    /// The resource `key` names: its id in the section named after its kind
    /// (`vehicle` in `vehicles`), or the only section that has the id.
    func locate(_ key: ResourceKey) -> Found? {
        guard let all = byID[key.id] else { return nil }
        if all.count == 1 { return all[0] }
        return all.first { $0.section == key.kind || $0.section == key.kind + "s" || $0.section.hasPrefix(key.kind) || key.kind.hasPrefix($0.section) }
    }

    /// Whether the resource's availability, read as the day's decoder reads it,
    /// covers `span` (PROBLEM.md §8: one entry contains it).
    func covers(_ found: Found, _ span: TimeSpan, in day: Day) -> Bool {
        var ignored = Diagnostics()
        var reader = ObjectReader(object: found.object, at: found.path)
        return reader.availability(in: day, &ignored).covers(span)
    }

    /// An `available` entry for `span` (with its `day` in a programme).
    func entry(_ span: TimeSpan, programme: Bool) -> JSONValue {
        var o = JSONObject()
        if programme { o["day"] = .number(Double(span.day)) }
        o["from"] = .string(Clock.timeOfDay(span.start, asStart: true))
        o["to"] = .string(Clock.timeOfDay(span.end, asStart: false))
        return .object(o)
    }

    /// An id for a copy of `id` that no resource has and `used` does not hold:
    /// `CAR-03-extra`, `CAR-03-extra2`, …; added to `used`, and counted among the
    /// copies added to `section` in `added`.
    func freshID(like id: String, in section: String, used: inout Set<String>, added: inout [String: Int]) -> String {
        var candidate = id + "-extra"
        var n = 2
        while byID[candidate] != nil || used.contains(candidate) {
            candidate = id + "-extra\(n)"
            n += 1
        }
        used.insert(candidate)
        added[section, default: 0] += 1
        return candidate
    }

    /// The day with every resource available all day, every day.
    func everyoneAvailable() -> JSONValue {
        guard case .object(var root) = day, case .object(var sections)? = root["resources"] else { return day }
        for (i, member) in sections.members.enumerated() {
            guard case .array(var items) = member.value else { continue }
            for k in items.indices {
                if case .object(var o) = items[k] {
                    o["available"] = nil
                    items[k] = .object(o)
                }
            }
            sections.members[i].value = .array(items)
        }
        root["resources"] = .object(sections)
        return .object(root)
    }

    /// The resources of `resources.<section>`, in order.
    func items(in section: String) -> [Found] {
        guard case .object(let root) = day, case .object(let sections)? = root["resources"],
              case .array(let items)? = sections[section] else { return [] }
        return items.enumerated().compactMap { i, item in
            guard case .object(let o) = item else { return nil }
            return Found(section: section, index: i, object: o, sectionCount: items.count)
        }
    }

    /// `day` (a version of this finder's day) with every resource listed twice, the
    /// second time under a fresh id; and each fresh id's original.
    func doubled(_ day: JSONValue) -> (day: JSONValue, originals: [String: String]) {
        guard case .object(var root) = day, case .object(var sections)? = root["resources"] else { return (day, [:]) }
        var originals: [String: String] = [:]
        var used = Set<String>()
        var added: [String: Int] = [:]
        for (i, member) in sections.members.enumerated() {
            guard case .array(let items) = member.value else { continue }
            var copies: [JSONValue] = []
            for item in items {
                guard case .object(var o) = item, case .string(let id)? = o["id"] else { continue }
                let fresh = freshID(like: id, in: member.key, used: &used, added: &added)
                originals[fresh] = id
                o["id"] = .string(fresh)
                o["name"] = nil
                copies.append(.object(o))
            }
            sections.members[i].value = .array(items + copies)
        }
        root["resources"] = .object(sections)
        return (.object(root), originals)
    }

    /// Whether the day file has a value at `path`.
    func has(_ path: JSONPath) -> Bool {
        var value = day
        for component in path.components {
            switch (value, component) {
            case (.object(let o), .key(let k)):
                guard let next = o[k] else { return false }
                value = next
            case (.array(let a), .index(let i)):
                guard a.indices.contains(i) else { return false }
                value = a[i]
            default: return false
            }
        }
        return true
    }

    /// Spans sorted, overlapping or touching ones within one day merged.
    static func merged(_ spans: [TimeSpan]) -> [TimeSpan] {
        var out: [TimeSpan] = []
        for s in spans.sorted(by: { ($0.start, $0.end) < ($1.start, $1.end) }) {
            if let last = out.last, s.start <= last.end, TimeSpan(last.start, max(last.end, s.end)).isWithinOneDay {
                out[out.count - 1] = TimeSpan(last.start, max(last.end, s.end))
            } else {
                out.append(s)
            }
        }
        return out
    }
}
