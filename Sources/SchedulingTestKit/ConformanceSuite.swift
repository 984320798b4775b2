import PlanChecker
import SchedulingCore

/// The suite every resource plugin must pass, run over one ``ConformanceFixture``.
///
/// ```swift
/// let failures = ConformanceSuite(fixture, optimizer: GLPKOptimizer()).run()
/// #expect(failures.isEmpty, "\(failures)")
/// ```
///
/// Each check returns its failures; ``run()`` runs them all. The checks:
/// - ``checkDescriptor()``: name, one-line summary, keys without repeats, registers beside the companions;
/// - ``checkFixture()``: the day loads without errors or warnings and uses every key and field the plugin declares;
/// - ``checkDecodingErrors()``: every bad input is refused, with an error at its expected JSON path,
///   and every error names a path;
/// - ``checkDeclarations()``: needs sit at their keys, candidates use declared resources, cost in declared
///   categories, carry no negative cost or overGrade, unmeetable needs say why, `contribute` is deterministic;
/// - ``checkCandidates()``: each candidate, chosen on its own (completed with the fewest other candidates
///   of its need that the model's rows accept), passes the plugin's own checker, whose recomputed cost by
///   category and overGrade equal the declared ones — this cross-checks `contribute` against `check`;
/// - ``checkConflicts()``: for every two candidates of different needs that share a resource, the rows the
///   model (`MIPModel`) builds from the declarations allow them together exactly when the plugin's checker does, and at
///   least one such pair conflicts;
/// - ``checkSolvedPlan()``: the optimizer's plan for the day passes the full ``PlanChecker`` (and reaches
///   ``ConformanceFixture/expectedObjective`` when given);
/// - ``checkPins()``: the kind's segment needs, each pinned (PROBLEM.md §10) to the value the solved plan
///   gives it, load without warnings, keep exactly the pinned candidates, and plan to the same objective.
public struct ConformanceSuite: Sendable {
    /// The plugin under test, its day and its bad inputs.
    public var fixture: ConformanceFixture
    /// Solves the fixture day in ``checkSolvedPlan()``.
    public var optimizer: any OptimizerPlugin
    /// Options for the optimizer (a time limit for a large fixture).
    public var options: OptimizeOptions
    /// The conflicts check examines at most this many pairs of candidates.
    public var maximumPairs: Int

    public init(_ fixture: ConformanceFixture, optimizer: any OptimizerPlugin,
                options: OptimizeOptions = OptimizeOptions(), maximumPairs: Int = 5_000) {
        self.fixture = fixture
        self.optimizer = optimizer
        self.options = options
        self.maximumPairs = maximumPairs
    }

    private var plugin: any ResourceKindPlugin { fixture.plugin }
    private var name: String { plugin.descriptor.name }

    /// Every check. When the fixture day does not load, the checks that need it are skipped.
    public func run() -> [ConformanceFailure] {
        var failures = checkDescriptor()
        switch load() {
        case .failure(let why):
            return failures + why.failures
        case .success(let loaded):
            failures += fixtureFailures(loaded)
            failures += decodingFailures(loaded)
            failures += declarationFailures(loaded)
            failures += candidateFailures(loaded)
            failures += conflictFailures(loaded)
            failures += solvedPlanFailures(loaded)
            failures += pinFailures(loaded)
            return failures
        }
    }

