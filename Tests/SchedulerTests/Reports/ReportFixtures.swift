import Foundation
import GLPKOptimizer
import PlanReports
import SchedulingCore
import Testing
@testable import schedule

// Solved example days for the report suites: the bundled example and, when the
// shared folder is beside the package, the shared example days. Each is solved
// once per test run with GLPK and assembled as `schedule optimize` does.

/// A solved day: the problem, the assembled plan, and the plan read back for reports.
struct ReportFixture: Sendable {
    var name: String
    var dayPath: String
    var dayText: String
    var problem: Problem
    var plan: Plan
    var planText: String
    var dayPlan: DayPlan

    var report: PlanReport { PlanReport(plan: dayPlan) }
    var dayJSON: JSONValue { (try? JSONParser.parse(dayText)) ?? .null }
    var planJSON: JSONValue { plan.json }
}

/// Why a fixture could not be built.
struct FixtureError: Error, Sendable, CustomStringConvertible {
    var description: String
}

enum ReportFixtures {
    /// The package root, from this file's path.
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Example day files by name: the bundled day and programme always, the shared ones when present.
    static let dayPaths: [(name: String, path: String)] = {
        var out = [("reception-day", packageRoot.appendingPathComponent("Examples/reception-day.json").path),
                   ("delegation-programme", packageRoot.appendingPathComponent("Examples/delegation-programme.json").path)]
        if let dir = sharedExamplesDirectory {
            for name in ["small-day", "busy-day", "tight-day"] { out.append((name, dir + "/" + name + ".json")) }
        }
        return out
    }()

    /// Names of the available example days, for parameterized tests.
    static var names: [String] { dayPaths.map(\.name) }

    /// The registry the CLI uses: every built-in kind.
    static func registry() -> PluginRegistry { builtinRegistry() }

    /// Solves a day's text as `schedule optimize` does and reads its plan back.
    static func solve(name: String, path: String = "", text: String) throws -> ReportFixture {
        let registry = registry()
        let problem: Problem
        do {
            problem = try Problem.load(json: Array(text.utf8), registry: registry)
        } catch {
            throw FixtureError(description: "\(name) does not load: \(error.description)")
        }
        let result = try GLPKOptimizer().optimize(problem, options: OptimizeOptions())
        let plan = PlanAssembler.assemble(problem, result: result, solverName: "glpk")
        let planText = JSONWriter.pretty(plan.json)
        let dayPlan = try DayPlan(problem: problem, planJSON: Array(planText.utf8), dayDocument: try JSONParser.parse(text))
        return ReportFixture(name: name, dayPath: path, dayText: text, problem: problem, plan: plan, planText: planText, dayPlan: dayPlan)
    }

    /// Every example, solved once per run.
    private static let solved: [String: Result<ReportFixture, FixtureError>] = {
        var out: [String: Result<ReportFixture, FixtureError>] = [:]
        for (name, path) in dayPaths {
            do {
                guard let data = FileManager.default.contents(atPath: path) else { throw FixtureError(description: "cannot read \(path)") }
                out[name] = .success(try solve(name: name, path: path, text: String(decoding: data, as: UTF8.self)))
            } catch let error as FixtureError {
                out[name] = .failure(error)
            } catch {
                out[name] = .failure(FixtureError(description: "\(name): \(error)"))
            }
        }
        return out
    }()

    static func fixture(_ name: String) throws -> ReportFixture {
        guard let result = solved[name] else { throw FixtureError(description: "no example day named \(name)") }
        return try result.get()
    }

    /// The shared day with unmet needs and overruns, when the shared examples are present.
    static var tight: ReportFixture? { try? fixture("tight-day") }
}
