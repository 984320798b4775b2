import Foundation
import Testing

/// Plans that must not change under a restructuring (issue 15): the bundled
/// examples and two generated days, planned by both optimizers, byte for byte.
/// A change that means to alter plans rewrites them with
/// `SCHEDULE_UPDATE_GOLDEN=1 swift test --filter GoldenPlanTests` and says why in
/// its commit. GLPK runs without a time limit on days it proves in well under a
/// second, so its plans are deterministic.
@Suite("Golden plans")
struct GoldenPlanTests {
    static let folder = CLI.packageRoot.appendingPathComponent("Tests/SchedulerTests/Golden")

    @Test("plans are byte-identical to the recorded ones",
          arguments: [("Examples/reception-day.json", "glpk"), ("Examples/reception-day.json", "greedy"),
                      ("Examples/gifts-day.json", "glpk"), ("Examples/gifts-day.json", "greedy"),
                      ("Tests/SchedulerTests/Golden/generated-12.json", "glpk"),
                      ("Tests/SchedulerTests/Golden/generated-12.json", "greedy"),
                      ("Tests/SchedulerTests/Golden/generated-40.json", "greedy")])
    func unchanged(day: String, optimizer: String) throws {
        let name = URL(fileURLWithPath: day).deletingPathExtension().lastPathComponent
        let golden = Self.folder.appendingPathComponent("\(name).\(optimizer).plan.json")
        let temporary = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: temporary) }
        let plan = temporary.appendingPathComponent("plan.json")
        let run = try CLI.run(["optimize", CLI.packageRoot.appendingPathComponent(day).path, "--optimizer", optimizer,
                               "--no-limit", "-o", plan.path])
        #expect(run.status == 0 || run.status == 3, "exit \(run.status): \(run.stderr)")
        let written = try Data(contentsOf: plan)
        if ProcessInfo.processInfo.environment["SCHEDULE_UPDATE_GOLDEN"] != nil {
            try written.write(to: golden)
            return
        }
        let recorded = try Data(contentsOf: golden)
        #expect(written == recorded, "\(name) with \(optimizer) differs from \(golden.lastPathComponent)")
    }
}
