import ArgumentParser

// The planner's view (reports, explanations, schemas).
extension Schedule {
    static let viewCommands: [any ParsableCommand.Type] = []
}

extension Report {
    static let planSubcommands: [any ParsableCommand.Type] = []
}
