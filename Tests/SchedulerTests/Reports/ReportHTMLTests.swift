import Foundation
import PlanReports
import SchedulingCore
import Testing

/// The HTML page: one self-contained file with a Gantt-style timeline (one row
/// per resource, grouped by kind, bars coloured by tier), unmet needs and
/// overruns marked, a section per visit, and print styles.
@Suite("Report: HTML page")
struct ReportHTMLTests {
    @Test("the page is self-contained and well-formed, with unique ids and links that resolve", arguments: ReportFixtures.names)
    func selfContained(_ name: String) throws {
        let f = try ReportFixtures.fixture(name)
        let html = try f.report.render(.html)
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        #expect(html.contains("<meta charset=\"utf-8\">") && html.contains("<title>"))
        #expect(html.components(separatedBy: "<style>").count == 2, "one inline style sheet")
        #expect(html.contains("@media print") && html.contains("@page"))
        for external in ["<script", "<link", "src=", "url(", "@import", "http://", "https://", "<iframe", "<img"] {
            #expect(!html.contains(external), "no \(external): the page fetches nothing")
        }
        let tags = try Self.elements(html)
        let ids = tags.compactMap { $0.attributes["id"] }
        #expect(Set(ids).count == ids.count, "ids are unique: \(Dictionary(grouping: ids, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted())")
        for link in tags.compactMap({ $0.attributes["href"] }) {
            #expect(link.hasPrefix("#") && ids.contains(String(link.dropFirst())), "link \(link) resolves")
        }
    }

    @Test("one row per resource, grouped by the day's lists; one bar per use, coloured by tier; overruns and unmet marked", arguments: ReportFixtures.names)
    func gantt(_ name: String) throws {
        let f = try ReportFixtures.fixture(name)
        let html = try f.report.render(.html)
        let tags = try Self.elements(html)
        // Rows, in the timeline of the day or of each day of a programme.
        var timelines: [[Element]] = []
        var inTimeline = false
        for tag in tags {
            if tag.name == "section" {
                inTimeline = (tag.attributes["class"] ?? "").contains("gantt-section")
                if inTimeline { timelines.append([]) }
            } else if inTimeline {
                timelines[timelines.count - 1].append(tag)
            }
        }
        #expect(timelines.count == (f.problem.day.isProgramme ? f.problem.day.days : 1), "one timeline a day")
        let expected = Set(f.problem.resources.keys.map { "\($0.kind):\($0.id)" })
        let lists = f.dayJSON["resources"]?.objectValue?.members.filter { !($0.value.array?.isEmpty ?? true) }.map(\.key) ?? []
        for timeline in timelines {
            let rows = timeline.filter { $0.attributes["data-resource"] != nil }
            #expect(rows.count == expected.count)
            #expect(Set(rows.compactMap { $0.attributes["data-resource"] }) == expected)
            let groups = timeline.compactMap { $0.attributes["data-group"] }.filter { $0 != "unmet" }
            #expect(groups == lists, "groups follow the day's resources lists")
        }
        // Bars: one per use, tier classes, overruns outlined.
        let bars = tags.filter { ($0.attributes["class"] ?? "").split(separator: " ").contains("g-bar") }
        let useBars = bars.filter { !($0.attributes["class"] ?? "").contains("unmet") }
        #expect(useBars.count == f.dayPlan.uses.count)
        let overrunVisits = Set(f.plan.approvalsNeeded.compactMap(\.visit))
        for bar in useBars {
            let classes = Set((bar.attributes["class"] ?? "").split(separator: " ").map(String.init))
            let visitAnchor = try #require(bar.attributes["data-visit"])
            let visit = try #require(f.problem.day.visits.first { "visit-" + $0.id == visitAnchor })
            #expect(classes.contains("tier-\(visit.tier.rawValue)"))
            #expect(classes.contains("overrun") == overrunVisits.contains(visit.id), "\(visit.id) overrun marking")
        }
        // Unmet needs have their own rows.
        let unmetRows = tags.filter { $0.attributes["data-unmet"] != nil }
        #expect(unmetRows.count == f.plan.unmet.count)
        #expect(bars.filter { ($0.attributes["class"] ?? "").contains("unmet") }.count == f.plan.unmet.count)
        // A section per visit, with its tier.
        for visit in f.problem.day.visits {
            let section = try #require(tags.first { $0.name == "section" && $0.attributes["id"] == "visit-" + visit.id }, "\(visit.id)")
            #expect((section.attributes["class"] ?? "").contains("tier-\(visit.tier.rawValue)"))
        }
    }

    @Test("--visit shows that visit's sheet and the resources it uses; links resolve on partial pages too")
    func visitPage() throws {
        let f = try ReportFixtures.fixture("reception-day")
        let html = try f.report.render(.html, scope: .init(visits: ["V-002"]))
        let tags = try Self.elements(html)
        let pages = [("--visit", try f.report.render(.html, scope: .init(visits: ["V-002"]))),
                     ("--resource", try f.report.render(.html, scope: .init(resources: ["CAR-02", "S-001"]))),
                     ("explain", try f.report.explain(visit: "V-002", format: .html))]
        for (name, html) in pages {
            let page = try Self.elements(html)
            let ids = Set(page.compactMap { $0.attributes["id"] })
            for link in page.compactMap({ $0.attributes["href"] }) {
                #expect(ids.contains(String(link.dropFirst())), "\(name): \(link) resolves")
            }
        }
        let rows = Set(tags.compactMap { $0.attributes["data-resource"] })
        let used = Set(f.dayPlan.uses.filter { f.problem.day.visits[f.problem.needs[$0.need].id.visit].id == "V-002" }.map { "\($0.resource.kind):\($0.resource.id)" })
        #expect(rows == used)
        #expect(tags.contains { $0.attributes["id"] == "visit-V-002" } && !tags.contains { $0.attributes["id"] == "visit-V-001" })
    }

