import ArgumentParser
import Foundation
import PlanChecker
import Repairs
import SchedulingCore

/// `schedule repairs day.json plan.json`: for each unmet need and approval of a
/// plan, the smallest changes to the day that meet it, each verified by solving the
/// changed day (issue 18).
struct RepairsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repairs",
        abstract: "For each unmet need and approval of a plan, the smallest changes to the day that meet it, each verified by solving.",
        discussion: """
            Tried for each unmet need: planning it again as the day stands, releasing its pin, moving its segment up to an \
            hour, extending a resource's availability, raising the visit's cap (an approval to ask for), and one more \
            resource like one that fits, for the windows it is needed. Each change is checked by solving the changed day \
            with every other need kept as planned; it counts when it meets the need and loses none the plan met. One extra \
            resource that meets several needs is listed once, under "Repairs that meet several needs". Cheapest first: by \
            the change in the plan's total cost. With --apply ID --out FILE, writes the day with that repair made. \
            With --plan-out as well, writes the plan of the changed day that the check found: the earlier plan with the \
            repair's needs met (what `schedule check` accepts against the changed day). \
            Exit 0 with the report; 2 for unreadable input or a plan that does not pass `schedule check`.
            """)

    enum FormatOption: String, CaseIterable, ExpressibleByArgument { case text, md, json }

    @Argument(help: "The day (day.json).")
    var day: String

    @Argument(help: "The plan whose unmet needs and approvals to repair (plan.json).")
    var plan: String

    @Option(help: "Output format: text, md or json (each repair's edits as RFC 6902 JSON Patch operations).")
    var format: FormatOption = .text

    @Option(help: "Only this visit's unmet needs and approvals (repeat for several).")
    var visit: [String] = []

    @Option(help: "Repairs listed per need, cheapest first.")
    var perNeed: Int = 3

    @Option(help: "Time limit of each check, in seconds.")
    var secondsPerCheck: Double = 5

    @Option(help: "The optimizer each check runs: glpk (exact) or greedy (faster, may miss repairs).")
    var optimizer: String = "glpk"

    @Option(help: "Write the day with this repair (R1, R2, …) made, to --out.")
    var apply: String?

    @Option(help: "Where --apply writes the changed day.")
    var out: String?

    @Option(help: "With --apply: where to write the verified plan of the changed day (every other need as the plan had it).")
    var planOut: String?

    func validate() throws {
        guard perNeed >= 1 else { throw ValidationError("--per-need must be at least 1, got \(perNeed)") }
        guard secondsPerCheck > 0 else { throw ValidationError("--seconds-per-check must be more than 0, got \(secondsPerCheck)") }
        guard Optimize.optimizerNames.contains(optimizer) else {
            throw ValidationError("--optimizer must be one of \(Optimize.optimizerNames.joined(separator: ", ")), got \(optimizer)")
        }
        if (apply == nil) != (out == nil) {
            throw ValidationError("--apply and --out go together: the repair to make and where to write the changed day")
        }
        if planOut != nil && apply == nil {
            throw ValidationError("--plan-out goes with --apply and --out: the verified plan of the day with that repair made")
        }
    }

    func run() throws {
        let registry = builtinRegistry()
        let problem = try loadProblem(day, registry: registry, quiet: true)
        let planBytes = try readInput(plan, what: "plan file")
        let outcome = PlanChecker.check(planJSON: planBytes, problem: problem, registry: registry)
        guard outcome.isValid else {
            printError("\(plan): error: the plan does not pass `schedule check` (\(outcome.violations.count) broken rule\(outcome.violations.count == 1 ? "" : "s")); repairs start from a valid plan")
            throw Exit.badInput
        }
        guard let dayValue = try? JSONParser.parse(readInput(day, what: "day file")).value,
              let planValue = try? JSONParser.parse(planBytes).value,
              let verifier = registry.optimizer(named: optimizer) else { throw Exit.badInput }
        var search = RepairSearch(registry: registry, verifier: verifier)
        search.secondsPerCheck = secondsPerCheck
        search.repairsPerNeed = perNeed
        if !visit.isEmpty { search.visits = Set(visit) }
        let report: RepairReport
        do {
            report = try search.run(day: dayValue, plan: planValue)
        } catch {
            printError("\(plan): error: \(error.description)")
            throw Exit.badInput
        }
        if let apply, let out {
            guard let repair = report.repair(apply) else {
                let ids = report.all.map(\.id)
                printError("error: --apply \(apply): the report lists \(ids.isEmpty ? "no repairs" : Set(ids).sorted(by: { $0.count == $1.count ? $0 < $1 : $0.count < $1.count }).joined(separator: ", "))")
                throw Exit.badInput
            }
            let changed: JSONValue
            do {
                changed = try dayValue.applying(repair.edits)
            } catch {
                printError("error: --apply \(apply): \(error.description)")
                throw Exit.internalFailure
            }
            var verified: JSONValue?
            if let planOut {
                // Checked again before anything is written, so that a failure leaves both files as they were.
                verified = try? search.verifiedPlan(of: repair, day: dayValue, plan: planValue)
                guard verified != nil else {
                    printError("error: --plan-out: checking \(repair.id) again did not confirm it within --seconds-per-check; nothing was written")
                    throw Exit.internalFailure
                }
            }
            try writeAtomically(JSONWriter.pretty(changed), to: out)
            printError("\(out): \(day) with \(repair.id) made: \(repair.summary)")
            if let planOut, let verified {
                try writeAtomically(JSONWriter.pretty(verified), to: planOut)
                printError("\(planOut): its verified plan")
            }
            return
        }
        FileHandle.standardOutput.write(Data(report.render(RepairReport.Format(rawValue: format.rawValue) ?? .text, currency: problem.day.currency).utf8))
    }
}
