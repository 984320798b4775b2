import Foundation
import SchedulingCore
import Testing

/// A valid day touching every section, for the bad-input cases to break one
/// thing at a time:
///
/// - visits[0] V1 (high, 3 guests): [0] pickup PVG->HQ transport, [1] talks at HQ
///   (venue), [2] tour at HQ (presenters R&D), [3] lunch (catering);
/// - visits[1] V2 (low, 2 guests): [0] talks (venue);
/// - travelMinutes: [0] HQ-PVG 60, [1] HQ-HOTEL 15, [2] PVG-HOTEL 50;
/// - one venue, vehicle, driver and catering option, staff EX1-EX3 and P1 (R&D);
/// - policy.tiers.high.limits.venue, policy.dayBudget.
func baseInputDay() -> JSONValue {
    var d = DayBuilder(visits: [
        visit("V1", tier: "high", guests: 3, escorts: nil, segments: [
            transferSegment("pickup", "08:30", "09:20", from: "PVG", to: "HQ"),
            venueSegment("talks", "09:30", "11:00", location: "HQ", internalAttendees: 2, types: ["meeting-room"]),
            segment("tour", "11:00", "11:45", location: "HQ", needs: ["presenters": ["department": "R&D"]]),
            segment("lunch", "12:00", "13:00", needs: ["catering": [:]]),
        ]),
        visit("V2", tier: "low", guests: 2, segments: [venueSegment("talks", "14:00", "15:00")]),
    ])
    d.setTier("high", "limits", ["venue": ["perVisit": 3000, "perGuest": 100]])
    d.dayBudget = 80000
    d.venues = [venue("R1", capacity: 12, grade: 3, turnover: 15, available: windows("08:00-20:00"))]
    d.vehicles = [vehicle("CAR-01", grade: 3, seats: 4, costPerHour: 120)]
    d.drivers = [driver("DRV-01", licences: ["sedan"], maxDrivingMinutes: 480)]
    d.catering = [cateringOption("C1", seats: 20, grade: 3, costPerHead: 100, dietary: ["halal"])]
    d.staff.append(staffMember("P1", rank: "manager", department: "R&D"))
    return d.json
}

/// One bad input: an edit of the base day and the path an error must name.
struct BadInput: Sendable, CustomTestStringConvertible {
    var name: String
    var expectedPath: String
    var edit: @Sendable (JSONValue) -> JSONValue

    var testDescription: String { "\(name) -> \(expectedPath)" }

    /// Sets `path` to `value`; the error is expected at `path` unless `at` says otherwise.
    static func set(_ name: String, _ path: String, _ value: JSONValue, at expected: String? = nil) -> BadInput {
        BadInput(name: name, expectedPath: expected ?? path) { $0.setting(path, to: value) }
    }

    /// Removes `path`; the error is expected at `path` unless `at` says otherwise.
    static func remove(_ name: String, _ path: String, at expected: String? = nil) -> BadInput {
        BadInput(name: name, expectedPath: expected ?? path) { $0.removing(path) }
    }

    static func custom(_ name: String, at expected: String, _ edit: @escaping @Sendable (JSONValue) -> JSONValue) -> BadInput {
        BadInput(name: name, expectedPath: expected, edit: edit)
    }
}

