import Catering
import Foundation
import GLPKOptimizer
import PlanChecker
import SchedulingCore
import Staff
import Testing
import Transport
import Venues

// Helpers for the optimizer's rule tests: a small day builder, a `solve` that
// always runs the independent checker, and plan accessors.

// MARK: Registry

/// The built-in plugins, as the CLI registers them.
func makeRegistry() throws -> PluginRegistry {
    try PluginRegistry(resourceKinds: [VenuesPlugin(), TransportPlugin(), CateringPlugin(), StaffPlugin()],
                       optimizers: [GLPKOptimizer()])
}

// MARK: Solving

/// Loads `dayJSON`, optimizes it with GLPK, assembles the plan and runs it
/// through `PlanChecker`. A plan the checker rejects records an issue: every
/// plan a test produces must pass the checker.
func solve(_ dayJSON: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> (Problem, Plan) {
    let registry = try makeRegistry()
    let problem: Problem
    do {
        problem = try Problem.load(json: Array(dayJSON.utf8), registry: registry)
    } catch {
        Issue.record("the day did not load:\n\(error.description)", sourceLocation: sourceLocation)
        throw error
    }
    let result = try GLPKOptimizer().optimize(problem, options: OptimizeOptions())
    let plan = PlanAssembler.assemble(problem, result: result, solverName: "glpk")
    expectCheckerAccepts(plan, problem: problem, registry: registry, sourceLocation: sourceLocation)
    return (problem, plan)
}

/// Solves a built day.
func solve(_ day: DayBuilder, sourceLocation: SourceLocation = #_sourceLocation) throws -> (Problem, Plan) {
    try solve(day.text, sourceLocation: sourceLocation)
}

/// Records an issue when the independent checker rejects the plan.
func expectCheckerAccepts(_ plan: Plan, problem: Problem, registry: PluginRegistry,
                          sourceLocation: SourceLocation = #_sourceLocation) {
    let text = JSONWriter.pretty(plan.json)
    let outcome = PlanChecker.check(planJSON: Array(text.utf8), problem: problem, registry: registry)
    #expect(outcome.isValid,
            "the checker rejects the plan:\n\(outcome.violations.map(\.description).joined(separator: "\n"))\n\(text)",
            sourceLocation: sourceLocation)
}

/// `|a - b| <= 1e-6 * max(1, |b|)`.
func close(_ a: Double, _ b: Double, relative: Double = 1e-6) -> Bool {
    abs(a - b) <= relative * max(1, abs(b))
}

// MARK: Shared examples
//
// One policy for the shared example days (`../shared/examples`, beside the
// package root; never an absolute path): a test that needs them carries the
// `.requiresSharedExamples` trait, so without them it is skipped, with one
// message, rather than failing or passing silently. A test that only widens its
// inputs with them (the bundled example plus the shared days) adds them when
// `sharedExamplesDirectory` is not nil.

/// `../shared/examples` beside the package root, or nil when it is absent.
let sharedExamplesDirectory: String? = {
    // #filePath = <root>/Tests/SchedulerTests/Support/TestSupport.swift
    let root = URL(fileURLWithPath: "\(#filePath)")
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let dir = root.appendingPathComponent("../shared/examples").standardized.path
    return FileManager.default.fileExists(atPath: dir + "/expected.json") ? dir : nil
}()

let sharedExamplesAvailable = sharedExamplesDirectory != nil

/// Why a test that needs the shared examples was skipped.
let sharedExamplesMissing: Comment = "../shared/examples not found: clone beside the shared folder to run"

extension Trait where Self == ConditionTrait {
    /// Runs the test only when `../shared/examples` is present; otherwise skips
    /// it with ``sharedExamplesMissing``.
    static var requiresSharedExamples: Self { .enabled(if: sharedExamplesAvailable, sharedExamplesMissing) }
}

/// The path of a file in the shared examples, for a test with `.requiresSharedExamples`.
func sharedExamplePath(_ name: String) throws -> String {
    try #require(sharedExamplesDirectory, sharedExamplesMissing) + "/" + name
}

/// The bytes of a file, or nil when it cannot be read.
func readFileBytes(_ path: String) -> [UInt8]? {
    FileManager.default.contents(atPath: path).map { [UInt8]($0) }
}

// MARK: Reading plans

