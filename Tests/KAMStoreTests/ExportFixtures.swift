import Foundation
import GRDB
import KAMCore
import KAMStore

/// A small store like the demo's: consenting and non-consenting clients, contacts, a user, and
/// approved, edited and pending drafts whose prompts name the people.
enum ExportFixtures {
    static let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    static func store() throws -> ClientStore {
        let store = try ClientStore.inMemory(now: { t0 })
        _ = try store.upsertUser(User(id: "maria", name: "Maria Lopez", email: "maria.lopez@ourco.example", team: "enterprise"))
        _ = try store.upsertClient(
            Client(id: "acme", name: "Acme Manufacturing", ownerID: "maria", domain: "acme-mfg.example", consentTraining: true, createdAt: t0))
        _ = try store.upsertClient(Client(id: "umbrella", name: "Umbrella Health", consentTraining: false, createdAt: t0))
        _ = try store.upsertContact(
            Contact(clientID: "acme", name: "Jane Doe", email: "jane.doe@acme-mfg.example", phone: "+1 415 555 0134", title: "COO"))
        _ = try store.upsertContact(Contact(clientID: "umbrella", name: "Bob Stone", email: "bob@umbrella.example"))
        return store
    }

    static func messages(_ contact: String, _ company: String, extra: String = "") -> String {
        DraftGenerator.messagesJSON([
            ChatMessage(role: .system, content: "You write follow-up emails for a key account manager. Answer with JSON."),
            ChatMessage(
                role: .user,
                content: "Write a follow-up email to \(contact) at \(company).\nSign it as Maria Lopez.\n"
                    + (contact == "Jane Doe" ? "Contact: jane.doe@acme-mfg.example, phone +1 415 555 0134.\n" : "") + extra),
        ])
    }

    static func draft(
        _ id: String, client: String, contact: String = "Jane Doe", company: String = "Acme Manufacturing",
        body: String = "Hi Jane Doe, thanks for the inspection walk-through last week.", extra: String = "",
        created: Date = t0
    ) -> Draft {
        Draft(
            id: id, clientID: client, kind: .followUp, hint: nil, promptID: "draft.follow-up-email", promptVersion: "1",
            promptHash: "h", provider: "offline", model: "offline", isOffline: true,
            original: DraftContent(subject: "After the inspection", body: body, callToAction: "Reply with a date"),
            promptMessages: messages(contact, company, extra: extra), contextSnapshot: "context of \(company)",
            usage: Usage(inputTokens: 100, outputTokens: 50), cost: .zero, createdBy: "maria", createdAt: created)
    }

    /// Inserts and decides a draft: approved as is, or with `edit` as the person's text.
    static func insert(_ draft: Draft, in store: ClientStore, approve: Bool = true, edit: String? = nil) throws {
        let repo = DraftRepository(store: store)
        try repo.insert(draft)
        guard approve else { return }
        try repo.update(id: draft.id, action: "approve", user: "maria") {
            let edited = edit.map { DraftContent(subject: $0.isEmpty ? "x" : "After the inspection", body: $0, callToAction: "Reply with a date") }
            try $0.approve(edit: edited, by: "maria", at: t0)
        }
    }

    /// The demo-like data set: two approved acme drafts (one edited), one of a client without consent, one pending.
    static func demoLike() throws -> ClientStore {
        let store = try store()
        try insert(draft("d1", client: "acme"), in: store)
        try insert(draft("d2", client: "acme", created: t0.addingTimeInterval(60)), in: store,
                   edit: "Hello Jane Doe, thank you for walking us through the plant. Could we meet on Tuesday?")
        try insert(draft("d3", client: "umbrella", contact: "Bob Stone", company: "Umbrella Health", body: "Hi Bob, thanks for the tour."), in: store)
        try insert(draft("d4", client: "acme"), in: store, approve: false)
        return store
    }

    static func temporaryDirectory() -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("kam-export-\(UUID().uuidString)")
        return url.path
    }

    static func key() throws -> AnonymizationSession {
        try AnonymizationSession(key: Array("export-test-key-0123456789abcdef".utf8))
    }
}
