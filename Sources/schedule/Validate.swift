import ArgumentParser
import SchedulingCore

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a day file and report every input error at once, each with its JSON path.")

    @Argument(help: "The day to check (day.json).")
    var day: String

    func run() throws {
        let problem = try loadProblem(day, registry: builtinRegistry())
        let needs = problem.needs.filter { !$0.isTrivial }
        print("\(day): valid: \(problem.day.visits.count) visits, \(needs.count) needs, \(problem.resources.count) resources, \(problem.warnings.count) warnings")
    }
}
