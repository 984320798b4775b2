import SchedulingCore

/// A validator for the part of JSON Schema (2020-12) that `schemas/` uses, so
/// that the tests need no dependency. A keyword it does not know is reported
/// as an error rather than ignored, so a schema cannot quietly rely on
/// something this validator does not check.
struct SchemaValidator {
    let root: JSONValue

    /// Keywords that only annotate.
    static let annotations: Set<String> = ["$schema", "$id", "$comment", "$defs", "title", "description", "default", "examples"]
    /// Keywords that are checked.
    static let assertions: Set<String> = [
        "$ref", "type", "enum", "const", "properties", "required", "additionalProperties", "items",
        "minItems", "minimum", "maximum", "exclusiveMinimum", "minLength", "pattern",
    ]

    /// Every violation of `schema` (default: the root) by `value`, as `path: message`.
    func validate(_ value: JSONValue, against schema: JSONValue? = nil, at path: String = "") -> [String] {
        guard case .object(let s) = schema ?? root else { return ["\(path): the schema is not an object"] }
        var errors: [String] = []
        let here = path.isEmpty ? "(document)" : path
        for key in s.keys where !Self.annotations.contains(key) && !Self.assertions.contains(key) {
            errors.append("\(here): the schema uses \"\(key)\", which this validator does not check")
        }
        if case .string(let ref)? = s["$ref"] {
            if let target = resolve(ref) {
                errors += validate(value, against: target, at: path)
            } else {
                errors.append("\(here): cannot resolve \(ref)")
            }
        }
        if let type = s["type"] {
            let types = type.arrayOfStrings ?? (type.stringValue.map { [$0] } ?? [])
            if !types.contains(where: { Self.matches(value, type: $0) }) {
                errors.append("\(here): \(value.excerpt) is \(value.typeName), expected \(types.joined(separator: " or "))")
            }
        }
        if case .array(let options)? = s["enum"], !options.contains(value) {
            errors.append("\(here): \(value.excerpt) is not one of \(JSONWriter.compact(.array(options)))")
        }
        if let constant = s["const"], constant != value {
            errors.append("\(here): \(value.excerpt) is not \(JSONWriter.compact(constant))")
        }
        switch value {
        case .object(let o):
            let properties = s["properties"]?.objectValue ?? JSONObject()
            for name in s["required"]?.arrayOfStrings ?? [] where o[name] == nil {
                errors.append("\(here): \"\(name)\" is required")
            }
            for member in o.members {
                let child = path.isEmpty ? member.key : path + "." + member.key
                if let p = properties[member.key] {
                    errors += validate(member.value, against: p, at: child)
                } else if let extra = s["additionalProperties"] {
                    if extra == .bool(false) {
                        errors.append("\(child): not allowed here (allowed: \(properties.keys.joined(separator: ", ")))")
                    } else if case .object = extra {
                        errors += validate(member.value, against: extra, at: child)
                    }
                }
            }
        case .array(let items):
            if case .number(let n)? = s["minItems"], Double(items.count) < n { errors.append("\(here): fewer than \(JSONWriter.format(n)) items") }
            if let itemSchema = s["items"] {
                for (i, item) in items.enumerated() { errors += validate(item, against: itemSchema, at: "\(path)[\(i)]") }
            }
        case .number(let n):
            if case .number(let m)? = s["minimum"], n < m { errors.append("\(here): \(JSONWriter.format(n)) is below \(JSONWriter.format(m))") }
            if case .number(let m)? = s["maximum"], n > m { errors.append("\(here): \(JSONWriter.format(n)) is above \(JSONWriter.format(m))") }
            if case .number(let m)? = s["exclusiveMinimum"], n <= m { errors.append("\(here): \(JSONWriter.format(n)) is not above \(JSONWriter.format(m))") }
        case .string(let text):
            if case .number(let m)? = s["minLength"], Double(text.count) < m { errors.append("\(here): shorter than \(JSONWriter.format(m))") }
            if case .string(let pattern)? = s["pattern"] {
                do {
                    if try Regex(pattern).firstMatch(in: text) == nil { errors.append("\(here): \"\(text)\" does not match \(pattern)") }
                } catch {
                    errors.append("\(here): the pattern \(pattern) is not a regular expression")
                }
            }
        case .bool, .null:
            break
        }
        return errors
    }

    /// `#/$defs/name` (or any `#/a/b` pointer) in this schema.
    func resolve(_ ref: String) -> JSONValue? {
        guard ref.hasPrefix("#/") else { return nil }
        var node = root
        for part in ref.dropFirst(2).split(separator: "/") {
            guard case .object(let o) = node, let next = o[String(part)] else { return nil }
            node = next
        }
        return node
    }

    /// The schema with its `$ref` followed (siblings of `$ref` are dropped; they only annotate here).
    func resolved(_ schema: JSONValue) -> (schema: JSONValue, pointer: String?) {
        var node = schema
        var pointer: String?
        var hops = 0
        while case .string(let ref)? = node.objectValue?["$ref"], let target = resolve(ref), hops < 20 {
            node = target
            pointer = ref
            hops += 1
        }
        return (node, pointer)
    }

    static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("null", .null), ("number", .number):
            return true
        case ("integer", .number(let n)):
            return n.rounded() == n
        default:
            return false
        }
    }
}

extension JSONValue {
    var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    var arrayOfStrings: [String]? {
        guard case .array(let items) = self else { return nil }
        let strings = items.compactMap(\.stringValue)
        return strings.count == items.count ? strings : nil
    }
}
