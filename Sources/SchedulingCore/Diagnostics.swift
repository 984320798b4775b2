/// A location in a JSON document, written like `visits[3].segments[1].end`.
///
/// An entry of `resources` can carry the id a person searches for; it is
/// written after the index, `resources.venues[0] (id "V-HALL").grade`, and
/// takes no part in equality: two paths to the same place are equal whether
/// or not they name the id.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    public enum Component: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    public private(set) var components: [Component] = []

    /// The ids of elements along the path, by the position of their index in ``components``.
    private var ids: [Int: String] = [:]

    public init() {}

    public init(_ components: [Component]) { self.components = components }

    /// Parses the dotted form (`visits[3].needs.venue`), for tests and literals.
    public init(stringLiteral value: String) {
        for part in value.split(separator: ".") {
            var name = Substring(part)
            var indices: [Int] = []
            while name.hasSuffix("]"), let open = name.lastIndex(of: "[") {
                if let i = Int(name[name.index(after: open)..<name.index(before: name.endIndex)]) { indices.insert(i, at: 0) }
                name = name[..<open]
            }
            if !name.isEmpty { components.append(.key(String(name))) }
            components.append(contentsOf: indices.map { .index($0) })
        }
    }

    public mutating func append(_ component: Component) { components.append(component) }

    public mutating func removeLast() {
        ids[components.count - 1] = nil
        components.removeLast()
    }

    public func appending(_ key: String) -> JSONPath {
        var path = self
        path.append(.key(key))
        return path
    }

    public func appending(_ index: Int) -> JSONPath {
        var path = self
        path.append(.index(index))
        return path
    }

    public static func + (path: JSONPath, key: String) -> JSONPath { path.appending(key) }
    public static func + (path: JSONPath, index: Int) -> JSONPath { path.appending(index) }

    /// When this path leads into an entry of a `resources` list of `day`
    /// (`resources.venues[0].grade`), the path with that entry named by its
    /// `id`: `resources.venues[0] (id "V-HALL").grade`, the same for every
    /// resource kind. Unchanged elsewhere, and when the entry's `id` is not a
    /// readable string (absent, not a string, empty, longer than 64
    /// characters, or holding control characters).
    func identifyingResourceEntry(in day: JSONValue) -> JSONPath {
        guard components.count >= 3, case .key("resources") = components[0], case .key(let key) = components[1],
              case .index(let index) = components[2],
              case .array(let entries)? = day.objectValue?["resources"]?.objectValue?[key], entries.indices.contains(index),
              case .string(let id)? = entries[index].objectValue?["id"], JSONPath.isReadable(id) else { return self }
        var path = self
        path.ids[2] = id
        return path
    }

    private static func isReadable(_ id: String) -> Bool {
        guard !id.isEmpty, id.utf8.count <= 256, id.count <= 64 else { return false }
        return id.unicodeScalars.allSatisfy { scalar in
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator: return false
            default: return true
            }
        }
    }

    public static func == (lhs: JSONPath, rhs: JSONPath) -> Bool { lhs.components == rhs.components }

    public func hash(into hasher: inout Hasher) { hasher.combine(components) }

    public var description: String {
        var out = ""
        for (position, component) in components.enumerated() {
            switch component {
            case .key(let k):
                let plain = !k.isEmpty && k.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
                if plain {
                    if !out.isEmpty { out += "." }
                    out += k
                } else {
                    out += "[\"\(k)\"]"
                }
            case .index(let i):
                out += "[\(i)]"
                if let id = ids[position] {
                    out += " (id \""
                    for character in id {
                        if character == "\"" || character == "\\" { out += "\\" }
                        out.append(character)
                    }
                    out += "\")"
                }
            }
        }
        return out.isEmpty ? "(document)" : out
    }
}

/// One problem found in the input.
public struct InputIssue: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        case error, warning
    }

    public var severity: Severity
    public var path: JSONPath
    /// What is wrong, and when helpful, what would fix it.
    public var message: String

    public init(_ severity: Severity, at path: JSONPath, _ message: String) {
        self.severity = severity
        self.path = path
        self.message = message
    }

    public var description: String { "\(severity == .warning ? "warning: " : "")\(path): \(message)" }
}

/// Collects every problem of an input, so that a planner sees them all at once.
public struct Diagnostics: Sendable {
    public private(set) var issues: [InputIssue] = []

    public init() {}

    public mutating func error(_ path: JSONPath, _ message: String) {
        issues.append(InputIssue(.error, at: path, message))
    }

    public mutating func warning(_ path: JSONPath, _ message: String) {
        issues.append(InputIssue(.warning, at: path, message))
    }

    public mutating func append(contentsOf other: Diagnostics) { issues.append(contentsOf: other.issues) }

    public var errors: [InputIssue] { issues.filter { $0.severity == .error } }
    public var warnings: [InputIssue] { issues.filter { $0.severity == .warning } }
    public var hasErrors: Bool { issues.contains { $0.severity == .error } }

    /// Names the `resources` entry of `day` that each issue lies under by the
    /// entry's id (``JSONPath/identifyingResourceEntry(in:)``): one place for
    /// every resource kind, whichever plugin or parser found the issue.
    mutating func identifyResourceEntries(in day: JSONValue) {
        for i in issues.indices { issues[i].path = issues[i].path.identifyingResourceEntry(in: day) }
    }
}

/// The input could not be used: every error found, each with its path.
public struct InputError: Error, Sendable, CustomStringConvertible {
    public var issues: [InputIssue]

    public init(issues: [InputIssue]) { self.issues = issues }

    public init(_ path: JSONPath, _ message: String) {
        self.issues = [InputIssue(.error, at: path, message)]
    }

    public var errors: [InputIssue] { issues.filter { $0.severity == .error } }

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