extension JSONValue {
    subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    subscript(index: Int) -> JSONValue? {
        if case .array(let a) = self, a.indices.contains(index) { return a[index] }
        return nil
    }

    var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    var number: Double? {
        if case .number(let n) = self { return n }
        return nil
    }

    var array: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    var isNull: Bool { self == .null }

    /// The strings of an array of strings.
    var strings: [String]? { array?.compactMap(\.string) }
}

extension Plan {
    /// A visit's entry in plan.json.
    func visit(_ id: String) -> JSONValue? {
        json["visits"]?.array?.first { $0["id"]?.string == id }
    }

    /// A segment's entry in plan.json.
    func segment(_ visit: String, _ segment: String) -> JSONValue? {
        self.visit(visit)?["segments"]?.array?.first { $0["id"]?.string == segment }
    }

    /// The value of a segment need (`venue`, `catering`, `transport`, `presenters`).
    func need(_ visit: String, _ segment: String, _ key: String) -> JSONValue? {
        self.segment(visit, segment)?[key]
    }

    /// The venue or catering id chosen for a segment, nil when unmet.
    func chosen(_ visit: String, _ segment: String, _ key: String) -> String? {
        need(visit, segment, key)?.string
    }

    /// The host chosen for a visit, nil when unmet.
    func host(_ visit: String) -> String? { self.visit(visit)?["host"]?.string }

    /// The escorts of a visit, nil when unmet.
    func escorts(_ visit: String) -> [String]? { self.visit(visit)?["escorts"]?.strings }

    /// The (vehicle, driver) pairs of a transfer, sorted by vehicle; nil when unmet.
    func pairs(_ visit: String, _ segment: String) -> [Pair]? {
        guard let items = need(visit, segment, "transport")?.array else { return nil }
        return items.map { Pair($0["vehicle"]?.string ?? "?", $0["driver"]?.string ?? "?") }.sorted { $0.vehicle < $1.vehicle }
    }

    /// Approvals as `visit/category/amount` (`null/day/amount` for the day budget), in plan order.
    var approvalKeys: [String] {
        approvalsNeeded.map { "\($0.visit ?? "null")/\($0.category)/\(JSONWriter.format($0.amount))" }
    }

    /// Unmet needs as `visit/segment/need` (`visit/-/host` for visit-level needs), sorted.
    var unmetKeys: [String] {
        unmet.map { "\($0.visit)/\($0.segment ?? "-")/\($0.need)" }.sorted()
    }
}

struct Pair: Hashable, CustomStringConvertible {
    var vehicle: String
    var driver: String
    init(_ vehicle: String, _ driver: String) {
        self.vehicle = vehicle
        self.driver = driver
    }
    var description: String { "\(vehicle)+\(driver)" }
}

/// Checks the parts of a plan every test cares about: status optimal, the
/// objective to 1e-6, and exactly the given unmet needs (`visit/segment/need`,
/// `visit/-/host`), each with a non-empty reason and a `null` in its place.
func expectPlan(_ plan: Plan, objective: Double, unmet: [String] = [],
                sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(plan.status == .optimal, "status \(plan.status.rawValue)", sourceLocation: sourceLocation)
    #expect(close(plan.objective, objective), "objective \(plan.objective), expected \(objective)\n\(JSONWriter.pretty(plan.json))",
            sourceLocation: sourceLocation)
    #expect(plan.unmetKeys == unmet.sorted(), "unmet \(plan.unmetKeys)", sourceLocation: sourceLocation)
    #expect(plan.totals.unmet == unmet.count, sourceLocation: sourceLocation)
    for u in plan.unmet {
        #expect(!u.reason.isEmpty, "empty reason for \(u.visit) \(u.need)", sourceLocation: sourceLocation)
        if let segment = u.segment {
            #expect(plan.need(u.visit, segment, u.need) == .null, "\(u.visit)/\(segment)/\(u.need) is unmet but not null in the plan",
                    sourceLocation: sourceLocation)
        } else {
            #expect(plan.visit(u.visit)?[u.need] == .null, "\(u.visit)/\(u.need) is unmet but not null in the plan",
                    sourceLocation: sourceLocation)
        }
    }
    if let bound = plan.bound {
        #expect(bound <= plan.objective + 1e-9, sourceLocation: sourceLocation)
    }
}

// MARK: Day builder

