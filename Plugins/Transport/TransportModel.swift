import SchedulingCore

/// A car, MPV or coach from `resources.vehicles`.
public struct Vehicle: Sendable, Hashable {
    public var id: String
    public var type: String
    public var grade: Int
    public var seats: Int
    public var costPerHour: Double
    /// A fixed fee for each transfer, on top of the hourly cost: a rental car or a hired
    /// driver (issue 18). 0 for the company's own.
    public var costPerUse: Double = 0
    public var home: String
    public var availability: Availability
}

/// A driver from `resources.drivers`.
public struct Driver: Sendable, Hashable {
    public var id: String
    public var licences: [String]
    public var home: String
    public var maxDrivingMinutes: Double
    public var costPerHour: Double
    /// A fixed fee for each transfer, on top of the hourly cost: a rental car or a hired
    /// driver (issue 18). 0 for the company's own.
    public var costPerUse: Double = 0
    public var availability: Availability
}

/// A segment with `needs.transport`: a transfer from `from` to `to`.
public struct Transfer: Sendable, Hashable {
    public var visit: Int
    public var segment: Int
    public var span: TimeSpan
    public var from: String
    public var to: String
}

/// The transport part of a day, decoded and validated (including the travel
/// pairs the rules need, PROBLEM.md §8).
struct TransportSection {
    var vehicles: [Vehicle] = []
    var drivers: [Driver] = []
    var transfers: [Transfer] = []
    var minGrade: [TierName: Int] = [:]

    init(_ day: Day, _ d: inout Diagnostics) {
        var seen = Set<String>()
        for (item, path) in PluginInput.resourceItems(day, key: "vehicles", &d) {
            guard var r = ObjectReader(item, at: path, diagnostics: &d) else { continue }
            let id = r.identifier("id", &d)
            _ = r.string("name", &d)
            let type = r.identifier("type", &d)
            let grade = r.integer("grade", required: true, in: 1...5, &d)
            let seats = r.integer("seats", required: true, in: 1...Int(Int32.max), &d)
            let cost = r.number("costPerHour", &d) ?? 0
            let perUse = r.number("costPerUse", &d) ?? 0
            let home = PluginInput.location(r.identifier("home", &d), at: path + "home", day: day, &d)
            let availability = r.availability(in: day, &d)
            r.warnAboutUnknownKeys(&d)
            guard let id, PluginInput.claim(id, in: &seen, at: path + "id", kind: "vehicle", &d),
                  let type, let grade, let seats, let home else { continue }
            vehicles.append(Vehicle(id: id, type: type, grade: grade, seats: seats, costPerHour: cost, costPerUse: perUse, home: home, availability: availability))
        }
        seen = []
        for (item, path) in PluginInput.resourceItems(day, key: "drivers", &d) {
            guard var r = ObjectReader(item, at: path, diagnostics: &d) else { continue }
            let id = r.identifier("id", &d)
            _ = r.string("name", &d)
            let licences = r.strings("licences", &d) ?? []
            let home = PluginInput.location(r.identifier("home", &d), at: path + "home", day: day, &d)
            let maxDriving = r.number("maxDrivingMinutes", &d) ?? 600
            let cost = r.number("costPerHour", &d) ?? 0
            let perUse = r.number("costPerUse", &d) ?? 0
            let availability = r.availability(in: day, &d)
            r.warnAboutUnknownKeys(&d)
            guard let id, PluginInput.claim(id, in: &seen, at: path + "id", kind: "driver", &d), let home else { continue }
            drivers.append(Driver(id: id, licences: licences, home: home, maxDrivingMinutes: maxDriving, costPerHour: cost, costPerUse: perUse, availability: availability))
        }
        for tier in TierName.allCases {
            minGrade[tier] = PluginInput.tierInteger(day.policy.tier(tier), "minVehicleGrade", in: 1...5, &d)
        }
        for visit in day.visits {
            for segment in visit.segments {
                guard let r = PluginInput.need(segment, key: "transport", &d) else { continue }
                r.warnAboutUnknownKeys(&d)
                guard let from = segment.from, let to = segment.to else {
                    d.error(r.path, "a transport need needs the segment's \"from\" and \"to\" locations; add them to \(segment.path)")
                    continue
                }
                transfers.append(Transfer(visit: visit.index, segment: segment.index, span: segment.span, from: from, to: to))
            }
        }
        checkTravelPairs(day, &d)
    }

