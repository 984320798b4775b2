import ArgumentParser
import Foundation
import PlanChecker
import SchedulingCore

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a plan against a day with an independent checker written from the spec.",
        discussion: "Lists every broken rule. Exit 0 only for a valid plan; 1 when rules are broken; 2 for unreadable input.")

    @Argument(help: "The day (day.json).")
    var day: String

    @Argument(help: "The plan to check (plan.json).")
    var plan: String

    func run() throws {
        let registry = builtinRegistry()
        let problem = try loadProblem(day, registry: registry, quiet: true)
        let bytes = try readInput(plan, what: "plan file")
        let outcome = PlanChecker.check(planJSON: bytes, problem: problem, registry: registry)
        if outcome.isValid {
            print("\(plan): valid")
            return
        }
        for violation in outcome.violations { print(violation) }
        print("\(plan): \(outcome.violations.count) broken rule\(outcome.violations.count == 1 ? "" : "s")")
        throw Exit.internalFailure
    }
}
