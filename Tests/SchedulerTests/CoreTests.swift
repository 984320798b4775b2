@testable import MIPModel
@testable import SchedulingCore
import Testing

@Suite("JSON reading and writing")
struct JSONTests {
    @Test("member order is kept and written back unchanged")
    func roundTrip() throws {
        let text = #"{"b":1,"a":[true,null,"x\n\"y\""],"c":{"d":2.5,"e":-0.125}}"#
        let value = try JSONParser.parse(text)
        #expect(JSONWriter.compact(value) == text)
    }

    @Test("duplicate keys are reported with their path")
    func duplicateKeys() throws {
        let (_, duplicates) = try JSONParser.parse(Array(#"{"visits":[{"id":"A","id":"B"}]}"#.utf8))
        #expect(duplicates.map(\.description) == ["visits[0].id"])
    }

    @Test("syntax errors give line and column", arguments: [
        ("{\n  \"a\": [1,]\n}", 2),
        ("{\"a\": 01}", 1),
        ("{\"a\": \"unterminated}", 1),
        ("[1, 2", 1),
        ("{\"a\": NaN}", 1),
        ("{} extra", 1),
    ])
    func syntaxErrors(text: String, line: Int) {
        #expect {
            _ = try JSONParser.parse(text)
        } throws: { error in
            (error as? JSONSyntaxError)?.line == line
        }
    }

    @Test("nesting beyond the limit is an error, not a stack overflow")
    func deepNesting() {
        let text = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONSyntaxError.self) { _ = try JSONParser.parse(text) }
    }

    @Test("numbers are written exactly; integers without a fraction")
    func numbers() {
        #expect(JSONWriter.format(3) == "3")
        #expect(JSONWriter.format(-0.0) == "0")
        #expect(JSONWriter.format(45146.666666666664) == "45146.666666666664")
        #expect(JSONWriter.format(0.1 + 0.2) == "0.30000000000000004")
    }
}

@Suite("Times and availability")
struct TimeTests {
    @Test("only two-digit HH:MM is a time; 24:00 only as an end", arguments: [
        ("09:05", false, 545), ("00:00", false, 0), ("23:59", false, 1439), ("24:00", true, 1440),
    ])
    func valid(text: String, end: Bool, minute: Int) {
        #expect(Clock.parse(text, allowEndOfDay: end) == minute)
    }

    @Test("malformed times are refused", arguments: ["9:05", "25:00", "24:00", "12:60", "12-00", "1200", " 9:00", "24:01", ""])
    func invalid(text: String) {
        #expect(Clock.parse(text, allowEndOfDay: text != "24:00") == nil)
    }

    @Test("one entry must contain the whole interval; entries are not merged")
    func availability() {
        let a = Availability(windows: [TimeSpan(480, 720), TimeSpan(720, 1080)])
        #expect(a.covers(TimeSpan(480, 720)))
        #expect(!a.covers(TimeSpan(660, 780)))
        #expect(!Availability(windows: []).covers(TimeSpan(600, 660)))
        #expect(Availability.wholeDay.covers(TimeSpan(0, 1440)))
        #expect(!Availability.wholeDay.covers(TimeSpan(-10, 60)), "a window before 00:00 fits no entry")
        #expect(!Availability.wholeDay.covers(TimeSpan(1400, 1450)), "a window past 24:00 fits no entry")
    }
}

@Suite("Interval cliques")
struct CliqueTests {
    @Test("maximal cliques of an interval graph cover every overlapping pair, and only maximal sets are kept")
    func cliques() {
        // 0:[0,10) 1:[5,15) 2:[10,20) 3:[12,14) 4:[30,40)
        let spans = [TimeSpan(0, 10), TimeSpan(5, 15), TimeSpan(10, 20), TimeSpan(12, 14), TimeSpan(30, 40)]
        let cliques = Formulation.maximalCliques(spans).map { Set($0) }
        #expect(cliques == [[0, 1], [1, 2, 3], [4]])
        for a in spans.indices {
            for b in spans.indices where a < b && spans[a].overlaps(spans[b]) {
                #expect(cliques.contains { $0.contains(a) && $0.contains(b) }, "pair \(a),\(b)")
            }
        }
    }

    @Test("touching half-open intervals do not overlap")
    func touching() {
        #expect(Formulation.maximalCliques([TimeSpan(0, 10), TimeSpan(10, 20)]).map { Set($0) } == [[0], [1]])
    }
}
