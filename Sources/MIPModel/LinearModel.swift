import SchedulingCore

/// A mixed-integer linear program, independent of any solver: minimise
/// `objectiveConstant + Σ c[j]·x[j]` subject to row and column bounds.
public struct LinearModel: Sendable {
    /// What values a column may take besides its bounds.
    public enum ColumnKind: Sendable, Hashable { case binary, integer, continuous }

    /// A variable: its name, kind, bounds (`upper == nil`: unbounded) and objective coefficient.
    public struct Column: Sendable, Hashable {
        public var name: String
        public var kind: ColumnKind
        public var lower: Double
        public var upper: Double?
        public var objective: Double
    }

    /// A constraint `lower <= Σ entries <= upper`; a `nil` bound is absent.
    public struct Row: Sendable, Hashable {
        public var name: String
        public var lower: Double?
        public var upper: Double?
    }

    /// One non-zero coefficient of the constraint matrix.
    public struct Entry: Sendable, Hashable {
        public var row: Int
        public var column: Int
        public var value: Double
    }

    /// The columns, in the order they were added (a column's index is its number).
    public private(set) var columns: [Column] = []
    /// The rows, in the order they were added.
    public private(set) var rows: [Row] = []
    /// The matrix's non-zeros, row by row in the order they were added.
    public private(set) var entries: [Entry] = []
    /// The objective's constant term (needs that can never be met cost it).
    public var objectiveConstant: Double = 0

    /// An empty model.
    public init() {}

    /// Adds a column and returns its index; a binary column's upper bound is 1.
    public mutating func addColumn(_ name: String, kind: ColumnKind, lower: Double = 0, upper: Double? = nil, objective: Double) -> Int {
        columns.append(Column(name: name, kind: kind, lower: lower, upper: kind == .binary ? 1 : upper, objective: objective))
        return columns.count - 1
    }

    /// Adds `lower <= Σ terms <= upper`, merging repeated columns.
    @discardableResult
    public mutating func addRow(_ name: String, _ terms: [(column: Int, value: Double)], lower: Double? = nil, upper: Double? = nil) -> Int {
        let row = rows.count
        rows.append(Row(name: name, lower: lower, upper: upper))
        var merged: [Int: Double] = [:]
        var order: [Int] = []
        for term in terms {
            if merged[term.column] == nil { order.append(term.column) }
            merged[term.column, default: 0] += term.value
        }
        for column in order {
            if let value = merged[column], value != 0 { entries.append(Entry(row: row, column: column, value: value)) }
        }
        return row
    }

    /// The model's size, for summaries and benchmarks.
    public var statistics: ModelStatistics {
        ModelStatistics(rows: rows.count, columns: columns.count, nonzeros: entries.count,
                        binaries: columns.filter { $0.kind == .binary }.count)
    }

    /// Whether a column assignment meets every bound and row (tolerance 1e-6).
    public func isFeasible(_ values: [Double], tolerance: Double = 1e-6) -> Bool {
        guard values.count == columns.count else { return false }
        for (c, v) in zip(columns, values) {
            if v < c.lower - tolerance { return false }
            if let upper = c.upper, v > upper + tolerance { return false }
        }
        var activity = [Double](repeating: 0, count: rows.count)
        for e in entries { activity[e.row] += e.value * values[e.column] }
        for (r, a) in zip(rows, activity) {
            if let lower = r.lower, a < lower - tolerance { return false }
            if let upper = r.upper, a > upper + tolerance { return false }
        }
        return true
    }

    /// The objective of a full column assignment.
    public func objective(of values: [Double]) -> Double {
        zip(columns, values).reduce(objectiveConstant) { $0 + $1.0.objective * $1.1 }
    }
}

extension LinearModel {
    /// The model with some columns fixed: the others keep their order, fixed
    /// columns' contributions move into the row bounds and the objective's
    /// constant, and rows left without a free column are dropped. Returns the
    /// sub-model and, for each of its columns, the column of `self` it stands for.
    public func fixing(_ fixed: [Int: Double]) -> (model: LinearModel, columns: [Int]) {
        var sub = LinearModel()
        var newIndex = [Int](repeating: -1, count: columns.count)
        var kept: [Int] = []
        sub.objectiveConstant = objectiveConstant
        for (j, column) in columns.enumerated() {
            if let value = fixed[j] {
                sub.objectiveConstant += column.objective * value
            } else {
                newIndex[j] = sub.columns.count
                sub.columns.append(column)
                kept.append(j)
            }
        }
        var shift = [Double](repeating: 0, count: rows.count)
        var rowTerms = [[Entry]](repeating: [], count: rows.count)
        for e in entries {
            if let value = fixed[e.column] { shift[e.row] += e.value * value } else { rowTerms[e.row].append(e) }
        }
        for (r, row) in rows.enumerated() where !rowTerms[r].isEmpty {
            let index = sub.rows.count
            sub.rows.append(Row(name: row.name, lower: row.lower.map { $0 - shift[r] }, upper: row.upper.map { $0 - shift[r] }))
            for e in rowTerms[r] { sub.entries.append(Entry(row: index, column: newIndex[e.column], value: e.value)) }
        }
        return (sub, kept)
    }
}
