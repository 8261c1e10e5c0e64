import Foundation
import GRDB
import KAMCore
import KAMStore

/// Approved drafts in bulk for `kam-bench export`: clients (most consenting to training), their
/// contacts, a few users, and drafts whose prompts name them the way real prompts do; every fifth
/// draft was edited before approval.
public enum SyntheticApprovedDrafts {
    public struct Summary: Sendable {
        public var clients: Int
        public var drafts: Int
        public var consentingClients: Int
    }

    /// Adds `count` approved drafts (and 50 clients with contacts, 5 users) to `store`, in batches.
    public static func generate(count: Int, into store: ClientStore, seed: UInt64 = 11) throws -> Summary {
        let firstNames = ["Olivia", "Liam", "Emma", "Noah", "Ava", "Mateo", "Sofia", "Lucas", "Mia", "Ethan", "Chloe", "Arjun"]
        let lastNames = ["Johnson", "Garcia", "Smith", "Müller", "Rossi", "Kowalski", "Nguyen", "Okafor", "Silva", "Larsen"]
        let companies = ["Northwind", "Contoso", "Fabrikam", "Tailspin", "Wingtip", "Litware", "Proseware", "Adatum", "Humongous", "Lucerne"]
        let suffixes = ["Logistics", "Foods", "Energy", "Health", "Retail"]
        let t0 = Date(timeIntervalSince1970: 1_767_225_600)
        var clients: [(id: String, name: String, contact: String, email: String, phone: String)] = []
        var consenting = 0
        try store.writer.write { db in
            for u in 0..<5 {
                let name = "\(firstNames[u]) \(lastNames[(u + 3) % lastNames.count])"
                try db.execute(
                    sql: "INSERT OR IGNORE INTO users (id, name, email, team) VALUES (?, ?, ?, 'sales')",
                    arguments: ["u\(u)", name, "\(firstNames[u].lowercased())@ourco.example"])
            }
            for c in 0..<50 {
                let name = "\(companies[c % companies.count]) \(suffixes[c / companies.count % suffixes.count])"
                let id = "c\(c)"
                let consent = c % 10 != 3
                if consent { consenting += 1 }
                try db.execute(
                    sql: """
                        INSERT INTO clients (id, name, tier, currency, consent_ai_analysis, consent_training, lifecycle,
                          lead_status, created_at, updated_at, domain)
                        VALUES (?, ?, 'standard', 'USD', 1, ?, 'active', 'won', ?, ?, ?)
                        """,
                    arguments: [id, name, consent, t0.timeIntervalSince1970, t0.timeIntervalSince1970, "\(id).example"])
                let contact = "\(firstNames[(c * 5) % firstNames.count]) \(lastNames[(c * 7) % lastNames.count])"
                let email = "\(contact.split(separator: " ")[0].lowercased()).\(c)@\(id).example"
                let phone = String(format: "+1 415 555 %04d", 1000 + c)
                try db.execute(
                    sql: "INSERT INTO contacts (client_id, name, email, phone, title, role) VALUES (?, ?, ?, ?, 'COO', 'user')",
                    arguments: [id, contact, email, phone])
                clients.append((id, name, contact, email, phone))
            }
        }
        let system = """
            You write follow-up emails for a key account manager to review and send. A person approves every message; \
            you never send anything. Use only facts that appear in the context; never invent numbers, dates or names. \
            Answer with JSON matching the output schema: subject, body, call_to_action, tone, and facts_used.
            """
        var state = seed
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        let batch = 10_000
        var written = 0
        while written < count {
            let n = min(batch, count - written)
            try store.writer.write { db in
                let insert = try db.makeStatement(
                    sql: """
                        INSERT INTO drafts (id, client_id, kind, status, created_at, updated_at, decided_at, sent_at,
                          prompt_id, prompt_version, prompt_hash, provider, model, is_offline, experiment_id, variant, document)
                        VALUES (?, ?, 'follow-up', ?, ?, ?, ?, NULL, 'draft.follow-up-email', '3', 'h', 'offline', 'offline', 1, NULL, NULL, ?)
                        """)
                for i in written..<(written + n) {
                    let client = clients[next() % clients.count]
                    let user = "\(firstNames[i % 5]) \(lastNames[(i % 5 + 3) % lastNames.count])"
                    let created = t0.addingTimeInterval(Double(i))
                    let topic = ["the inspection", "the renewal quote", "the delivery delay", "the new pricing", "onboarding"][next() % 5]
                    let user_ = """
                        Write a follow-up email to \(client.contact) (COO) at \(client.name).
                        Sign it as \(user).
                        The account manager asks: mention \(topic)
                        Client context:
                        - Company: \(client.name) (id \(client.id)), tier standard, domain \(client.id).example
                        - Contact: \(client.contact) <\(client.email)>, phone \(client.phone)
                        - Last call on 2026-01-\(10 + i % 18): discussed \(topic) and the order of \(next() % 90 + 10) pallets
                        """
                    let body = "Hi \(client.contact.split(separator: " ")[0]),\n\nthank you for your time on the call about \(topic). "
                        + "As promised, here is a short summary and the next steps for \(client.name).\n\nBest regards,\n\(user)"
                    var draft = Draft(
                        id: String(format: "s%08d", i), clientID: client.id, kind: .followUp, hint: topic,
                        promptID: "draft.follow-up-email", promptVersion: "3", promptHash: "h", provider: "offline",
                        model: "offline", isOffline: true,
                        original: DraftContent(subject: "Following up on \(topic)", body: body, callToAction: "Reply with a time"),
                        promptMessages: DraftGenerator.messagesJSON([
                            ChatMessage(role: .system, content: system), ChatMessage(role: .user, content: user_),
                        ]),
                        contextSnapshot: "", usage: Usage(inputTokens: 300, outputTokens: 120), cost: nil, createdBy: "u\(i % 5)",
                        createdAt: created)
                    if i % 5 == 0 {
                        try draft.approve(
                            edit: DraftContent(subject: draft.original.subject, body: body + "\n\nP.S. I attached the quote.", callToAction: "Reply with a time"),
                            by: "u0", at: created)
                    } else {
                        try draft.approve(by: "u0", at: created)
                    }
                    try insert.execute(arguments: [
                        draft.id, draft.clientID, draft.status.rawValue, created.timeIntervalSince1970, created.timeIntervalSince1970,
                        created.timeIntervalSince1970, try DocumentCoding.encode(draft),
                    ])
                }
            }
            written += n
        }
        return Summary(clients: clients.count, drafts: count, consentingClients: consenting)
    }
}
