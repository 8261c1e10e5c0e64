import Foundation

extension SuggestionRules {
    /// The seeds' objection handling: an inbound message of the last `positiveWithinDays` that raises a price,
    /// timing or authority objection or names a competitor becomes a suggestion, one a message (`competitor-mention`
    /// when it names a competitor, else `objection`), whose accepted action is a reply draft that answers it (a person
    /// reviews it; nothing is sent). The phrase list's findings are merged with the analysis prompt's for an ingested
    /// email (`ClientSnapshot.modelFindings`), each quoted with its source. The shipped rule `competitor-mention-alert`
    /// notifies the owner of the first kind.
    func objections(_ s: ClientSnapshot, at now: Date, makeID: () -> String, expires: Date) -> [Suggestion] {
        let detector = ObjectionDetector(competitors: rules.competitors)
        let window = Double(rules.suggestions.positiveWithinDays) * 86_400
        var out: [Suggestion] = []
        for activity in s.activities where activity.direction == .inbound && now.timeIntervalSince(activity.occurredAt) <= window {
            let text = [activity.subject, activity.body].compactMap { $0 }.joined(separator: "\n")
            let findings = detector.findings(in: text, model: activity.id.flatMap { s.modelFindings[$0] } ?? [])
            guard !findings.isEmpty else { continue }
            let kinds = findings.map(\.kind).reduce(into: [ObjectionDetector.Kind]()) { if !$0.contains($1) { $0.append($1) } }
                .map(\.rawValue).joined(separator: " and ")
            let quoted = findings.map {
                "\($0.kind.rawValue): \"\($0.phrase)\" (\($0.sources.map(\.rawValue).joined(separator: ", ")))"
            }.joined(separator: "; ")
            let competitor = findings.contains { $0.kind == .competitor }
            out.append(
                Suggestion(
                    id: makeID(), clientID: s.client.id, type: competitor ? .competitorMention : .objection, target: "activity:\(activity.id ?? 0)",
                    title: "Answer the \(kinds) objection from \(s.client.name)",
                    reasoning: "The \(activity.kind.rawValue) of \(Self.day(activity.occurredAt)) raises \(quoted).",
                    evidence: [Evidence(kind: "activity", id: "\(activity.id ?? 0)", summary: Self.describe(activity))],
                    priority: 68 + (competitor ? 7 : 0) + min(10, findings.count * 3),
                    action: .draft(kind: .followUp, hint: "answer the \(kinds) objection raised on \(Self.day(activity.occurredAt)) (\(quoted))"),
                    createdAt: now, expiresAt: expires))
        }
        return out
    }
}
