/// Reads the members of one JSON object, recording every problem with its path
/// in a shared ``Diagnostics`` and warning about keys nobody read.
///
/// Plugins use it to decode their sections, so their errors look like the core's.
public struct ObjectReader {
    public let object: JSONObject
    public let path: JSONPath
    private var consumed: Set<String> = []

    /// Returns `nil` (and records an error) when `value` is not an object.
    public init?(_ value: JSONValue, at path: JSONPath, diagnostics: inout Diagnostics) {
        guard case .object(let object) = value else {
            diagnostics.error(path, "expected an object, found \(value.typeName)")
            return nil
        }
        self.object = object
        self.path = path
    }

    public init(object: JSONObject, at path: JSONPath) {
        self.object = object
        self.path = path
    }

    /// The raw member, marking it as read.
    public mutating func value(_ key: String) -> JSONValue? {
        consumed.insert(key)
        return object[key]
    }

    /// Marks keys as known without reading them.
    public mutating func ignore(_ keys: String...) { consumed.formUnion(keys) }

    /// Warns about every member that was never read.
    public func warnAboutUnknownKeys(_ diagnostics: inout Diagnostics) {
        for key in object.keys where !consumed.contains(key) {
            diagnostics.warning(path + key, "unknown key, ignored")
        }
    }

    // MARK: Typed members

    public mutating func string(_ key: String, required: Bool = false, _ d: inout Diagnostics) -> String? {
        guard let value = value(key), value != .null else {
            if required { d.error(path + key, "is required (a string)") }
            return nil
        }
        guard case .string(let s) = value else {
            d.error(path + key, "\(value.excerpt) is \(value.typeName), expected a string")
            return nil
        }
        return s
    }

    /// A non-empty identifier.
    public mutating func identifier(_ key: String, required: Bool = true, _ d: inout Diagnostics) -> String? {
        guard let s = string(key, required: required, &d) else { return nil }
        if s.isEmpty {
            d.error(path + key, "must be a non-empty string")
            return nil
        }
        return s
    }

    public mutating func bool(_ key: String, _ d: inout Diagnostics) -> Bool? {
        guard let value = value(key), value != .null else { return nil }
        guard case .bool(let b) = value else {
            d.error(path + key, "\(value.excerpt) is \(value.typeName), expected true or false")
            return nil
        }
        return b
    }

    /// A finite number `>= minimum`.
    public mutating func number(_ key: String, required: Bool = false, minimum: Double? = 0, _ d: inout Diagnostics) -> Double? {
        guard let value = value(key), value != .null else {
            if required { d.error(path + key, "is required (a number)") }
            return nil
        }
        return ObjectReader.number(value, at: path + key, minimum: minimum, &d)
    }

    public static func number(_ value: JSONValue, at path: JSONPath, minimum: Double? = 0, _ d: inout Diagnostics) -> Double? {
        guard case .number(let n) = value else {
            d.error(path, "\(value.excerpt) is \(value.typeName), expected a number")
            return nil
        }
        if let minimum, n < minimum {
            d.error(path, "\(JSONWriter.format(n)) is below the minimum \(JSONWriter.format(minimum))")
            return nil
        }
        guard abs(n) <= maximumNumber else {
            d.error(path, "\(JSONWriter.format(n)) is too large; numbers up to \(JSONWriter.format(maximumNumber)) are supported")
            return nil
        }
        return n
    }

    /// The largest magnitude of a number in a day: money, minutes and weights stay
    /// exact to the cent, and sums of them stay finite.
    public static let maximumNumber = 1e12

    /// An integer in `range`.
    public mutating func integer(_ key: String, required: Bool = false, in range: ClosedRange<Int>, _ d: inout Diagnostics) -> Int? {
        guard let value = value(key), value != .null else {
            if required { d.error(path + key, "is required (an integer \(ObjectReader.describe(range)))") }
            return nil
        }
        return ObjectReader.integer(value, at: path + key, in: range, &d)
    }

    public static func integer(_ value: JSONValue, at path: JSONPath, in range: ClosedRange<Int>, _ d: inout Diagnostics) -> Int? {
        guard case .number(let n) = value else {
            d.error(path, "\(value.excerpt) is \(value.typeName), expected an integer \(describe(range))")
            return nil
        }
        guard n.rounded() == n, n >= Double(range.lowerBound), n <= Double(range.upperBound) else {
            d.error(path, "\(JSONWriter.format(n)) is not an integer \(describe(range))")
            return nil
        }
        return Int(n)
    }

    static func describe(_ range: ClosedRange<Int>) -> String {
        if range.upperBound >= Int(Int32.max) { return ">= \(range.lowerBound)" }
        return "in \(range.lowerBound)...\(range.upperBound)"
    }