    /// The descriptor: a one-word name, a one-line summary, at least one need key, no key listed
    /// twice, no field that belongs to the core, and it registers beside the fixture's companions.
    public func checkDescriptor() -> [ConformanceFailure] {
        var out = Findings(plugin: name, check: .descriptor)
        let d = plugin.descriptor
        if d.name.isEmpty || d.name.contains(where: \.isWhitespace) {
            out.fail("name \"\(d.name)\" must be a non-empty word; `schedule plugins` lists kinds by it")
        }
        let summary = d.summary.trimmingWhitespace
        if summary.isEmpty || summary.contains(where: \.isNewline) {
            out.fail("summary must be one non-empty line for `schedule plugins`, found \"\(d.summary)\"")
        }
        if d.needKeys.isEmpty && d.visitNeedKeys.isEmpty {
            out.fail("the plugin declares no need keys (needKeys or visitNeedKeys), so no visit can ask for it")
        }
        let lists: [(String, [String])] = [("resourceKeys", d.resourceKeys), ("needKeys", d.needKeys), ("visitNeedKeys", d.visitNeedKeys),
                                          ("visitFields", d.visitFields), ("tierFields", d.tierFields), ("weightFields", d.weightFields),
                                          ("limitFields", d.limitFields), ("costCategories", d.costCategories)]
        for (label, list) in lists {
            if let key = list.repeated.first { out.fail("\(label) lists \"\(key)\" twice") }
            if let key = list.first(where: \.isEmpty) { out.fail("\(label) has an empty key \"\(key)\"") }
        }
        if let key = Set(d.needKeys).intersection(d.visitNeedKeys).sorted().first {
            out.fail("\"\(key)\" is both a segment need key and a visit need key")
        }
        if let key = Set(d.needKeysWithoutHost).subtracting(d.needKeys).sorted().first {
            out.fail("needKeysWithoutHost lists \"\(key)\", which is not one of needKeys")
        }
        if let key = d.tierFields.first(where: { $0 == "limits" }) {
            out.fail("tier field \"\(key)\" belongs to the core (cost caps); name the plugin's own field differently")
        }
        if let key = d.weightFields.first(where: { ["unmet", "overrun", "overGrade"].contains($0) }) {
            out.fail("weight \"\(key)\" belongs to the core; name the plugin's own weight differently")
        }
        if let key = d.limitFields.first(where: { ["perVisit", "perGuest"].contains($0) }) {
            out.fail("limit field \"\(key)\" belongs to the core; name the plugin's own field differently")
        }
        do {
            _ = try PluginRegistry(resourceKinds: [plugin] + fixture.companions, optimizers: [])
        } catch {
            out.fail("the plugin does not register beside its companions: \(error.description)")
        }
        return out.failures
    }

    /// The fixture day loads with no error and no warning, and uses every resources key, need key,
    /// tier field and weight field the descriptor declares.
    public func checkFixture() -> [ConformanceFailure] { withLoaded(fixtureFailures) }

    /// Each bad input is refused with an error at its expected JSON path, and every error of the
    /// load has a path and a message.
    public func checkDecodingErrors() -> [ConformanceFailure] { withLoaded(decodingFailures) }

    func decodingFailures(_ loaded: Loaded) -> [ConformanceFailure] {
        var out = Findings(plugin: name, check: .decoding)
        // The day loaded, so it parses.
        guard let root = try? JSONParser.parse(fixture.day) else { return [] }
        if fixture.badInputs.isEmpty {
            out.fail("the fixture has no bad inputs; give at least one per field the plugin validates, each with the path of its error")
        }
        for bad in fixture.badInputs {
            let edited: JSONValue?
            switch bad.edit {
            case .set(let path, let value): edited = JSONEdit.setting(root, path.components[...], to: value)
            case .remove(let path): edited = JSONEdit.setting(root, path.components[...], to: nil)
            }
            guard let edited else {
                out.fail("bad input \"\(bad)\": the edit's path is not in the fixture day; fix the fixture")
                continue
            }
            do {
                _ = try Problem.load(edited, registry: loaded.registry)
                out.fail("bad input \"\(bad)\" was accepted; the plugin must report an error at \(bad.expectedPath)")
            } catch {
                let errors = error.errors
                if !errors.contains(where: { $0.path == bad.expectedPath }) {
                    out.fail("bad input \"\(bad)\": no error at \(bad.expectedPath); the errors were: \(errors.map(\.description).joined(separator: " | "))")
                }
                for issue in errors where issue.path.components.isEmpty || issue.message.trimmingWhitespace.isEmpty {
                    out.fail("bad input \"\(bad)\": the error \"\(issue)\" has no JSON path or no message; report it at the place to fix")
                }
            }
        }
        return out.failures
    }

