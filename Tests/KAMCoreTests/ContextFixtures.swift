import Foundation
import KAMCore
import KAMTesting

/// Counts whitespace-separated words: additive over items that start with a non-blank and end with `\n`.
struct ContextWordCounter: TokenCounting {
    func countTokens(_ text: String) -> Int {
        var count = 0
        var inWord = false
        for byte in text.utf8 {
            let blank = byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D
            if !blank && !inWord { count += 1 }
            inWord = !blank
        }
        return count
    }
}

/// `floor(bytes / 4)`: the whole counts more than the sum of its parts, like a tokenizer whose merges
/// cross item boundaries; exercises the final whole-text check.
struct ContextSuperadditiveCounter: TokenCounting {
    func countTokens(_ text: String) -> Int { text.utf8.count / 4 }
}

/// A store that always fails, to check how the assembler reports it.
struct ContextFailingMemory: ClientMemoryReading {
    struct Broken: Error {}
    func snapshot(clientID: String, activitiesSince: Date) throws -> ClientSnapshot? { throw Broken() }
    func resolveClient(_ query: String) throws -> ClientResolution { throw Broken() }
}

/// One rich client (`acme`) and a plain one (`globex`), at a fixed `now`.
enum ContextFixtures {
    static let now = Date(timeIntervalSince1970: 1_750_000_000)  // 2025-06-15T15:06:40Z

    static func daysAgo(_ days: Double) -> Date { now.addingTimeInterval(-days * 86_400) }

    static let acme = Client(
        id: "acme", name: "Acme Corp", industry: "Manufacturing", tier: .enterprise, monthlyBudget: 12_000,
        ownerID: "jane", domain: "acme.com", lifecycle: .atRisk, leadStatus: .won, createdAt: daysAgo(400))

    static let globex = Client(id: "globex", name: "Globex", createdAt: daysAgo(100))

    static let users = [User(id: "jane", name: "Jane Doe", email: "jane@kam.example", team: "EMEA")]

    static let contacts = [
        Contact(id: 1, clientID: "acme", name: "Bob Stone", email: "bob@acme.com", title: "CTO", role: .decisionMaker),
        Contact(id: 2, clientID: "acme", name: "Ann Lee", email: "ann@acme.com", title: "Buyer", role: .user),
        Contact(id: 3, clientID: "acme", name: "Carl Yu", email: "carl@acme.com", role: .champion),
        Contact(id: 4, clientID: "globex", name: "Hank", email: "hank@globex.com", role: .decisionMaker),
    ]

    static let memory = [
        MemoryItem(
            id: 1, clientID: "acme", kind: .preference, key: "preferred-call-time", value: "mornings, before 10",
            source: "user", updatedAt: daysAgo(20)),
        MemoryItem(
            id: 2, clientID: "acme", kind: .fact, key: "plant-count", value: "3 plants in Ohio",
            source: "email:msg-77", confidence: 0.8, updatedAt: daysAgo(10)),
        MemoryItem(
            id: 3, clientID: "acme", kind: .fact, key: "rumour", value: "may switch vendors",
            source: "email:msg-90", confidence: 0.3, updatedAt: daysAgo(5)),
    ]

