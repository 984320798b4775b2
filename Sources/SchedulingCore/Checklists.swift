/// What the people who act at each step of the reception flow must see to, by
/// tier (the regulation's etiquette: greeting at the arrival point ahead of
/// time, materials at sign-in, the host's welcome and introductions by rank,
/// minutes in negotiations, a gift at send-off, dress and language). Run sheets
/// print a segment's items under its step.
///
/// `policy.checklists` gives, per step (`"pickup"`, `"sign-in"`, ... as
/// ``FlowStage`` names them), items for every tier (`"all"`) and for one tier
/// (`"high"`, `"medium"`, `"low"`). A step it gives replaces that step's
/// defaults (``regulation``); `{"all": []}` clears them; the steps it does not
/// give keep theirs.
public struct Checklists: Sendable, Hashable {
    /// Items by step, then by `"all"` or a tier name.
    public var steps: [FlowStage: [String: [String]]]

    public init(steps: [FlowStage: [String: [String]]]) { self.steps = steps }

    /// The items of `stage` for a visit of `tier`: every tier's, then its own.
    public func items(for stage: FlowStage, tier: TierName) -> [String] {
        guard let step = steps[stage] else { return [] }
        return (step["all"] ?? []) + (step[tier.rawValue] ?? [])
    }

    /// The defaults, drawn from the reception regulation.
    public static let regulation = Checklists(steps: [
        .pickup: ["all": ["be at the arrival point before the guests, with a name board",
                          "confirm the flight or train and the car the evening before"],
                  "high": ["an executive greets the delegation on arrival"]],
        .signIn: ["all": ["badges, the agenda and visit materials ready at the sign-in desk"]],
        .opening: ["all": ["business dress; greet in the guests' language where one is set",
                           "the host welcomes the guests and introduces the company's people by rank"]],
        .businessExchange: ["all": ["presentation, samples and an interpreter (if needed) in place before the guests arrive"]],
        .tour: ["all": ["safety briefing and protective equipment before entering work areas"]],
        .negotiation: ["all": ["a minute-taker records the negotiation; the minutes go to the host the same day"]],
        .meal: ["all": ["seating by rank; dietary needs confirmed with the kitchen"]],
        .sendOff: ["all": ["the host or an escort sees the guests off; the gift is handed over"],
                   "high": ["the host accompanies the delegation to the car"]],
    ])

    /// Reads `policy.checklists` over the defaults; errors name their place.
    static func decode(_ reader: inout ObjectReader, _ d: inout Diagnostics) -> Checklists {
        var out = Checklists.regulation
        guard let given = reader.object("checklists", &d) else { return out }
        let names = FlowStage.allCases.map(\.description)
        for key in given.object.keys {
            guard let stage = FlowStage.allCases.first(where: { $0.description == key }) else {
                d.error(given.path + key, "\"\(key)\" is not a step of the reception flow (\(names.joined(separator: ", ")))")
                continue
            }
            guard var step = ObjectReader(given.object[key] ?? .null, at: given.path + key, diagnostics: &d) else { continue }
            var items: [String: [String]] = [:]
            for group in ["all"] + TierName.allCases.map(\.rawValue) {
                if let list = step.strings(group, &d) { items[group] = list }
            }
            step.warnAboutUnknownKeys(&d)
            out.steps[stage] = items
        }
        return out
    }
}
