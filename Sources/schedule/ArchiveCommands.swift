import ArgumentParser

// After the visit: archive, feedback, follow-up, cost statistics and KPIs.
extension Schedule {
    static let archiveCommands: [any ParsableCommand.Type] = [ArchiveCommand.self, FeedbackCommand.self, FollowupCommand.self, ApproveCommand.self]
}

extension Report {
    static let archiveSubcommands: [any ParsableCommand.Type] = [CostsReportCommand.self, KPIReportCommand.self]
}
