import Foundation
import PlanReports
import SchedulingCore
import Testing

/// `schemas/day.schema.json` and `schemas/plan.schema.json` kept in step with
/// the decoder and the plan writer:
///
/// - every example day validates against the day schema, and every plan the
///   optimizer writes for them against the plan schema;
/// - the plugin-owned parts (resource lists, need keys, tier and weight
///   fields, cost categories) are exactly those of the CLI's registry;
/// - for every object of the day, the keys the decoder reads are exactly the
///   schema's properties there: each word that the decoder's and plugins'
///   sources spell, and each schema property, is put into every object of a
///   day and the decoder's "unknown key" warnings show which it read;
/// - the keys whose absence is an input error are exactly the schema's `required`.
@Suite("Report: JSON Schemas kept in step with the decoder")
struct ReportSchemaTests {
    static let folder = ReportFixtures.packageRoot.appendingPathComponent("schemas")

    static func load(_ name: String) throws -> JSONValue {
        let data = try Data(contentsOf: folder.appendingPathComponent(name))
        return try JSONParser.parse([UInt8](data)).value
    }

    static var day: SchemaValidator { get throws { SchemaValidator(root: try load("day.schema.json")) } }
    static var plan: SchemaValidator { get throws { SchemaValidator(root: try load("plan.schema.json")) } }

    // MARK: The validator itself

    @Test("the validator finds each kind of violation it claims to check")
    func validatorFindsViolations() throws {
        let schema: JSONValue = [
            "type": "object", "required": ["a"], "additionalProperties": false,
            "properties": [
                "a": ["$ref": "#/$defs/time"],
                "b": ["type": "integer", "minimum": 1, "maximum": 5],
                "c": ["enum": ["x", "y"]],
                "d": ["type": "array", "minItems": 1, "items": ["type": "string", "minLength": 1]],
                "e": ["type": ["number", "null"], "exclusiveMinimum": 0],
                "f": ["const": 1],
            ],
            "$defs": ["time": ["type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$"]],
        ]
        let v = SchemaValidator(root: schema)
        #expect(v.validate(["a": "09:00", "b": 3, "c": "x", "d": ["q"], "e": .null, "f": 1]).isEmpty)
        let cases: [(JSONValue, String)] = [
            (["b": 1], "\"a\" is required"),
            (["a": "9:00"], "does not match"),
            (["a": 900], "expected string"),
            (["a": "09:00", "b": 2.5], "expected integer"),
            (["a": "09:00", "b": 0], "below"),
            (["a": "09:00", "b": 6], "above"),
            (["a": "09:00", "c": "z"], "not one of"),
            (["a": "09:00", "d": []], "fewer than"),
            (["a": "09:00", "d": [""]], "shorter than"),
            (["a": "09:00", "e": 0], "not above"),
            (["a": "09:00", "f": 2], "is not 1"),
            (["a": "09:00", "g": 1], "g: not allowed"),
        ]
        for (value, message) in cases {
            let errors = v.validate(value)
            #expect(errors.contains { $0.contains(message) }, "\(JSONWriter.compact(value)): \(errors)")
        }
        #expect(SchemaValidator(root: ["type": "object", "oneOf": []]).validate([:]).contains { $0.contains("does not check") })
    }

    // MARK: Examples against the schemas

    /// Every example day: the bundled ones and the shared ones.
    static func exampleDays() throws -> [(String, JSONValue)] {
        let bundled = try FileManager.default.contentsOfDirectory(atPath: ReportFixtures.packageRoot.appendingPathComponent("Examples").path)
            .filter { $0.hasSuffix(".json") }.sorted().map { ReportFixtures.packageRoot.appendingPathComponent("Examples/" + $0).path }
        let examples = ReportFixtures.packageRoot.appendingPathComponent("Examples").path + "/"
        let shared = ReportFixtures.dayPaths.map(\.path).filter { !$0.hasPrefix(examples) }
        return try (bundled + shared).map { path in
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            return (URL(fileURLWithPath: path).lastPathComponent, try JSONParser.parse([UInt8](data)).value)
        }
    }

