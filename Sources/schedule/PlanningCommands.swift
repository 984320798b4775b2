import ArgumentParser

// Planning large days: generated days and benchmarks' helpers.
extension Schedule {
    static let planningCommands: [any ParsableCommand.Type] = [Replan.self, RepairsCommand.self, Generate.self]
}