    /// What `contribute` declares: each need once at its key and place, candidates that use declared
    /// resources and cost (>= 0) in declared categories, overGrade and cover weights >= 0, a reason for each need with
    /// no candidate, and the same result on a second call.
    public func checkDeclarations() -> [ConformanceFailure] { withLoaded(declarationFailures) }

    /// Every candidate, completed with the fewest others the model's rows accept, passes the plugin's
    /// own checker, which recomputes the declared cost per category and overGrade; the plan with every
    /// need unmet passes the full checker.
    public func checkCandidates() -> [ConformanceFailure] { withLoaded(candidateFailures) }

    /// For every two candidates of different needs that share a resource, the model's rows allow them
    /// together exactly when the plugin's checker does; at least one such pair must conflict.
    public func checkConflicts() -> [ConformanceFailure] { withLoaded(conflictFailures) }

    /// The optimizer's plan for the fixture day passes the full ``PlanChecker``, at the fixture's
    /// expected objective and `optimal` when one is given.
    public func checkSolvedPlan() -> [ConformanceFailure] { withLoaded(solvedPlanFailures) }

    // MARK: Loading

    /// The fixture day, loaded with the plugin and its companions.
    struct Loaded {
        var registry: PluginRegistry
        var problem: Problem
        /// Indices into `problem.needs` of the plugin's own needs.
        var own: [Int]
    }

    struct LoadFailure: Error {
        var failures: [ConformanceFailure]
    }

    private func registry() throws(PluginRegistry.ConflictError) -> PluginRegistry {
        try PluginRegistry(resourceKinds: [plugin] + fixture.companions, optimizers: [])
    }

    func load() -> Result<Loaded, LoadFailure> {
        var out = Findings(plugin: name, check: .fixture)
        let registry: PluginRegistry
        do {
            registry = try self.registry()
        } catch {
            return .failure(LoadFailure(failures: []))  // reported by checkDescriptor
        }
        do {
            let problem = try Problem.load(json: Array(fixture.day.utf8), registry: registry)
            let keys = Set(plugin.descriptor.needKeys + plugin.descriptor.visitNeedKeys)
            let own = problem.needs.indices.filter { keys.contains(problem.needs[$0].id.key) }
            return .success(Loaded(registry: registry, problem: problem, own: own))
        } catch {
            for issue in error.errors { out.fail("the fixture day does not load: \(issue)") }
            return .failure(LoadFailure(failures: out.failures))
        }
    }

    private func withLoaded(_ body: (Loaded) -> [ConformanceFailure]) -> [ConformanceFailure] {
        switch load() {
        case .success(let loaded): return body(loaded)
        case .failure(let why): return why.failures
        }
    }

    // MARK: Fixture

    func fixtureFailures(_ loaded: Loaded) -> [ConformanceFailure] {
        var out = Findings(plugin: name, check: .fixture)
        let d = plugin.descriptor
        let day = loaded.problem.day
        for warning in loaded.problem.warnings {
            out.fail("the fixture day loads with a warning: \(warning) (if the plugin reads this field, declare it in tierFields or weightFields)")
        }
        for key in d.resourceKeys where day.resources[key] == nil {
            out.fail("the fixture day has no resources.\(key); give at least one")
        }
        let usedNeeds = Set(day.visits.flatMap { $0.segments.flatMap(\.needs.keys) })
        for key in d.needKeys where !usedNeeds.contains(key) {
            out.fail("no segment of the fixture day asks for \"\(key)\"")
        }
        for field in d.tierFields where !TierName.allCases.contains(where: { day.policy.tier($0).fields[field] != nil }) {
            out.fail("no tier of the fixture day gives \"\(field)\"; give it in at least one so that its decoding is exercised")
        }
        for field in d.weightFields where day.policy.weightFields[field] == nil {
            out.fail("policy.weights of the fixture day has no \"\(field)\"; give it so that its decoding is exercised")
        }
        for field in d.visitFields where !day.visits.contains(where: { $0.fields[field] != nil }) {
            out.fail("no visit of the fixture day gives \"\(field)\"; give it in at least one so that its decoding is exercised")
        }
        for field in d.limitFields where !TierName.allCases.contains(where: { name in
            guard case .object(let limits)? = day.policy.tier(name).fields["limits"] else { return false }
            return limits.members.contains { if case .object(let o) = $0.value { return o[field] != nil } else { return false } }
        }) {
            out.fail("no tier's limits in the fixture day give \"\(field)\"; give it in at least one so that its cap allowance is exercised")
        }
        if !loaded.own.contains(where: { !loaded.problem.needs[$0].candidates.isEmpty }) {
            out.fail("no need of the plugin has an eligible candidate in the fixture day")
        }
        return out.failures
    }

