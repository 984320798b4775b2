import SchedulingCore

extension StaffPlugin {
    public func check(_ plan: PlanView, day: ResolvedDay, report: inout CheckReport) {}
}
