import ArgumentParser

// After the visit: archive, feedback, follow-up, cost statistics and KPIs.
extension Schedule {
    static let archiveCommands: [any ParsableCommand.Type] = []
}

extension Report {
    static let archiveSubcommands: [any ParsableCommand.Type] = []
}