    /// PROBLEM.md §8: homes with every transfer's ends, and `a.to` with `b.from`
    /// whenever `a` ends no later than `b` starts, must have travel minutes.
    private func checkTravelPairs(_ day: Day, _ d: inout Diagnostics) {
        var reported = Set<String>()
        func need(_ a: String, _ b: String, _ why: @autoclosure () -> String) {
            guard day.travel.minutes(from: a, to: b) == nil else { return }
            let key = [a, b].sorted().joined(separator: "|")
            guard reported.insert(key).inserted else { return }
            d.error(JSONPath([.key("travelMinutes")]), "no travel time between \(a) and \(b), needed for \(why()); add {\"from\": \"\(a)\", \"to\": \"\(b)\", \"minutes\": ...}")
        }
        func name(_ t: Transfer) -> String { "\(day.visits[t.visit].id) \(day.visits[t.visit].segments[t.segment].id)" }
        let homes = Set(vehicles.map(\.home) + drivers.map(\.home)).sorted()
        for t in transfers {
            for home in homes {
                need(home, t.from, "a vehicle or driver based at \(home) to reach \(name(t))")
                need(t.to, home, "a vehicle or driver to return to \(home) after \(name(t))")
            }
        }
        // Every (a, b) with a.end <= b.start asks for travel a.to -> b.from, but only the
        // location pairs differ: for each a, report each missing pair at the first b (in
        // day order) that asks for it, as a scan of all pairs would.
        let starts = TransfersByOrigin(transfers)
        for a in transfers {
            var first: [(b: Int, from: String)] = []
            for origin in starts.origins where day.travel.minutes(from: a.to, to: origin) == nil {
                guard !reported.contains([a.to, origin].sorted().joined(separator: "|")),
                      let b = starts.firstTransfer(from: origin, startingAtOrAfter: a.span.end) else { continue }
                first.append((b, origin))
            }
            for (b, origin) in first.sorted(by: { $0.b < $1.b }) {
                need(a.to, origin, "one vehicle or driver to serve \(name(a)) then \(name(transfers[b]))")
            }
        }
    }
}

/// Transfers grouped by where they start, to find the first transfer (in day
/// order) from a location that starts at or after a given minute without
/// scanning every transfer.
struct TransfersByOrigin {
    /// The distinct `from` locations, in order of first appearance.
    private(set) var origins: [String] = []
    /// For each origin: its transfers' starts, ascending, and for each position the
    /// smallest transfer index among that position and all later ones.
    private var starts: [String: (starts: [Minute], firstIndex: [Int])] = [:]

    init(_ transfers: [Transfer]) {
        var byOrigin: [String: [(start: Minute, index: Int)]] = [:]
        for (i, t) in transfers.enumerated() {
            if byOrigin[t.from] == nil { origins.append(t.from) }
            byOrigin[t.from, default: []].append((t.span.start, i))
        }
        for (origin, list) in byOrigin {
            let sorted = list.sorted { ($0.start, $0.index) < ($1.start, $1.index) }
            var firstIndex = sorted.map(\.index)
            for k in firstIndex.indices.reversed().dropFirst() { firstIndex[k] = min(firstIndex[k], firstIndex[k + 1]) }
            starts[origin] = (sorted.map(\.start), firstIndex)
        }
    }

    /// The smallest index of a transfer from `origin` whose start is `>= minute`, if any.
    func firstTransfer(from origin: String, startingAtOrAfter minute: Minute) -> Int? {
        guard let entry = starts[origin] else { return nil }
        var low = 0, high = entry.starts.count
        while low < high {
            let mid = (low + high) / 2
            if entry.starts[mid] < minute { low = mid + 1 } else { high = mid }
        }
        return low < entry.firstIndex.count ? entry.firstIndex[low] : nil
    }
}
