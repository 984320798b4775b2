import SchedulingCore

/// The steps of the reception regulation's flow, in its order. A run sheet
/// labels each segment with its step so that planners recognise the flow.
public enum FlowStage: Int, Sendable, CaseIterable, Comparable, CustomStringConvertible {
    case pickup, signIn, opening, businessExchange, tour, negotiation, meal, transfer, sendOff, other

    /// The step as planners name it: `business exchange`, `send-off`.
    public var description: String {
        switch self {
        case .pickup: return "pickup"
        case .signIn: return "sign-in"
        case .opening: return "opening"
        case .businessExchange: return "business exchange"
        case .tour: return "tour"
        case .negotiation: return "negotiation"
        case .meal: return "meal"
        case .transfer: return "transfer"
        case .sendOff: return "send-off"
        case .other: return "other"
        }
    }

    /// The regulation's order.
    public static func < (a: FlowStage, b: FlowStage) -> Bool { a.rawValue < b.rawValue }

    /// The step of each segment of a visit, by segment index.
    ///
    /// A segment that moves the guests (it has `from` and `to`) is the pickup when
    /// nothing else of the visit starts before it and it comes from a place the
    /// visit does not stay at (an airport, a hotel), the send-off when nothing
    /// else starts after it and it goes to such a place, and a transfer
    /// otherwise (to the plant and back), unless its id says which it is.
    /// Other segments are recognised by their id (`lunch` is a meal, `talks` a
    /// business exchange); ids that say nothing known are `other`.
    public static func stages(of visit: Visit) -> [Int: FlowStage] {
        let stays = visit.segments.filter { !moves($0) }
        let stayPlaces = Set(stays.compactMap(\.location))
        var out: [Int: FlowStage] = [:]
        for segment in visit.segments {
            let id = segment.id.lowercased()
            if moves(segment) {
                if id.containsAny("pickup", "pick-up", "arrival", "arrive", "airport-in") {
                    out[segment.index] = .pickup
                } else if id.containsAny("sendoff", "send-off", "departure", "depart", "farewell") {
                    out[segment.index] = .sendOff
                } else if !stays.isEmpty, !stays.contains(where: { $0.span.start < segment.span.start }),
                          !stayPlaces.contains(segment.from ?? "") {
                    out[segment.index] = .pickup
                } else if !stays.isEmpty, !stays.contains(where: { $0.span.start > segment.span.start }),
                          !stayPlaces.contains(segment.to ?? "") {
                    out[segment.index] = .sendOff
                } else {
                    out[segment.index] = .transfer
                }
                continue
            }
            out[segment.index] = classify(id)
        }
        return out
    }

    /// The step an activity's id names (`lunch` is a meal, `contract-signing` a
    /// negotiation); ``other`` when it names none.
    public static func classify(_ id: String) -> FlowStage {
        let id = id.lowercased()
        if id.containsAny("negotiat", "contract", "deal") { return .negotiation }
        if id.containsAny("sign-in", "signin", "check-in", "checkin", "registration", "badge", "security") { return .signIn }
        if id.containsAny("welcome", "opening", "ceremony", "greeting", "intro") { return .opening }
        if id.containsAny("tour", "demo", "showroom", "factory", "plant", "line") { return .tour }
        if id.containsAny("lunch", "dinner", "breakfast", "banquet", "meal", "tea", "coffee", "reception-dinner") { return .meal }
        if id.containsAny("talk", "meeting", "presentation", "exchange", "business", "briefing", "workshop", "review", "audit") {
            return .businessExchange
        }
        return .other
    }

    /// Whether a segment moves the guests between places.
    static func moves(_ segment: Segment) -> Bool { segment.from != nil && segment.to != nil }

    /// The segments of a visit in the order a run sheet lists them: by start
    /// time, then by the flow's order.
    public static func ordered(_ visit: Visit) -> [(segment: Segment, stage: FlowStage)] {
        let stages = stages(of: visit)
        return visit.segments.map { ($0, stages[$0.index] ?? .other) }
            .sorted { ($0.segment.span.start, $0.stage.rawValue, $0.segment.index) < ($1.segment.span.start, $1.stage.rawValue, $1.segment.index) }
    }
}

extension String {
    fileprivate func containsAny(_ words: String...) -> Bool { words.contains { contains($0) } }
}
