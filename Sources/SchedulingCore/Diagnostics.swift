/// A location in a JSON document, written like `visits[3].segments[1].end`.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    public enum Component: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    public private(set) var components: [Component] = []

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
    public mutating func removeLast() { components.removeLast() }

    public func appending(_ key: String) -> JSONPath { JSONPath(components + [.key(key)]) }
    public func appending(_ index: Int) -> JSONPath { JSONPath(components + [.index(index)]) }
    public static func + (path: JSONPath, key: String) -> JSONPath { path.appending(key) }
    public static func + (path: JSONPath, index: Int) -> JSONPath { path.appending(index) }

    public var description: String {
        var out = ""
        for component in components {
            switch component {
            case .key(let k):
                let plain = !k.isEmpty && k.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
                if plain {
                    if !out.isEmpty { out += "." }
                    out += k
                } else {
                    out += "[\"\(k)\"]"
                }
            case .index(let i): out += "[\(i)]"
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