    @Test("every example day validates against the day schema")
    func examplesValidate() throws {
        let validator = try Self.day
        let days = try Self.exampleDays()
        #expect(!days.isEmpty)
        for (name, value) in days {
            let errors = validator.validate(value)
            #expect(errors.isEmpty, "\(name):\n\(errors.joined(separator: "\n"))")
        }
        // And the schema rejects what the decoder rejects.
        let base = try #require(days.first { $0.0 == "reception-day.json" }?.1)
        for (broken, what) in [
            (base.setting("visits[0].segments[0].start", to: "8:30"), "does not match"),
            (base.setting("visits[0].tier", to: "vip"), "not one of"),
            (base.removing("visits[0].guests"), "\"guests\" is required"),
            (base.setting("resources.helicopters", to: []), "helicopters: not allowed"),
            (base.setting("visits[0].segments[0].needs.lunch", to: [:]), "lunch: not allowed"),
        ] {
            #expect(validator.validate(broken).contains { $0.contains(what) }, "\(what)")
        }
    }

    @Test("every plan the optimizer writes for the example days validates against the plan schema", arguments: ReportFixtures.names)
    func plansValidate(_ name: String) throws {
        let f = try ReportFixtures.fixture(name)
        let errors = try Self.plan.validate(f.planJSON)
        #expect(errors.isEmpty, "\(name):\n\(errors.joined(separator: "\n"))")
    }

    @Test("a plan whose solver states its seconds, as the spec's section 6 example does, validates")
    func solverSeconds() throws {
        let f = try ReportFixtures.fixture(ReportFixtures.names[0])
        guard case .object(var plan) = f.planJSON else { Issue.record("a plan is an object"); return }
        plan["solver"] = ["plugin": "glpk", "seconds": 1.84]
        #expect(try Self.plan.validate(.object(plan)).isEmpty)
        plan["solver"] = ["plugin": "glpk", "seconds": "fast"]
        #expect(try !Self.plan.validate(.object(plan)).isEmpty)
    }

    // MARK: Plugin-owned parts against the registry