let badInputs: [BadInput] = [
    // Times (§1, §8)
    .set("hour 25", "visits[0].segments[1].end", "25:00"),
    .set("one-digit hour", "visits[0].segments[1].start", "9:30"),
    .set("minute 60", "visits[0].segments[1].start", "09:60"),
    .set("24:00 as a start", "visits[0].segments[1].start", "24:00"),
    .set("end equal to start", "visits[0].segments[1].end", "09:30"),
    .set("end before start", "visits[0].segments[1].end", "09:00"),
    .set("time not a string", "visits[0].segments[1].end", 1100),
    .set("24:00 as an availability from", "resources.venues[0].available[0].from", "24:00"),
    .set("one-digit availability hour", "resources.venues[0].available[0].from", "8:00"),
    .set("availability to before from", "resources.venues[0].available[0].to", "07:00"),

    // Unknown plugin keys (§1)
    .set("unknown resources key", "resources.rooms", []),
    .set("unknown needs key", "visits[0].segments[1].needs.parking", [:]),

    // Duplicate ids (§1)
    .set("duplicate visit id", "visits[1].id", "V1"),
    .set("duplicate segment id in a visit", "visits[0].segments[1].id", "pickup"),
    .custom("duplicate venue id", at: "resources.venues[1].id") { $0.appending("resources.venues", venue("R1")) },
    .custom("duplicate vehicle id", at: "resources.vehicles[1].id") { $0.appending("resources.vehicles", vehicle("CAR-01")) },
    .custom("duplicate driver id", at: "resources.drivers[1].id") { $0.appending("resources.drivers", driver("DRV-01")) },
    .custom("duplicate catering id", at: "resources.catering[1].id") { $0.appending("resources.catering", cateringOption("C1")) },
    .custom("duplicate staff id", at: "resources.staff[4].id") { $0.appending("resources.staff", staffMember("EX1")) },
    .set("duplicate location id", "locations[2].id", "PVG"),
    .set("empty id", "visits[0].id", ""),

    // Dangling references (§1)
    .set("segment location", "visits[0].segments[1].location", "MOON"),
    .set("transfer from", "visits[0].segments[0].from", "MOON"),
    .set("transfer to", "visits[0].segments[0].to", "MOON"),
    .set("venue location", "resources.venues[0].location", "MOON"),
    .set("catering location", "resources.catering[0].location", "MOON"),
    .set("vehicle home", "resources.vehicles[0].home", "MOON"),
    .set("driver home", "resources.drivers[0].home", "MOON"),
    .set("host", "visits[0].host", "NOBODY"),
    .set("travel from", "travelMinutes[0].from", "MOON"),

    // Required fields (§8)
    .remove("tier hostRank", "policy.tiers.high.hostRank"),
    .remove("tier guestsPerEscort", "policy.tiers.medium.guestsPerEscort"),
    .remove("tier minVenueGrade", "policy.tiers.low.minVenueGrade"),
    .remove("tier minVehicleGrade", "policy.tiers.high.minVehicleGrade"),
    .remove("tier minCateringGrade", "policy.tiers.high.minCateringGrade"),
    .remove("a whole tier", "policy.tiers.low"),
    .remove("venue location", "resources.venues[0].location"),
    .remove("venue type", "resources.venues[0].type"),
    .remove("venue capacity", "resources.venues[0].capacity"),
    .remove("venue grade", "resources.venues[0].grade"),
    .remove("vehicle home", "resources.vehicles[0].home"),
    .remove("vehicle type", "resources.vehicles[0].type"),
    .remove("vehicle seats", "resources.vehicles[0].seats"),
    .remove("vehicle grade", "resources.vehicles[0].grade"),
    .remove("driver home", "resources.drivers[0].home"),
    .remove("catering location", "resources.catering[0].location"),
    .remove("catering kind", "resources.catering[0].kind"),
    .remove("catering seats", "resources.catering[0].seats"),
    .remove("catering grade", "resources.catering[0].grade"),
    .remove("staff rank", "resources.staff[0].rank"),
    .remove("staff department", "resources.staff[0].department"),
    .remove("visit guests", "visits[0].guests"),
    .remove("visit tier", "visits[0].tier"),
    .remove("segment start", "visits[0].segments[1].start"),

    // Field rules (§2)
    .set("guests 0", "visits[0].guests", 0),
    .set("guests 2.5", "visits[0].guests", 2.5),
    .set("venue grade 6", "resources.venues[0].grade", 6),
    .set("vehicle grade 0", "resources.vehicles[0].grade", 0),
    .set("catering grade 2.5", "resources.catering[0].grade", 2.5),
    .set("venue capacity 0", "resources.venues[0].capacity", 0),
    .set("vehicle seats 0", "resources.vehicles[0].seats", 0),
    .set("catering seats 1.5", "resources.catering[0].seats", 1.5),
    .set("presenters count 0", "visits[0].segments[2].needs.presenters.count", 0),
    .set("negative venue costPerHour", "resources.venues[0].costPerHour", -1),
    .set("negative vehicle costPerHour", "resources.vehicles[0].costPerHour", -0.5),
    .set("negative driver costPerHour", "resources.drivers[0].costPerHour", -1),
    .set("negative catering costPerHead", "resources.catering[0].costPerHead", -1),
    .set("negative limit perVisit", "policy.tiers.high.limits.venue.perVisit", -1),
    .set("negative limit perGuest", "policy.tiers.high.limits.venue.perGuest", -1),
    .set("negative dayBudget", "policy.dayBudget", -1),
    .set("negative approvedOverrun", "visits[0].approvedOverrun", ["venue": -5], at: "visits[0].approvedOverrun.venue"),
    .set("negative internalAttendees", "visits[0].segments[1].internalAttendees", -1),
    .set("negative turnoverMinutes", "resources.venues[0].turnoverMinutes", -1),
    .set("negative maxDrivingMinutes", "resources.drivers[0].maxDrivingMinutes", -1),
    .set("schemaVersion 3", "schemaVersion", 3),
    .set("unknown tier", "visits[0].tier", "vip"),
    .set("unknown rank", "resources.staff[0].rank", "boss"),
    .set("unknown hostRank", "policy.tiers.high.hostRank", "boss"),
    .set("escorts -1", "visits[0].escorts", -1),
    .set("escorts 1.5", "visits[0].escorts", 1.5),
    .set("guestsPerEscort 0", "policy.tiers.high.guestsPerEscort", 0),
    .set("guestsPerEscort negative", "policy.tiers.low.guestsPerEscort", -2),

    // Travel (§2, §8)
    .remove("missing home-to-pickup pair HQ-PVG", "travelMinutes[0]", at: "travelMinutes"),
    .custom("missing return-home pair HQ-HOTEL", at: "travelMinutes") {
        $0.removing("travelMinutes[1]").setting("visits[0].segments[0].to", to: "HOTEL")
    },
    .custom("missing pair between two transfers", at: "travelMinutes") {
        // Transfers PVG->HOTEL then PLANT->HQ: HOTEL-PLANT is needed (a.to with b.from).
        $0.appending("locations", ["id": "PLANT"])
            .appending("travelMinutes", ["from": "HQ", "to": "PLANT", "minutes": 30])
            .setting("visits[0].segments[0].to", to: "HOTEL")
            .appending("visits[1].segments", transferSegment("back", "16:00", "16:30", from: "PLANT", to: "HQ"))
    },
    .custom("same pair twice with different minutes", at: "travelMinutes[3].minutes") {
        $0.appending("travelMinutes", ["from": "PVG", "to": "HQ", "minutes": 50])
    },
    .custom("self-travel not zero", at: "travelMinutes[3].minutes") {
        $0.appending("travelMinutes", ["from": "HQ", "to": "HQ", "minutes": 5])
    },
    .set("negative travel minutes", "travelMinutes[0].minutes", -1),

    // Needs and visits (§8)
    .remove("transport need without from", "visits[0].segments[0].from", at: "visits[0].segments[0].needs.transport"),
    .remove("transport need without to", "visits[0].segments[0].to", at: "visits[0].segments[0].needs.transport"),
    .set("visit without segments", "visits[0].segments", []),
    .remove("visit with no segments key", "visits[0].segments"),
    .set("needs not an object", "visits[0].segments[1].needs", "venue"),
]

