import DayGenerator
import Foundation
import GLPKOptimizer
import PlanChecker
import SchedulingCore
import Testing

/// Randomized proof (issue 6): many random tiny days, solved with GLPK, must give
/// plans the independent checker accepts; `optimal` must equal an exhaustive
/// optimum found by a search that uses the checker as its only rule book; and the
/// objective never gets worse when a resource is added or a cap raised.
///
/// CI runs `SCHEDULE_PROPERTY_DAYS` days (default 40, about 40 s on 2 cores); run thousands outside CI:
///   SCHEDULE_PROPERTY_DAYS=3000 swift test --filter PropertyTests
@Suite("Randomized property tests")
struct PropertyTests {
    static var dayCount: Int { ProcessInfo.processInfo.environment["SCHEDULE_PROPERTY_DAYS"].flatMap(Int.init) ?? 40 }
    static var firstSeed: UInt64 { ProcessInfo.processInfo.environment["SCHEDULE_PROPERTY_SEED"].flatMap(UInt64.init) ?? 1 }

    /// The generator's SplitMix64: the same seed gives the same day on every platform.
    typealias Random = SplitMix64

    static func time(_ m: Int) -> String { String(format: "%02d:%02d", m / 60, m % 60) }

    typealias Object = [String: Any]

    /// A random day small enough to search exhaustively: 1–3 visits, few resources,
    /// every field of the spec varied (tiers, guests, travel, shared venues, pinned
    /// hosts, languages, dietary, budgets, caps, approved overruns, availability).
    static func randomDay(seed: UInt64) -> Object {
        var r = Random(seed: seed)
        func tier(_ rank: String, _ per: Int, _ g: Int) -> Object {
            var t: Object = ["hostRank": rank, "guestsPerEscort": per, "minVenueGrade": g, "minVehicleGrade": g, "minCateringGrade": g]
            if r.chance(0.5) {
                let venue: Object = ["perVisit": r.int(0...4) * 50]
                let transport: Object = ["perVisit": r.int(0...3) * 100, "perGuest": r.int(0...2) * 20]
                let catering: Object = ["perGuest": r.int(1...4) * 100]
                t["limits"] = ["venue": venue, "transport": transport, "catering": catering] as Object
            }
            return t
        }
        var tiers: Object = [:]
        tiers["high"] = tier("executive", r.int(2...4), r.int(3...4))
        tiers["medium"] = tier("manager", r.int(3...5), r.int(2...3))
        tiers["low"] = tier("staff", r.int(4...6), r.int(1...2))
        var policy: Object = ["tiers": tiers]
        if r.chance(0.3) { policy["dayBudget"] = r.int(0...20) * 100 }
        if r.chance(0.3) {
            let weights: Object = ["unmet": r.int(1...20) * 500, "overrun": r.int(0...20), "overGrade": r.int(0...40)]
            policy["weights"] = weights
        }
        func availability(_ o: inout Object) {
            guard r.chance(0.25) else { return }
            let from = r.int(7...11) * 60, to = min(from + r.int(2...9) * 60, 24 * 60)
            o["available"] = [["from": time(from), "to": time(to)] as Object]
        }
        var venues: [Object] = []
        for i in 0..<r.int(1...3) {
            var v: Object = ["id": "R\(i)", "type": r.pick(["meeting-room", "showroom"]), "location": r.pick(["HQ", "HQ", "PLANT"])]
            v["capacity"] = r.int(3...12); v["grade"] = r.int(1...5)
            v["costPerHour"] = r.int(0...4) * 25; v["turnoverMinutes"] = r.int(0...2) * 15
            if r.chance(0.3) { v["shared"] = true }
            availability(&v)
            venues.append(v)
        }
        var vehicles: [Object] = [], drivers: [Object] = []
        for i in 0..<r.int(0...2) {
            var v: Object = ["id": "CAR-\(i)", "type": r.pick(["sedan", "mpv"]), "grade": r.int(1...5), "home": "HQ"]
            v["seats"] = r.int(2...6); v["costPerHour"] = r.int(1...4) * 40
            availability(&v)
            vehicles.append(v)
        }
        for i in 0..<r.int(0...2) {
            var d: Object = ["id": "DRV-\(i)", "home": "HQ"]
            d["licences"] = r.chance(0.7) ? ["sedan", "mpv"] : [r.pick(["sedan", "mpv"])]
            d["maxDrivingMinutes"] = r.int(1...8) * 60; d["costPerHour"] = r.int(0...2) * 20
            availability(&d)
            drivers.append(d)
        }
        var staff: [Object] = []
        let staffCount = r.int(2...4)
        for i in 0..<staffCount {
            var p: Object = ["id": "S-\(i)", "rank": r.pick(["executive", "manager", "staff", "staff"]), "department": r.pick(["Sales", "R&D"])]
            p["languages"] = r.chance(0.5) ? ["en"] : ["de", "en"]
            availability(&p)
            staff.append(p)
        }
        var catering: [Object] = []
        for i in 0..<r.int(0...2) {
            var c: Object = ["id": "C\(i)", "kind": r.pick(["restaurant", "banquet-room"]), "location": "HQ"]
            c["seats"] = r.int(4...12); c["grade"] = r.int(1...5); c["costPerHead"] = r.int(1...8) * 50
            c["dietary"] = r.chance(0.5) ? ["halal", "vegetarian"] : [String]()
            if r.chance(0.3) { c["shared"] = true }
            catering.append(c)
        }
        var visits: [Object] = []
        for v in 0..<r.int(1...3) {
            var segments: [Object] = []
            var clock = r.int(8...11) * 60 + r.pick([0, 30])
            for s in 0..<r.int(1...2) {
                let length = r.pick([30, 45, 60, 90])
                var seg: Object = ["id": "s\(s)", "start": time(clock), "end": time(clock + length)]
                switch r.int(0...3) {
                case 0 where !vehicles.isEmpty:
                    seg["from"] = r.pick(["PVG", "PLANT"]); seg["to"] = "HQ"
                    seg["needs"] = ["transport": Object()] as Object
                case 1 where !catering.isEmpty:
                    seg["internalAttendees"] = r.int(0...2)
                    let need: Object = r.chance(0.5) ? [:] : ["kinds": ["restaurant"]]
                    seg["needs"] = ["catering": need] as Object
                case 2:
                    seg["location"] = "HQ"
                    let presenters: Object = ["department": r.pick(["Sales", "R&D"]), "count": 1]
                    seg["needs"] = ["venue": ["types": ["showroom"]] as Object, "presenters": presenters] as Object
                default:
                    seg["location"] = r.pick(["HQ", "PLANT"])
                    seg["internalAttendees"] = r.int(0...3)
                    let need: Object = r.chance(0.7) ? ["types": ["meeting-room"]] : [:]
                    seg["needs"] = ["venue": need] as Object
                }
                segments.append(seg)
                clock += length + r.pick([0, 15, 30])
            }
            var visit: Object = ["id": "V\(v)", "client": ["company": "Acme"] as Object, "tier": r.pick(["high", "medium", "low", "low"])]
            visit["guests"] = r.int(1...6)
            visit["segments"] = segments
            if r.chance(0.3) { visit["language"] = r.pick(["en", "de"]) }
            if r.chance(0.2) { visit["dietary"] = ["halal"] }
            if r.chance(0.2) { visit["host"] = "S-\(r.int(0...staffCount - 1))" }
            if r.chance(0.4) { visit["escorts"] = r.int(0...1) }
            if r.chance(0.15) { visit["approvedOverrun"] = ["catering": r.int(1...5) * 100] as Object }
            visits.append(visit)
        }
        let travel: [Object] = [["from": "HQ", "to": "PVG", "minutes": r.int(20...60)],
                                ["from": "HQ", "to": "PLANT", "minutes": r.int(10...40)],
                                ["from": "PVG", "to": "PLANT", "minutes": r.int(30...70)]]
        let resources: Object = ["venues": venues, "vehicles": vehicles, "drivers": drivers, "staff": staff, "catering": catering]
        return ["schemaVersion": 1, "date": "2026-12-01", "policy": policy,
                "locations": [["id": "HQ"], ["id": "PVG"], ["id": "PLANT"]] as [Object],
                "travelMinutes": travel, "resources": resources, "visits": visits]
    }

