import Foundation
@testable import PlanChanges
import SchedulingCore
import Testing

/// `schedule notify`: calendar files that real calendars import and update.
@Suite("Changes: iCalendar files of notify")
struct NotifyTests {
    static let stamp = "20261201T060000Z"

    /// Runs `schedule notify` into a fresh folder and reads every file strictly.
    static func notify(_ day: String, _ plan: String, previous: String? = nil, previousDay: String? = nil)
        throws -> (folder: URL, files: [String: StrictICalendarReader.Component]) {
        let folder = try CLI.temporaryFolder().appendingPathComponent("calendars")
        var arguments = ["notify", day, plan, "--out", folder.path, "--stamp", stamp]
        if let previous { arguments += ["--previous", previous] }
        if let previousDay { arguments += ["--previous-day", previousDay] }
        let run = try CLI.run(arguments)
        #expect(run.status == 0, "\(run.stderr)")
        var files: [String: StrictICalendarReader.Component] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            #expect(name.hasSuffix(".ics"), "a leftover file \(name)")
            let bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
            do {
                files[name] = try StrictICalendarReader.read(bytes)
            } catch {
                Issue.record("\(name): \(error)")
            }
        }
        return (folder, files)
    }

    @Test("one file per resource with assignments and all.ics, every one strictly well-formed")
    func files() throws {
        let f = try ChangesFixture.get()
        let (_, files) = try Self.notify(f.day, f.oldPlan)
        let plan = try ChangesFixture.assignments(day: f.day, plan: f.oldPlan)
        let expected = Set(plan.assignments.map { NotificationCalendars.fileName($0.resource) } + ["all.ics"])
        #expect(Set(files.keys) == expected)
        for prefix in ["staff-", "driver-", "vehicle-", "venue-", "catering-"] { #expect(files.keys.contains { $0.hasPrefix(prefix) }, "no \(prefix) file") }
        let all = try #require(files["all.ics"])
        #expect(all.events.count == files.filter { $0.key != "all.ics" }.map(\.value.events.count).reduce(0, +))
        #expect(all.events.count == plan.assignments.count)
        #expect(Set(all.events.compactMap { $0.value("UID") }).count == all.events.count, "UIDs repeat")
        for (name, calendar) in files {
            #expect(calendar.value("METHOD") == "PUBLISH", "\(name)")
            for event in calendar.events {
                #expect(event.value("DTSTAMP") == Self.stamp)
                #expect(event.value("SEQUENCE") == "0" && event.value("STATUS") == "CONFIRMED")
                #expect(event.value("DTSTART")?.hasPrefix("20261201T") == true, "\(name): floating local time on the day's date")
            }
        }
        // A driver's event: summary, places by name, the car beside it, the visit's host and escorts.
        let (visit, segment, vehicle, driver) = try #require(try ChangesFixture.transfers(f.oldPlan).first)
        let event = try #require(files["driver-\(driver).ics"]?.events.first { $0.text("SUMMARY")?.hasPrefix("\(visit) \(segment) (") == true })
        #expect(event.text("SUMMARY")?.hasSuffix("): driver") == true)
        #expect(event.text("UID") == "20261201/\(visit)/\(segment)/driver/\(driver)@reception-scheduler")
        #expect(event.text("LOCATION")?.contains(" → ") == true)
        let description = try #require(event.text("DESCRIPTION"))
        for part in ["Visit \(visit) (", "With: vehicle \(vehicle)", "Host: ", "escorts: ", "Contact: "] {
            #expect(description.contains(part), "\(description)")
        }
    }

    @Test("the same assignment keeps its UID across replans; with --previous a changed one has SEQUENCE 1, a dropped one is cancelled")
    func stableUIDs() throws {
        let f = try ChangesFixture.get()
        let (_, before) = try Self.notify(f.day, f.oldPlan)
        let (_, after) = try Self.notify(f.carWithdrawnDay, f.newPlan)
        // Same resource file and summary = same assignment (visit, segment, role): the UIDs agree.
        func uids(_ files: [String: StrictICalendarReader.Component]) -> [String: String] {
            var out: [String: String] = [:]
            for (name, c) in files where name != "all.ics" {
                for e in c.events { out[name + "|" + (e.text("SUMMARY") ?? "")] = e.value("UID") }
            }
            return out
        }
        let a = uids(before), b = uids(after)
        let common = Set(a.keys).intersection(b.keys)
        #expect(common.count > 10)
        for key in common { #expect(a[key] == b[key], "\(key)") }

        let (_, updates) = try Self.notify(f.carWithdrawnDay, f.newPlan, previous: f.oldPlan)
        let withdrawn = try ChangesFixture.transfers(f.oldPlan).filter { $0.vehicle == "CAR-02" }
        let car = try #require(updates["vehicle-CAR-02.ics"], "the withdrawn car gets its cancellations")
        #expect(car.events.count == withdrawn.count)
        for event in car.events {
            #expect(event.value("STATUS") == "CANCELLED")
            #expect(event.value("SEQUENCE") == "1")
            #expect(a.values.contains(event.value("UID") ?? ""), "a cancellation names the event it cancels")
        }
        let newTransfers = try ChangesFixture.transfers(f.newPlan)
        for t in withdrawn {
            guard let kept = newTransfers.first(where: { $0.visit == t.visit && $0.segment == t.segment && $0.driver == t.driver }) else { continue }
            let uid = "20261201/\(t.visit)/\(t.segment)/driver/\(t.driver)@reception-scheduler"
            let event = try #require(updates["driver-\(t.driver).ics"]?.events.first { $0.text("UID") == uid })
            #expect(event.value("SEQUENCE") == "1", "the driver's car changed to \(kept.vehicle)")
            #expect(event.text("DESCRIPTION")?.contains("was with vehicle CAR-02") == true)
        }
        // Unchanged events keep SEQUENCE 0.
        let unchanged = updates.filter { $0.key.hasPrefix("venue-") }.flatMap(\.value.events)
        #expect(!unchanged.isEmpty && unchanged.allSatisfy { $0.value("SEQUENCE") == "0" })
    }

    @Test("a programme: later days on their dates, a moved send-off has SEQUENCE 1, hotels as all-day stays")
    func programme() throws {
        let f = try ChangesFixture.get()
        let (_, files) = try Self.notify(f.movedProgramme, f.movedProgrammePlan, previous: f.programmePlan, previousDay: f.programme)
        let all = try #require(files["all.ics"])
        let sendoffs = all.events.filter { $0.text("UID")?.hasPrefix("20261207/V-01/sendoff/") == true }
        #expect(!sendoffs.isEmpty)
        for e in sendoffs {
            #expect(e.value("DTSTART") == "20261209T110000" && e.value("DTEND") == "20261209T120000")
            #expect(e.value("SEQUENCE") == "1", "\(e.value("UID") ?? "")")
        }
        let plan = try ChangesFixture.assignments(day: f.movedProgramme, plan: f.movedProgrammePlan)
        let stays = plan.assignments.filter { $0.resource.kind == "hotel" }
        #expect(!stays.isEmpty)
        for stay in stays {
            let event = try #require(files[NotificationCalendars.fileName(stay.resource)]?.events.first { $0.text("UID")?.contains("/\(stay.visit)/visit/hotel/") == true })
            let start = try #require(event.values("DTSTART").first), end = try #require(event.values("DTEND").first)
            #expect(start.parameters == ["VALUE=DATE"] && end.parameters == ["VALUE=DATE"])
            let first = try #require(stay.nights.min()), last = try #require(stay.nights.max())
            #expect(start.value == CivilDate(year: 2026, month: 12, day: 7)?.adding(days: first - 1).compact)
            if last - first + 1 == stay.nights.count {
                #expect(end.value == CivilDate(year: 2026, month: 12, day: 7)?.adding(days: last).compact)
            }
        }
        // Escorts on a multi-day visit: one event per day, the later ones with the day in their UID.
        let escortDays = all.events.compactMap { $0.text("UID") }.filter { $0.contains("/V-01/visit/escort/") }
        #expect(escortDays.count == 3 && escortDays.filter { $0.contains("/day-") }.count == 2, "\(escortDays)")
    }

    /// A Python with the `icalendar` package: `python3` on PATH, else the system one (where
    /// `apt-get install python3-icalendar` puts it when PATH has another Python first).
    static let python: String? = {
        for candidate in ["/usr/bin/env", "/usr/bin/python3"] {
            let arguments = candidate == "/usr/bin/env" ? ["python3", "-c", "import icalendar"] : ["-c", "import icalendar"]
            let process = Process()
            process.executableURL = URL(fileURLWithPath: candidate)
            process.arguments = arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            guard (try? process.run()) != nil else { continue }
            process.waitUntilExit()
            if process.terminationStatus == 0 { return candidate == "/usr/bin/env" ? "python3" : candidate }
        }
        return nil
    }()

    static let parseScript = """
        import os, sys, icalendar
        for path in sys.argv[1:]:
            cal = icalendar.Calendar.from_ical(open(path, 'rb').read())
            assert cal.name == 'VCALENDAR', path
            for component in cal.walk():
                if getattr(component, 'errors', None):
                    print('ERROR', os.path.basename(path), component.name, component.errors)
                    sys.exit(1)
            for ev in cal.walk('VEVENT'):
                start, end = ev.decoded('DTSTART'), ev.decoded('DTEND')
                floating = getattr(start, 'tzinfo', None) is None
                print('\\t'.join([os.path.basename(path), str(ev['UID']), str(ev.get('SEQUENCE', 0)), str(ev.get('STATUS')),
                                 start.isoformat(), end.isoformat(), 'floating' if floating else 'zoned', str(ev['SUMMARY'])]))
        """

    @Test("Python's icalendar parses every file: the same UIDs, sequences and statuses, floating times",
          .enabled(if: python != nil, "python3 with the icalendar package is missing (apt-get install python3-icalendar); skipping the real parser's check"))
    func realParser() throws {
        let f = try ChangesFixture.get()
        for (day, plan, previous, previousDay) in [(f.carWithdrawnDay, f.newPlan, f.oldPlan, nil as String?),
                                                  (f.movedProgramme, f.movedProgrammePlan, f.programmePlan, f.programme)] {
            let (folder, files) = try Self.notify(day, plan, previous: previous, previousDay: previousDay)
            let python = try #require(Self.python)
            let process = Process()
            let script = folder.deletingLastPathComponent().appendingPathComponent("parse.py")
            try Data(Self.parseScript.utf8).write(to: script)
            let paths = files.keys.sorted().map { folder.appendingPathComponent($0).path }
            process.executableURL = URL(fileURLWithPath: python == "python3" ? "/usr/bin/env" : python)
            process.arguments = (python == "python3" ? ["python3"] : []) + [script.path] + paths
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "icalendar rejects a file: \(output) \(errors)")

            var parsed: [String: [String]] = [:]
            for line in output.split(separator: "\n") {
                let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
                guard fields.count == 8 else { Issue.record("unexpected output: \(line)"); continue }
                parsed[fields[0], default: []].append([fields[1], fields[2], fields[3]].joined(separator: " "))
                #expect(fields[6] == "floating", "\(line)")
            }
            for (name, calendar) in files {
                let own = calendar.events.map { [$0.text("UID") ?? "", $0.value("SEQUENCE") ?? "", $0.value("STATUS") ?? ""].joined(separator: " ") }
                #expect((parsed[name] ?? []).sorted() == own.sorted(), "\(name): icalendar reads other events than the strict reader")
            }
            #expect(parsed.values.joined().contains { $0.hasSuffix(" 1 CANCELLED") } || previousDay != nil)
            #expect(parsed.values.joined().contains { $0.hasSuffix(" 1 CONFIRMED") })
        }
    }

    @Test("notify refuses a --out that is a file, a day without a date, a bad --stamp")
    func refusals() throws {
        let f = try ChangesFixture.get()
        let folder = try CLI.temporaryFolder()
        let file = folder.appendingPathComponent("calendars")
        try Data("keep".utf8).write(to: file)
        let run = try CLI.run(["notify", f.day, f.oldPlan, "--out", file.path])
        #expect(run.status == 1 && run.stderr.contains("is a file"), "\(run.stderr)")
        #expect(try String(contentsOf: file, encoding: .utf8) == "keep")
        let undated = try CLI.editedExample({ $0["date"] = nil }, in: folder, name: "undated.json")
        let out = folder.appendingPathComponent("out").path
        let noDate = try CLI.run(["notify", undated, f.oldPlan, "--out", out])
        #expect(noDate.status == 2 && noDate.stderr.contains("\"date\""), "\(noDate.stderr)")
        let badStamp = try CLI.run(["notify", f.day, f.oldPlan, "--out", out, "--stamp", "2026-12-01 07:00"])
        #expect(badStamp.status == 2 && badStamp.stderr.contains("--stamp"), "\(badStamp.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))

        // A plan that assigns nothing: no calendar (one needs an event), and a note saying so.
        var plan = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: f.oldPlan))) as? [String: Any])
        plan["visits"] = (plan["visits"] as? [[String: Any]] ?? []).map { visit in
            var visit = visit
            visit["host"] = NSNull()
            visit["escorts"] = [String]()
            visit["segments"] = (visit["segments"] as? [[String: Any]] ?? []).map { segment in
                var segment = segment
                for key in segment.keys where key != "id" { segment[key] = NSNull() }
                return segment
            }
            return visit
        }
        let empty = folder.appendingPathComponent("empty-plan.json")
        try JSONSerialization.data(withJSONObject: plan).write(to: empty)
        let nothing = try CLI.run(["notify", f.day, empty.path, "--out", out])
        #expect(nothing.status == 0 && nothing.stderr.contains("no calendar was written"), "\(nothing.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).isEmpty)
    }
}

