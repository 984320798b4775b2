import Foundation
import PlanChanges
import SchedulingCore
import Testing
@testable import schedule

/// Plans of the bundled examples before and after a change on the day, made
/// once per test run with `schedule optimize` as a planner would:
///
/// - the one-day example, and the same day with CAR-02 withdrawn (`available: []`);
/// - the three-day programme, and the same programme with V-01's send-off on day 3 an hour later.
struct ChangesFixture: Sendable {
    var folder: URL
    var day: String
    var carWithdrawnDay: String
    var oldPlan: String
    var newPlan: String
    var programme: String
    var movedProgramme: String
    var programmePlan: String
    var movedProgrammePlan: String

    static let shared: Result<ChangesFixture, FixtureError> = {
        do { return .success(try make()) } catch let error as FixtureError { return .failure(error) } catch {
            return .failure(FixtureError(description: "\(error)"))
        }
    }()

    /// The shared fixture, or the reason it could not be made, as a test failure.
    static func get() throws -> ChangesFixture { try shared.get() }

    private static func make() throws -> ChangesFixture {
        let folder = try CLI.temporaryFolder()
        let path = { (name: String) in folder.appendingPathComponent(name).path }
        let withdrawn = try CLI.editedExample({ day in
            guard var resources = day["resources"] as? [String: Any], var vehicles = resources["vehicles"] as? [[String: Any]] else { return }
            for i in vehicles.indices where vehicles[i]["id"] as? String == "CAR-02" { vehicles[i]["available"] = [Any]() }
            resources["vehicles"] = vehicles
            day["resources"] = resources
        }, in: folder, name: "car-withdrawn.json")
        let programme = CLI.packageRoot.appendingPathComponent("Examples/delegation-programme.json").path
        let programmeData = try Data(contentsOf: URL(fileURLWithPath: programme))
        guard var document = try JSONSerialization.jsonObject(with: programmeData) as? [String: Any],
              var visits = document["visits"] as? [[String: Any]],
              let v = visits.firstIndex(where: { $0["id"] as? String == "V-01" }),
              var segments = visits[v]["segments"] as? [[String: Any]],
              let s = segments.firstIndex(where: { $0["id"] as? String == "sendoff" }) else {
            throw FixtureError(description: "the programme example no longer has V-01 sendoff")
        }
        segments[s]["start"] = "11:00"
        segments[s]["end"] = "12:00"
        visits[v]["segments"] = segments
        document["visits"] = visits
        let moved = path("moved-programme.json")
        try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys]).write(to: URL(fileURLWithPath: moved))

        let fixture = ChangesFixture(folder: folder, day: CLI.exampleDay, carWithdrawnDay: withdrawn,
                                     oldPlan: path("old.json"), newPlan: path("new.json"),
                                     programme: programme, movedProgramme: moved,
                                     programmePlan: path("programme-plan.json"), movedProgrammePlan: path("moved-plan.json"))
        for (day, plan) in [(fixture.day, fixture.oldPlan), (fixture.carWithdrawnDay, fixture.newPlan),
                            (fixture.programme, fixture.programmePlan), (fixture.movedProgramme, fixture.movedProgrammePlan)] {
            let run = try CLI.run(["optimize", day, "-o", plan])
            guard run.status == 0 || run.status == 3 else {
                throw FixtureError(description: "schedule optimize \(day) exited \(run.status): \(run.stderr)")
            }
        }
        return fixture
    }

    /// A plan file as JSON objects, for finding what a test should expect.
    static func planVisits(_ path: String) throws -> [[String: Any]] {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
        return object?["visits"] as? [[String: Any]] ?? []
    }

    /// Every (visit, segment, vehicle, driver) of a plan's transfers.
    static func transfers(_ path: String) throws -> [(visit: String, segment: String, vehicle: String, driver: String)] {
        var out: [(String, String, String, String)] = []
        for visit in try planVisits(path) {
            for segment in visit["segments"] as? [[String: Any]] ?? [] {
                for pair in segment["transport"] as? [[String: Any]] ?? [] {
                    if let v = visit["id"] as? String, let s = segment["id"] as? String,
                       let car = pair["vehicle"] as? String, let driver = pair["driver"] as? String {
                        out.append((v, s, car, driver))
                    }
                }
            }
        }
        return out
    }

    /// A day and a plan read as the commands read them.
    static func assignments(day: String, plan: String) throws -> PlanAssignments {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: day)))
        let problem = try Problem.load(json: bytes, registry: builtinRegistry())
        let document = try JSONParser.parse(bytes).value
        return try PlanAssignments(problem: problem, planJSON: [UInt8](try Data(contentsOf: URL(fileURLWithPath: plan))), dayDocument: document)
    }
}
