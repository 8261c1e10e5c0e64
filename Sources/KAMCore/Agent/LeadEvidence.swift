import Foundation

/// What lead enrichment reads about a lead, as the prompt's `evidence`: its contacts, remembered facts and latest
/// activities (emails among them), each headed by the reference a proposal names as its source (`contact 3`,
/// `memory pricing`, `activity 12`). Text from the records is fenced (`UntrustedText`): mail and notes carry text
/// written outside the team. Nothing is fetched from anywhere else.
///
/// For example:
/// ```swift
/// LeadEvidence.text(snapshot)
/// // contact 3: <untrusted>Jane Doe, Head of Purchasing, decision-maker, jane@acme.example</untrusted>
/// // activity 12 (email, inbound, 2026-01-14): <untrusted source="activity:12">…</untrusted>
/// ```
public enum LeadEvidence {
    /// The line a lead without records gets.
    public static let none = "(no emails, notes or activities yet)"

    /// The records of `snapshot`, the `maxActivities` latest activities newest first.
    public static func text(_ snapshot: ClientSnapshot, maxActivities: Int = 30) -> String {
        var lines: [String] = []
        for contact in snapshot.contacts {
            let parts = [contact.name, contact.title, contact.role.rawValue, contact.email].compactMap { $0 }
            lines.append("contact \(contact.id ?? 0): " + UntrustedText.fence(parts.joined(separator: ", "), source: nil))
        }
        for item in snapshot.memory {
            lines.append("memory \(item.key): " + UntrustedText.fence(item.value, source: "memory:\(item.key)"))
        }
        let activities = snapshot.activities.sorted { $0.occurredAt > $1.occurredAt }.prefix(maxActivities)
        for activity in activities {
            let id = activity.id ?? 0
            let text = [activity.subject, activity.body].compactMap { $0 }.joined(separator: "\n")
            lines.append(
                "activity \(id) (\(activity.kind.rawValue), \(activity.direction.rawValue), \(UTCTimestamp.day(activity.occurredAt))): "
                    + UntrustedText.fence(text, source: "activity:\(id)"))
        }
        return lines.isEmpty ? none : lines.joined(separator: "\n")
    }
}