/// Builds a `day.json` with sensible defaults:
///
/// - tiers `high` (host executive, 3 guests per escort, min grades 3),
///   `medium` (manager, 4, min grades 2) and `low` (staff, 6, min grades 1),
///   no cost limits;
/// - locations HQ, PVG, HOTEL with travel HQ-PVG 60, HQ-HOTEL 15, PVG-HOTEL 50;
/// - staff: three executives `EX1`...`EX3` (department Admin, English) who
///   can host any tier;
/// - no other resources and no day budget; default weights.
///
/// Resource helpers default to grade 1, so that in the `low` tier no choice
/// has overGrade unless a test asks for it.
///
/// Visits built with ``visit(_:tier:guests:escorts:extra:segments:)`` default
/// to `escorts: 0`, so that only the rule under test costs anything.
struct DayBuilder {
    var tiers: [(String, JSONValue)] = [
        ("high", tier(hostRank: "executive", guestsPerEscort: 3, minGrade: 3)),
        ("medium", tier(hostRank: "manager", guestsPerEscort: 4, minGrade: 2)),
        ("low", tier(hostRank: "staff", guestsPerEscort: 6, minGrade: 1)),
    ]
    var dayBudget: Double?
    var weights: JSONValue?
    var locations: [String] = ["HQ", "PVG", "HOTEL"]
    var travel: [(String, String, Int)] = [("HQ", "PVG", 60), ("HQ", "HOTEL", 15), ("PVG", "HOTEL", 50)]
    var venues: [JSONValue] = []
    var vehicles: [JSONValue] = []
    var drivers: [JSONValue] = []
    var catering: [JSONValue] = []
    var staff: [JSONValue] = [
        staffMember("EX1", rank: "executive"), staffMember("EX2", rank: "executive"), staffMember("EX3", rank: "executive"),
    ]
    var visits: [JSONValue] = []

    init(visits: [JSONValue] = []) { self.visits = visits }

    /// Replaces one field of a tier (e.g. `limits`, `minVenueGrade`).
    mutating func setTier(_ name: String, _ key: String, _ value: JSONValue) {
        guard let i = tiers.firstIndex(where: { $0.0 == name }), case .object(var o) = tiers[i].1 else { return }
        o[key] = value
        tiers[i].1 = .object(o)
    }

    var json: JSONValue {
        var policy = JSONObject([(key: "tiers", value: .object(JSONObject(tiers.map { (key: $0.0, value: $0.1) })))])
        if let dayBudget { policy["dayBudget"] = .number(dayBudget) }
        if let weights { policy["weights"] = weights }
        var resources = JSONObject()
        if !venues.isEmpty { resources["venues"] = .array(venues) }
        if !vehicles.isEmpty { resources["vehicles"] = .array(vehicles) }
        if !drivers.isEmpty { resources["drivers"] = .array(drivers) }
        if !catering.isEmpty { resources["catering"] = .array(catering) }
        if !staff.isEmpty { resources["staff"] = .array(staff) }
        return .object(JSONObject([
            (key: "schemaVersion", value: 1),
            (key: "date", value: "2026-12-01"),
            (key: "currency", value: "CNY"),
            (key: "policy", value: .object(policy)),
            (key: "locations", value: .array(locations.map { ["id": .string($0)] })),
            (key: "travelMinutes", value: .array(travel.map { ["from": .string($0.0), "to": .string($0.1), "minutes": .number(Double($0.2))] })),
            (key: "resources", value: .object(resources)),
            (key: "visits", value: .array(visits)),
        ]))
    }

    var text: String { JSONWriter.pretty(json) }
}

/// A tier object with every required field and no limits.
func tier(hostRank: String, guestsPerEscort: Double, minGrade: Int, limits: JSONValue? = nil) -> JSONValue {
    var o = JSONObject([
        (key: "hostRank", value: .string(hostRank)),
        (key: "guestsPerEscort", value: .number(guestsPerEscort)),
        (key: "minVenueGrade", value: .number(Double(minGrade))),
        (key: "minVehicleGrade", value: .number(Double(minGrade))),
        (key: "minCateringGrade", value: .number(Double(minGrade))),
    ])
    if let limits { o["limits"] = limits }
    return .object(o)
}

