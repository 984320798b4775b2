import ArgumentParser
import SchedulingCore

struct Plugins: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the resource kinds and optimizers this build knows.")

    func run() throws {
        let registry = builtinRegistry()
        for plugin in registry.resourceKinds {
            let d = plugin.descriptor
            print("\(d.name): \(d.summary)")
            print("  resources: \(d.resourceKeys.joined(separator: ", "))   needs: \((d.needKeys + d.visitNeedKeys).joined(separator: ", "))   tier fields: \(d.tierFields.joined(separator: ", "))")
        }
        for optimizer in registry.optimizers { print("optimizer \(optimizer.name): \(optimizer.summary)") }
    }
}
