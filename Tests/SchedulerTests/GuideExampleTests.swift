import Foundation
import Testing

/// The plugin guide's example kind compiles and passes the conformance kit
/// (`ConformanceFixtures.parking`) from the files in `GuideExample/`; this test
/// keeps those files and the guide's code blocks the same, so the guide
/// cannot show code that does not build.
@Suite("Plugin guide example")
struct GuideExampleTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The fenced block that follows the line `` `label`: `` in the guide.
    static func block(after label: String, in guide: String) -> String? {
        guard let mark = guide.range(of: "`\(label)`:\n") else { return nil }
        let rest = guide[mark.upperBound...]
        guard let open = rest.range(of: "```"), let lineEnd = rest[open.upperBound...].firstIndex(of: "\n") else { return nil }
        let body = rest[rest.index(after: lineEnd)...]
        guard let close = body.range(of: "\n```") else { return nil }
        return String(body[..<close.lowerBound]) + "\n"
    }

    @Test("each file of the guide's example kind is the code the guide shows",
          arguments: [("Plugins/Parking/ParkingModel.swift", "Tests/SchedulerTests/GuideExample/ParkingModel.swift"),
                      ("Plugins/Parking/ParkingPlugin.swift", "Tests/SchedulerTests/GuideExample/ParkingPlugin.swift"),
                      ("Plugins/Parking/ParkingRules.swift", "Tests/SchedulerTests/GuideExample/ParkingRules.swift"),
                      ("Tests/SchedulerTests/Conformance/Fixtures/parking.json", "Tests/SchedulerTests/Conformance/Fixtures/parking.json")])
    func sameAsGuide(label: String, file: String) throws {
        let guide = try String(contentsOf: Self.root.appendingPathComponent("docs/writing-a-resource-plugin.md"), encoding: .utf8)
        let shown = try #require(Self.block(after: label, in: guide), "the guide has no block for \(label)")
        let compiled = try String(contentsOf: Self.root.appendingPathComponent(file), encoding: .utf8)
        #expect(shown == compiled, "\(file) differs from the guide's \(label)")
    }
}