    // MARK: Declarations

    func declarationFailures(_ loaded: Loaded) -> [ConformanceFailure] {
        var out = Findings(plugin: name, check: .declarations)
        let problem = loaded.problem
        let d = plugin.descriptor
        var first = Diagnostics()
        let contribution = plugin.contribute(to: problem.resolved, diagnostics: &first)
        var second = Diagnostics()
        let again = plugin.contribute(to: problem.resolved, diagnostics: &second)
        if contribution.fingerprint != again.fingerprint {
            out.fail("contribute(to:diagnostics:) returned different needs or candidates on a second call; it must be a pure function of the day")
        }

        // Each need at its place, exactly once.
        var seen = Set<NeedID>()
        for need in contribution.needs {
            let place = Place(need.id, problem)
            if !seen.insert(need.id).inserted { out.fail("\(place) is declared twice") }
            if need.id.segment == nil ? !d.visitNeedKeys.contains(need.id.key) : !d.needKeys.contains(need.id.key) {
                out.fail("\(place): \"\(need.id.key)\" is not among the descriptor's \(need.id.segment == nil ? "visitNeedKeys" : "needKeys")")
            }
            if let s = need.id.segment,
               problem.day.visits.indices.contains(need.id.visit), problem.day.visits[need.id.visit].segments.indices.contains(s),
               problem.day.visits[need.id.visit].segments[s].needs[need.id.key] == nil {
                out.fail("\(place) is declared but the segment does not ask for \"\(need.id.key)\"")
            }
        }
        for visit in problem.day.visits {
            for key in d.visitNeedKeys where !seen.contains(NeedID(visit: visit.index, segment: nil, key: key)) {
                out.fail("\(visit.id) has no \"\(key)\" need; a visit-level need is declared for every visit (exactly(0) when there is nothing to do)")
            }
            for segment in visit.segments {
                for key in d.needKeys where segment.needs[key] != nil && !seen.contains(NeedID(visit: visit.index, segment: segment.index, key: key)) {
                    out.fail("\(visit.id) \(segment.id) asks for \"\(key)\" but contribute declares no need for it")
                }
            }
        }

        // Each candidate: declared resources, sane numbers, a declared category.
        for need in contribution.needs {
            let place = Place(need.id, problem)
            if need.requirement.trimmingWhitespace.isEmpty { out.fail("\(place) has an empty requirement; unmet reasons quote it") }
            if need.candidates.isEmpty, !need.isTrivial, (need.ineligibility ?? "").trimmingWhitespace.isEmpty {
                out.fail("\(place) has no eligible candidate and no ineligibility text; say which condition ruled them out")
            }
            if let value = need.candidates.map(\.value).repeated.first {
                out.fail("\(place): two candidates have the plan value \(value.excerpt); the checker could not tell them apart")
            }
            for c in need.candidates {
                let what = "\(place) candidate \(c.value.excerpt)"
                for usage in c.usages {
                    if problem.resources[usage.resource] == nil {
                        out.fail("\(what) uses \(usage.resource), which no plugin declares; declare it in KindContribution.resources or its conflicts are never modelled")
                    }
                    if !(usage.load >= 0 && usage.load.isFinite) { out.fail("\(what) uses \(usage.resource) with load \(usage.load)") }
                    if !(usage.span.isWithinOneDay && usage.span.end <= problem.day.days * minutesPerDay) {
                        out.fail("\(what) uses \(usage.resource) over \(usage.span), outside the programme's days, across a midnight, or empty")
                    }
                }
                if !c.costByDay.isEmpty {
                    let sum = c.costByDay.reduce(0.0) { $0 + $1.amount }
                    if !PlanChecker.agree(sum, c.cost) {
                        out.fail("\(what) splits its cost \(JSONWriter.format(c.cost)) over days as \(JSONWriter.format(sum)); costByDay must add up to cost")
                    }
                    if let bad = c.costByDay.first(where: { !(1...problem.day.days).contains($0.day) }) {
                        out.fail("\(what) puts cost on day \(bad.day), outside the programme's days 1-\(problem.day.days)")
                    }
                }
                if !(c.cost >= 0 && c.cost.isFinite) { out.fail("\(what) costs \(c.cost); costs are finite and >= 0") }
                if c.cost != 0 && c.category == nil { out.fail("\(what) costs \(c.cost) in no category; plans count cost by category") }
                if let category = c.category, !d.costCategories.contains(category) {
                    out.fail("\(what) costs in \"\(category)\", which is not among the descriptor's costCategories; the core would neither cap nor total it")
                }
                if !(c.overGrade >= 0 && c.overGrade.isFinite) {
                    out.fail("\(what) has overGrade \(c.overGrade); a candidate below the tier's grade is not eligible")
                }
                if case .cover = need.rule, !(c.weight >= 0 && c.weight.isFinite) {
                    out.fail("\(what) has weight \(c.weight) in a cover rule; weights are finite and >= 0")
                }
            }
        }
        return out.failures
    }

