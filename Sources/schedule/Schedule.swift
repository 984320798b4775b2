import ArgumentParser
import Foundation

/// `schedule`: plans reception days.
@main
struct Schedule: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Plan a reception day: rooms, cars and drivers, meals and staff for every visit.",
        discussion: """
            Exit codes: 0 success; 3 a plan was written but it has unmet needs or needs approvals; \
            2 bad input or usage (nothing written); 1 internal failure, or `check` found broken rules.
            """,
        subcommands: [Optimize.self, Validate.self, Check.self, Plugins.self, Report.self]
            + Schedule.planningCommands + Schedule.viewCommands + Schedule.changeCommands + Schedule.archiveCommands)

    /// Parses and runs, mapping usage errors to exit code 2 as PROBLEM.md §7 asks
    /// (swift-argument-parser's own default for them is 64).
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                exit(withError: error)
            }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(code == .failure ? 1 : 2)
        }
    }
}
