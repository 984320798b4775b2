import SchedulingCore

extension VenuesPlugin {
    public func check(_ plan: PlanView, day: ResolvedDay, report: inout CheckReport) {}
}