/// The calendar writing itself: escaping, folding, dates.
@Suite("Changes: iCalendar writing")
struct ICalendarWritingTests {
    @Test("TEXT escapes backslash, semicolon, comma and line breaks")
    func escaping() {
        #expect(ICalendarWriter.escape("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf")
        #expect(StrictICalendarReader.unescape(ICalendarWriter.escape("Li, Wei; \\ok\nnext")) == "Li, Wei; \\ok\nnext")
    }

    @Test("folding at 75 octets never splits a UTF-8 character and unfolds to the line")
    func folding() throws {
        let line = "DESCRIPTION:" + String(repeating: "Zhōng 中文 ünïcødé → ", count: 20)
        let folded = ICalendarWriter.fold(line)
        #expect(folded.hasSuffix("\r\n"))
        // "\r\n" is one Character: drop it as bytes.
        let physical = String(decoding: folded.utf8.dropLast(2), as: UTF8.self).components(separatedBy: "\r\n")
        #expect(physical.count > 1)
        for p in physical { #expect(p.utf8.count <= 75) }
        #expect(physical.dropFirst().allSatisfy { $0.hasPrefix(" ") })
        let unfolded = physical[0] + physical.dropFirst().map { String($0.dropFirst()) }.joined()
        #expect(unfolded == line)
    }

    @Test("dates: programme days cross months and leap days; stamps in both forms")
    func dates() throws {
        #expect(CivilDate(iso: "2026-12-31")?.adding(days: 1).description == "2027-01-01")
        #expect(CivilDate(iso: "2028-02-28")?.adding(days: 1).description == "2028-02-29")
        #expect(CivilDate(iso: "1970-01-01")?.daysSinceEpoch == 0)
        #expect(CivilDate(iso: "2026-02-30") == nil && CivilDate(iso: "26-12-01") == nil)
        let first = try #require(CivilDate(iso: "2026-12-07"))
        #expect(CivilDateTime(programmeMinute: 2 * 1440 + 11 * 60, first: first).compact == "20261209T110000")
        #expect(CivilDateTime(programmeMinute: 1440, first: first).compact == "20261208T000000")
        #expect(try CalendarStamp(parsing: "2026-12-01T07:00:05Z").description == "20261201T070005Z")
        #expect(try CalendarStamp(parsing: "20261201T070005Z").description == "20261201T070005Z")
        #expect(CalendarStamp(secondsSince1970: 86_400 + 61).description == "19700102T000101Z")
        #expect(throws: PlanChangesError.self) { try CalendarStamp(parsing: "2026-12-01 07:00") }
    }

    @Test("UID parts are percent-encoded, so that / separates them unambiguously")
    func uidParts() {
        #expect(NotificationCalendars.uidPart("V-017") == "V-017")
        #expect(NotificationCalendars.uidPart("a/b c,ü") == "a%2Fb%20c%2C%C3%BC")
    }

    @Test("file names keep ids readable and safe")
    func fileNames() {
        #expect(NotificationCalendars.fileName(ResourceKey(kind: "staff", id: "S-001")) == "staff-S-001.ics")
        #expect(NotificationCalendars.fileName(ResourceKey(kind: "venue", id: "../R 1/x")) == "venue-_._R_1_x.ics")
    }
}
