/// Pins (PROBLEM.md §10): a need fixed in the day file to the value the plan
/// would write. A pinned need is met by exactly that value or is unmet.
///
/// Where a pin is written:
/// - a segment need: `"pin"` in its object (`"venue": {"pin": "R301"}`);
/// - a visit-level need `K`: the visit's `KPin` (`"escortsPin": ["S-004"]`), or
///   `"pin"` in the visit's own `K` object when `K` is a visit field (`"lodging":
///   {"nights": [1], "pin": {"hotel": "H-1", "rooms": 2}}`). The host keeps its
///   own pin, `"host"` (§8), which the staff kind applies.
///
/// The core reads pins and narrows each pinned need for every optimizer alike;
/// kinds need no code for it, except that a kind whose plan values are built from
/// several candidates (``PlanShape/custom(_:)``) says how a value splits into its
/// candidates' values (``NeedDeclaration/valueParts``).
public enum Pins {
    /// The key that pins a segment need or a visit field's need.
    public static let key = "pin"

    /// The visit key that pins the visit-level need `key` (`escortsPin`).
    public static func visitKey(for key: String) -> String { key + "Pin" }

    /// The pin of `need` in `day`, if the day file writes one.
    public static func pin(of need: NeedID, in day: Day) -> JSONValue? {
        guard day.visits.indices.contains(need.visit) else { return nil }
        let visit = day.visits[need.visit]
        if let s = need.segment {
            guard visit.segments.indices.contains(s), case .object(let o)? = visit.segments[s].needs[need.key] else { return nil }
            return o[key]
        }
        if let value = visit.fields[visitKey(for: need.key)] { return value }
        if case .object(let o)? = visit.fields[need.key] { return o[key] }
        return nil
    }

    /// The candidate values a pin (or any plan value of `need`) asks for: its members
    /// for a list-valued need, else the value itself; each member split into its
    /// candidates' values when the need says how (``NeedDeclaration/valueParts``).
    static func elements(of pin: JSONValue, in need: NeedDeclaration) -> [JSONValue] {
        if case .single = need.shape { return [pin] }
        let members: [JSONValue]
        if case .array(let items) = pin { members = items } else { members = [pin] }
        guard let parts = need.valueParts else { return members }
        return members.flatMap(parts)
    }
}

extension JSONValue {
    /// Equal as plan values: objects whatever the order of their members, arrays
    /// element by element.
    public func isSameValue(as other: JSONValue) -> Bool {
        switch (self, other) {
        case (.object(let a), .object(let b)):
            guard a.members.count == b.members.count else { return false }
            return a.members.allSatisfy { m in b[m.key].map { m.value.isSameValue(as: $0) } ?? false }
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.isSameValue(as: $1) }
        default:
            return self == other
        }
    }
}

extension NeedDeclaration {
    /// The candidates whose values make up `value` (a plan value of this need: its
    /// elements, split by ``valueParts``), each candidate once, in index order; or the
    /// first element that no candidate left matches.
    public func candidates(making value: JSONValue) -> (found: [Int], missing: JSONValue?) {
        let all = candidates
        var found: [Int] = []
        for element in Pins.elements(of: value, in: self) {
            guard let i = all.indices.first(where: { !found.contains($0) && all[$0].value.isSameValue(as: element) }) else {
                return (found.sorted(), element)
            }
            found.append(i)
        }
        return (found.sorted(), nil)
    }

    /// This need pinned to `pin`: its candidates are exactly those whose values the
    /// pin lists (each once), all of them to be chosen, or none when the pin cannot
    /// be met (then ``ineligibility`` says why). Side rules keep their terms on the
    /// kept candidates.
    public func pinned(to pin: JSONValue) -> NeedDeclaration {
        var out = self
        let shown = pin.excerpt
        out.requirement = requirement + " (pinned to \(shown))"
        func unmeetable(_ why: String) -> NeedDeclaration {
            out.withoutCandidates(because: "it is pinned to \(shown), which \(why); release the pin or pin a value that meets the need")
        }
        if case .single = shape, case .array = pin { return unmeetable("is a list where the need takes one value") }
        let all = candidates
        let match = candidates(making: pin)
        if let missing = match.missing {
            return unmeetable("\(missing.excerpt) is not an eligible choice for (\(requirement))")
        }
        let kept = match.found
        switch rule {
        case .exactly(let n) where n != kept.count:
            return unmeetable("names \(kept.count) where the need takes \(n)")
        case .cover(let demand):
            let weight = kept.reduce(0.0) { $0 + all[$1].weight }
            if weight < demand - 1e-9 { return unmeetable("covers \(weight.formatted) of the \(demand.formatted) it must") }
        default: break
        }
        if let tag = requiredTag, !kept.contains(where: { all[$0].tags.contains(tag.tag) }) {
            return unmeetable("has none of those who \(tag.phrase)")
        }
        let requirement = out.requirement
        out = restricted(to: kept, from: all)
        out.requirement = requirement
        out.rule = .exactly(kept.count)
        if !out.constraints.allSatisfy({ $0.holds(for: Array(kept.indices)) }) {
            return unmeetable("breaks the need's own rules (a driver licensed for each car)")
        }
        return out
    }

    /// This need with no way to be met (no candidates, no side rules), `why` its reason.
    public func withoutCandidates(because why: String) -> NeedDeclaration {
        var none = self
        none.candidates = []
        none.constraints = []
        none.ineligibility = why
        return none
    }

    /// This need with only the candidates at `kept` (indices into ``candidates``, in
    /// increasing order), renumbered from 0: side rules keep their terms on the kept
    /// candidates (a dropped candidate is one never chosen), and a plugin's own
    /// rendering still reads indices of its full list.
    public func restricted(to kept: [Int]) -> NeedDeclaration {
        restricted(to: kept, from: candidates)
    }

    private func restricted(to kept: [Int], from all: [Candidate]) -> NeedDeclaration {
        var out = self
        let position = Dictionary(uniqueKeysWithValues: kept.enumerated().map { ($0.element, $0.offset) })
        out.candidates = kept.map { all[$0] }
        // A plugin's rendering reads candidate indices of its own list: give it those.
        if case .custom(let render) = shape {
            let original = kept
            out.shape = .custom { chosen in render(chosen.map { original[$0] }) }
        }
        out.constraints = constraints.map { c in
            var c = c
            c.terms = c.terms.compactMap { t in position[t.candidate].map { NeedConstraint.Term(candidate: $0, coefficient: t.coefficient) } }
            return c
        }
        return out
    }
}

extension Double {
    /// `3` for whole numbers, else as written.
    fileprivate var formatted: String { self == rounded() && abs(self) < 1e15 ? String(Int(self)) : String(self) }
}
