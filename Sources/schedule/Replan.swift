import ArgumentParser
import Foundation
import SchedulingCore

/// `schedule replan`: the day as it now stands, the plan being carried out and
/// the moment; writes a new plan that keeps what is under way and changes as few
/// needs as pays (PROBLEM.md §10).
struct Replan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Plan a day again from the plan being carried out, keeping what is under way and changing as little as pays.",
        discussion: """
            Needs whose segment started before --now (host, escorts and lodging: whose visit started) keep their value when \
            it is still valid in the day file as it now stands; those that cannot are broken and planned again. Every other \
            need keeps its earlier value unless changing it saves more than weights.change (default 50). The plan lists \
            each changed need under "changes" (why: broken, freed or cheaper). Exit codes are optimize's.
            """)

    @OptionGroup var plan: Optimize

    @Option(help: "The plan being carried out (plan.json).")
    var previous: String

    @Option(help: "The moment of the replan: HH:MM on the first day, or 'DAY HH:MM' (e.g. '2 11:00') in a programme.")
    var now: String

    /// `now` as (day, minutes), or `nil` when it is not of the form.
    static func moment(_ text: String) -> (day: Int, minutes: Int)? {
        let parts = text.split(separator: " ").map(String.init)
        switch parts.count {
        case 1: return Clock.parse(parts[0], allowEndOfDay: true).map { (1, $0) }
        case 2:
            guard let day = Int(parts[0]), day >= 1, let minutes = Clock.parse(parts[1], allowEndOfDay: true) else { return nil }
            return (day, minutes)
        default: return nil
        }
    }

    func validate() throws {
        guard Replan.moment(now) != nil else {
            throw ValidationError("--now must be HH:MM or \"DAY HH:MM\" (e.g. 11:00 or \"2 11:00\"), got \(now)")
        }
    }

    func run() throws {
        guard let (day, minutes) = Replan.moment(now) else { throw Exit.badInput }
        let previousPath = previous
        let earlier: JSONValue
        do {
            guard let bytes = FileManager.default.contents(atPath: previousPath) else {
                printError("\(previousPath): error: cannot read the previous plan")
                throw Exit.badInput
            }
            earlier = try JSONParser.parse([UInt8](bytes)).value
        } catch let error as JSONSyntaxError {
            printError("\(previousPath): error: not valid JSON: \(error.description)")
            throw Exit.badInput
        }
        try plan.run(preparing: { problem in
            guard day <= problem.day.days else {
                printError("error: --now \(now): the day has \(problem.day.days) day\(problem.day.days == 1 ? "" : "s")")
                throw Exit.badInput
            }
            do {
                return try problem.replanned(from: earlier, now: (day - 1) * minutesPerDay + minutes)
            } catch let error as ReplanError {
                printError("\(previousPath): error: \(error.description)")
                throw Exit.badInput
            }
        })
    }
}
