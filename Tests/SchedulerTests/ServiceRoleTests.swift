import Foundation
import GLPKOptimizer
import GreedyOptimizer
import PlanChecker
import PlanReports
import SchedulingCore
import Testing

/// Service roles (issue 18, regulation 3.2 and 3.6): `needs.roles` on a segment,
/// staff `roles`, the staff plugin's checker rules, run sheets and follow-ups.
@Suite("Service roles")
struct ServiceRoleTests {
    /// A negotiation whose minute-taker must be from Legal and speak German: only L1
    /// qualifies (L2 lists the role but no German, E1 speaks German but lists no role).
    static let day = """
    {
      "schemaVersion": 1, "date": "2026-12-01",
      "policy": { "tiers": {
        "high": { "hostRank": "executive", "guestsPerEscort": 2, "minVenueGrade": 1, "minVehicleGrade": 1, "minCateringGrade": 1 },
        "medium": { "hostRank": "manager", "guestsPerEscort": 3, "minVenueGrade": 1, "minVehicleGrade": 1, "minCateringGrade": 1 },
        "low": { "hostRank": "staff", "guestsPerEscort": 4, "minVenueGrade": 1, "minVehicleGrade": 1, "minCateringGrade": 1 } } },
      "locations": [ { "id": "HQ" } ],
      "resources": { "staff": [
        { "id": "BOSS", "name": "Li Wei", "rank": "executive", "department": "Sales", "languages": ["zh", "en"] },
        { "id": "E1", "rank": "staff", "department": "Sales", "languages": ["de", "en"] },
        { "id": "L1", "name": "Anna Li", "rank": "staff", "department": "Legal", "languages": ["de"], "roles": ["minute-taker"] },
        { "id": "L2", "rank": "manager", "department": "Legal", "languages": ["en"], "roles": ["minute-taker", "sign-in-desk"] },
        { "id": "D1", "rank": "staff", "department": "Admin", "languages": ["zh"], "roles": ["sign-in-desk"] } ] },
      "visits": [
        { "id": "V1", "tier": "high", "guests": 2, "language": "de", "segments": [
          { "id": "sign-in", "start": "09:00", "end": "09:15", "location": "HQ", "needs": { "roles": [ { "role": "sign-in-desk" } ] } },
          { "id": "negotiation", "start": "09:30", "end": "11:00", "location": "HQ",
            "needs": { "roles": [ { "role": "minute-taker", "department": "Legal", "language": "de" },
                                  { "role": "sign-in-desk", "count": 2 } ] } } ] }
      ]
    }
    """

    static func load(_ text: String = day) throws -> Problem {
        try Problem.load(json: Array(text.utf8), registry: ReportFixtures.registry())
    }

    static func check(_ plan: JSONValue, _ problem: Problem) -> [Violation] {
        PlanChecker.check(plan: plan, problem: problem, registry: ReportFixtures.registry()).violations
    }

    static func roles(_ plan: JSONValue, _ segment: Int) -> JSONValue? {
        plan["visits"]?[0]?["segments"]?[segment]?["roles"]
    }

    @Test("the only German-speaking legal minute-taker is assigned, each role gets its count, and the checker accepts the plan",
          arguments: ["glpk", "greedy"])
    func assigns(optimizer: String) throws {
        let problem = try Self.load()
        let result = optimizer == "glpk" ? try GLPKOptimizer().optimize(problem, options: OptimizeOptions())
            : try GreedyOptimizer().optimize(problem, options: OptimizeOptions())
        let plan = PlanAssembler.assemble(problem, result: result, solverName: optimizer)
        #expect(plan.unmet.isEmpty, "\(plan.unmet)")
        let negotiation = try #require(Self.roles(plan.json, 1)?.objectValue)
        #expect(negotiation["minute-taker"] == .array([.string("L1")]))
        let desk = try #require(negotiation["sign-in-desk"]?.strings)
        // L1 takes the minutes, so the desk is L2 and D1, the only others who list it.
        #expect(Set(desk) == ["L2", "D1"])
        #expect(Self.check(plan.json, problem).isEmpty, "\(Self.check(plan.json, problem))")
    }

