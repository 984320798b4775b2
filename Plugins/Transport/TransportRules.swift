import SchedulingCore

extension TransportPlugin {
    public func check(_ plan: PlanView, day: ResolvedDay, report: inout CheckReport) {}
}
