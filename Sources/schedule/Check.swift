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

    @Option(help: "For a replanned plan: the plan it was made from (schedule replan --previous).")
    var previous: String?

    @Option(help: "For a replanned plan: the moment of the replan, as schedule replan --now.")
    var now: String?

    func validate() throws {
        if (previous == nil) != (now == nil) {
            throw ValidationError("--previous and --now go together: the plan a replan was made from and its moment")
        }
        if let now, Replan.moment(now) == nil {
            throw ValidationError("--now must be HH:MM or 'DAY HH:MM' (e.g. 11:00 or '2 11:00'), got \(now)")
        }
    }

    func run() throws {
        let registry = builtinRegistry()
        let problem = try loadProblem(day, registry: registry, quiet: true)
        let bytes = try readInput(plan, what: "plan file")
        var basis: PlanChecker.ReplanBasis?
        if let previous, let now, let (dayNumber, minutes) = Replan.moment(now) {
            let earlier = try readInput(previous, what: "previous plan")
            guard let value = try? JSONParser.parse(earlier).value else {
                printError("\(previous): error: the previous plan is not valid JSON")
                throw Exit.badInput
            }
            basis = PlanChecker.ReplanBasis(previous: value, now: (dayNumber - 1) * minutesPerDay + minutes)
        }
        let outcome = PlanChecker.check(planJSON: bytes, problem: problem, registry: registry, basis: basis)
        if outcome.isValid {
            print("\(plan): valid")
            return
        }
        for violation in outcome.violations { print(violation) }
        print("\(plan): \(outcome.violations.count) broken rule\(outcome.violations.count == 1 ? "" : "s")")
        throw Exit.internalFailure
    }
}
