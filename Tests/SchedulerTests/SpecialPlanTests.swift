import Foundation
import PlanChecker
import SchedulingCore
import Testing

/// Special reception plans (issue 18, regulation §2.2): `policy.specialPlans`
/// says which visits need one, the plan lists them with their reasons, and the
/// independent checker holds the list to the policy.
@Suite("Special reception plans: policy, plan and checker")
struct SpecialPlanTests {
    /// The example day (V-001 high 5 guests, V-002 medium 3, V-003 low 2, V-004 high 8),
    /// with `policy.specialPlans` set to `specialPlans` when given.
    static func example(specialPlans: String? = nil) throws -> String {
        let text = try String(contentsOf: ReportFixtures.packageRoot.appendingPathComponent("Examples/reception-day.json"), encoding: .utf8)
        guard let specialPlans else { return text }
        return text.replacingOccurrences(of: "\"policy\": {", with: "\"policy\": { \"specialPlans\": \(specialPlans),")
    }

    static func checker(_ plan: JSONValue, _ problem: Problem) throws -> CheckOutcome {
        PlanChecker.check(plan: plan, problem: problem, registry: try makeRegistry())
    }

    /// The plan with `edit` applied to its `specialPlans` member (`nil` removes it).
    static func editing(_ plan: JSONValue, _ edit: (inout JSONValue?) -> Void) -> JSONValue {
        guard case .object(var o) = plan else { return plan }
        var list = o["specialPlans"]
        edit(&list)
        o["specialPlans"] = list
        return .object(o)
    }

    static func entry(_ visit: String, _ reasons: [String]) -> JSONValue {
        .object(JSONObject([(key: "visit", value: .string(visit)), (key: "reasons", value: .array(reasons.map { .string($0) }))]))
    }