    static let registry = TrustSupport.registry()

    static func load(_ day: Object) throws -> Problem {
        let data = try JSONSerialization.data(withJSONObject: day, options: [.sortedKeys])
        return try Problem.load(json: [UInt8](data), registry: registry)
    }

    static func solve(_ problem: Problem) throws -> Plan {
        let result = try GLPKOptimizer().optimize(problem, options: OptimizeOptions())
        return PlanAssembler.assemble(problem, result: result, solverName: "glpk")
    }

    static func check(_ problem: Problem, _ selection: Selection) -> (valid: Bool, objective: Double) {
        let plan = PlanAssembler.assemble(problem, result: OptimizationResult(status: .feasible, selection: selection, bound: nil, seconds: 0), solverName: "search")
        return (PlanChecker.check(plan: plan.json, problem: problem, registry: registry).isValid, plan.objective)
    }

    /// The exhaustive optimum: a depth-first search over every need's options (unmet,
    /// or any set of candidates its rule accepts, only minimal ones for a cover), with
    /// the independent checker deciding validity. A partial assignment (the rest unmet)
    /// that the checker rejects cannot be completed; the objective of a partial
    /// assignment never exceeds that of its completions except through unmet needs, so
    /// it is bounded with the unmet weight of the needs still open. `nil` past `budget` nodes.
    static func exhaustiveOptimum(_ problem: Problem, budget: Int = 3000) -> Double? {
        let needs = problem.needs.indices.filter { !problem.needs[$0].isTrivial }
        var options: [[[Int]]] = []
        for j in needs {
            let need = problem.needs[j]
            let n = need.candidates.count
            var sets: [[Int]] = []
            func subsets(_ start: Int, _ current: [Int], _ size: Int) {
                if current.count == size { sets.append(current); return }
                guard start < n else { return }
                for i in start..<n { subsets(i + 1, current + [i], size) }
            }
            switch need.rule {
            case .exactly(let k): if k <= n { subsets(0, [], k) }
            case .cover(let demand):
                for size in 1...max(1, min(n, 4)) { subsets(0, [], size) }
                sets = sets.filter { s in
                    s.reduce(0.0) { $0 + need.candidates[$1].weight } >= demand - 1e-9
                        && s.allSatisfy { i in s.reduce(0.0) { $0 + need.candidates[$1].weight } - need.candidates[i].weight < demand - 1e-9 }
                }
            }
            options.append(sets)
        }
        var best = check(problem, .allUnmet(problem)).objective
        var selection = Selection.allUnmet(problem)
        var nodes = 0
        var exhausted = false
        let unmetWeight = problem.day.policy.weights.unmet
        func search(_ k: Int) {
            guard !exhausted else { return }
            guard k < needs.count else { return }
            // Leave need k unmet, then try each of its options.
            search(k + 1)
            for set in options[k] {
                nodes += 1
                if nodes > budget { exhausted = true; return }
                selection.chosen[needs[k]] = set
                let (valid, objective) = check(problem, selection)
                if valid {
                    best = min(best, objective)
                    // Needs after k still unmet: meeting each saves at most the unmet weight.
                    let openNeeds = Double(needs.count - k - 1)
                    if objective - openNeeds * unmetWeight < best - 1e-9 || openNeeds == 0 { search(k + 1) }
                }
                selection.chosen[needs[k]] = nil
            }
        }
        search(0)
        return exhausted ? nil : best
    }