/// Adds or replaces members of an object value.
func merged(_ base: JSONValue, _ extra: [String: JSONValue]) -> JSONValue {
    guard case .object(var o) = base else { return base }
    for key in extra.keys.sorted() { o[key] = extra[key] }
    return .object(o)
}

/// `[{from, to}, ...]` from `"HH:MM-HH:MM"` strings.
func windows(_ spans: String...) -> JSONValue {
    .array(spans.map { span in
        let parts = span.split(separator: "-").map(String.init)
        return ["from": .string(parts[0]), "to": .string(parts[1])]
    })
}

func venue(_ id: String, type: String = "meeting-room", location: String = "HQ", capacity: Int = 10, grade: Int = 1,
           costPerHour: Double = 0, turnover: Int? = nil, shared: Bool? = nil, available: JSONValue? = nil) -> JSONValue {
    var o = JSONObject([
        (key: "id", value: .string(id)), (key: "type", value: .string(type)), (key: "location", value: .string(location)),
        (key: "capacity", value: .number(Double(capacity))), (key: "grade", value: .number(Double(grade))),
        (key: "costPerHour", value: .number(costPerHour)),
    ])
    if let turnover { o["turnoverMinutes"] = .number(Double(turnover)) }
    if let shared { o["shared"] = .bool(shared) }
    if let available { o["available"] = available }
    return .object(o)
}

func cateringOption(_ id: String, kind: String = "banquet-room", location: String = "HQ", seats: Int = 10, grade: Int = 1,
                    costPerHead: Double = 0, dietary: [String] = [], turnover: Int? = nil, shared: Bool? = nil,
                    available: JSONValue? = nil) -> JSONValue {
    var o = JSONObject([
        (key: "id", value: .string(id)), (key: "kind", value: .string(kind)), (key: "location", value: .string(location)),
        (key: "seats", value: .number(Double(seats))), (key: "grade", value: .number(Double(grade))),
        (key: "costPerHead", value: .number(costPerHead)), (key: "dietary", value: .array(dietary.map { .string($0) })),
    ])
    if let turnover { o["turnoverMinutes"] = .number(Double(turnover)) }
    if let shared { o["shared"] = .bool(shared) }
    if let available { o["available"] = available }
    return .object(o)
}

func vehicle(_ id: String, type: String = "sedan", grade: Int = 1, seats: Int = 4, costPerHour: Double = 0,
             home: String = "HQ", available: JSONValue? = nil) -> JSONValue {
    var o = JSONObject([
        (key: "id", value: .string(id)), (key: "type", value: .string(type)), (key: "grade", value: .number(Double(grade))),
        (key: "seats", value: .number(Double(seats))), (key: "costPerHour", value: .number(costPerHour)),
        (key: "home", value: .string(home)),
    ])
    if let available { o["available"] = available }
    return .object(o)
}

func driver(_ id: String, licences: [String] = ["sedan"], home: String = "HQ", maxDrivingMinutes: Int? = nil,
            costPerHour: Double = 0, available: JSONValue? = nil) -> JSONValue {
    var o = JSONObject([
        (key: "id", value: .string(id)), (key: "licences", value: .array(licences.map { .string($0) })),
        (key: "home", value: .string(home)), (key: "costPerHour", value: .number(costPerHour)),
    ])
    if let maxDrivingMinutes { o["maxDrivingMinutes"] = .number(Double(maxDrivingMinutes)) }
    if let available { o["available"] = available }
    return .object(o)
}

func staffMember(_ id: String, rank: String = "staff", department: String = "Admin", languages: [String] = ["en"],
                 available: JSONValue? = nil) -> JSONValue {
    var o = JSONObject([
        (key: "id", value: .string(id)), (key: "rank", value: .string(rank)), (key: "department", value: .string(department)),
        (key: "languages", value: .array(languages.map { .string($0) })),
    ])
    if let available { o["available"] = available }
    return .object(o)
}

/// A visit; `escorts` defaults to 0 (pass nil to use the tier's count).
func visit(_ id: String, tier: String = "low", guests: Int = 2, escorts: Int? = 0, extra: [String: JSONValue] = [:],
           segments: [JSONValue]) -> JSONValue {
    var o = JSONObject([
        (key: "id", value: .string(id)), (key: "tier", value: .string(tier)), (key: "guests", value: .number(Double(guests))),
    ])
    if let escorts { o["escorts"] = .number(Double(escorts)) }
    for key in extra.keys.sorted() { o[key] = extra[key] }
    o["segments"] = .array(segments)
    return .object(o)
}