    // MARK: Candidates

    func candidateFailures(_ loaded: Loaded) -> [ConformanceFailure] {
        var out = Findings(plugin: name, check: .candidates)
        let problem = loaded.problem
        let rows = DeclaredRows(problem)
        let choice = Choice(problem: problem, rows: rows)
        let empty = Selection.allUnmet(problem)

        // The plan with every need unmet is always valid (PROBLEM.md §8).
        let nothing = assemble(problem, empty)
        let outcome = PlanChecker.check(plan: nothing.json, problem: problem, registry: loaded.registry)
        for v in outcome.violations { out.fail("the plan with every need unmet must be valid, but the checker reports \(v)") }

        // What the plugin adds to caps: `contribute` and `check` agree, visit by visit.
        let allowances = ownReport(problem, empty).capAllowances
        for visit in problem.day.visits {
            let declared = problem.capAllowances[visit.index] ?? [:], recomputed = allowances[visit.id] ?? [:]
            for category in Set(declared.keys).union(recomputed.keys).sorted() where !PlanChecker.agree(declared[category] ?? 0, recomputed[category] ?? 0) {
                out.fail("\(visit.id): contribute adds \(JSONWriter.format(declared[category] ?? 0)) to the \(category) cap; the plugin's checker adds \(JSONWriter.format(recomputed[category] ?? 0))")
            }
        }

        for j in loaded.own {
            let need = problem.needs[j]
            var checked = 0
            defer {
                if checked == 0, !need.candidates.isEmpty, rows.isMeetable(j) {
                    out.fail("\(Place(need.id, problem)): no selection of its candidates passes the rows the core builds for it alone, so the kit could check none; make sure its candidates can meet it together")
                }
            }
            for i in need.candidates.indices {
                guard let chosen = choice.complete(j, including: i) else { continue }
                checked += 1
                var selection = empty
                selection.chosen[j] = chosen
                let what = "\(Place(need.id, problem)) = \(chosen.map { need.candidates[$0].value.excerpt }.joined(separator: " + "))"
                let report = ownReport(problem, selection)
                for v in report.violations {
                    out.fail("\(what) is declared eligible, but the plugin's checker rejects it: \(v)")
                }
                var declared: [String: Double] = [:]
                var overGrade = 0.0
                for k in chosen {
                    let c = need.candidates[k]
                    if let category = c.category { declared[category, default: 0] += c.cost }
                    overGrade += c.overGrade
                }
                let visitID = problem.day.visits[need.id.visit].id
                let recomputed = report.costs[visitID] ?? [:]
                for category in Set(declared.keys).union(recomputed.keys).sorted() {
                    let a = declared[category] ?? 0, b = recomputed[category] ?? 0
                    if !PlanChecker.agree(a, b) {
                        out.fail("\(what) declares cost \(JSONWriter.format(a)) in \(category); the plugin's checker computes \(JSONWriter.format(b))")
                    }
                }
                // The day budget's reading: the checker's cost by day equals the declared split.
                var declaredByDay: [Int: Double] = [:]
                for k in chosen where need.candidates[k].category != nil {
                    for part in problem.costByDay(of: k, in: need) { declaredByDay[part.day, default: 0] += part.amount }
                }
                for dayNumber in Set(declaredByDay.keys).union(report.costsByDay.keys).sorted() {
                    let a = declaredByDay[dayNumber] ?? 0, b = report.costsByDay[dayNumber] ?? 0
                    if !PlanChecker.agree(a, b) {
                        out.fail("\(what) declares cost \(JSONWriter.format(a)) on day \(dayNumber); the plugin's checker computes \(JSONWriter.format(b)) (costByDay, or addCost's day)")
                    }
                }
                if !PlanChecker.agree(overGrade, report.overGrade) {
                    out.fail("\(what) declares overGrade \(JSONWriter.format(overGrade)); the plugin's checker computes \(JSONWriter.format(report.overGrade))")
                }
            }
        }
        return out.failures
    }

