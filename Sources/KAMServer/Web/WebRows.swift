import Foundation
import KAMCore
import KAMRuntime
import KAMStore

/// The rows several pages show the same way: a suggestion with its reasoning and evidence, a draft in a list, a
/// notification. One shape each, so Today, the client page and the review queue agree.
enum WebRows {
    struct SuggestionRow: Encodable, Sendable {
        var id: String
        var clientID: String
        var type: String
        var title: String
        var reasoning: String
        var priority: Int
        var action: String
        var evidence: [String]
        var expires: String
        /// Why the priority is lower than the rule's: the reader's own dismissals (`DismissalLearning`).
        var priorityChange: PriorityChangeRow?
        /// The dismissal kinds for the dismiss form, in their order.
        var reasons: [DismissReasonOption]

        struct PriorityChangeRow: Encodable, Sendable {
            var base: Int
            var reasons: [String]
        }

        struct DismissReasonOption: Encodable, Sendable {
            var value: String
            var label: String
        }

        init(_ suggestion: Suggestion, now: Date) {
            id = suggestion.id
            clientID = suggestion.clientID
            type = suggestion.type.rawValue
            title = suggestion.title
            reasoning = suggestion.reasoning
            priority = suggestion.priority
            action = suggestion.action.summary
            evidence = suggestion.evidence.map { "\($0.kind) \($0.id): \($0.summary)" }
            expires = WebFormat.age(suggestion.expiresAt, now: now)
            priorityChange = suggestion.priorityChange.map { PriorityChangeRow(base: $0.base, reasons: $0.reasons) }
            reasons = DismissReason.allCases.map { DismissReasonOption(value: $0.rawValue, label: $0.label.prefix(1).uppercased() + $0.label.dropFirst()) }
        }
    }

    struct DraftRow: Encodable, Sendable {
        var id: String
        var clientID: String
        var kind: String
        var status: String
        var pending: Bool
        var subject: String
        var body: String
        var original: String
        var edited: Bool
        var hint: String?
        var prompt: String
        var model: String
        var createdBy: String?
        var created: String
        var rejectReason: String?

        init(_ draft: Draft) {
            id = draft.id
            clientID = draft.clientID
            kind = draft.kind.rawValue
            status = draft.status.rawValue
            pending = draft.status == .pending
            subject = draft.final.subject
            body = draft.final.body
            original = draft.original.body
            edited = draft.edited != nil
            hint = draft.hint
            prompt = "\(draft.promptID)@\(draft.promptVersion)"
            model = draft.isOffline ? "offline" : "\(draft.provider)/\(draft.model)"
            createdBy = draft.createdBy
            created = WebFormat.time(draft.createdAt)
            rejectReason = draft.rejectReason
        }
    }

    struct NotificationRow: Encodable, Sendable {
        var id: Int64
        var clientID: String?
        var title: String
        var body: String
        var unread: Bool
        var created: String

        init(_ notification: StoredNotification) {
            id = notification.id
            clientID = notification.clientID
            title = notification.title
            body = notification.body
            unread = notification.readAt == nil
            created = WebFormat.time(notification.createdAt)
        }
    }
}
