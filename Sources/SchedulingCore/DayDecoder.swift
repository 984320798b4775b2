/// Reads `day.json` into a ``Day``, recording every problem with its path.
public enum DayDecoder {
    /// Decodes the core part of a day. Plugin sections are checked for known keys only.
    public static func decode(_ root: JSONValue, registry: PluginRegistry, diagnostics d: inout Diagnostics) -> Day? {
        guard var top = ObjectReader(root, at: JSONPath(), diagnostics: &d) else { return nil }

        var schemaVersion = 1
        if let version = top.value("schemaVersion") {
            if case .number(let n) = version, n == 1 || n == 2 { schemaVersion = Int(n) } else {
                d.error(JSONPath(["schemaVersion"].map { .key($0) }), "\(version.excerpt) is not supported: this tool reads schemaVersion 1 (one day) and 2 (a programme of several days, with lodging)")
            }
        } else {
            d.warning(JSONPath([.key("schemaVersion")]), "missing; reading the day as schemaVersion 1")
        }
        // §9: a version-2 file may cover several days; in a version-1 file `days` is an unknown key.
        var days = 1
        if schemaVersion >= 2, let n = top.integer("days", in: 1...maximumDays, &d) { days = n }
        let date = top.string("date", &d)
        if let date, !DayDecoder.isCalendarDate(date) {
            d.error(top.path + "date", "\"\(date.count > 40 ? String(date.prefix(37)) + "..." : date)\" is not a date (write \"YYYY-MM-DD\", e.g. \"2026-12-01\")")
        }
        let currency = top.string("currency", &d) ?? "CNY"

        let policy = decodePolicy(&top, registry: registry, &d)

        // Locations
        var locations: [Location] = []
        var locationIDs = Set<String>()
        for (i, item) in (top.array("locations", &d) ?? []).enumerated() {
            guard var r = ObjectReader(item, at: top.path + "locations" + i, diagnostics: &d) else { continue }
            let id = r.identifier("id", &d)
            let name = r.string("name", &d)
            r.warnAboutUnknownKeys(&d)
            guard let id else { continue }
            if !locationIDs.insert(id).inserted {
                d.error(r.path + "id", "\"\(id)\" is used by an earlier location; location ids must be unique")
                continue
            }
            locations.append(Location(id: id, name: name))
        }

        // Travel
        var travel = TravelTable()
        var given: [String: (minutes: Int, path: JSONPath)] = [:]
        for (i, item) in (top.array("travelMinutes", &d) ?? []).enumerated() {
            guard var r = ObjectReader(item, at: top.path + "travelMinutes" + i, diagnostics: &d) else { continue }
            let from = r.identifier("from", &d)
            let to = r.identifier("to", &d)
            let minutes = r.integer("minutes", required: true, in: 0...1440, &d)
            r.warnAboutUnknownKeys(&d)
            var ok = true
            for (key, loc) in [("from", from), ("to", to)] {
                if let loc, !locationIDs.contains(loc) {
                    d.error(r.path + key, "\"\(loc)\" is not a location; add it to locations or fix the id")
                    ok = false
                }
            }
            guard ok, let from, let to, let minutes else { continue }
            if from == to {
                if minutes != 0 { d.error(r.path + "minutes", "travel from \(from) to itself must be 0, found \(minutes)") }
                continue
            }
            let pair = [from, to].sorted().joined(separator: "\u{1}")
            if let earlier = given[pair] {
                if earlier.minutes != minutes {
                    d.error(r.path + "minutes", "\(from)-\(to) is given twice with different minutes (\(earlier.minutes) at \(earlier.path), \(minutes) here); keep one")
                }
                continue
            }
            given[pair] = (minutes, r.path)
            travel.set(from, to, minutes)
        }

        // Resources: only the keys are the core's business.
        var resources = JSONObject()
        if let r = top.object("resources", &d) {
            resources = r.object
            let known = Set(registry.resourceKeys)
            for key in r.object.keys where !known.contains(key) {
                d.error(r.path + key, "no plugin handles resources \"\(key)\" (known: \(registry.resourceKeys.joined(separator: ", ")))")
            }
        }

        // Visits
        var visits: [Visit] = []
        var visitIDs = Set<String>()
        let items = top.array("visits", required: true, &d) ?? []
        for (i, item) in items.enumerated() {
            guard let visit = decodeVisit(item, at: top.path + "visits" + i, index: visits.count, locations: locationIDs,
                                          programme: (schemaVersion, days), registry: registry, &d) else { continue }
            if !visitIDs.insert(visit.id).inserted {
                d.error(visit.path + "id", "\"\(visit.id)\" is used by an earlier visit; visit ids must be unique")
                continue
            }
            visits.append(visit)
        }
        top.warnAboutUnknownKeys(&d)

        guard let policy else { return nil }
        return Day(schemaVersion: schemaVersion, date: date, days: days, currency: currency, policy: policy,
                   locations: locations, travel: travel, resources: resources, visits: visits)
    }