    @Test("resource lists, need keys, tier and weight fields and cost categories are the registry's")
    func registryParts() throws {
        let registry = ReportFixtures.registry()
        let day = try Self.day
        func keys(_ pointer: String) throws -> Set<String> {
            let node = try #require(day.resolve(pointer), "\(pointer) is missing")
            return Set(node.objectValue?["properties"]?.objectValue?.keys ?? [])
        }
        #expect(try keys("#/properties/resources") == Set(registry.resourceKeys))
        #expect(try keys("#/$defs/segment/properties/needs") == Set(registry.needKeys))
        #expect(try keys("#/$defs/tier") == Set(registry.tierFields + ["limits"]))
        #expect(try keys("#/$defs/policy/properties/weights") == Set(["unmet", "overrun", "overGrade", "change"] + registry.weightFields))
        #expect(try keys("#/$defs/byCategory") == Set(registry.costCategories))
        #expect(try keys("#/$defs/approvedByCategory") == Set(registry.costCategories))

        let plan = try Self.plan
        func planKeys(_ pointer: String) throws -> Set<String> {
            Set(try #require(plan.resolve(pointer)).objectValue?["properties"]?.objectValue?.keys ?? [])
        }
        let visitNeeds = registry.resourceKinds.flatMap(\.descriptor.visitNeedKeys)
        #expect(try planKeys("#/$defs/segment") == Set(["id"] + registry.needKeys))
        #expect(try planKeys("#/$defs/visit") == Set(["id", "segments", "costs", "overruns"] + visitNeeds))
        #expect(try planKeys("#/$defs/amounts") == Set(registry.costCategories))
        let needEnum = try #require(plan.resolve("#/$defs/unmetNeed/properties/need")?.objectValue?["enum"]?.arrayOfStrings)
        #expect(Set(needEnum) == Set(registry.needKeys + visitNeeds))
        let categoryEnum = try #require(plan.resolve("#/$defs/approval/properties/category")?.objectValue?["enum"]?.arrayOfStrings)
        #expect(Set(categoryEnum) == Set(registry.costCategories + ["day"]))
    }

    // Needs the shared days: the bundled example alone has no unmet need or day overrun.
    @Test("every core key of the plan schema is written in some example plan", .requiresSharedExamples)
    func planKeysAreWritten() throws {
        let validator = try Self.plan
        let registry = ReportFixtures.registry()
        let owned = Set(registry.needKeys + registry.resourceKinds.flatMap(\.descriptor.visitNeedKeys) + registry.costCategories)
        var seen: [String: Set<String>] = [:]
        var declared: [String: Set<String>] = [:]
        for name in ReportFixtures.names {
            Self.walk(try ReportFixtures.fixture(name).planJSON, schema: validator.root, pointer: "#", validator: validator) { pointer, schema, object in
                seen[pointer, default: []].formUnion(object.keys)
                declared[pointer] = Set(schema.objectValue?["properties"]?.objectValue?.keys ?? [])
            }
        }
        // Keys the spec allows that this project's plans leave out on purpose (docs/readings.md).
        // `changes` is written by replans only (ReplanTests checks those plans);
        // `specialPlans` on days with policy.specialPlans only (ReportSpecialPlanTests).
        let omitted: [String: Set<String>] = ["#/properties/solver": ["seconds"], "#": ["changes", "specialPlans"]]
        for (pointer, keys) in declared {
            let missing = keys.subtracting(seen[pointer] ?? []).subtracting(owned).subtracting(omitted[pointer] ?? [])
            #expect(missing.isEmpty, "\(pointer): \(missing.sorted()) declared but never written")
        }
        #expect(declared.count >= 8, "the walk reached the plan's objects: \(declared.keys.sorted())")
    }

    // MARK: The decoder's keys against the schema

    /// Objects whose keys are the registry's (checked above), or categories, not fields.
    static let maps: Set<String> = ["#/properties/resources", "#/$defs/segment/properties/needs", "#/$defs/byCategory", "#/$defs/approvedByCategory"]

    @Test("in every object of a day, the decoder reads exactly the keys the schema declares")
    func decoderReadsSchemaKeys() throws {
        let validator = try Self.day
        let registry = ReportFixtures.registry()
        let base = try Self.probeDay(validator, registry)
        var instances: [(path: JSONPath, pointer: String)] = []
        var declared: [String: Set<String>] = [:]
        var present: [String: Set<String>] = [:]
        Self.walk(base, schema: validator.root, pointer: "#", validator: validator) { pointer, schema, _ in
            declared[pointer] = Set(schema.objectValue?["properties"]?.objectValue?.keys ?? [])
        }
        Self.walkPaths(base, schema: validator.root, pointer: "#", path: JSONPath(), validator: validator) { path, pointer, object in
            guard !Self.maps.contains(pointer) else { return }
            instances.append((path, pointer))
            present[pointer, default: []].formUnion(object.keys)
        }
        #expect(instances.count > 20)

        // Keys already in the base day: read unless the base load warns about them.
        let baseUnknown = try Self.unknownKeyPaths(base, registry)
        var read: [String: Set<String>] = [:]
        var unread: [String: Set<String>] = [:]
        for (path, pointer) in instances {
            for key in present[pointer] ?? [] where Self.value(base, at: path)?.objectValue?[key] != nil {
                if baseUnknown.contains(path + key) { unread[pointer, default: []].insert(key) } else { read[pointer, default: []].insert(key) }
            }
        }

        // Every other word: put it (as null, which readers take as absent) into every object at once.
        let sentinel = "zzNotAKeyOfAnyDay"
        let vocabulary = try Self.vocabulary(validator, registry).union([sentinel])
        for word in vocabulary.sorted() {
            var day = base
            var probed: [(JSONPath, String)] = []
            for (path, pointer) in instances where Self.value(base, at: path)?.objectValue?[word] == nil {
                day = day.setting(path.description == "(document)" ? word : path.description + "." + word, to: .null)
                probed.append((path, pointer))
            }
            let unknown = try Self.unknownKeyPaths(day, registry)
            for (path, pointer) in probed {
                if unknown.contains(path + word) {
                    unread[pointer, default: []].insert(word)
                } else {
                    read[pointer, default: []].insert(word)
                }
            }
        }
        for (pointer, keys) in declared where !Self.maps.contains(pointer) {
            let got = read[pointer] ?? []
            #expect(!got.contains(sentinel), "\(pointer): the decoder does not warn about unknown keys here, so it cannot be checked")
            let notInSchema = got.subtracting(keys).subtracting([sentinel])
            let notRead = keys.subtracting(got)
            #expect(notInSchema.isEmpty, "\(pointer): the decoder reads \(notInSchema.sorted()), which the schema does not declare")
            #expect(notRead.isEmpty, "\(pointer): the schema declares \(notRead.sorted()), which the decoder ignores with a warning")
            let both = got.intersection(unread[pointer] ?? [])
            #expect(both.isEmpty, "\(pointer): \(both.sorted()) read in some objects and not in others")
        }
    }

    @Test("the keys whose absence is an input error are exactly the schema's required keys")
    func requiredKeys() throws {
        let validator = try Self.day
        let registry = ReportFixtures.registry()
        let base = try Self.probeDay(validator, registry)
        var first: [String: (JSONPath, JSONObject, JSONValue)] = [:]
        Self.walkPaths(base, schema: validator.root, pointer: "#", path: JSONPath(), validator: validator) { path, pointer, object in
            if first[pointer] == nil { first[pointer] = (path, object, validator.resolved(Self.schemaNode(validator, pointer) ?? .null).schema) }
        }
        for (pointer, (path, object, schema)) in first.sorted(by: { $0.key < $1.key }) where !Self.maps.contains(pointer) {
            let required = Set(schema.objectValue?["required"]?.arrayOfStrings ?? [])
            #expect(required.isSubset(of: Set(object.keys)), "\(pointer): the probe day lacks required \(required.subtracting(object.keys).sorted())")
            for key in object.keys {
                let target = path.description == "(document)" ? key : path.description + "." + key
                let issues = try Self.issues(base.removing(target), registry)
                let isError = issues.contains { $0.severity == .error && $0.path == path + key && $0.message.hasPrefix("is required") }
                #expect(isError == required.contains(key), "\(pointer).\(key): missing it is \(isError ? "" : "not ")an error, the schema says \(required.contains(key) ? "required" : "optional")")
            }
        }
    }

    // MARK: Probing helpers

    /// The bundled example with one item for each resource list and one need of
    /// each key that it lacks, built from the schema's required properties.
    static func probeDay(_ validator: SchemaValidator, _ registry: PluginRegistry) throws -> JSONValue {
        let data = try Data(contentsOf: ReportFixtures.packageRoot.appendingPathComponent("Examples/reception-day.json"))
        // A version-2 programme: it reads every key a version-1 day does, and days, day and lodging.
        var day = try JSONParser.parse([UInt8](data)).value.setting("schemaVersion", to: 2).setting("days", to: 2)
        day = day.setting("visits[0].segments[0].day", to: 1).setting("visits[0].lodging", to: ["nights": [1], "location": "HQ"])
        day = day.setting("resources.venues[0].available", to: [["from": "08:00", "to": "20:00", "day": 1]])
        for key in registry.resourceKeys where (day["resources"]?[key]?.array ?? []).isEmpty {
            let itemSchema = validator.resolve("#/properties/resources/properties/\(key)")?.objectValue?["items"] ?? ["type": "object", "required": ["id"]]
            day = day.setting("resources.\(key)", to: [sample(itemSchema, validator)])
        }
        for key in registry.needKeys where !JSONWriter.compact(day["visits"] ?? .null).contains("\"\(key)\":") {
            // A need written as a list (service roles) gets one sample entry, so that its entries are probed.
            let schema = validator.resolve("#/$defs/segment/properties/needs/properties/\(key)")?.objectValue
            if schema?["type"]?.stringValue == "array", let items = schema?["items"] {
                day = day.setting("visits[0].segments[0].needs.\(key)", to: [sample(items, validator)])
            } else {
                day = day.setting("visits[0].segments[0].needs.\(key)", to: [:])
            }
        }
        return day
    }

    /// A value of a schema: its const, first enum member, or a type's plain value.
    static func sample(_ schema: JSONValue, _ validator: SchemaValidator) -> JSONValue {
        let s = validator.resolved(schema).schema
        guard case .object(let o) = s else { return .null }
        if let c = o["const"] { return c }
        if case .array(let options)? = o["enum"], let first = options.first { return first }
        let type = o["type"]?.stringValue ?? o["type"]?.arrayOfStrings?.first ?? "object"
        switch type {
        case "string":
            if case .string(let p)? = o["pattern"] { return p.contains("24:00") ? "10:00" : "09:00" }
            return "X1"
        case "integer", "number":
            return .number(o["minimum"].flatMap { if case .number(let n) = $0 { return max(n, 1) } else { return nil } } ?? 1)
        case "boolean": return false
        case "array": return []
        default:
            let properties = o["properties"]?.objectValue ?? JSONObject()
            return .object(JSONObject((o["required"]?.arrayOfStrings ?? []).map { key in (key: key, value: sample(properties[key] ?? .null, validator)) }))
        }
    }

    /// Every word that could be a key: identifiers in string literals of the
    /// decoder's and the plugins' sources, the registry's names, and the schema's properties.
    static func vocabulary(_ validator: SchemaValidator, _ registry: PluginRegistry) throws -> Set<String> {
        var words = Set<String>()
        let root = ReportFixtures.packageRoot
        var files = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("Sources/SchedulingCore").path)
            .map { "Sources/SchedulingCore/" + $0 }
        for plugin in try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("Plugins").path) {
            files += try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("Plugins/" + plugin).path).map { "Plugins/\(plugin)/\($0)" }
        }
        let literal = try Regex(#""([A-Za-z][A-Za-z0-9]*)""#)
        for file in files where file.hasSuffix(".swift") {
            let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            for match in text.matches(of: literal) {
                if let word = match.output[1].substring { words.insert(String(word)) }
            }
        }
        #expect(words.count > 100, "read the sources: \(words.count) words")
        words.formUnion(registry.resourceKeys + registry.needKeys + registry.tierFields + registry.weightFields + registry.costCategories)
        func collect(_ v: JSONValue) {
            guard case .object(let o) = v else { return }
            if case .object(let p)? = o["properties"] { words.formUnion(p.keys) }
            for m in o.members { collect(m.value) }
        }
        collect(validator.root)
        return words
    }

    /// The issues of loading a day with the CLI's registry (warnings too).
    static func issues(_ day: JSONValue, _ registry: PluginRegistry) throws -> [InputIssue] {
        do {
            return try Problem.load(day, registry: registry).warnings
        } catch {
            return error.issues
        }
    }

    /// Paths that the decoder warns about as unknown keys (compared as places:
    /// a warning under `resources` also names the entry's id).
    static func unknownKeyPaths(_ day: JSONValue, _ registry: PluginRegistry) throws -> Set<JSONPath> {
        Set(try issues(day, registry).filter { $0.severity == .warning && $0.message == "unknown key, ignored" }.map(\.path))
    }

    static func value(_ root: JSONValue, at path: JSONPath) -> JSONValue? {
        var node: JSONValue? = root
        for component in path.components {
            switch component {
            case .key(let k): node = node?.objectValue?[k]
            case .index(let i): if case .array(let a)? = node, a.indices.contains(i) { node = a[i] } else { return nil }
            }
        }
        return node
    }

    /// The schema node a pointer names; `#` is the root.
    static func schemaNode(_ validator: SchemaValidator, _ pointer: String) -> JSONValue? {
        pointer == "#" ? validator.root : validator.resolve(pointer)
    }

    /// Calls `visit` for every object of `value` with the pointer of its schema node.
    static func walk(_ value: JSONValue, schema: JSONValue, pointer: String, validator: SchemaValidator,
                     _ visit: (String, JSONValue, JSONObject) -> Void) {
        walkPaths(value, schema: schema, pointer: pointer, path: JSONPath(), validator: validator) { _, p, o in
            visit(p, schemaNode(validator, p).map { validator.resolved($0).schema } ?? .null, o)
        }
    }

    /// Calls `visit` for every object of `value` with its path and the pointer of its schema node.
    static func walkPaths(_ value: JSONValue, schema: JSONValue, pointer: String, path: JSONPath, validator: SchemaValidator,
                          _ visit: (JSONPath, String, JSONObject) -> Void) {
        let (node, ref) = validator.resolved(schema)
        let here = ref ?? pointer
        switch value {
        case .object(let o):
            visit(path, here, o)
            let properties = node.objectValue?["properties"]?.objectValue ?? JSONObject()
            for member in o.members {
                if let child = properties[member.key] {
                    walkPaths(member.value, schema: child, pointer: here + "/properties/" + member.key, path: path + member.key, validator: validator, visit)
                } else if let extra = node.objectValue?["additionalProperties"], case .object = extra {
                    walkPaths(member.value, schema: extra, pointer: here + "/additionalProperties", path: path + member.key, validator: validator, visit)
                }
            }
        case .array(let items):
            guard let itemSchema = node.objectValue?["items"] else { return }
            for (i, item) in items.enumerated() {
                walkPaths(item, schema: itemSchema, pointer: here + "/items", path: path + i, validator: validator, visit)
            }
        default:
            break
        }
    }
}