/// An input the spec allows: an edit of the base day that must still load.
struct GoodInput: Sendable, CustomTestStringConvertible {
    var name: String
    var edit: @Sendable (JSONValue) -> JSONValue

    init(_ name: String, _ edit: @escaping @Sendable (JSONValue) -> JSONValue) {
        self.name = name
        self.edit = edit
    }

    var testDescription: String { name }
}

/// Inputs the spec allows, each alone on the base day: they load, possibly with warnings.
let acceptedInputs: [GoodInput] = [
    GoodInput("24:00 as a segment end", { $0.setting("visits[1].segments[0].start", to: "23:00").setting("visits[1].segments[0].end", to: "24:00") }),
    GoodInput("24:00 as an availability to", { $0.setting("resources.venues[0].available[0].to", to: "24:00") }),
    GoodInput("available []", { $0.setting("resources.venues[0].available", to: []) }),
    GoodInput("equal ids across kinds", { $0.setting("resources.catering[0].id", to: "R1").setting("resources.vehicles[0].id", to: "R1") }),
    GoodInput("a pair given twice with equal minutes, reversed", { $0.appending("travelMinutes", ["from": "PVG", "to": "HQ", "minutes": 60]) }),
    GoodInput("a location to itself with 0", { $0.appending("travelMinutes", ["from": "HQ", "to": "HQ", "minutes": 0]) }),
    GoodInput("a pair no rule needs is absent", { $0.appending("locations", ["id": "PLANT"]) }),
    GoodInput("name on every resource", {
        $0.setting("resources.venues[0].name", to: "Room").setting("resources.vehicles[0].name", to: "Car")
            .setting("resources.drivers[0].name", to: "Wang").setting("resources.catering[0].name", to: "Banquet")
            .setting("resources.staff[0].name", to: "Li Wei")
    }),
    GoodInput("no limits, weights, costs or dayBudget", {
        $0.removing("policy.tiers.high.limits").removing("policy.dayBudget").removing("resources.venues[0].costPerHour")
            .removing("resources.vehicles[0].costPerHour").removing("resources.catering[0].costPerHead")
    }),
    GoodInput("one weight alone", { $0.setting("policy.weights", to: ["overGrade": 5]) }),
    GoodInput("escorts 0", { $0.setting("visits[0].escorts", to: 0) }),
    GoodInput("fractional guestsPerEscort", { $0.setting("policy.tiers.high.guestsPerEscort", to: 2.5) }),
    GoodInput("fractional internalAttendees", { $0.setting("visits[0].segments[1].internalAttendees", to: 1.5) }),
    GoodInput("segments out of time order", { $0.setting("visits[1].segments[1]", to: venueSegment("early", "08:00", "09:00")) }),
    GoodInput("a segment without needs", { $0.setting("visits[1].segments[1]", to: segment("walk", "16:00", "16:30")) }),
    GoodInput("a venue need without types", { $0.setting("visits[0].segments[1].needs.venue", to: [:]) }),
    GoodInput("presenters without department", { $0.setting("visits[0].segments[2].needs.presenters", to: [:]) }),
    // §2: turnoverMinutes and maxDrivingMinutes are "numbers >= 0", unlike the integers guests, capacity, seats, count.
    GoodInput("fractional turnoverMinutes", { $0.setting("resources.venues[0].turnoverMinutes", to: 7.5) }),
    GoodInput("maxDrivingMinutes above a day", { $0.setting("resources.drivers[0].maxDrivingMinutes", to: 2000) }),
    GoodInput("fractional maxDrivingMinutes", { $0.setting("resources.drivers[0].maxDrivingMinutes", to: 90.5) }),
]