    /// The longest programme read, in days (a year).
    public static let maximumDays = 366

    private static func decodePolicy(_ top: inout ObjectReader, registry: PluginRegistry, _ d: inout Diagnostics) -> Policy? {
        guard var p = top.object("policy", required: true, &d) else { return nil }
        var tiers: [TierName: TierPolicy] = [:]
        let categories = Set(registry.costCategories)
        if var t = p.object("tiers", required: true, &d) {
            for name in TierName.allCases {
                guard var tier = t.object(name.rawValue, required: true, &d) else { continue }
                var limits: [String: CostLimit] = [:]
                if let l = tier.object("limits", &d) {
                    for key in l.object.keys {
                        guard var c = ObjectReader(l.object[key] ?? .null, at: l.path + key, diagnostics: &d) else { continue }
                        if !categories.contains(key) {
                            d.warning(l.path + key, "no plugin costs in category \"\(key)\" (known: \(registry.costCategories.joined(separator: ", "))); this cap never applies")
                        }
                        let perVisit = c.number("perVisit", &d) ?? 0
                        let perGuest = c.number("perGuest", &d) ?? 0
                        for field in registry.limitFields(forCategory: key) { c.ignore(field) }
                        c.warnAboutUnknownKeys(&d)
                        limits[key] = CostLimit(perVisit: perVisit, perGuest: perGuest)
                    }
                }
                for field in registry.tierFields { tier.ignore(field) }
                tier.warnAboutUnknownKeys(&d)
                tiers[name] = TierPolicy(name: name, limits: limits, fields: tier.object, path: tier.path)
            }
            t.warnAboutUnknownKeys(&d)
        }
        let dayBudget = p.number("dayBudget", &d)
        var weights = ObjectiveWeights()
        var weightFields = JSONObject()
        if var w = p.object("weights", &d) {
            if let v = w.number("unmet", &d) { weights.unmet = v }
            if let v = w.number("overrun", &d) { weights.overrun = v }
            if let v = w.number("overGrade", &d) { weights.overGrade = v }
            if let v = w.number("change", &d) { weights.change = v }
            for field in registry.weightFields { w.ignore(field) }
            w.warnAboutUnknownKeys(&d)
            weightFields = w.object
        }
        let checklists = Checklists.decode(&p, &d)
        let specialPlans = SpecialPlanPolicy.decode(&p, &d)
        p.warnAboutUnknownKeys(&d)
        return Policy(tiers: tiers, dayBudget: dayBudget, weights: weights, weightFields: weightFields, checklists: checklists,
                      specialPlans: specialPlans)
    }