    // MARK: Conflicts

    func conflictFailures(_ loaded: Loaded) -> [ConformanceFailure] {
        var out = Findings(plugin: name, check: .conflicts)
        let problem = loaded.problem
        let rows = DeclaredRows(problem)
        let choice = Choice(problem: problem, rows: rows)
        let empty = Selection.allUnmet(problem)
        var examined = 0
        var conflicting = 0
        // The completion of each candidate on its own, computed once.
        var alone: [Int: [Int: [Int]]] = [:]
        for j in loaded.own {
            for i in problem.needs[j].candidates.indices { alone[j, default: [:]][i] = choice.complete(j, including: i) }
        }
        pairs: for (p, a) in loaded.own.enumerated() {
            let needA = problem.needs[a]
            for b in loaded.own[(p + 1)...] {
                let needB = problem.needs[b]
                for ia in needA.candidates.indices {
                    guard let chosenA = alone[a]?[ia] else { continue }
                    let keysA = Set(needA.candidates[ia].assigned)
                    let usedA = Set(chosenA.flatMap { needA.candidates[$0].assigned })
                    for ib in needB.candidates.indices where !keysA.isDisjoint(with: needB.candidates[ib].assigned) {
                        guard examined < maximumPairs else { break pairs }
                        // B's other candidates keep clear of A's, so that only the shared resource is in question.
                        guard let chosenB = choice.complete(b, including: ib, avoiding: usedA.subtracting(needB.candidates[ib].assigned)) else { continue }
                        var selection = empty
                        selection.chosen[a] = chosenA
                        selection.chosen[b] = chosenB
                        examined += 1
                        let rejected = ownReport(problem, selection).violations
                        let forbidden = rows.violated(by: selection)
                        if !rejected.isEmpty { conflicting += 1 }
                        let what = "\(Place(needA.id, problem)) = \(needA.candidates[ia].value.excerpt) together with \(Place(needB.id, problem)) = \(needB.candidates[ib].value.excerpt)"
                        if let v = rejected.first, forbidden.isEmpty {
                            out.fail("\(what): the plugin's checker rejects them (\(v)) but the declared resources allow them; declare the conflict (sharing, usages, loads) or the optimizer can write plans the checker rejects")
                        } else if rejected.isEmpty, let row = forbidden.first {
                            out.fail("\(what): the declarations forbid them (row \(row)) but the plugin's checker accepts them; the optimizer would miss valid plans")
                        }
                    }
                }
            }
        }
        if conflicting == 0 {
            out.fail("no two candidates of different needs conflict in the fixture day (\(examined) pairs sharing a resource examined); make two needs compete for one resource so that the solved plan shows conflicts are honoured")
        }
        return out.failures
    }

