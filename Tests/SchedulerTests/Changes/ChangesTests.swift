import Foundation
import PlanChanges
import SchedulingCore
import Testing

/// `schedule changes`: what a dispatcher reads out after a replan.
@Suite("Changes: what changed between two plans")
struct ChangesTests {
    @Test("a withdrawn car: its drivers hear their new car and the old one, the car hears what it lost")
    func withdrawnCar() throws {
        let f = try ChangesFixture.get()
        let run = try CLI.run(["changes", f.oldPlan, f.newPlan, "--day", f.carWithdrawnDay])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "Changes to the plan of 2026-12-01: \(lines.filter { $0.hasPrefix("  ") && $0.contains("): ") }.count) resources affected")

        let before = try ChangesFixture.transfers(f.oldPlan).filter { $0.vehicle == "CAR-02" }
        let after = try ChangesFixture.transfers(f.newPlan)
        try #require(!before.isEmpty, "the example's plan no longer uses CAR-02; pick another car for this test")
        #expect(!after.contains { $0.vehicle == "CAR-02" }, "the new plan still uses the withdrawn car")

        // CAR-02 loses every transfer, in time order.
        let car = try #require(lines.first { $0.hasPrefix("  CAR-02 (vehicle): ") }, "\(run.stdout)")
        for t in before { #expect(car.contains("no longer \(t.visit) \(t.segment) "), "\(car)") }
        #expect(!car.contains("now "))

        // Each driver of CAR-02 hears the new partner car, or that the transfer is no longer theirs.
        for t in before {
            let line = try #require(lines.first { $0.hasPrefix("  \(t.driver) (driver): ") }, "no line for \(t.driver):\n\(run.stdout)")
            if let kept = after.first(where: { $0.visit == t.visit && $0.segment == t.segment && $0.driver == t.driver }) {
                #expect(line.contains("now \(t.visit) \(t.segment) "), "\(line)")
                #expect(line.contains(" with \(kept.vehicle) (was CAR-02)"), "\(line)")
            } else {
                #expect(line.contains("no longer \(t.visit) \(t.segment) "), "\(line)")
            }
        }
        // The cars that take over hear their new transfers with their drivers.
        let oldTransfers = try ChangesFixture.transfers(f.oldPlan)
        for t in before {
            for new in after where new.visit == t.visit && new.segment == t.segment
                && !oldTransfers.contains(where: { $0.visit == new.visit && $0.segment == new.segment && $0.vehicle == new.vehicle }) {
                let line = try #require(lines.first { $0.hasPrefix("  \(new.vehicle) (vehicle): ") }, "\(run.stdout)")
                #expect(line.contains("now \(new.visit) \(new.segment) "), "\(line)")
                #expect(line.contains("with \(new.driver)"), "\(line)")
            }
        }
        // Kinds in order, headed; resources sorted within a kind.
        let headings = lines.filter { !$0.isEmpty && !$0.hasPrefix(" ") }.dropFirst()
        let order = ["Staff", "Drivers", "Vehicles", "Venues", "Catering", "Hotels", "Needs"]
        #expect(headings.map { order.firstIndex(of: $0) ?? -1 } == headings.map { order.firstIndex(of: $0) ?? -1 }.sorted())
        #expect(headings.allSatisfy(order.contains), "\(headings)")
        #expect(headings.contains("Drivers") && headings.contains("Vehicles"))
    }

    @Test("the same plan twice: no changes, in every format")
    func noChanges() throws {
        let f = try ChangesFixture.get()
        let text = try CLI.run(["changes", f.oldPlan, f.oldPlan, "--day", f.day])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout == "Changes to the plan of 2026-12-01: no changes\n")
        let json = try CLI.run(["changes", f.oldPlan, f.oldPlan, "--day", f.day, "--format", "json"])
        let root = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(root["changed"] as? Bool == false)
        #expect((root["resources"] as? [Any])?.isEmpty == true)
        let md = try CLI.run(["changes", f.oldPlan, f.oldPlan, "--day", f.day, "--format", "md"])
        #expect(md.stdout.contains("No changes."))
    }

    @Test("JSON: a stable, documented shape, the same facts as the text")
    func jsonShape() throws {
        let f = try ChangesFixture.get()
        let folder = try CLI.temporaryFolder()
        let out = folder.appendingPathComponent("changes.json").path
        let run = try CLI.run(["changes", f.oldPlan, f.newPlan, "--day", f.carWithdrawnDay, "-o", out])
        #expect(run.status == 0 && run.stdout.isEmpty, "\(run.stderr)")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
        #expect(Set(root.keys) == ["schemaVersion", "date", "changed", "resources", "needs"])
        #expect(root["schemaVersion"] as? Int == 1)
        #expect(root["date"] as? String == "2026-12-01")
        #expect(root["changed"] as? Bool == true)
        let needs = try #require(root["needs"] as? [String: Any])
        #expect(Set(needs.keys) == ["nowUnmet", "nowMet"])
        let resources = try #require(root["resources"] as? [[String: Any]])
        let text = try CLI.run(["changes", f.oldPlan, f.newPlan, "--day", f.carWithdrawnDay]).stdout
        for r in resources {
            #expect(Set(r.keys) == ["kind", "id", "name", "line", "changes"])
            let line = try #require(r["line"] as? String)
            #expect(text.contains("  " + line + "\n"), "the JSON line is not the text's: \(line)")
            for change in try #require(r["changes"] as? [[String: Any]]) {
                #expect(Set(change.keys) == ["change", "aspects", "before", "after", "text"])
                let kind = try #require(change["change"] as? String)
                #expect(["added", "dropped", "changed"].contains(kind))
                #expect((change["before"] is NSNull) == (kind == "added"))
                #expect((change["after"] is NSNull) == (kind == "dropped"))
                #expect(((change["aspects"] as? [String])?.isEmpty ?? false) == (kind != "changed"))
                for side in ["before", "after"] {
                    guard let a = change[side] as? [String: Any] else { continue }
                    #expect(Set(a.keys) == ["visit", "segment", "role", "need", "spans", "nights", "from", "to", "location", "partners", "rooms"])
                    for span in a["spans"] as? [[String: Any]] ?? [] {
                        #expect(span["day"] as? Int == 1)
                        #expect((span["start"] as? String)?.count == 5 && (span["end"] as? String)?.count == 5)
                    }
                    for partner in a["partners"] as? [[String: Any]] ?? [] { #expect(Set(partner.keys) == ["kind", "id"]) }
                }
            }
        }
        let car = try #require(resources.first { $0["id"] as? String == "CAR-02" })
        #expect(car["kind"] as? String == "vehicle")
        #expect((car["changes"] as? [[String: Any]])?.allSatisfy { $0["change"] as? String == "dropped" } == true)
        let drivers = resources.filter { $0["kind"] as? String == "driver" }
        #expect(!drivers.isEmpty)
        let partnerChanges = drivers.flatMap { $0["changes"] as? [[String: Any]] ?? [] }.filter { ($0["aspects"] as? [String]) == ["partners"] }
        for change in partnerChanges {
            let before = (change["before"] as? [String: Any])?["partners"] as? [[String: Any]]
            #expect(before?.first?["id"] as? String == "CAR-02")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["changes.json"])
    }

    @Test("plans edited by hand: a role swapped, a partner changed, a need left unmet")
    func editedPlan() throws {
        let f = try ChangesFixture.get()
        let data = try Data(contentsOf: URL(fileURLWithPath: f.oldPlan))
        var plan = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var visits = try #require(plan["visits"] as? [[String: Any]])
        let v = try #require(visits.firstIndex { ($0["escorts"] as? [String])?.isEmpty == false && $0["host"] is String })
        let visitID = try #require(visits[v]["id"] as? String)
        let host = try #require(visits[v]["host"] as? String)
        var escorts = try #require(visits[v]["escorts"] as? [String])
        let escort = escorts[0]
        escorts[0] = host
        visits[v]["host"] = escort
        visits[v]["escorts"] = escorts
        var segments = try #require(visits[v]["segments"] as? [[String: Any]])
        let s = try #require(segments.firstIndex { $0["venue"] is String })
        let venue = try #require(segments[s]["venue"] as? String)
        let segmentID = try #require(segments[s]["id"] as? String)
        segments[s]["venue"] = NSNull()
        visits[v]["segments"] = segments
        plan["visits"] = visits
        let folder = try CLI.temporaryFolder()
        let edited = folder.appendingPathComponent("edited.json")
        try JSONSerialization.data(withJSONObject: plan).write(to: edited)

        let old = try ChangesFixture.assignments(day: f.day, plan: f.oldPlan)
        let new = try ChangesFixture.assignments(day: f.day, plan: edited.path)
        let comparison = PlanComparison(old: old, new: new)
        let lines = comparison.text.split(separator: "\n").map(String.init)
        let hostLine = try #require(lines.first { $0.hasPrefix("  \(escort) (staff): ") }, "\(comparison.text)")
        #expect(hostLine.contains("now \(visitID) host ") && hostLine.contains("(was escort"), "\(hostLine)")
        let escortLine = try #require(lines.first { $0.hasPrefix("  \(host) (staff): ") }, "\(comparison.text)")
        #expect(escortLine.contains("now \(visitID) escort ") && escortLine.contains("(was host"), "\(escortLine)")
        let venueLine = try #require(lines.first { $0.hasPrefix("  \(venue) (venue): ") }, "\(comparison.text)")
        #expect(venueLine.contains("no longer \(visitID) \(segmentID) "), "\(venueLine)")
        #expect(comparison.nowUnmet.map(\.description) == ["\(visitID) \(segmentID) venue"])
        #expect(lines.contains("  \(visitID) \(segmentID) venue: now unmet"))
        let roles = comparison.resources.flatMap(\.changes).compactMap { change -> [PlanComparison.Aspect]? in
            if case .changed(_, _, let aspects) = change { return aspects }
            return nil
        }
        #expect(roles.filter { $0.contains(.role) }.count == 2, "\(roles)")
    }

    @Test("a programme: times name the day; --old-day shows a moved segment as moved")
    func programmeMoved() throws {
        let f = try ChangesFixture.get()
        let run = try CLI.run(["changes", f.programmePlan, f.movedProgrammePlan, "--day", f.movedProgramme, "--old-day", f.programme])
        #expect(run.status == 0, "\(run.stderr)")
        let movers = try ChangesFixture.transfers(f.movedProgrammePlan).filter { $0.visit == "V-01" && $0.segment == "sendoff" }
        try #require(!movers.isEmpty, "\(run.stdout)")
        for t in movers {
            let line = try #require(run.stdout.split(separator: "\n").first { $0.hasPrefix("  \(t.driver) (driver): ") }, "\(run.stdout)")
            #expect(line.contains("V-01 sendoff day 3 11:00-12:00 HQ → PVG"), "\(line)")
            if try ChangesFixture.transfers(f.programmePlan).contains(where: { $0.visit == "V-01" && $0.segment == "sendoff" && $0.driver == t.driver }) {
                #expect(line.contains("(was day 3 10:00-11:00"), "\(line)")
            }
        }
    }

    @Test("bad input exits 2 and writes nothing; an unwritable output exits 1")
    func exitCodes() throws {
        let f = try ChangesFixture.get()
        let folder = try CLI.temporaryFolder()
        let other = folder.appendingPathComponent("other.json")
        try Data(#"{"schemaVersion": 1, "visits": [{"id": "Z-1", "segments": []}]}"#.utf8).write(to: other)
        let out = folder.appendingPathComponent("out.txt").path
        for (plan, message) in [(other.path, "none of the day's visits"), (f.programmePlan, "schemaVersion is 2"),
                                (folder.appendingPathComponent("none.json").path, "no such file")] {
            let run = try CLI.run(["changes", f.oldPlan, plan, "--day", f.day, "-o", out])
            #expect(run.status == 2, "\(run.stderr)")
            #expect(run.stderr.contains(message), "\(run.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out))
        }
        let unwritable = try CLI.run(["changes", f.oldPlan, f.newPlan, "--day", f.carWithdrawnDay, "-o", folder.path])
        #expect(unwritable.status == 1, "\(unwritable.stderr)")
        #expect(unwritable.stderr.contains("cannot write"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }
}
