/// The plugins a run knows: resource kinds and optimizers. An explicit value,
/// built by the caller (the CLI lists the built-in plugins), never a global.
public struct PluginRegistry: Sendable {
    public private(set) var resourceKinds: [any ResourceKindPlugin] = []
    public private(set) var optimizers: [any OptimizerPlugin] = []

    /// A registration that would make a key ambiguous.
    public struct ConflictError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public init() {}

    /// Builds a registry; throws when two plugins claim the same key or name.
    public init(resourceKinds: [any ResourceKindPlugin], optimizers: [any OptimizerPlugin]) throws(ConflictError) {
        for plugin in resourceKinds { try register(plugin) }
        for optimizer in optimizers { try register(optimizer) }
    }

    public mutating func register(_ plugin: any ResourceKindPlugin) throws(ConflictError) {
        let d = plugin.descriptor
        for other in resourceKinds.map(\.descriptor) {
            if other.name == d.name { throw ConflictError(description: "two resource plugins are named \(d.name)") }
            if let key = Set(other.resourceKeys).intersection(d.resourceKeys).first {
                throw ConflictError(description: "resources key \"\(key)\" is claimed by \(other.name) and \(d.name)")
            }
            if let key = Set(other.needKeys + other.visitNeedKeys).intersection(d.needKeys + d.visitNeedKeys).first {
                throw ConflictError(description: "need \"\(key)\" is claimed by \(other.name) and \(d.name)")
            }
            if let key = Set(other.visitFields).intersection(d.visitFields).first {
                throw ConflictError(description: "visit field \"\(key)\" is claimed by \(other.name) and \(d.name)")
            }
        }
        resourceKinds.append(plugin)
    }

    public mutating func register(_ optimizer: any OptimizerPlugin) throws(ConflictError) {
        if optimizers.contains(where: { $0.name == optimizer.name }) {
            throw ConflictError(description: "two optimizers are named \(optimizer.name)")
        }
        optimizers.append(optimizer)
    }

    public var resourceKeys: [String] { resourceKinds.flatMap(\.descriptor.resourceKeys) }
    public var needKeys: [String] { resourceKinds.flatMap(\.descriptor.needKeys) }
    /// Keys of a day's visit object that plugins decode (``PluginDescriptor/visitFields``).
    public var visitFields: [String] { resourceKinds.flatMap(\.descriptor.visitFields) }
    public var tierFields: [String] { resourceKinds.flatMap(\.descriptor.tierFields) }
    public var weightFields: [String] { resourceKinds.flatMap(\.descriptor.weightFields) }
    public var limitFields: [String] { resourceKinds.flatMap(\.descriptor.limitFields) }

    /// The limit fields a tier's `limits.<category>` may give beside `perVisit` and
    /// `perGuest`: those of the plugins that cost in `category`.
    public func limitFields(forCategory category: String) -> [String] {
        resourceKinds.map(\.descriptor).filter { $0.costCategories.contains(category) }.flatMap(\.limitFields)
    }
    /// Cost categories in registry order, without repeats.
    public var costCategories: [String] {
        var seen = Set<String>()
        return resourceKinds.flatMap(\.descriptor.costCategories).filter { seen.insert($0).inserted }
    }
    public var needKeysWithoutHost: Set<String> { Set(resourceKinds.flatMap(\.descriptor.needKeysWithoutHost)) }

    public func optimizer(named name: String) -> (any OptimizerPlugin)? { optimizers.first { $0.name == name } }
}