    @Test("hand-edited plans: a minute-taker without the language, rank or role, or busy elsewhere, is rejected")
    func checkerRejects() throws {
        let problem = try Self.load()
        let result = try GLPKOptimizer().optimize(problem, options: OptimizeOptions())
        let good = PlanAssembler.assemble(problem, result: result, solverName: "glpk").json
        func edited(_ roles: JSONValue, segment: Int = 1) -> JSONValue {
            good.setting("visits[0].segments[\(segment)].roles", to: roles)
        }
        func rules(_ plan: JSONValue) -> Set<String> { Set(Self.check(plan, problem).map(\.rule)) }
        let desk: JSONValue = .array([.string("L2"), .string("D1")])
        let noGerman = edited(.object(JSONObject([("minute-taker", .array([.string("L2")])), ("sign-in-desk", .array([.string("L1"), .string("D1")]))])))
        // L2 speaks no German; L1, put at the desk to keep its count, does not list sign-in-desk.
        #expect(rules(noGerman) == ["roles.language", "roles.qualified"])
        #expect(Self.check(noGerman, problem).first { $0.rule == "roles.language" }?.resource == "L2")
        // E1 escorts the visit (busy throughout), lists no role and is from Sales.
        let escort = edited(.object(JSONObject([("minute-taker", .array([.string("E1")])), ("sign-in-desk", desk)])))
        #expect(rules(escort) == ["roles.qualified", "roles.department", "staff.overlap"])
        let twice = edited(.object(JSONObject([("minute-taker", .array([.string("L2")])), ("sign-in-desk", .array([.string("L2"), .string("D1")]))])))
        #expect(rules(twice).isSuperset(of: ["roles.distinct", "staff.overlap"]))
        let wrongCount = edited(.object(JSONObject([("minute-taker", .array([.string("L1")])), ("sign-in-desk", .array([.string("D1")]))])))
        #expect(rules(wrongCount) == ["roles.count"])
        let unknown = edited(.object(JSONObject([("minute-taker", .array([.string("L1")])), ("sign-in-desk", desk), ("interpreter", .array([]))])))
        #expect(rules(unknown) == ["roles.unknown"])
        #expect(rules(edited(.array([.string("L1")]))) == ["roles.shape"])
        // Rank: ask for a manager minute-taker at sign-in, and give D1 (staff).
        let strict = try Self.load(Self.day.replacingOccurrences(of: #"[ { "role": "sign-in-desk" } ]"#, with: #"[ { "role": "sign-in-desk", "minRank": "manager" } ]"#))
        let lowRank = good.setting("visits[0].segments[0].roles", to: .object(JSONObject([("sign-in-desk", .array([.string("D1")]))])))
        #expect(Set(Self.check(lowRank, strict).map(\.rule)).contains("roles.rank"))
    }

    @Test("a role nobody can take leaves the segment's roles unmet with a reason naming the role and its rules")
    func unmetExplained() throws {
        // L1, the only German speaker in Legal who takes minutes, is away in the morning.
        let text = Self.day.replacingOccurrences(of: #""roles": ["minute-taker"] }"#,
                                                 with: #""roles": ["minute-taker"], "available": [ { "from": "13:00", "to": "18:00" } ] }"#)
        let problem = try Self.load(text)
        let result = try GLPKOptimizer().optimize(problem, options: OptimizeOptions())
        let plan = PlanAssembler.assemble(problem, result: result, solverName: "glpk")
        let unmet = try #require(plan.unmet.first { $0.need == "roles" })
        #expect(unmet.segment == "negotiation")
        #expect(unmet.reason == "no staff member listing minute-taker in roles, of rank staff or above, from Legal, speaking de is available 09:30-11:00")
        #expect(Self.roles(plan.json, 1) == .null)
        #expect(Self.check(plan.json, problem).isEmpty)
    }

    @Test("decoding errors carry their JSON paths")
    func decodingErrors() throws {
        let base = try JSONParser.parse(Self.day)
        let roles = "visits[0].segments[1].needs.roles"
        let cases: [(JSONValue, String, String)] = [
            (base.setting(roles, to: .object(JSONObject([("role", .string("minute-taker"))]))), roles, "write a list of roles"),
            (base.setting(roles, to: .array([])), roles, "is empty"),
            (base.setting(roles + "[1].role", to: .string("minute-taker")), roles + "[1].role", "already asked for"),
            (base.setting(roles + "[0].count", to: .number(0)), roles + "[0].count", "is not an integer"),
            (base.setting(roles + "[0].language", to: .number(7)), roles + "[0].language", "expected a string"),
            (base.setting(roles + "[0].minRank", to: .string("boss")), roles + "[0].minRank", "is not a rank"),
            (base.removing(roles + "[0].role"), roles + "[0].role", "is required"),
            (base.setting("resources.staff[2].roles", to: .string("minute-taker")), "resources.staff[2].roles", "expected an array"),
            (base.setting("resources.staff[2].roles[0]", to: .string("")), "resources.staff[2].roles[0]", "non-empty"),
        ]
        for (day, path, message) in cases {
            let issues = try loadIssues(day).issues.filter { $0.severity == .error }
            // A staff entry's path names its id: `resources.staff[2] (id "L1").roles`.
            #expect(issues.contains { $0.path.description.replacingOccurrences(of: #" (id "L1")"#, with: "") == path && $0.message.contains(message) },
                    "\(path): \(issues.map { "\($0.path) \($0.message)" })")
        }
        let typo = base.setting(roles + "[0].langauge", to: .string("de"))
        #expect(try loadIssues(typo).issues.contains { $0.path.description == roles + "[0].langauge" && $0.severity == .warning })
    }

    @Test("the run sheet shows the role people beside the checklist and a language note filled from the visit")
    func runSheet() throws {
        let fixture = try ReportFixtures.solve(name: "roles", text: Self.day)
        let text = try fixture.report.render(.md)
        #expect(text.contains("09:30-11:00 negotiation (negotiation): minute-taker: L1 Anna Li"), "\(text)")
        #expect(text.contains("sign-in (sign-in): sign-in-desk: L2"))
        #expect(text.contains("greet and introduce in German (de); speak de: escort E1, minute-taker L1 Anna Li"))
        #expect(text.contains("roles minute-taker: L1 Anna Li; sign-in-desk: "))
        #expect(text.contains("V1 negotiation (minute-taker)"), "the timeline names the role")
        let html = try fixture.report.render(.html)
        #expect(html.contains("minute-taker: L1 Anna Li"))
        // Nobody who speaks the language: the note calls for an interpreter.
        let french = try ReportFixtures.solve(name: "roles-fr", text: Self.day.replacingOccurrences(of: #""language": "de", "segments""#, with: #""language": "fr", "segments""#)
            .replacingOccurrences(of: #", "language": "de" },"#, with: " },"))
        #expect(try french.report.render(.md).contains("greet and introduce in French (fr); nobody assigned lists fr: arrange an interpreter"))
    }

    @Test("follow-ups show who took the minutes of the reception's negotiation")
    func followUpMinutes() throws {
        let folder = try ArchiveFixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let day = folder.appendingPathComponent("day.json").path
        let plan = folder.appendingPathComponent("plan.json").path
        let db = folder.appendingPathComponent("archive.sqlite").path
        try Data(Self.day.utf8).write(to: URL(fileURLWithPath: day))
        #expect(try ArchiveFixtures.run(["optimize", day, "-o", plan]).status == 0)
        let added = try ArchiveFixtures.run(["archive", "add", day, plan, "--db", db])
        #expect(added.status == 0, "\(added.stderr)")
        let followUp = try ArchiveFixtures.run(["followup", "add", "--visit", "V1", "--action", "send the minutes", "--due", "2026-12-02", "--db", db])
        #expect(followUp.status == 0, "\(followUp.stderr)")
        #expect(followUp.stdout.contains("owner BOSS, due 2026-12-02; minutes taken by L1"), "\(followUp.stdout)")
        let list = try ArchiveFixtures.run(["followup", "list", "--as-of", "2026-12-01", "--format", "csv", "--db", db])
        let lines = list.stdout.split(separator: "\r\n")
        #expect(lines.first?.contains(",minutes,") == true, "\(list.stdout)")
        #expect(lines.dropFirst().first?.contains(",L1,") == true, "\(list.stdout)")
        #expect(try ArchiveFixtures.count(db, "SELECT count(*) FROM assignment WHERE need = 'roles' AND role = 'minute-taker' AND resourceId = 'L1'") == 1)
    }
}
