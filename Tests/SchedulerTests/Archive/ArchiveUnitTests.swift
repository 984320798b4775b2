import Archive
import Foundation
import SchedulingCore
import Testing

@Suite("Archive values: dates, default path, actuals, report formats")
struct ArchiveUnitTests {
    @Test("dates parse strictly and say what is wrong")
    func dates() throws {
        let d = try CalendarDate(parsing: "2028-02-29")
        #expect(d.description == "2028-02-29")
        #expect(d.monthKey == "2028-02")
        #expect(d.adding(days: 1).description == "2028-03-01")
        #expect(d.adding(days: -60).description == "2027-12-31")
        #expect(ArchiveFixtures.date("2026-12-31").ordinal - ArchiveFixtures.date("2026-12-01").ordinal == 30)
        #expect(throws: CalendarDate.FormatError.self) { try CalendarDate(parsing: "2026-2-01") }
        #expect(throws: CalendarDate.FormatError.self) { try CalendarDate(parsing: "2026-13-01") }
        do {
            _ = try CalendarDate(parsing: "2027-02-29")
            Issue.record("2027-02-29 was accepted")
        } catch {
            #expect(error.description == "\"2027-02-29\" is not a date (February 2027 has 28 days)")
        }
        #expect(ArchiveFixtures.date("2026-11-30") < ArchiveFixtures.date("2026-12-01"))
    }

    @Test("the default archive is under XDG_DATA_HOME, else ~/.local/share")
    func defaultPath() {
        #expect(ReceptionArchive.defaultPath(environment: ["XDG_DATA_HOME": "/data", "HOME": "/home/ann"])
                == "/data/reception-scheduler/archive.sqlite")
        #expect(ReceptionArchive.defaultPath(environment: ["XDG_DATA_HOME": "relative", "HOME": "/home/ann"])
                == "/home/ann/.local/share/reception-scheduler/archive.sqlite")
        #expect(ReceptionArchive.defaultPath(environment: ["HOME": "/home/ann"]) == "/home/ann/.local/share/reception-scheduler/archive.sqlite")
        #expect(ReceptionArchive.defaultPath(environment: [:]) == nil)
    }

    @Test("an actuals file with errors reports each with its JSON path")
    func actualsErrors() throws {
        let registry = try makeRegistry()
        let bytes = try #require(readFileBytes(CLI.exampleDay))
        let problem = try Problem.load(json: bytes, registry: registry)
        let text = """
            {"schemaVersion": 1, "date": "2026-12-02", "visits": [
              {"id": "V-001", "costs": {"venue": -1, "food": 3}},
              {"id": "V-001", "costs": {}},
              {"id": "V-404", "costs": {"venue": 1}},
              {"costs": {"catering": "a lot"}}]}
            """
        let actuals = try ActualCosts.parse(Array(#"{"visits": [{"id": "V-002", "costs": {"catering": 12.5}}]}"#.utf8), file: "a.json",
                                            day: problem.day, categories: problem.categories)
        #expect(actuals.byVisit == ["V-002": ["catering": 12.5]])
        let error = archiveError { () throws(ArchiveError) in
            try ActualCosts.parse(Array(text.utf8), file: "a.json", day: problem.day, categories: problem.categories)
        }
        let lines = error?.lines ?? []
        #expect(error?.isInputError == true)
        #expect(lines.contains("a.json: visits[0].costs.venue: -1 is below the minimum 0"), "\(lines)")
        #expect(lines.contains { $0.hasPrefix("a.json: visits[0].costs.food: \"food\" is not a cost category; use venue") }, "\(lines)")
        #expect(lines.contains("a.json: visits[1].id: \"V-001\" is listed twice; give each visit's costs once"), "\(lines)")
        #expect(lines.contains { $0.hasPrefix("a.json: visits[2].id: \"V-404\" is not a visit of the day 2026-12-01") }, "\(lines)")
        #expect(lines.contains("a.json: visits[3].id: is required (a string)"), "\(lines)")
        #expect(lines.contains("a.json: visits[3].costs.catering: \"a lot\" is a string, expected a number"), "\(lines)")

        // A date other than the day's is refused when the record is made.
        let plan = try JSONParser.parse(Array(#"{"status": "optimal", "objective": 0, "visits": []}"#.utf8)).value
        let dated = try ActualCosts.parse(Array(#"{"date": "2026-12-02", "visits": []}"#.utf8), file: "a.json", day: problem.day,
                                          categories: problem.categories)
        let mismatch = archiveError { () throws(ArchiveError) in
            try DayRecord.make(problem: problem, day: .null, plan: plan, actuals: dated)
        }
        #expect(mismatch?.lines.contains("a.json: date: 2026-12-02 is not the day's date 2026-12-01; use the actuals of this day") == true,
                "\(mismatch?.lines ?? [])")
    }

    @Test("a table renders as aligned text, Markdown, CSV and JSON")
    func tableFormats() throws {
        let table = ReportTable(
            title: "Costs", parameters: [(key: "report", value: "costs")],
            columns: [.init("tier", "tier", .text), .init("n", "receptions", .count), .init("planned", "planned", .money),
                      .init("share", "share", .percent), .init("score", "score", .score)],
            rows: [[.text("high"), .count(2), .number(12345.678), .number(0.5), .number(4.125)],
                   [.text("a, \"b\" | c"), .count(0), .number(-0.004), .number(nil), .number(nil)]],
            total: [.text("total"), .count(2), .number(12345.674), .number(0.5), .number(4.125)])
        let text = table.render(.text)
        #expect(text.contains("high                 2  12,345.68  50.0 %   4.13"), "\(text)")
        #expect(text.contains("n/a"))
        let markdown = table.render(.markdown)
        #expect(markdown.contains("| tier | receptions | planned | share | score |"))
        #expect(markdown.contains("| --- | ---: | ---: | ---: | ---: |"))
        #expect(markdown.contains("a, \"b\" \\| c"))
        #expect(markdown.contains("| **total** | **2** | **12,345.67** |"))
        let csv = table.render(.csv)
        #expect(csv == "tier,n,planned,share,score\r\nhigh,2,12345.68,0.5000,4.13\r\n\"a, \"\"b\"\" | c\",0,0.00,,\r\ntotal,2,12345.67,0.5000,4.13\r\n")
        let json = try JSONParser.parse(table.render(.json))
        #expect(json["report"]?.string == "costs")
        #expect(json["rows"]?[0]?["planned"]?.number == 12345.678)
        #expect(json["rows"]?[1]?["share"] == .null)
        #expect(json["total"]?["n"]?.number == 2)
    }
}