    /// A time `HH:MM`; `24:00` only when `allowEndOfDay`.
    public mutating func time(_ key: String, required: Bool = true, allowEndOfDay: Bool, _ d: inout Diagnostics) -> Minute? {
        guard let s = string(key, required: required, &d) else { return nil }
        guard let m = Clock.parse(s, allowEndOfDay: allowEndOfDay) else {
            let hint = allowEndOfDay ? "00:00 to 24:00" : "00:00 to 23:59; 24:00 is allowed only as an end"
            d.error(path + key, "\"\(s)\" is not a time (write two-digit \"HH:MM\", \(hint))")
            return nil
        }
        return m
    }

    /// An array of elements; `nil` when absent.
    public mutating func array(_ key: String, required: Bool = false, _ d: inout Diagnostics) -> [JSONValue]? {
        guard let value = value(key), value != .null else {
            if required { d.error(path + key, "is required (an array)") }
            return nil
        }
        guard case .array(let items) = value else {
            d.error(path + key, "\(value.excerpt) is \(value.typeName), expected an array")
            return nil
        }
        return items
    }

    /// An array of strings; `nil` when absent.
    public mutating func strings(_ key: String, _ d: inout Diagnostics) -> [String]? {
        guard let items = array(key, &d) else { return nil }
        var out: [String] = []
        for (i, item) in items.enumerated() {
            if case .string(let s) = item { out.append(s) } else {
                d.error(path + key + i, "\(item.excerpt) is \(item.typeName), expected a string")
            }
        }
        return out
    }

    /// A nested object reader; `nil` when absent or not an object.
    public mutating func object(_ key: String, required: Bool = false, _ d: inout Diagnostics) -> ObjectReader? {
        guard let value = value(key), value != .null else {
            if required { d.error(path + key, "is required (an object)") }
            return nil
        }
        return ObjectReader(value, at: path + key, diagnostics: &d)
    }

    /// Reads `available` as a list of `{from, to}` windows; absent = the whole of
    /// every day. In a version-2 programme an entry may say `"day": k`; one without
    /// `day` stands for the same hours on every day of `day` (PROBLEM.md §9).
    public mutating func availability(in day: Day, _ d: inout Diagnostics) -> Availability {
        guard let items = array("available", &d) else { return .wholeDay }
        var windows: [TimeSpan] = []
        for (i, item) in items.enumerated() {
            guard var entry = ObjectReader(item, at: path + "available" + i, diagnostics: &d) else { continue }
            let from = entry.time("from", allowEndOfDay: false, &d)
            let to = entry.time("to", allowEndOfDay: true, &d)
            var days = Array(1...max(1, day.days))
            if day.schemaVersion >= 2, entry.value("day") != nil {
                guard let k = entry.programmeDay("day", days: day.days, &d) else { entry.warnAboutUnknownKeys(&d); continue }
                days = [k]
            }
            entry.warnAboutUnknownKeys(&d)
            guard let from, let to else { continue }
            guard to > from else {
                d.error(entry.path + "to", "\"\(Clock.format(to))\" must be later than from \"\(Clock.format(from))\"")
                continue
            }
            for k in days {
                let offset = (k - 1) * minutesPerDay
                windows.append(TimeSpan(from + offset, to + offset))
            }
        }
        return Availability(windows: windows)
    }

    /// A day number of a programme of `days` days, `1...days`; `nil` when absent, or
    /// (with an error naming the range) when it is not one.
    public mutating func programmeDay(_ key: String, days: Int, _ d: inout Diagnostics) -> Int? {
        guard let value = value(key) else { return nil }
        guard case .number(let n) = value, n == n.rounded(), n >= 1, n <= Double(days) else {
            let range = days == 1 ? "the programme has one day (set \"days\" at the top level for more)" : "the programme's days are 1-\(days)"
            d.error(path + key, "\(value.excerpt) is not a day of the programme: \(range)")
            return nil
        }
        return Int(n)
    }
}

/// Ranks of staff, ordered `staff < manager < executive`.
public enum Rank: Int, Sendable, Comparable, CaseIterable, CustomStringConvertible {
    case staff = 0, manager = 1, executive = 2

    public init?(name: String) {
        switch name {
        case "staff": self = .staff
        case "manager": self = .manager
        case "executive": self = .executive
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .staff: return "staff"
        case .manager: return "manager"
        case .executive: return "executive"
        }
    }

    public static func < (a: Rank, b: Rank) -> Bool { a.rawValue < b.rawValue }
}

extension ObjectReader {
    /// A rank name.
    public mutating func rank(_ key: String, required: Bool, _ d: inout Diagnostics) -> Rank? {
        guard let s = string(key, required: required, &d) else { return nil }
        guard let r = Rank(name: s) else {
            d.error(path + key, "\"\(s)\" is not a rank (use executive, manager or staff)")
            return nil
        }
        return r
    }
}
