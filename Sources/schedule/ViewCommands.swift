import ArgumentParser

// The planner's view (reports, explanations, schemas).
extension Schedule {
    static let viewCommands: [any ParsableCommand.Type] = [ExplainCommand.self]
}

extension Report {
    /// The first is the default: `schedule report day.json plan.json`.
    static let planSubcommands: [any ParsableCommand.Type] = [PlanReportCommand.self]
}
