import SchedulingCore

/// What a resource plugin hands the conformance kit: itself, a small valid day
/// that uses it, and broken variants of that day with the place their error
/// must be reported.
///
/// The day is loaded with a registry of ``plugin`` and ``companions`` only, so it
/// holds this kind's resources, needs, tier fields and weight fields and nothing
/// that another kind would decode. It must:
/// - load without errors or warnings (a warning usually means a tier or weight
///   field the plugin reads but does not declare in its ``PluginDescriptor``);
/// - use every `resources` key and segment need key of the plugin, and give each
///   of its tier fields and weight fields in at least one place;
/// - make at least two needs compete for one resource, so that the solved plan
///   shows the optimizer honours the plugin's conflicts.
public struct ConformanceFixture: Sendable, CustomStringConvertible {
    /// The plugin under test.
    public var plugin: any ResourceKindPlugin
    /// Kinds registered beside it when its day cannot do without them; usually none.
    public var companions: [any ResourceKindPlugin]
    /// The day, as `day.json` text.
    public var day: String
    /// Broken variants of ``day``; at least one, each with the JSON path its error must carry.
    public var badInputs: [BadInput]
    /// The day's optimal objective, worked out by hand, when known: the solved plan must be
    /// `optimal` with this objective (relative tolerance 1e-6).
    public var expectedObjective: Double?

    public init(plugin: any ResourceKindPlugin, companions: [any ResourceKindPlugin] = [], day: String,
                badInputs: [BadInput], expectedObjective: Double? = nil) {
        self.plugin = plugin
        self.companions = companions
        self.day = day
        self.badInputs = badInputs
        self.expectedObjective = expectedObjective
    }

    /// The plugin's name, so that parameterised tests read `conforms(venues)`.
    public var description: String { plugin.descriptor.name }
}

/// One edit that breaks a valid day, and where the resulting input error must be reported.
public struct BadInput: Sendable, CustomStringConvertible {
    /// How the valid day is changed.
    public enum Edit: Sendable {
        /// Sets the member or element at the path, adding an object member that is absent.
        case set(JSONPath, JSONValue)
        /// Removes the object member or array element at the path.
        case remove(JSONPath)
    }

    public var edit: Edit
    /// The path one of the load's errors must carry.
    public var expectedPath: JSONPath
    /// What is wrong, for failure messages: "stock below 0".
    public var note: String

    public init(_ edit: Edit, expectedPath: JSONPath, note: String) {
        self.edit = edit
        self.expectedPath = expectedPath
        self.note = note
    }

    /// Sets `path` to `value`; the error is expected at `path` unless `errorAt` says otherwise.
    public static func set(_ path: JSONPath, to value: JSONValue, errorAt: JSONPath? = nil, _ note: String) -> BadInput {
        BadInput(.set(path, value), expectedPath: errorAt ?? path, note: note)
    }

    /// Removes the member or element at `path` (a required field, a travel pair); the error
    /// is expected at `path` unless `errorAt` says otherwise.
    public static func remove(_ path: JSONPath, errorAt: JSONPath? = nil, _ note: String) -> BadInput {
        BadInput(.remove(path), expectedPath: errorAt ?? path, note: note)
    }

    public var description: String {
        switch edit {
        case .set(let path, let value): return "\(note) (\(path) = \(value.excerpt))"
        case .remove(let path): return "\(note) (\(path) removed)"
        }
    }
}
