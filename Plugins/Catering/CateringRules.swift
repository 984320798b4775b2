import SchedulingCore

extension CateringPlugin {
    public func check(_ plan: PlanView, day: ResolvedDay, report: inout CheckReport) {}
}