    // MARK: Chromium

    @Test("the page renders in headless Chromium with every resource row, no console message, and prints to PDF",
          .enabled(if: Chromium.path != nil, "chromium is not installed (looked for chromium and chromium-browser on PATH); skipping the browser check"),
          .timeLimit(.minutes(3)))
    func rendersInChromium() throws {
        let browser = try #require(Chromium.path)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("report-html-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        // The check must be able to fail: a page with a console error is caught.
        let bad = folder.appendingPathComponent("bad.html")
        try Data("<!DOCTYPE html><html><head><title>x</title></head><body><script>console.error('planted')</script></body></html>".utf8).write(to: bad)
        let control = try Chromium.run(browser, ["--dump-dom", bad.absoluteString])
        #expect(control.consoleLines.contains { $0.contains("planted") }, "console messages are seen: \(control.stderr)")

        let f = try ReportFixtures.tight ?? ReportFixtures.fixture("reception-day")
        let page = folder.appendingPathComponent("plan.html")
        try Data(try f.report.render(.html).utf8).write(to: page)
        let run = try Chromium.run(browser, ["--dump-dom", page.absoluteString])
        #expect(run.status == 0, "chromium exit \(run.status): \(run.stderr)")
        #expect(run.consoleLines.isEmpty, "console: \(run.consoleLines)")
        let rows = run.stdout.components(separatedBy: "data-resource=\"").count - 1
        #expect(rows == f.problem.resources.count, "rendered rows \(rows) of \(f.problem.resources.count)")
        #expect(run.stdout.contains("id=\"timeline\""))

        let pdf = folder.appendingPathComponent("plan.pdf")
        let printed = try Chromium.run(browser, ["--no-pdf-header-footer", "--print-to-pdf=\(pdf.path)", page.absoluteString])
        let bytes = try Data(contentsOf: pdf)
        #expect(printed.consoleLines.isEmpty)
        #expect(bytes.count > 10_000 && bytes.prefix(4) == Data("%PDF".utf8), "a PDF of \(bytes.count) bytes")
    }

    // MARK: A small HTML reader

    struct Element {
        var name: String
        var attributes: [String: String]
    }

    /// Start tags with their attributes, checking that every non-void element is
    /// closed in order. Attribute values are unescaped for `&quot;` and `&amp;`.
    static func elements(_ html: String) throws -> [Element] {
        let void: Set<String> = ["meta", "br", "hr", "img", "input", "link", "col", "wbr"]
        var out: [Element] = []
        var stack: [String] = []
        var rest = Substring(html)
        while let open = rest.firstIndex(of: "<") {
            rest = rest[rest.index(after: open)...]
            guard let close = rest.firstIndex(of: ">") else { throw HTMLError(message: "unclosed tag") }
            let tag = rest[..<close]
            rest = rest[rest.index(after: close)...]
            if tag.hasPrefix("!") { continue }
            if tag.hasPrefix("/") {
                let name = tag.dropFirst().lowercased()
                guard stack.last == name else { throw HTMLError(message: "</\(name)> closes <\(stack.last ?? "nothing")>") }
                stack.removeLast()
                continue
            }
            let name = String(tag.prefix { !$0.isWhitespace && $0 != "/" }).lowercased()
            var attributes: [String: String] = [:]
            var scanner = tag.dropFirst(name.count)
            while let eq = scanner.firstIndex(of: "=") {
                let key = scanner[..<eq].trimmingCharacters(in: .whitespaces)
                scanner = scanner[scanner.index(after: eq)...]
                guard scanner.first == "\"", let end = scanner.dropFirst().firstIndex(of: "\"") else { throw HTMLError(message: "unquoted attribute in <\(name)>") }
                let value = scanner[scanner.index(after: scanner.startIndex)..<end]
                attributes[key] = value.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
                scanner = scanner[scanner.index(after: end)...]
            }
            out.append(Element(name: name, attributes: attributes))
            if !void.contains(name) && !tag.hasSuffix("/") { stack.append(name) }
            if name == "style" || name == "script" {
                guard let end = rest.range(of: "</\(name)>") else { throw HTMLError(message: "<\(name)> is not closed") }
                rest = rest[end.lowerBound...]
            }
        }
        guard stack.isEmpty else { throw HTMLError(message: "unclosed elements: \(stack)") }
        return out
    }

    struct HTMLError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}

/// Headless Chromium, when installed.
enum Chromium {
    /// `chromium` or `chromium-browser` on PATH.
    static let path: String? = {
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        for name in ["chromium", "chromium-browser"] {
            for folder in folders where FileManager.default.isExecutableFile(atPath: folder + "/" + name) {
                return folder + "/" + name
            }
        }
        return nil
    }()

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
        /// The page's console messages, as Chromium logs them with `--enable-logging=stderr`.
        var consoleLines: [String] { stderr.split(separator: "\n").map(String.init).filter { $0.contains(":CONSOLE") } }
    }

    /// Runs headless Chromium on a page, stopping it after a minute.
    static func run(_ browser: String, _ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: browser)
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("chromium-profile-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                             "--user-data-dir=\(profile.path)", "--enable-logging=stderr", "--v=0"] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let timer = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 60, execute: timer)
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        timer.cancel()
        return Run(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                   stderr: String(decoding: errData, as: UTF8.self))
    }
}
