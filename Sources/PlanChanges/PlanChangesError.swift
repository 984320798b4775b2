import PlanReports

/// Why two plans cannot be compared, or a plan cannot be turned into calendars,
/// with a message that names the place and the fix.
public struct PlanChangesError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, for callers that react differently (a CLI exit code, a test).
    public enum Kind: String, Sendable, Equatable {
        /// The plan file is not JSON.
        case planSyntax
        /// The plan is JSON but not shaped like `plan.json` (PROBLEM.md §6), or of the other schema version.
        case planShape
        /// The plan names none of the day's visits: it belongs to another day.
        case planForAnotherDay
        /// The day has no `date` (or not `YYYY-MM-DD`), which calendars need to place events.
        case missingDate
        /// A `DTSTAMP` given by the caller is not a UTC date-time.
        case badStamp
    }

    /// What went wrong.
    public var kind: Kind
    /// One sentence naming the place and the fix.
    public var message: String

    /// An error of `kind` with a message that names the place and the fix.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The same error as the reports' reading of a plan raised it.
    public init(_ error: PlanReportError) {
        switch error.kind {
        case .planSyntax: self.init(.planSyntax, error.message)
        case .planForAnotherDay: self.init(.planForAnotherDay, error.message)
        case .planShape, .unknownVisit, .unknownResource: self.init(.planShape, error.message)
        }
    }

    /// The message.
    public var description: String { message }
}