/// A segment; `needs` as given (omitted when nil).
func segment(_ id: String, _ start: String, _ end: String, location: String? = nil, from: String? = nil, to: String? = nil,
             internalAttendees: Double? = nil, hostAttends: Bool? = nil, needs: JSONValue? = nil) -> JSONValue {
    var o = JSONObject([(key: "id", value: .string(id)), (key: "start", value: .string(start)), (key: "end", value: .string(end))])
    if let location { o["location"] = .string(location) }
    if let from { o["from"] = .string(from) }
    if let to { o["to"] = .string(to) }
    if let internalAttendees { o["internalAttendees"] = .number(internalAttendees) }
    if let hostAttends { o["hostAttends"] = .bool(hostAttends) }
    if let needs { o["needs"] = needs }
    return .object(o)
}

/// A segment needing a venue (any type unless `types`).
func venueSegment(_ id: String, _ start: String, _ end: String, location: String? = nil, internalAttendees: Double? = nil,
                  types: [String]? = nil) -> JSONValue {
    let need: JSONValue = types.map { ["types": .array($0.map { .string($0) })] } ?? [:]
    return segment(id, start, end, location: location, internalAttendees: internalAttendees, needs: ["venue": need])
}

/// A transfer segment needing transport.
func transferSegment(_ id: String, _ start: String, _ end: String, from: String, to: String,
                     internalAttendees: Double? = nil) -> JSONValue {
    segment(id, start, end, from: from, to: to, internalAttendees: internalAttendees, needs: ["transport": [:]])
}

// MARK: Editing JSON by path

extension JSONValue {
    /// A copy with the member at `path` (dotted form, `visits[0].segments[1].end`) set to
    /// `value`, or removed when `value` is nil. An index equal to an array's count appends.
    func setting(_ path: String, to value: JSONValue?) -> JSONValue {
        JSONValue.edit(self, JSONPath(stringLiteral: path).components[...], value)
    }

    /// A copy without the member at `path`.
    func removing(_ path: String) -> JSONValue { setting(path, to: nil) }

    /// A copy with `value` appended to the array at `path`.
    func appending(_ path: String, _ value: JSONValue) -> JSONValue {
        let count = JSONValue.lookup(self, JSONPath(stringLiteral: path).components[...])?.array?.count ?? 0
        return setting("\(path)[\(count)]", to: value)
    }

    private static func lookup(_ v: JSONValue, _ path: ArraySlice<JSONPath.Component>) -> JSONValue? {
        guard let first = path.first else { return v }
        switch first {
        case .key(let k): return v[k].flatMap { lookup($0, path.dropFirst()) }
        case .index(let i): return v[i].flatMap { lookup($0, path.dropFirst()) }
        }
    }

    private static func edit(_ v: JSONValue, _ path: ArraySlice<JSONPath.Component>, _ value: JSONValue?) -> JSONValue {
        guard let first = path.first else { return value ?? .null }
        let rest = path.dropFirst()
        switch (first, v) {
        case (.key(let k), .object(var o)):
            if rest.isEmpty {
                o[k] = value
            } else {
                o[k] = edit(o[k] ?? .object(JSONObject()), rest, value)
            }
            return .object(o)
        case (.index(let i), .array(var a)):
            if rest.isEmpty {
                if let value {
                    if i == a.count { a.append(value) } else { a[i] = value }
                } else {
                    a.remove(at: i)
                }
            } else {
                a[i] = edit(a[i], rest, value)
            }
            return .array(a)
        default:
            preconditionFailure("cannot follow \(first) in \(v.typeName)")
        }
    }
}

/// Loads a day; returns the input error's issues, or nil when the day loads.
func loadIssues(_ day: JSONValue) throws -> (problem: Problem?, issues: [InputIssue]) {
    try loadIssues(text: JSONWriter.pretty(day))
}

func loadIssues(text: String) throws -> (problem: Problem?, issues: [InputIssue]) {
    let registry = try makeRegistry()
    do {
        let problem = try Problem.load(json: Array(text.utf8), registry: registry)
        return (problem, problem.warnings)
    } catch {
        return (nil, error.issues)
    }
}
