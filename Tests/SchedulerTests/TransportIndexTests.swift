import SchedulingCore
import Testing
@testable import Transport

/// The transport kind's lookups that replace scans over all pairs must answer
/// exactly what the scans answered.
@Suite("Transport indexes")
struct TransportIndexTests {
    /// A small deterministic generator, so failures reproduce.
    struct Lcg {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    static let places = ["HQ", "PLANT", "PVG", "HSR"]
    static let types = ["sedan", "mpv", "minibus", "coach"]

    @Test("the first transfer from an origin at or after a minute is the one a scan in day order finds", arguments: [1, 2, 3, 4, 5])
    func firstTransfer(seed: Int) {
        var random = Lcg(state: UInt64(seed))
        let transfers = (0..<(5 + random.next(40))).map { i -> Transfer in
            let start = 5 * random.next(100)
            return Transfer(visit: i, segment: 0, span: TimeSpan(start, start + 5 + 5 * random.next(12)),
                            from: Self.places[random.next(Self.places.count)], to: Self.places[random.next(Self.places.count)])
        }
        let index = TransfersByOrigin(transfers)
        #expect(index.origins == transfers.map(\.from).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } })
        for origin in Self.places + ["NOWHERE"] {
            for minute in stride(from: -5, through: 560, by: 5) {
                let scan = transfers.indices.first { transfers[$0].from == origin && transfers[$0].span.start >= minute }
                #expect(index.firstTransfer(from: origin, startingAtOrAfter: minute) == scan, "\(origin) at \(minute)")
            }
        }
    }

    static func fleet(_ random: inout Lcg) -> ([Vehicle], [Driver]) {
        let vehicles = (0..<(1 + random.next(9))).map { i in
            Vehicle(id: "V\(i)", type: types[random.next(types.count)], grade: 3, seats: 4, costPerHour: 0, home: "HQ", availability: .wholeDay)
        }
        let drivers = (0..<(1 + random.next(9))).map { i in
            // Licences may repeat a type and name types no vehicle has.
            Driver(id: "D\(i)", licences: (0..<random.next(4)).map { _ in (types + ["tractor"])[random.next(types.count + 1)] },
                   home: "HQ", maxDrivingMinutes: 600, costPerHour: 0, availability: .wholeDay)
        }
        return (vehicles, drivers)
    }

    /// The Hall rows as first written: licensed driver sets compared type set by type set.
    static func referenceRows(vehicles: [Vehicle], drivers: [Driver]) -> [NeedConstraint] {
        let offset = vehicles.count
        var rows = [NeedConstraint(
            terms: vehicles.indices.map { .init(candidate: $0, coefficient: 1) } + drivers.indices.map { .init(candidate: offset + $0, coefficient: -1) },
            sense: .equal, rhs: 0)]
        let types = Array(Set(vehicles.map(\.type))).sorted()
        guard !types.isEmpty, types.count <= 12 else { return rows }
        func licensed(_ set: Set<String>) -> Set<Int> {
            Set(drivers.indices.filter { !set.isDisjoint(with: drivers[$0].licences) })
        }
        for mask in 1..<(1 << types.count) {
            let set = Set(types.indices.filter { mask & (1 << $0) != 0 }.map { types[$0] })
            let neighbours = licensed(set)
            let dominated = types.contains { !set.contains($0) && licensed([$0]).isSubset(of: neighbours) }
            if dominated || neighbours.count == drivers.count { continue }
            rows.append(NeedConstraint(
                terms: vehicles.indices.filter { set.contains(vehicles[$0].type) }.map { .init(candidate: $0, coefficient: 1) }
                    + neighbours.sorted().map { .init(candidate: offset + $0, coefficient: -1) },
                sense: .lessOrEqual, rhs: 0))
        }
        return rows
    }

    @Test("pairs are counted and Hall rows written by type as the pair-by-pair definitions say", arguments: Array(1...40))
    func pairing(seed: Int) {
        var random = Lcg(state: UInt64(seed))
        let (vehicles, drivers) = Self.fleet(&random)
        let pairs = vehicles.reduce(0) { n, v in n + drivers.filter { $0.licences.contains(v.type) }.count }
        #expect(TransportPlugin.pairCount(vehicles: vehicles, drivers: drivers) == pairs)
        #expect(TransportPlugin.pairingConstraints(vehicles: vehicles, drivers: drivers) == Self.referenceRows(vehicles: vehicles, drivers: drivers))
    }
}