@Suite("InputErrorTests")
struct InputErrorTests {
    @Test("the base day is valid")
    func baseDayLoads() throws {
        let (problem, issues) = try loadIssues(baseInputDay())
        #expect(problem != nil, "\(issues.map(\.description).joined(separator: "\n"))")
        #expect(issues.isEmpty, "\(issues.map(\.description))")
    }

    @Test("bad input is an InputError naming the path", arguments: badInputs)
    func badInputNamesPath(_ bad: BadInput) throws {
        let (problem, issues) = try loadIssues(bad.edit(baseInputDay()))
        #expect(problem == nil, "\(bad.name): the day loaded, expected an error at \(bad.expectedPath)")
        let errors = issues.filter { $0.severity == .error }
        // The place, whether or not the message names a resource entry's id as well.
        #expect(errors.contains { $0.path == JSONPath(stringLiteral: bad.expectedPath) },
                "\(bad.name): no error at \(bad.expectedPath); got:\n\(errors.map(\.description).joined(separator: "\n"))")
        #expect(errors.allSatisfy { !$0.message.isEmpty })
    }

    @Test("every error is reported at once")
    func allErrorsAtOnce() throws {
        let day = baseInputDay()
            .setting("visits[0].segments[1].end", to: "25:00")
            .setting("resources.venues[0].grade", to: 6)
            .removing("policy.tiers.high.hostRank")
            .setting("visits[1].guests", to: 0)
        let (problem, issues) = try loadIssues(day)
        #expect(problem == nil)
        let paths = Set(issues.filter { $0.severity == .error }.map(\.path.description))
        for expected in ["visits[0].segments[1].end", #"resources.venues[0] (id "R1").grade"#, "policy.tiers.high.hostRank", "visits[1].guests"] {
            #expect(paths.contains(expected), "missing \(expected) in \(paths.sorted())")
        }
    }

    @Test("JSON syntax errors and repeated keys are input errors")
    func jsonErrors() throws {
        let (broken, brokenIssues) = try loadIssues(text: "{\"schemaVersion\": 1, ")
        #expect(broken == nil)
        #expect(!brokenIssues.isEmpty)

        var text = JSONWriter.pretty(baseInputDay())
        text = text.replacingOccurrences(of: "\"guests\": 3,", with: "\"guests\": 3, \"guests\": 4,")
        let (repeated, repeatedIssues) = try loadIssues(text: text)
        #expect(repeated == nil)
        #expect(repeatedIssues.contains { $0.severity == .error && $0.path.description == "visits[0].guests" },
                "\(repeatedIssues.map(\.description))")
    }

    @Test("an issue under resources names the entry's index and its id, the same for every kind")
    func resourceIssuesNameTheID() throws {
        let cases: [(edit: @Sendable (JSONValue) -> JSONValue, expected: String)] = [
            ({ $0.setting("resources.venues[0].grade", to: 6) }, #"resources.venues[0] (id "R1").grade"#),
            ({ $0.setting("resources.vehicles[0].seats", to: 0) }, #"resources.vehicles[0] (id "CAR-01").seats"#),
            ({ $0.setting("resources.drivers[0].home", to: "MOON") }, #"resources.drivers[0] (id "DRV-01").home"#),
            ({ $0.setting("resources.catering[0].grade", to: 2.5) }, #"resources.catering[0] (id "C1").grade"#),
            ({ $0.setting("resources.staff[3].rank", to: "boss") }, #"resources.staff[3] (id "P1").rank"#),
            ({ $0.setting("resources.venues[0].available[0].to", to: "07:00") }, #"resources.venues[0] (id "R1").available[0].to"#),
            // Quotes and backslashes in the id are escaped as in JSON.
            ({ $0.setting("resources.venues[0].id", to: #"R "1" \ B"#).setting("resources.venues[0].grade", to: 6) },
             #"resources.venues[0] (id "R \"1\" \\ B").grade"#),
        ]
        for (edit, expected) in cases {
            let (problem, issues) = try loadIssues(edit(baseInputDay()))
            #expect(problem == nil)
            let lines = issues.filter { $0.severity == .error }.map(\.description)
            #expect(lines.contains { $0.hasPrefix(expected + ": ") }, "expected \(expected); got \(lines)")
        }

        // Warnings too, and a key repeated inside an entry (found by the parser, not by a plugin).
        let (loaded, warnings) = try loadIssues(baseInputDay().setting("resources.vehicles[0].colour", to: "blue"))
        #expect(loaded != nil)
        #expect(warnings.map(\.description).contains(#"warning: resources.vehicles[0] (id "CAR-01").colour: unknown key, ignored"#),
                "\(warnings.map(\.description))")
        let text = JSONWriter.pretty(baseInputDay()).replacingOccurrences(of: "\"capacity\": 12", with: "\"capacity\": 12, \"capacity\": 12")
        let (_, repeated) = try loadIssues(text: text)
        #expect(repeated.map(\.description).contains { $0.hasPrefix(#"resources.venues[0] (id "R1").capacity: "#) },
                "\(repeated.map(\.description))")

        // A kind from outside the core is named the same way.
        let gifts = baseInputDay().setting("resources.gifts", to: [["id": "TEA", "grade": 4, "valuePerGuest": 180, "stock": -1]])
        let registry = try GiftTests.registry()
        do {
            _ = try Problem.load(gifts, registry: registry)
            Issue.record("a negative stock loaded")
        } catch {
            #expect(error.errors.map(\.description).contains { $0.hasPrefix(#"resources.gifts[0] (id "TEA").stock: "#) },
                    "\(error.errors.map(\.description))")
        }
    }

    /// Ids that are not named in paths: absent, not a string, empty, a control character, too long.
    static let unreadableIDs: [JSONValue?] = [nil, 7, "", "R\n1", .string(String(repeating: "R", count: 65))]

    @Test("an entry without a readable string id is named by its index alone", arguments: unreadableIDs)
    func resourceIssuesWithoutID(_ id: JSONValue?) throws {
        let day = baseInputDay().setting("resources.venues[0].id", to: id).setting("resources.venues[0].grade", to: 6)
        let (problem, issues) = try loadIssues(day)
        #expect(problem == nil)
        let lines = issues.filter { $0.severity == .error }.map(\.description)
        #expect(lines.contains { $0.hasPrefix("resources.venues[0].grade: ") }, "\(lines)")
        #expect(!lines.contains { $0.contains("(id ") }, "\(lines)")
    }

    @Test("inputs the spec allows load", arguments: acceptedInputs)
    func acceptedInput(_ good: GoodInput) throws {
        let (problem, issues) = try loadIssues(good.edit(baseInputDay()))
        #expect(problem != nil, "\(good.name): \(issues.filter { $0.severity == .error }.map(\.description).joined(separator: "\n"))")
    }

    @Test("warnings: unknown keys outside resources/needs and a missing schemaVersion")
    func warnings() throws {
        let day = baseInputDay().setting("visits[0].colour", to: "blue").removing("schemaVersion")
        let (problem, issues) = try loadIssues(day)
        let loaded = try #require(problem, "\(issues.map(\.description))")
        let warnings = loaded.warnings.map(\.path.description)
        #expect(warnings.contains("visits[0].colour"), "\(warnings)")
        #expect(warnings.contains("schemaVersion"), "\(warnings)")
    }
}