    @Test("a visit needs a special plan by its tier or by its guests, with every reason that applies")
    func reasons() throws {
        let (problem, issues) = try loadIssues(text: try Self.example(specialPlans: #"{ "tiers": ["high"], "minGuests": 3 }"#))
        let day = try #require(problem).day
        #expect(issues.isEmpty, "\(issues.map(\.description))")
        #expect(day.policy.specialPlans == SpecialPlanPolicy(tiers: [.high], minGuests: 3))
        let required = day.specialPlanRequirements
        #expect(required.map(\.visit) == ["V-001", "V-002", "V-004"])
        #expect(required.map { $0.reasons.map(\.description) } == [["tier high", "5 guests >= 3"], ["3 guests >= 3"], ["tier high", "8 guests >= 3"]])
        #expect(required.first?.reasons.first == .tier(.high))
        #expect(SpecialPlanReason.guests(1, minimum: 1).description == "1 guest >= 1")
    }

    @Test("without policy.specialPlans no visit needs one, and {} says so with a warning")
    func absentOrEmpty() throws {
        let (plain, _) = try loadIssues(text: try Self.example())
        #expect(try #require(plain).day.policy.specialPlans == nil)
        #expect(try #require(plain).day.specialPlanRequirements.isEmpty)
        let (empty, issues) = try loadIssues(text: try Self.example(specialPlans: "{}"))
        #expect(try #require(empty).day.specialPlanRequirements.isEmpty)
        #expect(issues.contains { $0.path.description == "policy.specialPlans" && $0.severity == .warning && $0.message.contains("names neither tiers nor minGuests") })
    }

    @Test("a bad tier, guests or key is reported at its JSON path")
    func errors() throws {
        let cases: [(String, String, String, InputIssue.Severity)] = [
            (#"{ "tiers": ["high", "vip"] }"#, "policy.specialPlans.tiers[1]", #""vip" is not a tier: use high, medium or low"#, .error),
            (#"{ "tiers": [3] }"#, "policy.specialPlans.tiers[0]", "expected a tier name (high, medium or low)", .error),
            (#"{ "tiers": "high" }"#, "policy.specialPlans.tiers", "expected an array", .error),
            (#"{ "minGuests": 0 }"#, "policy.specialPlans.minGuests", "is not an integer >= 1", .error),
            (#"{ "minGuests": 2.5 }"#, "policy.specialPlans.minGuests", "is not an integer >= 1", .error),
            (#"[]"#, "policy.specialPlans", "expected an object", .error),
            (#"{ "tiers": ["high", "high"] }"#, "policy.specialPlans.tiers[1]", "listed twice", .warning),
            (#"{ "tiers": ["low"], "approver": "S-001" }"#, "policy.specialPlans.approver", "unknown key, ignored", .warning),
        ]
        for (given, path, message, severity) in cases {
            let (problem, issues) = try loadIssues(text: try Self.example(specialPlans: given))
            #expect(issues.contains { $0.path.description == path && $0.severity == severity && $0.message.contains(message) },
                    "\(given): \(issues.map(\.description))")
            #expect((problem == nil) == (severity == .error), "\(given)")
        }
    }

    @Test("the plan lists the visits with their reasons, after approvalsNeeded; a day without the policy has no list")
    func planList() throws {
        let (problem, plan) = try solve(try Self.example(specialPlans: #"{ "tiers": ["high"], "minGuests": 8 }"#))
        guard case .object(let o) = plan.json else {
            Issue.record("the plan is not an object")
            return
        }
        #expect(o.keys.suffix(3) == ["approvalsNeeded", "specialPlans", "solver"])
        #expect(o["specialPlans"] == .array([Self.entry("V-001", ["tier high"]), Self.entry("V-004", ["tier high", "8 guests >= 8"])]))
        #expect(try Self.checker(plan.json, problem).isValid)

        let (_, none) = try solve(try Self.example(specialPlans: #"{ "minGuests": 100 }"#))
        #expect(none.json.objectValue?["specialPlans"] == .array([]))
        let (_, plain) = try solve(try Self.example())
        #expect(plain.json.objectValue?["specialPlans"] == nil)
    }

    @Test("the checker reads the policy itself: a missing, extra, repeated or wrongly reasoned entry is an error")
    func checkerCatchesWrongLists() throws {
        let (problem, plan) = try solve(try Self.example(specialPlans: #"{ "tiers": ["high"], "minGuests": 8 }"#))
        let v1 = Self.entry("V-001", ["tier high"]), v4 = Self.entry("V-004", ["tier high", "8 guests >= 8"])
        let cases: [(String, (inout JSONValue?) -> Void)] = [
            ("plan.special-plan-missing", { $0 = .array([v1]) }),
            ("plan.special-plan-extra", { $0 = .array([v1, v4, Self.entry("V-002", ["tier medium"])]) }),
            ("plan.special-plan-extra", { $0 = .array([v1, v4, Self.entry("V-999", ["tier high"])]) }),
            ("plan.special-plan-duplicate", { $0 = .array([v1, v4, v1]) }),
            ("plan.special-plan-reasons", { $0 = .array([v1, Self.entry("V-004", ["tier high"])]) }),
            ("plan.special-plan-reasons", { $0 = .array([Self.entry("V-001", ["tier high", "5 guests >= 8"]), v4]) }),
            ("plan.special-plan-shape", { $0 = .array([v1, v4, .string("V-003")]) }),
            ("plan.special-plan-shape", { $0 = nil }),
        ]
        for (rule, edit) in cases {
            let outcome = try Self.checker(Self.editing(plan.json, edit), problem)
            #expect(outcome.rules == [rule], "\(rule): \(outcome.violations.map(\.description))")
        }
        // Order does not matter.
        #expect(try Self.checker(Self.editing(plan.json) { $0 = .array([v4, v1]) }, problem).isValid)

        // A day without the policy: no list, or an empty one; never entries.
        let (plainProblem, plain) = try solve(try Self.example())
        #expect(try Self.checker(Self.editing(plain.json) { $0 = .array([]) }, plainProblem).isValid)
        #expect(try Self.checker(Self.editing(plain.json) { $0 = .array([v1]) }, plainProblem).rules == ["plan.special-plan-extra"])
    }

    @Test("a replan of a day that gained policy.specialPlans lists them and checks against the earlier plan without them")
    func replanGainsThePolicy() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
        try Self.example().write(toFile: path("day.json"), atomically: true, encoding: .utf8)
        try Self.example(specialPlans: #"{ "tiers": ["high"] }"#).write(toFile: path("now.json"), atomically: true, encoding: .utf8)
        let first = try CLI.run(["optimize", path("day.json"), "-o", path("plan.json")])
        #expect(first.status == 0, "\(first.stderr)")
        let replan = try CLI.run(["replan", path("now.json"), "--previous", path("plan.json"), "--now", "11:00", "-o", path("new.json")])
        #expect(replan.status == 0, "\(replan.stderr)")
        let plan = try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: path("new.json"))))).value
        #expect(plan.objectValue?["specialPlans"] == .array([Self.entry("V-001", ["tier high"]), Self.entry("V-004", ["tier high"])]))
        let check = try CLI.run(["check", path("now.json"), path("new.json"), "--previous", path("plan.json"), "--now", "11:00"])
        #expect(check.status == 0, "\(check.stdout)")
    }
}
