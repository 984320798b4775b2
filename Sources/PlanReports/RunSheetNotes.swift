import SchedulingCore

/// What a run sheet's checklist adds to the regulation's items from the plan
/// itself (issue 18): who is on duty in each segment's service roles, and the
/// etiquette note on language filled from the visit's `language`.
extension PlanReport {
    /// `minute-taker: S-12 Anna Li`, one line per role of the segment's met needs
    /// whose chosen candidates each name a role (`{"minute-taker": "S-12"}`).
    func dutyNotes(visit v: Int, segment: Segment) -> [String] {
        var people: [(duty: String, names: [String])] = []
        for j in plan.needs(ofVisit: v) where plan.problem.needs[j].id.segment == segment.index && plan.outcomes[j].isMet {
            let need = plan.problem.needs[j]
            for i in plan.outcomes[j].chosen {
                guard let duty = PlanReport.duty(named: need.candidates[i].value) else { continue }
                let name = label(need.candidates[i])
                if let k = people.firstIndex(where: { $0.duty == duty }) { people[k].names.append(name) } else { people.append((duty, [name])) }
            }
        }
        return people.map { "\($0.duty): \($0.names.joined(separator: ", "))" }
    }

    /// `greet and introduce in German (de); speak de: escort E-3, minute-taker S-12 Anna Li`:
    /// the visit's people (of every met need) whose `languages` list the guests' language,
    /// or a call for an interpreter when nobody does. `nil` when the visit sets no language.
    func languageNote(visit v: Int) -> String? {
        guard let language = plan.problem.day.visits[v].language else { return nil }
        var speakers: [String] = []
        for j in plan.needs(ofVisit: v) where plan.outcomes[j].isMet {
            let need = plan.problem.needs[j]
            for i in plan.outcomes[j].chosen {
                let candidate = need.candidates[i]
                let duty = PlanReport.duty(named: candidate.value) ?? PlanReport.singular(need.id.key)
                for key in candidate.assigned where plan.catalog[key].speaks(language) {
                    let text = "\(duty) \(plan.catalog[key].label)"
                    if !speakers.contains(text) { speakers.append(text) }
                }
            }
        }
        let greeting = "greet and introduce in \(Language.name(of: language))"
        return speakers.isEmpty
            ? greeting + "; nobody assigned lists \(language): arrange an interpreter"
            : greeting + "; speak \(language): " + speakers.joined(separator: ", ")
    }

    /// The role a candidate's value names: the key of a one-member object whose member is an id.
    static func duty(named value: JSONValue) -> String? {
        guard case .object(let o) = value, o.members.count == 1, let member = o.members.first, case .string = member.value else { return nil }
        return member.key
    }

    /// `escort` for `escorts`, `presenter` for `presenters`, `host` as it is.
    static func singular(_ key: String) -> String { key.hasSuffix("s") ? String(key.dropLast()) : key }
}

extension ResourceCatalog.Entry {
    /// Whether its `languages` (a person's, as the day lists them) include `code`.
    func speaks(_ code: String) -> Bool {
        guard let languages = details.first(where: { $0.field == "languages" })?.value else { return false }
        return languages.split(separator: ",").contains { $0.filter { $0 != " " } == code }
    }
}

/// Names of the language codes visits use, for people: `German (de)`.
enum Language {
    /// `German (de)` for a known ISO 639-1 code, the code itself otherwise.
    static func name(of code: String) -> String {
        names[code.lowercased()].map { "\($0) (\(code))" } ?? code
    }

    private static let names: [String: String] = [
        "ar": "Arabic", "de": "German", "en": "English", "es": "Spanish", "fr": "French", "hi": "Hindi",
        "id": "Indonesian", "it": "Italian", "ja": "Japanese", "ko": "Korean", "ms": "Malay", "nl": "Dutch",
        "pl": "Polish", "pt": "Portuguese", "ru": "Russian", "sv": "Swedish", "th": "Thai", "tr": "Turkish",
        "vi": "Vietnamese", "zh": "Chinese",
    ]
}
