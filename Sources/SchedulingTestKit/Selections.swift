import MIPModel
import SchedulingCore

/// Finds the smallest selections of one need that the model's own rows accept,
/// to ask checkers about them.
struct Choice {
    let problem: Problem
    let rows: DeclaredRows
    /// Selections tried per call at most, so that a large need cannot stall the kit.
    var budget = 20_000

    /// The fewest candidates of need `j` that include `first`, share no resource with each other
    /// or with `avoiding`, meet the need's rule and pass every row the model builds for the need
    /// alone (selection, cover, required tag, the plugin's own rules, conflicts within the need).
    /// `nil` when there is none: such a candidate can never be chosen on its own, which is not
    /// wrong in itself (a car whose only drivers drive the larger cars).
    func complete(_ j: Int, including first: Int, avoiding: Set<ResourceKey> = []) -> [Int]? {
        let need = problem.needs[j]
        guard need.candidates.indices.contains(first) else { return nil }
        let firstKeys = Set(need.candidates[first].assigned)
        guard firstKeys.isDisjoint(with: avoiding) else { return nil }
        let others = need.candidates.indices.filter {
            $0 != first && Set(need.candidates[$0].assigned).isDisjoint(with: avoiding.union(firstKeys))
        }
        let sizes: ClosedRange<Int>
        switch need.rule {
        case .exactly(let n): sizes = n...n
        case .cover: sizes = 1...(others.count + 1)
        }
        guard sizes.lowerBound >= 1, sizes.lowerBound <= others.count + 1 else { return nil }
        var tried = 0
        var base = Selection.allUnmet(problem)
        for size in sizes {
            var found: [Int]?
            Choice.combinations(of: others, size: size - 1) { combo in
                tried += 1
                guard tried <= budget else { return false }
                let chosen = ([first] + combo).sorted()
                if case .cover(let demand) = need.rule, chosen.reduce(0.0, { $0 + need.candidates[$1].weight }) < demand { return true }
                var keys = Set<ResourceKey>()
                for k in chosen { for key in need.candidates[k].assigned where !keys.insert(key).inserted { return true } }
                base.chosen[j] = chosen
                guard rows.violated(by: base).isEmpty else { return true }
                found = chosen
                return false
            }
            if let found { return found }
            if tried > budget { return nil }
        }
        return nil
    }

    /// Calls `body` with each `size`-element combination of `items` in lexicographic order
    /// while it returns `true`.
    static func combinations(of items: [Int], size: Int, _ body: ([Int]) -> Bool) {
        guard size >= 0, size <= items.count else { return }
        var index = Array(0..<size)
        while true {
            guard body(index.map { items[$0] }) else { return }
            // The rightmost position that can still move right.
            guard let p = (0..<size).last(where: { index[$0] < items.count - size + $0 }) else { return }
            index[p] += 1
            for q in (p + 1)..<size { index[q] = index[q - 1] + 1 }
        }
    }
}

/// The rows the model builds from the plugins' declarations (``Formulation``, one
/// column per candidate), reduced to those over binary columns only (selection,
/// tags, distinct needs, conflicts, stocks, minute budgets): what the declarations
/// allow, without the cost caps, which are never a reason to refuse a plan.
struct DeclaredRows {
    private struct Row {
        var name: String
        var lower: Double?
        var upper: Double?
        var terms: [(column: Int, value: Double)]
    }

    private let formulation: Formulation
    private let rows: [Row]

    init(_ problem: Problem) {
        let formulation = Formulation(problem)
        let model = formulation.model
        var terms = Array(repeating: [(column: Int, value: Double)](), count: model.rows.count)
        for entry in model.entries { terms[entry.row].append((entry.column, entry.value)) }
        self.formulation = formulation
        self.rows = model.rows.indices.compactMap { r in
            guard terms[r].allSatisfy({ model.columns[$0.column].kind == .binary }) else { return nil }
            return Row(name: model.rows[r].name, lower: model.rows[r].lower, upper: model.rows[r].upper, terms: terms[r])
        }
    }

    /// Whether the model gave need `j` columns: it has enough candidates for its rule and,
    /// when it asks for a tag, one candidate with it.
    func isMeetable(_ j: Int) -> Bool { !formulation.neverMeetable[j] && formulation.unmetColumns[j] != nil }

    /// Names of the rows `selection` breaks; a need chosen that the model can never meet counts as broken.
    func violated(by selection: Selection) -> [String] {
        var values = Array(repeating: 0.0, count: formulation.model.columns.count)
        var broken: [String] = []
        for (j, chosen) in selection.chosen.enumerated() {
            if let u = formulation.unmetColumns[j], chosen == nil { values[u] = 1 }
            for i in chosen ?? [] {
                guard formulation.candidateColumns[j].indices.contains(i) else {
                    broken.append("(need \(j) has no columns: the core can never meet it)")
                    continue
                }
                values[formulation.candidateColumns[j][i]] = 1
            }
        }
        for row in rows {
            let sum = row.terms.reduce(0.0) { $0 + $1.value * values[$1.column] }
            if let lower = row.lower, sum < lower - 1e-9 { broken.append(row.name) }
            if let upper = row.upper, sum > upper + 1e-9 { broken.append(row.name) }
        }
        return broken
    }
}

/// Edits a JSON document at a path.
enum JSONEdit {
    /// `root` with the value at `path` replaced (`nil` removes the object member or array
    /// element); an absent object member is added. `nil` when the path does not lead through the document.
    static func setting(_ root: JSONValue, _ path: ArraySlice<JSONPath.Component>, to value: JSONValue?) -> JSONValue? {
        guard let head = path.first else { return value }
        let rest = path.dropFirst()
        switch (root, head) {
        case (.object(var object), .key(let key)):
            if rest.isEmpty {
                if value == nil && object[key] == nil { return nil }
                object[key] = value
                return .object(object)
            }
            guard let child = object[key], let edited = setting(child, rest, to: value) else { return nil }
            object[key] = edited
            return .object(object)
        case (.array(var items), .index(let i)):
            guard items.indices.contains(i) else { return nil }
            if rest.isEmpty {
                if let value { items[i] = value } else { items.remove(at: i) }
                return .array(items)
            }
            guard let edited = setting(items[i], rest, to: value) else { return nil }
            items[i] = edited
            return .array(items)
        default:
            return nil
        }
    }
}
