/// Helpers that resource plugins share for reading their sections.
public enum PluginInput {
    /// The items of `resources[key]`, each with its path; empty when absent.
    public static func resourceItems(_ day: Day, key: String, _ d: inout Diagnostics) -> [(JSONValue, JSONPath)] {
        let path = JSONPath([.key("resources"), .key(key)])
        guard let value = day.resources[key], value != .null else { return [] }
        guard case .array(let items) = value else {
            d.error(path, "\(value.excerpt) is \(value.typeName), expected an array of \(key)")
            return []
        }
        return items.enumerated().map { ($0.element, path + $0.offset) }
    }

    /// Reports a repeated id; returns whether `id` is new.
    public static func claim(_ id: String, in seen: inout Set<String>, at path: JSONPath, kind: String, _ d: inout Diagnostics) -> Bool {
        if seen.insert(id).inserted { return true }
        d.error(path, "\"\(id)\" is used by an earlier \(kind); \(kind) ids must be unique")
        return false
    }

    /// Checks that a location reference resolves.
    public static func location(_ id: String?, at path: JSONPath, day: Day, _ d: inout Diagnostics) -> String? {
        guard let id else { return nil }
        guard day.hasLocation(id) else {
            d.error(path, "\"\(id)\" is not a location; add it to locations or fix the id")
            return nil
        }
        return id
    }

    /// The segment need object for `key`, as a reader; reports non-objects. Its
    /// `pin` (§10) is the core's (``Pins``): the reader counts it as read.
    public static func need(_ segment: Segment, key: String, _ d: inout Diagnostics) -> ObjectReader? {
        guard let value = segment.needs[key] else { return nil }
        var reader = ObjectReader(value, at: segment.path + "needs" + key, diagnostics: &d)
        reader?.ignore(Pins.key)
        return reader
    }

    /// An integer tier field in `range`, required.
    public static func tierInteger(_ tier: TierPolicy, _ field: String, in range: ClosedRange<Int>, _ d: inout Diagnostics) -> Int? {
        var r = ObjectReader(object: tier.fields, at: tier.path)
        return r.integer(field, required: true, in: range, &d)
    }
}

extension JSONObject {
    /// Builds an object from pairs in order.
    public init(pairs: KeyValuePairs<String, JSONValue>) {
        self.init(pairs.map { (key: $0.key, value: $0.value) })
    }
}
