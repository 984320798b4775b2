import SchedulingCore

/// A souvenir from `resources.gifts`: one piece per guest, taken from a stock
/// that lasts the whole day.
public struct GiftItem: Sendable, Hashable {
    /// Unique among the gifts of the day.
    public var id: String
    /// What people call it (optional, for run sheets).
    public var name: String?
    /// Its standard, an integer 1...5, compared with the tier's `minGiftGrade`.
    public var grade: Int
    /// What one piece costs (category `gift`); 0 when not given.
    public var valuePerGuest: Double
    /// Pieces available for the whole day, whatever the time they are handed out.
    public var stock: Int

    public init(id: String, name: String? = nil, grade: Int, valuePerGuest: Double, stock: Int) {
        self.id = id
        self.name = name
        self.grade = grade
        self.valuePerGuest = valuePerGuest
        self.stock = stock
    }
}

/// The gifts part of a day, decoded and validated. `contribute` and the
/// checker part both read the day through it, so they agree on the input
/// while deciding eligibility, stock and cost separately.
struct GiftSection {
    /// The tier field this plugin owns, and its default.
    static let gradeField = "minGiftGrade"
    static let defaultMinGrade = 1

    var items: [GiftItem] = []
    /// For each visit (by index), the indices of its segments with `needs.gift`.
    var needs: [Set<Int>] = []
    /// `minGiftGrade` by tier; 1 when the tier does not give it.
    var minGrade: [TierName: Int] = [:]

    init(_ day: Day, _ d: inout Diagnostics) {
        var seen = Set<String>()
        for (item, path) in PluginInput.resourceItems(day, key: "gifts", &d) {
            guard var r = ObjectReader(item, at: path, diagnostics: &d) else { continue }
            let id = r.identifier("id", &d)
            let name = r.string("name", &d)
            let grade = r.integer("grade", required: true, in: 1...5, &d)
            let value = r.number("valuePerGuest", &d) ?? 0
            let stock = r.integer("stock", required: true, in: 0...Int(Int32.max), &d)
            r.warnAboutUnknownKeys(&d)
            guard let id, PluginInput.claim(id, in: &seen, at: path + "id", kind: "gift", &d),
                  let grade, let stock else { continue }
            items.append(GiftItem(id: id, name: name, grade: grade, valuePerGuest: value, stock: stock))
        }
        for tier in TierName.allCases {
            let policy = day.policy.tier(tier)
            var r = ObjectReader(object: policy.fields, at: policy.path)
            minGrade[tier] = r.integer(GiftSection.gradeField, in: 1...5, &d) ?? GiftSection.defaultMinGrade
        }
        for visit in day.visits {
            var segments = Set<Int>()
            for segment in visit.segments {
                // `needs.gift` is an object with no members of its own today.
                guard let r = PluginInput.need(segment, key: "gift", &d) else { continue }
                r.warnAboutUnknownKeys(&d)
                segments.insert(segment.index)
            }
            needs.append(segments)
        }
    }
}
