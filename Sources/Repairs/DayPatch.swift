import SchedulingCore

/// One edit a repair makes to the day file, as an RFC 6902 JSON Patch operation
/// (`add`, `replace` or `remove`), so that tools can apply it with any JSON Patch
/// library. The path is kept as a ``JSONPath`` and written as a JSON Pointer; an
/// `add` into an array names the index the element takes (its length appends).
public struct PatchOperation: Sendable, Equatable {
    /// The operations repairs use.
    public enum Kind: String, Sendable, Equatable { case add, replace, remove }

    public var kind: Kind
    public var path: JSONPath
    /// The new value; `nil` for `remove`.
    public var value: JSONValue?

    public init(_ kind: Kind, _ path: JSONPath, _ value: JSONValue? = nil) {
        self.kind = kind
        self.path = path
        self.value = value
    }

    /// `path` as a JSON Pointer (RFC 6901): `/visits/3/segments/1/start`.
    public var pointer: String {
        path.components.map { component -> String in
            switch component {
            case .index(let i): return "/\(i)"
            case .key(let k): return "/" + k.replacingTilde()
            }
        }.joined()
    }

    /// The operation as RFC 6902 writes it.
    public var json: JSONValue {
        var o = JSONObject([(key: "op", value: .string(kind.rawValue)), (key: "path", value: .string(pointer))])
        if let value { o["value"] = value }
        return .object(o)
    }
}

/// A patch that does not fit the document it is applied to.
public struct PatchError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension JSONValue {
    /// This document with `operations` applied in order.
    ///
    /// - Throws: ``PatchError`` naming the first operation whose path does not exist
    ///   (or, for `add` into an array, whose index is past its end).
    public func applying(_ operations: [PatchOperation]) throws(PatchError) -> JSONValue {
        var out = self
        for operation in operations {
            out = try out.applying(operation, at: operation.path.components[...], whole: operation)
        }
        return out
    }

    private func applying(_ operation: PatchOperation, at rest: ArraySlice<JSONPath.Component>,
                          whole: PatchOperation) throws(PatchError) -> JSONValue {
        guard let first = rest.first else {
            // The root itself: only replace makes sense.
            guard operation.kind != .remove, let value = operation.value else { throw PatchError("\(whole.pointer): cannot remove the document") }
            return value
        }
        let tail = rest.dropFirst()
        switch (self, first) {
        case (.object(var o), .key(let k)):
            if tail.isEmpty {
                switch operation.kind {
                case .add: o[k] = operation.value ?? .null
                case .replace:
                    guard o[k] != nil else { throw PatchError("\(whole.pointer): there is no \"\(k)\" to replace") }
                    o[k] = operation.value ?? .null
                case .remove:
                    guard o[k] != nil else { throw PatchError("\(whole.pointer): there is no \"\(k)\" to remove") }
                    o[k] = nil
                }
                return .object(o)
            }
            guard let child = o[k] else { throw PatchError("\(whole.pointer): there is no \"\(k)\"") }
            o[k] = try child.applying(operation, at: tail, whole: whole)
            return .object(o)
        case (.array(var a), .index(let i)):
            if tail.isEmpty {
                switch operation.kind {
                case .add:
                    guard i >= 0, i <= a.count else { throw PatchError("\(whole.pointer): index \(i) is past the end (\(a.count))") }
                    a.insert(operation.value ?? .null, at: i)
                case .replace, .remove:
                    guard a.indices.contains(i) else { throw PatchError("\(whole.pointer): there is no element \(i)") }
                    if operation.kind == .remove { a.remove(at: i) } else { a[i] = operation.value ?? .null }
                }
                return .array(a)
            }
            guard a.indices.contains(i) else { throw PatchError("\(whole.pointer): there is no element \(i)") }
            a[i] = try a[i].applying(operation, at: tail, whole: whole)
            return .array(a)
        default:
            throw PatchError("\(whole.pointer): \(self.typeName) has no member \(first)")
        }
    }
}

extension String {
    /// RFC 6901's escapes: `~` as `~0`, `/` as `~1`.
    fileprivate func replacingTilde() -> String {
        var out = ""
        for c in self {
            switch c {
            case "~": out += "~0"
            case "/": out += "~1"
            default: out.append(c)
            }
        }
        return out
    }
}
