import SchedulingCore

/// Reads a need's value in `plan.json` back into the candidates its plugin
/// declared, whatever the need's ``PlanShape``:
///
/// - `single` and `list` values are compared with the candidates' own values
///   (object members in any order);
/// - a `custom` value (a plugin that writes its choices itself, e.g. vehicles
///   paired with drivers) is read by its ids: every string in it must be the
///   value of a candidate, preferring the candidate whose resource kind is the
///   member's key (`"vehicle": "CAR-01"` is the vehicle CAR-01, not a driver
///   that happens to share the id).
///
/// A match that does not satisfy the need's selection rule and its
/// ``NeedConstraint``s is ``NeedOutcome/insufficient(_:)``.
enum PlanValues {
    static func match(_ value: JSONValue?, _ need: NeedDeclaration) -> NeedOutcome {
        guard let value else { return .absent }
        if value == .null { return need.isTrivial ? .met([]) : .unmet }
        var matched: [Int] = []
        var unknown: [String] = []
        switch need.shape {
        case .single, .list:
            let items: [JSONValue]
            if case .list = need.shape {
                guard case .array(let list) = value else { return .unrecognized(values: [value.excerpt], matched: []) }
                items = list
            } else {
                items = [value]
            }
            for item in items {
                if let i = need.candidates.indices.first(where: { sameJSON(need.candidates[$0].value, item) && !matched.contains($0) }) {
                    matched.append(i)
                } else {
                    unknown.append(item.excerpt)
                }
            }
        case .custom:
            let candidateLeaves = need.candidates.map { leaves($0.value) }
            for leaf in leaves(value) {
                let holders = need.candidates.indices.filter { i in
                    candidateLeaves[i].contains { $0.text == leaf.text && ($0.key == nil || $0.key == leaf.key) }
                }
                let preferred = holders.filter { i in need.candidates[i].assigned.contains { $0.kind == leaf.key } }
                if let i = (preferred.isEmpty ? holders : preferred).first(where: { !matched.contains($0) }) ?? (preferred + holders).first {
                    if !matched.contains(i) { matched.append(i) }
                } else {
                    unknown.append(leaf.key.map { "\"\($0)\": \"\(leaf.text)\"" } ?? "\"\(leaf.text)\"")
                }
            }
        }
        if !unknown.isEmpty { return .unrecognized(values: unknown, matched: matched) }
        return satisfies(matched, need) ? .met(matched) : .insufficient(matched)
    }

    /// Whether chosen candidates meet a need's rule and constraints.
    static func satisfies(_ chosen: [Int], _ need: NeedDeclaration) -> Bool {
        let rule: Bool
        switch need.rule {
        case .exactly(let n): rule = Set(chosen).count == n
        case .cover(let demand): rule = chosen.reduce(0) { $0 + need.candidates[$1].weight } >= demand - 1e-9
        }
        return rule && need.constraints.allSatisfy { $0.holds(for: chosen) }
    }

    /// The strings and numbers of a value, each with the key of the object member holding it.
    static func leaves(_ value: JSONValue, key: String? = nil) -> [(key: String?, text: String)] {
        switch value {
        case .string(let s): return [(key, s)]
        case .number(let n): return [(key, JSONWriter.format(n))]
        case .array(let items): return items.flatMap { leaves($0, key: key) }
        case .object(let o): return o.members.flatMap { leaves($0.value, key: $0.key) }
        case .null, .bool: return []
        }
    }

    /// JSON equality with object members compared as sets (a plan written by
    /// another tool may order `vehicle` and `driver` differently).
    static func sameJSON(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.object(let x), .object(let y)):
            guard x.members.count == y.members.count else { return false }
            return x.members.allSatisfy { m in y[m.key].map { sameJSON(m.value, $0) } ?? false }
        case (.array(let x), .array(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { sameJSON($0, $1) }
        default:
            return a == b
        }
    }
}

extension DayPlan {
    /// The resource a plan names by id inside need `j`'s value: among the
    /// resources its candidates assign, the one of kind `key` when there are several.
    func resource(named id: String, key: String?, inNeed j: Int) -> ResourceKey? {
        let keys = problem.needs[j].candidates.flatMap(\.assigned).filter { $0.id == id }
        return keys.first { $0.kind == key } ?? keys.first
    }

    /// A plan value as people read it, with names: `CAR-01 + DRV-01 Zhang Min, MPV-01 + DRV-02 Wang Lei`;
    /// an object's members that name resources are joined with ` + `, and its
    /// other members follow as quantities: `H-BUND Bund Riverside Hotel, 3 rooms`.
    /// An object whose members are lists (service roles) reads member by member:
    /// `minute-taker: S-12 Anna Li; sign-in-desk: S-3, S-4`.
    func display(_ value: JSONValue, inNeed j: Int) -> String {
        switch value {
        case .string(let id):
            return resource(named: id, key: nil, inNeed: j).map { catalog[$0].label } ?? id
        case .number(let n):
            return JSONWriter.format(n)
        case .bool(let b):
            return b ? "yes" : "no"
        case .null:
            return "-"
        case .array(let items):
            return items.map { display($0, inNeed: j) }.joined(separator: ", ")
        case .object(let o) where !o.members.isEmpty && o.members.allSatisfy({ if case .array = $0.value { return true } else { return false } }):
            return o.members.map { "\($0.key): \(display($0.value, inNeed: j))" }.joined(separator: "; ")
        case .object(let o):
            var named: [String] = []
            var quantities: [String] = []
            for member in o.members {
                if case .string(let id) = member.value, let key = resource(named: id, key: member.key, inNeed: j) {
                    named.append(catalog[key].label)
                } else if case .number(let n) = member.value, !named.isEmpty {
                    // `3 rooms`, `1 room`: a count after the resource it counts.
                    let unit = n == 1 && member.key.hasSuffix("s") ? String(member.key.dropLast()) : member.key
                    quantities.append("\(JSONWriter.format(n)) \(unit)")
                } else {
                    named.append(display(member.value, inNeed: j))
                }
            }
            return ([named.joined(separator: " + ")] + quantities).joined(separator: ", ")
        }
    }

    /// The other resources that serve with `use` in its need: the rest of its
    /// candidate (a pair), or the rest of the plan value's entry holding it
    /// (the driver written beside a vehicle).
    public func partners(of use: ResourceUse) -> [ResourceKey] {
        let need = problem.needs[use.need]
        var out = need.candidates[use.candidate].assigned.filter { $0 != use.resource }
        if case .array(let items)? = values[use.need] {
            for item in items {
                let ids = PlanValues.leaves(item)
                guard ids.contains(where: { $0.text == use.resource.id }) else { continue }
                for leaf in ids where leaf.text != use.resource.id {
                    if let key = resource(named: leaf.text, key: leaf.key, inNeed: use.need), !out.contains(key) { out.append(key) }
                }
            }
        }
        return out
    }
}
