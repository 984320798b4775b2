import SchedulingCore
import Testing

/// The one rule of sharing outside the checker (issue 15): each way of sharing,
/// the uses it names, and `admits` agreeing with `conflicts`.
@Suite("Sharing rules")
struct SharingRuleTests {
    static let key = ResourceKey(kind: "venue", id: "R1")
    static func use(_ start: Int, _ end: Int, load: Double = 1, from: String? = nil, to: String? = nil, minutes: Int = 0) -> Usage {
        Usage(resource: key, span: TimeSpan(start, end), load: load, from: from, to: to, budgetMinutes: minutes)
    }
    static func declaration(_ sharing: Sharing, budget: Double? = nil) -> ResourceDeclaration {
        ResourceDeclaration(key: key, sharing: sharing, minuteBudget: budget)
    }
    static var travel: TravelTable {
        var t = TravelTable()
        t.set("HQ", "PVG", 50)
        return t
    }

    /// Checks that `admits` says what `conflicts` says, and returns the conflicts.
    static func conflicts(_ d: ResourceDeclaration, _ usage: Usage, _ others: [Usage]) -> [SharingConflict] {
        let found = d.conflicts(of: usage, with: others, travel: travel)
        #expect(d.admits(usage, beside: others, travel: travel) == found.isEmpty)
        return found
    }

    @Test("exclusive: an overlap and a use inside the turnover are told apart, each with its holders")
    func exclusive() {
        let d = Self.declaration(.exclusive(turnoverMinutes: 15))
        let others = [Self.use(540, 600), Self.use(610, 660), Self.use(700, 720)]
        let found = Self.conflicts(d, Self.use(590, 605), others)
        #expect(found == [SharingConflict(cause: .overlap, holders: [0]),
                          SharingConflict(cause: .turnover(minutes: 15), holders: [1])])
        #expect(Self.conflicts(d, Self.use(675, 685), others).isEmpty, "15 minutes after 660 and before 700")
        #expect(d.allowsBoth(Self.use(600, 610), Self.use(625, 630), travel: Self.travel))
        #expect(!d.allowsBoth(Self.use(625, 630), Self.use(600, 611), travel: Self.travel), "either order")
    }

    @Test("shared: two uses that never meet do not add up; the holders are those present when it would be full")
    func capacity() {
        let d = Self.declaration(.capacity(30))
        // 12:20-12:50 with 15 and 13:25-14:10 with 12: never at the same minute.
        let others = [Self.use(740, 770, load: 15), Self.use(805, 850, load: 12)]
        let found = Self.conflicts(d, Self.use(765, 810, load: 16), others)
        #expect(found == [SharingConflict(cause: .capacity(load: 15, capacity: 30), holders: [0])])
        #expect(Self.conflicts(d, Self.use(765, 810, load: 15), others).isEmpty, "15 + 15 fits exactly")
        let both = Self.conflicts(d, Self.use(765, 810, load: 19), others)
        #expect(both == [SharingConflict(cause: .capacity(load: 15, capacity: 30), holders: [0, 1])])
    }

    @Test("consumable: the stock counts every use of the day, whenever it happens")
    func consumable() {
        let d = Self.declaration(.consumable(stock: 10))
        let others = [Self.use(540, 550, load: 4), Self.use(900, 910, load: 5)]
        #expect(Self.conflicts(d, Self.use(700, 710, load: 1), others).isEmpty)
        #expect(Self.conflicts(d, Self.use(700, 710, load: 2), others)
            == [SharingConflict(cause: .stock(used: 9, adding: 2, stock: 10), holders: [0, 1])])
    }

    @Test("mobile: time to travel between uses, in either order; a pair without a travel time cannot share")
    func mobile() {
        let d = Self.declaration(.mobile)
        let airport = Self.use(540, 600, from: "HQ", to: "PVG")
        // Back from PVG at 10:40 is 40 minutes after 10:00: 50 are needed.
        #expect(Self.conflicts(d, Self.use(640, 700, from: "PVG", to: "HQ"), [airport]).isEmpty, "from where it is: no travel")
        #expect(Self.conflicts(d, Self.use(640, 700, from: "HQ", to: "PVG"), [airport])
            == [SharingConflict(cause: .travel(minutes: 50, from: "PVG", to: "HQ", otherFirst: true), holders: [0])])
        #expect(Self.conflicts(d, Self.use(650, 700, from: "HQ", to: "PVG"), [airport]).isEmpty)
        #expect(Self.conflicts(d, Self.use(470, 500, from: "HQ", to: "PVG"), [airport])
            == [SharingConflict(cause: .travel(minutes: 50, from: "PVG", to: "HQ", otherFirst: false), holders: [0])])
        #expect(Self.conflicts(d, Self.use(580, 590, from: "HQ", to: "HQ"), [airport]) == [SharingConflict(cause: .overlap, holders: [0])])
        #expect(Self.conflicts(d, Self.use(900, 950, from: "SHA", to: "HQ"), [airport])
            == [SharingConflict(cause: .travel(minutes: nil, from: "PVG", to: "SHA", otherFirst: true), holders: [0])])
    }

    @Test("a minute budget counts every use's minutes, and only uses that spend some are held to it")
    func budget() {
        let d = Self.declaration(.mobile, budget: 100)
        let others = [Self.use(540, 600, from: "HQ", to: "HQ", minutes: 60)]
        let found = Self.conflicts(d, Self.use(700, 750, from: "HQ", to: "HQ", minutes: 50), others)
        #expect(found == [SharingConflict(cause: .budget(used: 60, adding: 50, budget: 100), holders: [])])
        #expect(Self.conflicts(d, Self.use(700, 740, from: "HQ", to: "HQ", minutes: 40), others).isEmpty)
        #expect(Self.conflicts(d, Self.use(700, 900, from: "HQ", to: "HQ", minutes: 0), others).isEmpty)
    }
}
