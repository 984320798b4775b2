/// Replanning a day from the plan being carried out (PROBLEM.md §10): what the
/// earlier plan gave each need, which needs are under way at `now`, and which
/// of those can no longer keep their value.
///
/// A need is *under way* when its segment started before `now` (host, escorts
/// and lodging: when its visit did). An under-way need keeps its earlier value
/// when that is still valid in the day as it now stands (the core pins it); when
/// it is not, it is *broken* and planned again like any other need. Every other
/// need may change, at `weights.change` a need: the objective adds it for each
/// need whose value differs from the earlier plan (a new need, or one unmet
/// before and met now, is not a change).
public struct Replanning: Sendable {
    /// Why a need's value changed, as the plan's `changes` list says.
    public enum Reason: String, Sendable, Hashable {
        /// Under way, and its earlier value is no longer valid.
        case broken
        /// Not under way, and its earlier value is no longer valid (a car withdrawn, a
        /// room closed, a segment moved): it had to change.
        case freed
        /// Its earlier value was still valid; another one makes the plan better by
        /// more than `weights.change`.
        case cheaper
    }

    /// The moment of the replan, in programme minutes.
    public var now: Minute
    /// `weights.change`, added to the objective for each changed need.
    public var weight: Double
    /// Each need's value in the earlier plan; `nil` for a need it does not have.
    public var earlier: [JSONValue?]
    /// The candidates that make up each need's earlier value, when it was met and
    /// every part of it is still eligible; `nil` otherwise.
    public var earlierCandidates: [[Int]?]
    /// Whether each need is under way at ``now``; one that still has its earlier
    /// value is pinned to it, so an under-way need that changes is broken.
    public var underWay: [Bool]

    /// Whether a need with `chosen` (`nil`: unmet) changed from the earlier plan.
    public func changed(_ j: Int, chosen: [Int]?) -> Bool {
        guard let before = earlier[j], before != .null else { return false }
        guard let chosen, let kept = earlierCandidates[j] else { return true }
        return Set(chosen) != Set(kept)
    }

    /// Why need `j` changed (when ``changed(_:chosen:)`` says it did).
    public func reason(_ j: Int) -> Reason {
        if underWay[j] { return .broken }
        return earlierCandidates[j] == nil ? .freed : .cheaper
    }

    /// The candidate indices of `need` whose values make up `value`, each once;
    /// `nil` when some part of it is no candidate (or the value is `null`).
    static func candidates(of value: JSONValue, in need: NeedDeclaration) -> [Int]? {
        guard value != .null else { return nil }
        let match = need.candidates(making: value)
        return match.missing == nil ? match.found : nil
    }
}

/// An input the replan cannot use: the earlier plan or the moment.
public struct ReplanError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension Problem {
    /// This day replanned from `previous` (the parsed `plan.json` being carried out)
    /// at `now`: under-way needs whose earlier value is still valid keep it (pinned);
    /// under-way needs that were unmet stay unmet; the others are free, at
    /// `weights.change` a change. Optimizers and ``PlanAssembler`` read
    /// ``replanning``.
    ///
    /// - Throws: ``ReplanError`` when `previous` is not a plan object or names none
    ///   of the day's visits.
    public func replanned(from previous: JSONValue, now: Minute) throws(ReplanError) -> Problem {
        guard case .object(let document) = previous else {
            throw ReplanError("the previous plan is \(previous.typeName), expected the plan object `schedule optimize` wrote")
        }
        let view = PlanView(document: document)
        guard day.visits.isEmpty || day.visits.contains(where: { view.visits[$0.id] != nil }) else {
            throw ReplanError("the previous plan names none of the day's visits; give the plan that is being carried out for this day")
        }
        var out = self
        var earlier: [JSONValue?] = []
        var kept: [[Int]?] = []
        var underWay: [Bool] = []
        for (j, need) in needs.enumerated() {
            let visit = day.visits[need.id.visit]
            let value = view.value(of: need.id, in: day)
            let start = need.id.segment.map { visit.segments[$0].span.start } ?? visit.span.start
            let started = start < now
            if started, let value {
                if value == .null {
                    // Under way without it: it stays unmet.
                    out.needs[j] = need.withoutCandidates(
                        because: "it has been under way since \(Clock.format(start, asStart: true)) and was unmet in the plan being carried out")
                } else {
                    // An earlier value no longer valid leaves the need free: it is broken.
                    let pinned = need.pinned(to: value)
                    if !pinned.candidates.isEmpty {
                        var frozen = pinned
                        frozen.requirement = need.requirement + " (under way since \(Clock.format(start, asStart: true)): kept)"
                        out.needs[j] = frozen
                    }
                }
            }
            earlier.append(value)
            kept.append(value.flatMap { Replanning.candidates(of: $0, in: out.needs[j]) })
            underWay.append(started)
        }
        out.replanning = Replanning(now: now, weight: day.policy.weights.change, earlier: earlier,
                                    earlierCandidates: kept, underWay: underWay)
        return out
    }
}