    @Test("random tiny days: plans pass the checker, optimal equals the exhaustive optimum, more resources or caps never hurt")
    func randomDays() throws {
        var solved = 0, compared = 0, optimal = 0
        for seed in Self.firstSeed..<(Self.firstSeed + UInt64(Self.dayCount)) {
            let json = Self.randomDay(seed: seed)
            let problem = try Self.load(json)
            let plan = try Self.solve(problem)
            solved += 1
            let outcome = PlanChecker.check(plan: plan.json, problem: problem, registry: Self.registry)
            #expect(outcome.isValid, "seed \(seed): the checker rejects GLPK's plan: \(outcome.violations.prefix(3))")
            if let recomputed = outcome.recomputed {
                #expect(PlanChecker.agree(plan.objective, recomputed.objective), "seed \(seed): objective \(plan.objective) vs checker \(recomputed.objective)")
            }
            guard plan.status == .optimal else { continue }
            optimal += 1
            if let exhaustive = Self.exhaustiveOptimum(problem) {
                compared += 1
                #expect(abs(exhaustive - plan.objective) <= 1e-6 * max(1, abs(plan.objective)),
                        "seed \(seed): optimal \(plan.objective) but the exhaustive optimum is \(exhaustive)")
            }
            // Monotonicity: one more resource, or a raised cap, never makes the optimum worse.
            for variant in Self.relaxations(of: json) {
                let relaxed = try Self.load(variant.day)
                let better = try Self.solve(relaxed)
                #expect(PlanChecker.check(plan: better.json, problem: relaxed, registry: Self.registry).isValid, "seed \(seed) \(variant.name): invalid plan")
                if better.status == .optimal {
                    #expect(better.objective <= plan.objective + 1e-6 * max(1, abs(plan.objective)),
                            "seed \(seed) \(variant.name): \(better.objective) > \(plan.objective)")
                }
            }
        }
        print("property days: \(solved) solved, \(optimal) optimal, \(compared) compared with the exhaustive optimum")
        #expect(solved == Self.dayCount)
        #expect(compared >= Self.dayCount / 4, "too few days were small enough to search exhaustively: \(compared)")
    }

    /// The day with one more resource (a copy of the first venue, staff member,
    /// catering option, vehicle or driver), or with every cap and the day budget raised.
    static func relaxations(of day: Object) -> [(name: String, day: Object)] {
        var out: [(String, Object)] = []
        let resources = day["resources"] as? Object ?? [:]
        for (list, prefix) in [("venues", "R"), ("staff", "S-"), ("catering", "C"), ("vehicles", "CAR-"), ("drivers", "DRV-")] {
            guard let items = resources[list] as? [Object], var copy = items.first else { continue }
            copy["id"] = "\(prefix)extra"
            var more = resources
            more[list] = items + [copy]
            var relaxed = day
            relaxed["resources"] = more
            out.append(("one more in \(list)", relaxed))
        }
        var policy = day["policy"] as? Object ?? [:]
        var tiers = policy["tiers"] as? Object ?? [:]
        for name in ["high", "medium", "low"] {
            guard var tier = tiers[name] as? Object, var limits = tier["limits"] as? Object else { continue }
            for (category, value) in limits {
                guard var cap = value as? Object else { continue }
                cap["perVisit"] = (cap["perVisit"] as? Int ?? 0) + 500
                limits[category] = cap
            }
            tier["limits"] = limits
            tiers[name] = tier
        }
        policy["tiers"] = tiers
        if let budget = policy["dayBudget"] as? Int { policy["dayBudget"] = budget + 1000 }
        var raised = day
        raised["policy"] = policy
        out.append(("caps raised", raised))
        return out
    }
}