    // MARK: Solved plan

    func solvedPlanFailures(_ loaded: Loaded) -> [ConformanceFailure] {
        var out = Findings(plugin: name, check: .solvedPlan)
        let problem = loaded.problem
        let result: OptimizationResult
        do {
            result = try optimizer.optimize(problem, options: options)
        } catch {
            out.fail("optimizer \(optimizer.name) failed on the fixture day: \(error)")
            return out.failures
        }
        guard result.status != .noSolution, result.selection != nil else {
            out.fail("optimizer \(optimizer.name) found no plan for the fixture day")
            return out.failures
        }
        let plan = PlanAssembler.assemble(problem, result: result, solverName: optimizer.name)
        let outcome = PlanChecker.check(planJSON: Array(JSONWriter.pretty(plan.json).utf8), problem: problem, registry: loaded.registry)
        for v in outcome.violations { out.fail("the solved plan breaks a rule: \(v)") }
        if let expected = fixture.expectedObjective {
            if plan.status != .optimal { out.fail("the solved plan is \(plan.status.rawValue), expected optimal") }
            if abs(plan.objective - expected) > 1e-6 * max(1, abs(expected)) {
                out.fail("the solved plan's objective is \(JSONWriter.format(plan.objective)), expected \(JSONWriter.format(expected))")
            }
        }
        return out.failures
    }

    /// Pinning the kind's segment needs to the values of the solved plan changes nothing:
    /// the pin is read as the core's (no warning), each pinned need keeps as many
    /// candidates as its pin names, and the plan keeps those values and its objective.
    public func checkPins() -> [ConformanceFailure] { withLoaded(pinFailures) }

    func pinFailures(_ loaded: Loaded) -> [ConformanceFailure] {
        var out = Findings(plugin: name, check: .pins)
        let problem = loaded.problem
        guard let result = try? optimizer.optimize(problem, options: options), let selection = result.selection,
              let root = try? JSONParser.parse(fixture.day) else { return [] }
        let plan = assemble(problem, selection)
        guard case .object(let document) = plan.json else { return [] }
        let view = PlanView(document: document)
        var day = root
        var pinned: [(need: Int, value: JSONValue)] = []
        for j in loaded.own {
            let id = problem.needs[j].id
            guard let s = id.segment, selection.chosen[j] != nil else { continue }
            let visit = problem.day.visits[id.visit]
            let path = visit.segments[s].path.components + [.key("needs"), .key(id.key), .key(Pins.key)]
            guard let value = view.segmentValue(visit.id, visit.segments[s].id, id.key), value != .null,
                  let edited = JSONEdit.setting(day, path[...], to: value) else { continue }
            day = edited
            pinned.append((j, value))
        }
        guard !pinned.isEmpty else {
            // A kind of visit-level needs only (lodging) has no segment need to pin here.
            if plugin.descriptor.needKeys.isEmpty { return [] }
            out.fail("the solved plan meets none of the kind's segment needs, so no pin could be tried")
            return out.failures
        }
        let again: Problem
        do {
            again = try Problem.load(day, registry: loaded.registry)
        } catch {
            out.fail("the fixture day with pins does not load: \(error.issues.map(\.description).joined(separator: " | "))")
            return out.failures
        }
        for warning in again.warnings { out.fail("the fixture day with pins loads with a warning: \(warning)") }
        for (j, value) in pinned {
            let need = again.needs[j]
            let expected = { if case .array(let items) = value { return items.count } else { return 1 } }()
            if need.candidates.count != expected {
                out.fail("\(Place(need.id, again)) pinned to \(value.excerpt) keeps \(need.candidates.count) candidates, expected \(expected): "
                    + "its candidates' values must be the pin's elements when pinned (\(need.ineligibility ?? "no reason given"))")
            }
        }
        guard let repeated = try? optimizer.optimize(again, options: options), let chosen = repeated.selection else {
            out.fail("optimizer \(optimizer.name) found no plan for the fixture day with pins")
            return out.failures
        }
        let pinnedPlan = assemble(again, chosen)
        for v in PlanChecker.check(plan: pinnedPlan.json, problem: again, registry: loaded.registry).violations {
            out.fail("the plan of the fixture day with pins breaks a rule: \(v)")
        }
        if fixture.expectedObjective != nil, abs(pinnedPlan.objective - plan.objective) > 1e-6 * max(1, abs(plan.objective)) {
            out.fail("pinned to its own optimal values, the fixture day plans to \(JSONWriter.format(pinnedPlan.objective)) instead of \(JSONWriter.format(plan.objective))")
        }
        return out.failures
    }