    /// Ids 101...112: notes and neutral ones are low-signal; 112 is outside the 30-day window.
    static let activities = [
        Activity(
            id: 101, clientID: "acme", contactID: 1, kind: .email, direction: .inbound, occurredAt: daysAgo(1),
            subject: "Inspection", body: "Can we move the inspection to Friday?", sentiment: 0.6),
        Activity(
            id: 102, clientID: "acme", kind: .note, direction: .internal, occurredAt: daysAgo(2),
            body: "Bob sounded busy."),
        Activity(
            id: 103, clientID: "acme", contactID: 2, kind: .call, direction: .outbound, occurredAt: daysAgo(4),
            subject: "Pricing", body: "Discussed volume pricing.", sentiment: 0.1),
        Activity(
            id: 104, clientID: "acme", contactID: 1, kind: .meeting, direction: .outbound, occurredAt: daysAgo(6),
            subject: "QBR", body: "Quarterly review went well.", sentiment: 0.8),
        Activity(
            id: 105, clientID: "acme", contactID: 3, kind: .email, direction: .inbound, occurredAt: daysAgo(8),
            subject: "Complaint", body: "Late delivery again.", sentiment: -0.7),
        Activity(
            id: 106, clientID: "acme", kind: .note, direction: .internal, occurredAt: daysAgo(10),
            body: "Renewal risk flagged."),
        Activity(
            id: 107, clientID: "acme", contactID: 2, kind: .email, direction: .outbound, occurredAt: daysAgo(12),
            subject: "Follow-up", body: "Sent the catalogue."),
        Activity(
            id: 108, clientID: "acme", contactID: 1, kind: .demo, direction: .outbound, occurredAt: daysAgo(15),
            subject: "Demo", body: "Showed the new line.", sentiment: 0.5),
        Activity(
            id: 109, clientID: "acme", kind: .call, direction: .outbound, occurredAt: daysAgo(18),
            subject: "Check-in", sentiment: 0.0),
        Activity(
            id: 110, clientID: "acme", contactID: 3, kind: .email, direction: .inbound, occurredAt: daysAgo(22),
            subject: "Question", body: "Do you ship to Canada?", sentiment: 0.3),
        Activity(
            id: 111, clientID: "acme", kind: .note, direction: .internal, occurredAt: daysAgo(29),
            body: "Old note."),
        Activity(
            id: 112, clientID: "acme", contactID: 1, kind: .email, direction: .inbound, occurredAt: daysAgo(45),
            subject: "Ancient", body: "Outside the window.", sentiment: 0.9),
    ]

    static let deals = [
        Deal(
            id: 201, clientID: "acme", name: "Renewal 2025", stage: .negotiation, amount: 120_000, closeDate: daysAgo(-20),
            probability: 0.6, stageEnteredAt: daysAgo(14)),
        Deal(
            id: 202, clientID: "acme", name: "Spare parts", stage: .proposal, amount: 8_500.5, probability: 0.4,
            stageEnteredAt: daysAgo(3)),
        Deal(
            id: 203, clientID: "acme", name: "Lost one", stage: .closedLost, amount: 1_000, stageEnteredAt: daysAgo(30)),
    ]

    static let tasks = [
        ClientTask(id: 301, clientID: "acme", title: "Send proposal", due: daysAgo(3), priority: .high, assignee: "jane"),
        ClientTask(id: 302, clientID: "acme", title: "Book site visit", due: daysAgo(-5), priority: .low),
        ClientTask(id: 303, clientID: "acme", title: "Prepare QBR deck", due: daysAgo(-2), priority: .urgent),
        ClientTask(id: 304, clientID: "acme", title: "Old done task", due: daysAgo(9), status: .done),
        ClientTask(id: 305, clientID: "acme", title: "Chase invoice", due: daysAgo(1), status: .inProgress),
        ClientTask(id: 306, clientID: "acme", title: "Update CRM", priority: .medium),
    ]

    static let orders = [
        Order(id: 401, clientID: "acme", product: "Widget", quantity: 10, amount: 1_000, orderedAt: daysAgo(5)),
        Order(id: 402, clientID: "acme", product: "Gadget", quantity: 2, amount: 2_400, orderedAt: daysAgo(40)),
        Order(id: 403, clientID: "acme", product: "Widget", quantity: 5, amount: 500, orderedAt: daysAgo(70)),
        Order(
            id: 404, clientID: "acme", product: "Gizmo", quantity: 1, amount: 999, orderedAt: daysAgo(90),
            status: "cancelled"),
        Order(id: 405, clientID: "acme", product: "Widget", quantity: 20, amount: 1_900, orderedAt: daysAgo(120)),
        Order(id: 406, clientID: "acme", product: "Gadget", quantity: 1, amount: 1_200, orderedAt: daysAgo(150)),
        Order(id: 407, clientID: "acme", product: "Sprocket", quantity: 3, amount: 300, orderedAt: daysAgo(200)),
    ]

    static func store(activities: [Activity] = activities) -> InMemoryClientMemory {
        InMemoryClientMemory(
            clients: [acme, globex], users: users, contacts: contacts, memory: memory, activities: activities,
            deals: deals, tasks: tasks, orders: orders)
    }

    static func assemble(
        _ clientID: String = "acme", budget: Int? = nil, days: Int = 30,
        counter: any TokenCounting = ContextWordCounter(), store: InMemoryClientMemory = store()
    ) throws -> ContextAssemblyResult {
        let assembler = ContextAssembler(
            tokenCounter: counter, options: ContextAssemblyOptions(activityDays: days, tokenBudget: budget))
        return try assembler.assemble(clientID: clientID, from: store, now: now)
    }
}
