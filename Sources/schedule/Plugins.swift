import ArgumentParser
import Foundation
import SchedulingCore

struct Plugins: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the resource kinds and optimizers this build knows.",
        discussion: """
            For each resource kind: the resources keys it decodes, the need keys a segment (or, for \
            host and escorts, a visit) can ask for, the tier fields and policy.weights keys it reads, \
            the cost categories it costs in, and one line on what it does. --json writes the same as \
            {"resourceKinds": [{"name", "summary", "resources", "needs": {"segment", "visit"}, \
            "tierFields", "weightFields", "costCategories"}], "optimizers": [{"name", "summary"}]}.
            """)

    @Flag(help: "Write the list as JSON, for tools.")
    var json = false

    func run() throws {
        let registry = builtinRegistry()
        if json {
            FileHandle.standardOutput.write(Data(JSONWriter.pretty(Plugins.document(registry)).utf8))
            return
        }
        for plugin in registry.resourceKinds {
            let d = plugin.descriptor
            print("\(d.name): \(d.summary)")
            print("  resources: \(list(d.resourceKeys))   needs: \(list(d.needKeys + d.visitNeedKeys))   tier fields: \(list(d.tierFields))")
            var more: [String] = []
            if !d.weightFields.isEmpty { more.append("weights: \(list(d.weightFields))") }
            if !d.costCategories.isEmpty { more.append("cost categories: \(list(d.costCategories))") }
            if !more.isEmpty { print("  " + more.joined(separator: "   ")) }
        }
        for optimizer in registry.optimizers { print("optimizer \(optimizer.name): \(optimizer.summary)") }
    }

    private func list(_ keys: [String]) -> String { keys.isEmpty ? "-" : keys.joined(separator: ", ") }

    /// The registry as `schedule plugins --json` writes it.
    static func document(_ registry: PluginRegistry) -> JSONValue {
        func strings(_ keys: [String]) -> JSONValue { .array(keys.map { .string($0) }) }
        let kinds: [JSONValue] = registry.resourceKinds.map { plugin in
            let d = plugin.descriptor
            return .object(JSONObject(pairs: [
                "name": .string(d.name),
                "summary": .string(d.summary),
                "resources": strings(d.resourceKeys),
                "needs": .object(JSONObject(pairs: ["segment": strings(d.needKeys), "visit": strings(d.visitNeedKeys)])),
                "tierFields": strings(d.tierFields),
                "weightFields": strings(d.weightFields),
                "costCategories": strings(d.costCategories),
            ]))
        }
        let optimizers: [JSONValue] = registry.optimizers.map {
            .object(JSONObject(pairs: ["name": .string($0.name), "summary": .string($0.summary)]))
        }
        return .object(JSONObject(pairs: ["resourceKinds": .array(kinds), "optimizers": .array(optimizers)]))
    }
}
