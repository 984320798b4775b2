/// One way a plugin falls short of the contract every resource plugin must keep.
/// The kit returns these instead of asserting, so that any test framework (or a
/// plain program) can report them; a conforming plugin yields none.
public struct ConformanceFailure: Sendable, Hashable, CustomStringConvertible {
    /// The part of the contract that was checked.
    public enum Check: String, Sendable, Hashable, CaseIterable {
        /// The descriptor is well formed and registers beside the companions.
        case descriptor
        /// The fixture day loads cleanly and exercises the plugin.
        case fixture
        /// Each bad input is refused with an error at its JSON path.
        case decoding
        /// Needs, candidates, resources and categories are declared consistently.
        case declarations
        /// Every candidate, chosen on its own, passes the plugin's checker, which
        /// recomputes the declared cost, category and overGrade.
        case candidates
        /// The declared resources and the checker agree on every two candidates of
        /// different needs that share a resource.
        case conflicts
        /// The optimizer's plan for the fixture day passes the full plan checker.
        case solvedPlan
        /// Segment needs pinned to a value of their plan (PROBLEM.md §10) load without
        /// warnings and are met by exactly that value.
        case pins
    }

    /// The plugin's name.
    public var plugin: String
    public var check: Check
    /// What is wrong and, where it helps, what to change.
    public var message: String

    public init(plugin: String, check: Check, message: String) {
        self.plugin = plugin
        self.check = check
        self.message = message
    }

    public var description: String { "[\(plugin) \(check.rawValue)] \(message)" }
}