    // MARK: Helpers

    private func assemble(_ problem: Problem, _ selection: Selection) -> Plan {
        PlanAssembler.assemble(problem, result: OptimizationResult(status: .feasible, selection: selection, bound: nil, seconds: 0),
                               solverName: "conformance")
    }

    /// What the plugin's own checker says about the plan of `selection`.
    private func ownReport(_ problem: Problem, _ selection: Selection) -> CheckReport {
        guard case .object(let document) = assemble(problem, selection).json else { return CheckReport() }
        var report = CheckReport()
        plugin.check(PlanView(document: document), day: problem.resolved, report: &report)
        return report
    }
}

/// Collects the failures of one check.
struct Findings {
    let plugin: String
    let check: ConformanceFailure.Check
    private(set) var failures: [ConformanceFailure] = []

    init(plugin: String, check: ConformanceFailure.Check) {
        self.plugin = plugin
        self.check = check
    }

    mutating func fail(_ message: String) {
        failures.append(ConformanceFailure(plugin: plugin, check: check, message: message))
    }
}

/// A need by the ids a planner reads: `V-1 sendoff gift`, `V-1 host`.
struct Place: CustomStringConvertible {
    var description: String

    init(_ id: NeedID, _ problem: Problem) {
        guard problem.day.visits.indices.contains(id.visit) else {
            description = id.description
            return
        }
        let visit = problem.day.visits[id.visit]
        let segment = id.segment.flatMap { visit.segments.indices.contains($0) ? " " + visit.segments[$0].id : nil } ?? ""
        description = "\(visit.id)\(segment) \(id.key)"
    }
}

extension KindContribution {
    /// What determinism compares: need ids and, per candidate, value, cost, category and resources.
    var fingerprint: [String] {
        needs.map { need in
            "\(need.id)|" + need.candidates.map { c in
                "\(JSONWriter.compact(c.value)):\(c.cost):\(c.category ?? "-"):\(c.overGrade):\(c.usages.map { "\($0.resource)@\($0.span)x\($0.load)" })"
            }.joined(separator: ";")
        } + resources.map { "\($0.key)|\($0.sharing)|\($0.minuteBudget.map { "\($0)" } ?? "-")" }
    }
}

extension Array where Element: Hashable {
    /// Elements that appear more than once, in order of their second appearance.
    var repeated: [Element] {
        var seen = Set<Element>()
        return filter { !seen.insert($0).inserted }
    }
}

extension Array where Element == JSONValue {
    var repeated: [JSONValue] {
        var seen: [JSONValue] = []
        var out: [JSONValue] = []
        for value in self {
            if seen.contains(value) { out.append(value) } else { seen.append(value) }
        }
        return out
    }
}

extension String {
    var trimmingWhitespace: Substring {
        let start = firstIndex { !$0.isWhitespace } ?? endIndex
        let end = lastIndex { !$0.isWhitespace }.map { index(after: $0) } ?? start
        return self[start..<end]
    }
}