    private static func decodeVisit(_ item: JSONValue, at path: JSONPath, index: Int, locations: Set<String>,
                                    programme: (version: Int, days: Int), registry: PluginRegistry, _ d: inout Diagnostics) -> Visit? {
        guard var r = ObjectReader(item, at: path, diagnostics: &d) else { return nil }
        let id = r.identifier("id", &d)
        var company: String?
        if let client = r.object("client", &d) {
            var c = client
            company = c.string("company", &d)
            _ = c.string("contact", &d)
            _ = c.string("title", &d)
            c.warnAboutUnknownKeys(&d)
        }
        _ = r.string("purpose", &d)
        var tier: TierName?
        if let t = r.string("tier", required: true, &d) {
            tier = TierName(rawValue: t)
            if tier == nil { d.error(path + "tier", "\"\(t)\" is not a tier (use high, medium or low)") }
        }
        let guests = r.integer("guests", required: true, in: 1...1_000_000, &d)
        let language = r.string("language", &d)
        let dietary = r.strings("dietary", &d) ?? []
        let host = r.string("host", &d)
        let escorts = r.integer("escorts", in: 0...1_000_000, &d)
        var approved: [String: Double] = [:]
        if let a = r.object("approvedOverrun", &d) {
            for key in a.object.keys {
                if let v = ObjectReader.number(a.object[key] ?? .null, at: a.path + key, minimum: 0, &d) { approved[key] = v }
            }
        }

        var segments: [Segment] = []
        var segmentIDs = Set<String>()
        let items = r.array("segments", required: true, &d)
        if let items, items.isEmpty {
            d.error(path + "segments", "a visit needs at least one segment")
        }
        let knownNeeds = Set(registry.needKeys)
        for (j, item) in (items ?? []).enumerated() {
            guard var s = ObjectReader(item, at: path + "segments" + j, diagnostics: &d) else { continue }
            let sid = s.identifier("id", &d)
            let start = s.time("start", allowEndOfDay: false, &d)
            let end = s.time("end", allowEndOfDay: true, &d)
            if let start, let end, end <= start {
                d.error(s.path + "end", "\"\(Clock.format(end))\" must be later than start \"\(Clock.format(start))\"")
            }
            // §9: `day` (default 1) puts the segment's times on that day of the programme.
            var dayNumber = 1
            if programme.version >= 2, let k = s.programmeDay("day", days: programme.days, &d) { dayNumber = k }
            let offset = (dayNumber - 1) * minutesPerDay
            var places: [String: String] = [:]
            for key in ["location", "from", "to"] {
                if let loc = s.identifier(key, required: false, &d) {
                    if locations.contains(loc) { places[key] = loc } else {
                        d.error(s.path + key, "\"\(loc)\" is not a location; add it to locations or fix the id")
                    }
                }
            }
            let internalAttendees = s.number("internalAttendees", &d) ?? 0
            let hostAttends = s.bool("hostAttends", &d)
            var needs = JSONObject()
            if let n = s.object("needs", &d) {
                needs = n.object
                for key in n.object.keys where !knownNeeds.contains(key) {
                    d.error(n.path + key, "no plugin handles need \"\(key)\" (known: \(registry.needKeys.joined(separator: ", ")))")
                }
            }
            s.warnAboutUnknownKeys(&d)
            guard let sid, let start, let end, end > start else { continue }
            if !segmentIDs.insert(sid).inserted {
                d.error(s.path + "id", "\"\(sid)\" is used by an earlier segment of this visit; segment ids must be unique within a visit")
                continue
            }
            segments.append(Segment(id: sid, index: segments.count, span: TimeSpan(start + offset, end + offset), location: places["location"],
                                    from: places["from"], to: places["to"], internalAttendees: internalAttendees,
                                    hostAttendsExplicit: hostAttends, needs: needs, path: s.path))
        }
        var fields = JSONObject()
        for key in registry.visitFields {
            if let value = r.value(key) { fields[key] = value }
        }
        r.warnAboutUnknownKeys(&d)
        guard let id, let tier, let guests, let items, !items.isEmpty, segments.count == items.count else { return nil }
        return Visit(id: id, index: index, tier: tier, guests: guests, company: company, language: language,
                     dietary: dietary, host: host, escorts: escorts, approvedOverrun: approved, segments: segments, path: path,
                     fields: fields)
    }
}

extension DayDecoder {
    /// `YYYY-MM-DD` naming a day of the Gregorian calendar.
    static func isCalendarDate(_ text: String) -> Bool {
        let u = Array(text.utf8)
        guard u.count == 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-") else { return false }
        func number(_ r: Range<Int>) -> Int? {
            var n = 0
            for i in r {
                guard (48...57).contains(u[i]) else { return nil }
                n = n * 10 + Int(u[i] - 48)
            }
            return n
        }
        guard let y = number(0..<4), let m = number(5..<7), let day = number(8..<10), (1...12).contains(m), day >= 1 else { return false }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
        return day <= days
    }
}
