import SchedulingCore

/// Replanning (PROBLEM.md §10) in the model: for each need whose earlier value
/// was met, a binary change column costing `weights.change`, forced to 1 unless
/// the need takes exactly its earlier candidates. A need that cannot keep its
/// earlier value (no longer eligible, or never meetable now) changes whatever is
/// chosen: the objective's constant carries it.
enum ChangeRows {
    /// A need's columns as the change rows see them: each with the candidates it
    /// stands for and its upper bound (units).
    struct Column {
        var column: Int
        var candidates: [Int]
        var units: Double
    }

    /// Adds need `j`'s change column and rows; returns the column, `nil` when the need
    /// has none (no earlier value, or a constant change).
    static func add(_ problem: Problem, need j: Int, columns: [Column], name: String, _ m: inout LinearModel) -> Int? {
        guard let replanning = problem.replanning, let before = replanning.earlier[j], before != .null else { return nil }
        let need = problem.needs[j]
        guard let kept = replanning.earlierCandidates[j] else {
            // Its earlier value is no longer a choice: whatever is chosen differs from it.
            m.objectiveConstant += replanning.weight
            return nil
        }
        guard !columns.isEmpty else {
            // A trivial need is met by nothing, as before; one that cannot be met now changed.
            if !need.isTrivial { m.objectiveConstant += replanning.weight }
            return nil
        }
        let earlier = Set(kept)
        let same = columns.filter { !$0.candidates.isEmpty && $0.candidates.allSatisfy(earlier.contains) }
        let other = columns.filter { !$0.candidates.allSatisfy(earlier.contains) }
        let size = Double(kept.count)
        if case .exactly(let n) = need.rule, n != kept.count {
            m.objectiveConstant += replanning.weight
            return nil
        }
        let c = m.addColumn("change_\(name)", kind: .binary, objective: replanning.weight)
        // Missing any earlier candidate (or unmet: none chosen) is a change.
        m.addRow("kept_\(name)", [(c, size)] + same.map { ($0.column, 1.0) }, lower: size)
        if case .cover = need.rule, !other.isEmpty {
            // Any other candidate chosen is a change too (a cover may add cars).
            let most = other.reduce(0.0) { $0 + $1.units }
            m.addRow("added_\(name)", [(c, most)] + other.map { ($0.column, -1.0) }, lower: 0)
        }
        return c
    }
}
