import Foundation
import KAMCore
import KAMStore
import Testing

/// Every write appends its domain event in its own transaction: each kind of write makes its event with a
/// payload of ids and states, and a write that fails (or rolls back after its event was appended) leaves none.
@Suite struct EventLogTests {
    static let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    func makeStore() throws -> ClientStore {
        let store = try ClientStore.inMemory(now: { Self.t0 })
        try store.upsertUser(User(id: "maria", name: "Maria Lopez", email: "maria@kam.example"))
        return store
    }

    /// The events appended since `mark`, oldest first.
    func events(_ store: ClientStore, after mark: Int64) throws -> [StoredEvent] {
        try EventRepository(store: store).events(after: mark)
    }

    func payload(_ event: StoredEvent) throws -> JSONValue { try JSONParser.parse(event.payload) }

    @Test func everyKindOfWriteAppendsItsEvent() throws {
        let store = try makeStore()
        let log = EventRepository(store: store)

        var mark = try log.lastID()
        try store.addClient(Client(id: "acme", name: "Acme", tier: .enterprise, ownerID: "maria", leadStatus: .qualified, createdAt: Self.t0))
        var created = try events(store, after: mark)
        #expect(created.map(\.kind) == ["client.created"])
        #expect(created[0].clientID == "acme")
        #expect(created[0].subjectID == "acme")
        #expect(created[0].occurredAt == Self.t0)
        #expect(try payload(created[0]) == .object(["client_id": "acme", "id": "acme", "owner_id": "maria"]))

        mark = try log.lastID()
        let contact = try store.addContact(Contact(clientID: "acme", name: "Jane Smith", email: "jane@acme.example", role: .champion))
        created = try events(store, after: mark)
        #expect(created.map(\.kind) == ["contact.created"])
        #expect(created[0].subjectID == contact.id.map(String.init))
        // Ids and states: the contact's name and email stay out of the log.
        #expect(!created[0].payload.contains("Jane") && !created[0].payload.contains("acme.example"))

        mark = try log.lastID()
        let (activityID, _) = try store.upsertActivity(
            Activity(clientID: "acme", contactID: contact.id, kind: .call, direction: .outbound, occurredAt: Self.t0, subject: "Pricing call", body: "secret plans"))
        created = try events(store, after: mark)
        #expect(created.map(\.kind) == ["activity.logged"])
        #expect(created[0].subjectID == String(activityID))
        #expect(try payload(created[0])["kind"] == "call")
        #expect(!created[0].payload.contains("Pricing") && !created[0].payload.contains("secret"))

        mark = try log.lastID()
        let added = try store.addDeal(Deal(clientID: "acme", name: "Renewal", stage: .qualification, amount: 1000, stageEnteredAt: Self.t0))
        let dealID = try #require(added.deal.id)
        let moved = try store.moveDeal(id: dealID, to: .proposal, by: "maria", at: Self.t0.addingTimeInterval(60)) { _ in }
        created = try events(store, after: mark)
        let stages = created.filter { $0.kind == "deal.stage-changed" }
        #expect(stages.map(\.subjectID) == [String(dealID), String(dealID)])
        #expect(try payload(stages[0])["from"] == .null)
        #expect(try payload(stages[0])["to"] == "qualification")
        #expect(try payload(stages[1])["from"] == "qualification")
        #expect(try payload(stages[1])["to"] == "proposal")
        #expect(try payload(stages[1])["user_id"] == "maria")
        // The lead move the deal made is its own event in the same transaction.
        let leads = created.filter { $0.kind == "lead.status-changed" }
        #expect(leads.count == (added.leadTransition == nil ? 0 : 1) + (moved.leadTransition == nil ? 0 : 1))

        mark = try log.lastID()
        let status = try #require(try store.client(id: "acme")).leadStatus
        try HealthRepository(store: store).apply(
            LeadTransition(clientID: "acme", from: status, to: .lost, automatic: false, reason: "went quiet", at: Self.t0))
        created = try events(store, after: mark)
        #expect(created.map(\.kind) == ["lead.status-changed"])
        #expect(try payload(created[0])["to"] == "lost")
        #expect(try payload(created[0])["automatic"] == .bool(false))
        #expect(!created[0].payload.contains("quiet"))

        mark = try log.lastID()
        let health = HealthRepository(store: store)
        try health.record(HealthScore(clientID: "acme", score: 72, factors: [], computedAt: Self.t0))
        try health.record(HealthScore(clientID: "acme", score: 72, factors: [], computedAt: Self.t0.addingTimeInterval(60)))
        try health.record(HealthScore(clientID: "acme", score: 55, factors: [], computedAt: Self.t0.addingTimeInterval(120)))
        created = try events(store, after: mark)
        #expect(created.map(\.kind) == ["health.changed", "health.changed"])  // the unchanged score made none
        #expect(try payload(created[0])["previous_score"] == .null)
        #expect(try payload(created[1])["score"] == .int(55))
        #expect(try payload(created[1])["previous_score"] == .int(72))
        #expect(try payload(created[1])["band"] == .string(HealthScore(clientID: "acme", score: 55, factors: [], computedAt: Self.t0).band.rawValue))

        mark = try log.lastID()
        let suggestions = SuggestionRepository(store: store)
        func suggestion(_ id: String, _ type: SuggestionType) -> Suggestion {
            Suggestion(
                id: id, clientID: "acme", type: type, target: "client:acme", title: "t", reasoning: "r", evidence: [],
                priority: 60, action: .task(title: "x", dueInDays: 1, priority: .high), createdAt: Self.t0,
                expiresAt: Self.t0.addingTimeInterval(14 * 86_400))
        }
        try suggestions.add([suggestion("s1", .followUp), suggestion("s2", .upsell), suggestion("s3", .followUp)], now: Self.t0)
        try suggestions.decide(id: "s1") { $0.status = .accepted; $0.artifact = "task:9" }
        try suggestions.decide(id: "s2") { $0.status = .dismissed }
        created = try events(store, after: mark)
        // s3 duplicates the pending s1: not stored, no event.
        #expect(created.map(\.kind) == ["suggestion.created", "suggestion.created", "suggestion.accepted", "suggestion.dismissed"])
        #expect(created.map(\.subjectID) == ["s1", "s2", "s1", "s2"])
        #expect(try payload(created[2])["artifact"] == "task:9")

        mark = try log.lastID()
        try suggestions.reopen(id: "s1")
        try suggestions.decide(id: "s1") { $0.status = .snoozed; $0.snoozedUntil = Self.t0.addingTimeInterval(86_400) }
        try suggestions.add([suggestion("s4", .upsell), suggestion("s5", .renewalRisk)], now: Self.t0)
        try suggestions.resolve(clientID: "acme", keeping: ["acme|renewal-risk|client:acme"], reason: "the deal moved")
        try suggestions.expirePending(now: Self.t0.addingTimeInterval(15 * 86_400))
        created = try events(store, after: mark)
        #expect(created.map(\.kind) == [
            "suggestion.reopened", "suggestion.snoozed", "suggestion.created", "suggestion.created",
            "suggestion.resolved", "suggestion.resolved", "suggestion.expired",
        ])
        #expect(created.map(\.subjectID) == ["s1", "s1", "s4", "s5", "s1", "s4", "s5"])
        #expect(!created.contains { $0.payload.contains("moved") })

        mark = try log.lastID()
        let drafts = DraftRepository(store: store)
        try drafts.insert(Self.draft("d1"))
        try drafts.insert(Self.draft("d2"))
        try drafts.update(id: "d1", action: "approve", user: "maria") { try $0.approve(by: "maria", at: Self.t0) }
        try drafts.update(id: "d2", action: "reject", user: "maria") { try $0.reject(reason: "too long", by: "maria", at: Self.t0) }
        created = try events(store, after: mark)
        #expect(created.map(\.kind) == ["draft.created", "draft.created", "draft.approved", "draft.rejected"])
        #expect(try payload(created[2])["status"] == "approved")
        #expect(try payload(created[3])["user_id"] == "maria")
        #expect(!created[3].payload.contains("too long"))

        mark = try log.lastID()
        let jobs = JobRunRepository(store: store)
        let run = try #require(try jobs.claim(job: "retention-cleanup", slot: Self.t0, owner: "test", now: Self.t0, leaseUntil: Self.t0.addingTimeInterval(60)))
        try jobs.finish(id: run.id, owner: "test", outcome: .failed, counts: [:], error: "disk full", now: Self.t0)
        created = try events(store, after: mark)
        #expect(created.map(\.kind) == ["job.failed"])
        #expect(try payload(created[0])["job"] == "retention-cleanup")
        #expect(!created[0].payload.contains("disk"))
    }

    /// The writes beyond the CRM's main records: edits and removals, memory, orders, draft edits and sends,
    /// feedback, and the team's settings (users, teams, keys, webhooks). Ids and states only, as everywhere.
    @Test func editsMemoryOrdersFeedbackAndSettingsAppendTheirEvents() throws {
        let store = try makeStore()
        let log = EventRepository(store: store)
        try store.addClient(Client(id: "acme", name: "Acme", ownerID: "maria", createdAt: Self.t0))

        var mark = try log.lastID()
        try store.updateClient(id: "acme", reason: "by hand", at: Self.t0) { $0.industry = "Retail"; $0.tier = .enterprise }
        try store.updateClient(id: "acme", reason: "nothing", at: Self.t0) { _ in }
        var created = try events(store, after: mark)
        #expect(created.map(\.kind) == ["client.updated"])  // the edit that changed nothing made none
        #expect(try payload(created[0])["fields"] == .array(["industry", "tier"]))
        #expect(!created[0].payload.contains("Retail"))

        let contact = try store.addContact(Contact(clientID: "acme", name: "Jane Smith", email: "jane@acme.example"))
        let contactID = try #require(contact.id)
        mark = try log.lastID()
        try store.updateContact(id: contactID, clientID: "acme") { $0.title = "CFO"; $0.role = .decisionMaker }
        try store.removeContact(id: contactID, clientID: "acme")
        created = try events(store, after: mark)
        #expect(created.map(\.kind) == ["contact.updated", "contact.removed"])
        #expect(try payload(created[0])["fields"] == .array(["title", "role"]))
        #expect(created.allSatisfy { $0.subjectID == String(contactID) && !$0.payload.contains("CFO") && !$0.payload.contains("Jane") })

        mark = try log.lastID()
        let first = try store.remember(clientID: "acme", text: "Prefers calls on Tuesday", key: "calls")
        try store.remember(clientID: "acme", text: "Prefers calls on Thursday", key: "calls")
        try store.forget(clientID: "acme", key: "calls")
        created = try events(store, after: mark)
        #expect(created.map(\.kind) == ["memory.remembered", "memory.remembered", "memory.forgotten"])
        #expect(created.map { try? payload($0)["outcome"] } == ["created", "updated", nil])
        #expect(created.allSatisfy { $0.subjectID == first.item.id.map(String.init) && !$0.payload.contains("Tuesday") })
        #expect(try payload(created[0])["source"] == "user")

        mark = try log.lastID()
        let (orderID, _) = try store.upsertOrder(Order(clientID: "acme", externalID: "o-1", product: "Seats", amount: 1200, orderedAt: Self.t0))
        try store.upsertOrder(Order(clientID: "acme", externalID: "o-1", product: "Seats", amount: 1300, orderedAt: Self.t0))
        created = try events(store, after: mark)
        #expect(created.map(\.kind) == ["order.recorded"])  // a re-read export changing an order is not announced again
        #expect(created[0].subjectID == String(orderID))
        #expect(try payload(created[0])["amount"] == .double(1200))
        #expect(!created[0].payload.contains("Seats"))

        let drafts = DraftRepository(store: store)
        try drafts.insert(Self.draft("d1"))
        let suggestions = SuggestionRepository(store: store)
        try suggestions.add(
            [Suggestion(
                id: "s1", clientID: "acme", type: .followUp, target: "client:acme", title: "t", reasoning: "r", evidence: [],
                priority: 60, action: .task(title: "x", dueInDays: 1, priority: .high), createdAt: Self.t0,
                expiresAt: Self.t0.addingTimeInterval(86_400))], now: Self.t0)
        mark = try log.lastID()
        try drafts.update(id: "d1", action: "edit", user: "maria") {
            try $0.saveEdit(DraftContent(subject: "Edited", body: "Hello there", callToAction: "Reply"), at: Self.t0)
        }
        try drafts.update(id: "d1", action: "approve", user: "maria") { try $0.approve(by: "maria", at: Self.t0) }
        try drafts.update(id: "d1", action: "mark-sent", user: "maria") { try $0.markSent(at: Self.t0) }
        try drafts.addFeedback(draftID: "d1", rating: .down, reason: "too stiff", user: "maria", at: Self.t0)
        try suggestions.addFeedback(suggestionID: "s1", FeedbackEntry(rating: .up, reason: "spot on", user: "maria", at: Self.t0))
        created = try events(store, after: mark)
        #expect(created.map(\.kind) == ["draft.edited", "draft.approved", "draft.sent", "feedback.recorded", "feedback.recorded"])
        #expect(created.map(\.subjectID) == ["d1", "d1", "d1", "d1", "s1"])
        #expect(try payload(created[3]) == .object(["client_id": "acme", "id": "d1", "target": "draft", "rating": "down", "user_id": "maria"]))
        #expect(try payload(created[4])["target"] == "suggestion")
        #expect(!created.contains { $0.payload.contains("stiff") || $0.payload.contains("spot on") || $0.payload.contains("Hello") })

        mark = try log.lastID()
        let users = UserRepository(store: store)
        try users.addTeam(Team(id: "north", name: "North", createdAt: Self.t0))
        try users.add(UserAccount(id: "olaf", name: "Olaf", email: "olaf@kam.example", team: "north"))
        try users.setTimeZone(id: "olaf", "Europe/Oslo")
        let keys = APIKeyRepository(store: store)
        let (key, plaintext) = try keys.create(userID: "olaf", now: Self.t0)
        try keys.revoke(id: key.id, now: Self.t0)
        #expect(try keys.revoke(id: key.id, now: Self.t0) == false)  // already revoked: no second event
        try users.disable(id: "olaf", now: Self.t0)
        let hooks = WebhookSubscriptionRepository(store: store)
        _ = try hooks.add(id: "w1", url: "https://hooks.example/kam", events: ["draft.approved"], secret: .stored("s3cret"), now: Self.t0)
        try hooks.disable(id: "w1", now: Self.t0)
        let sources = WebhookSourceRepository(store: store)
        try sources.upsert(name: "mailgun", secret: .stored("t0ps3cret"), now: Self.t0)
        try sources.disable(name: "mailgun", now: Self.t0)
        created = try events(store, after: mark)
        #expect(created.map(\.kind) == [
            "team.added", "user.added", "user.updated", "key.created", "key.revoked", "user.disabled", "webhook.added",
            "webhook.disabled", "webhook-source.saved", "webhook-source.disabled",
        ])
        #expect(created.allSatisfy { $0.clientID == nil })
        #expect(created.map(\.subjectID) == ["north", "olaf", "olaf", key.id, key.id, "olaf", "w1", "w1", "mailgun", "mailgun"])
        #expect(try payload(created[1])["team"] == "north")
        #expect(try payload(created[6])["events"] == .array(["draft.approved"]))
        // No secret, key, URL or address reaches the log.
        for secret in [plaintext, APIKeyRepository.hash(plaintext), "s3cret", "t0ps3cret", "hooks.example", "olaf@kam.example", "Oslo"] {
            #expect(!created.contains { $0.payload.contains(secret) }, "\(secret) is in an event")
        }
    }

    @Test func aTaskIsAnnouncedWhenCreatedAndWhenItsStatusChanges() throws {
        let store = try makeStore()
        try store.addClient(Client(id: "acme", name: "Acme", createdAt: Self.t0))
        let mark = try EventRepository(store: store).lastID()
        let task = try store.addTask(ClientTask(clientID: "acme", title: "Call Jane about the quote", priority: .high, assignee: "maria"))
        let id = try #require(task.id)
        try store.updateTask(id: id) { $0.title = "Call Jane" }  // not a status change: no event
        try store.updateTask(id: id) { $0.status = .done }
        let (imported, _) = try store.upsertTask(ClientTask(clientID: "acme", externalID: "crm:1", title: "Renewal prep"))
        try store.upsertTask(ClientTask(clientID: "acme", externalID: "crm:1", title: "Renewal prep", status: .cancelled))
        let created = try events(store, after: mark)
        #expect(created.map(\.kind) == ["task.created", "task.status-changed", "task.created", "task.status-changed"])
        #expect(created.map(\.subjectID) == [String(id), String(id), String(imported), String(imported)])
        #expect(try payload(created[0])["priority"] == "high")
        #expect(try payload(created[1])["from"] == "open")
        #expect(try payload(created[1])["to"] == "done")
        #expect(try payload(created[3])["to"] == "cancelled")
        #expect(!created.contains { $0.payload.contains("Jane") || $0.payload.contains("Renewal") })
    }

    @Test func anOverdueTaskIsNotedOncePerDueTime() throws {
        let store = try makeStore()
        try store.addClient(Client(id: "acme", name: "Acme", createdAt: Self.t0))
        let due = Self.t0.addingTimeInterval(3_600)
        let task = try store.addTask(ClientTask(clientID: "acme", title: "Send the quote", due: due, assignee: "maria"))
        try store.addTask(ClientTask(clientID: "acme", title: "Done already", due: due, status: .done))
        let taskID = try #require(task.id)

        #expect(try store.noteOverdueTasks(now: due) == 0)  // due now is not overdue yet
        #expect(try store.noteOverdueTasks(now: due.addingTimeInterval(60)) == 1)
        #expect(try store.noteOverdueTasks(now: due.addingTimeInterval(7_200)) == 0)  // noted already
        let later = due.addingTimeInterval(86_400)
        try store.updateTask(id: taskID) { $0.due = later }
        #expect(try store.noteOverdueTasks(now: later.addingTimeInterval(60)) == 1)  // a new due time, a new event

        let overdue = try EventRepository(store: store).events(after: 0, kinds: ["task.overdue"])
        #expect(overdue.map(\.subjectID) == [String(taskID), String(taskID)])
        #expect(try payload(overdue[0])["due"] == .string(due.formatted(.iso8601)))
        #expect(try payload(overdue[0])["assignee"] == "maria")
        #expect(!overdue[0].payload.contains("quote"))
    }

    @Test func anImportAppendsTheEventsOfWhatItCreated() throws {
        let store = try makeStore()
        let json = """
            {"clients": [{"id": "acme", "name": "Acme", "contacts": [{"name": "Jane", "email": "jane@acme.example"}],
              "activities": [{"kind": "call", "occurred_at": "2026-01-05T10:00:00Z", "subject": "Kickoff"}],
              "deals": [{"name": "Renewal", "stage": "proposal", "amount": 1000, "stage_entered_at": "2026-01-05T10:00:00Z"}]}]}
            """
        _ = try ClientImporter(store: store).importJSON(Data(json.utf8))
        #expect(try events(store, after: 0).map(\.kind) == ["client.created", "contact.created", "activity.logged", "deal.stage-changed"])
        // Importing the same file again changes nothing and says nothing.
        let mark = try EventRepository(store: store).lastID()
        _ = try ClientImporter(store: store).importJSON(Data(json.utf8))
        #expect(try events(store, after: mark).isEmpty)
    }

    @Test func aCSVImportAnnouncesEachClientOnceAndItsReImportNothingNew() throws {
        let store = try makeStore()
        // One company on three rows whose lead statuses differ (the furthest, Won, is the client's), one on one row.
        let rows = [
            CSVImportCompanyTests.row(1, "ann@acme-mfg.com", status: "Lost"),
            CSVImportCompanyTests.row(2, "bob@acme-mfg.com", status: "Won"),
            CSVImportCompanyTests.row(3, "cid@acme-mfg.com", status: "Lost"),
            CSVImportCompanyTests.row(4, "gina@globex.com", status: "Lost"),
        ]
        let csv = CSVImportCompanyTests.csv(rows)
        _ = try ClientImporter(store: store).importCSV(csv, file: "crm.csv", mapping: .workbench)
        let first = try events(store, after: 0)
        // One event a client (not one a created record), then the import's.
        #expect(first.filter { $0.kind == "client.imported" }.map(\.clientID) == ["acme-mfg", "globex"])
        #expect(!first.contains { ["client.created", "contact.created", "activity.logged"].contains($0.kind) })
        #expect(first.last?.kind == "import.completed")
        // The company's second write (at its last row) completes it: no lead move inside one import.
        #expect(!first.contains { $0.kind == "lead.status-changed" }, "\(first.map(\.payload))")

        let mark = try EventRepository(store: store).lastID()
        _ = try ClientImporter(store: store).importCSV(csv, file: "crm.csv", mapping: .workbench)
        #expect(try events(store, after: mark).map(\.kind) == ["import.completed"])
    }

    @Test func aWriteThatFailsLeavesNoEvent() throws {
        let store = try makeStore()
        try store.addClient(Client(id: "acme", name: "Acme", createdAt: Self.t0))
        try store.addContact(Contact(clientID: "acme", name: "Jane", email: "jane@acme.example"))
        let mark = try EventRepository(store: store).lastID()

        // Refused before anything is written.
        #expect(throws: StoreError.self) { try store.addClient(Client(id: "acme", name: "Again", createdAt: Self.t0)) }
        #expect(throws: StoreError.self) { try store.addContact(Contact(clientID: "acme", name: "Jo", email: "jane@acme.example")) }
        // Refused after the deal was inserted and its event appended: both roll back.
        let importer = ClientImporter(store: store)
        let broken = """
            {"clients": [{"id": "globex", "name": "Globex"}, {"id": "initech", "name": "Initech", "owner": "nobody"}]}
            """
        #expect(throws: (any Error).self) { _ = try importer.importJSON(Data(broken.utf8)) }
        #expect(try store.client(id: "globex") == nil)
        // A write whose own transaction fails after its event.
        #expect(throws: StoreError.self) {
            try store.updateClient(id: "acme", reason: "test", at: Self.t0) { client in
                client.leadStatus = .lost
                client.ownerID = "nobody"
            }
        }
        #expect(try store.client(id: "acme")?.leadStatus == .won)
        #expect(try events(store, after: mark).isEmpty)
    }

    static func draft(_ id: String) -> Draft {
        Draft(
            id: id, clientID: "acme", kind: .followUp, hint: nil, promptID: "draft.follow-up-email", promptVersion: "1",
            promptHash: "h", provider: "offline", model: "offline", isOffline: true,
            original: DraftContent(subject: "After the call", body: "Hi", callToAction: "Reply"),
            promptMessages: "[]", contextSnapshot: "", usage: Usage(inputTokens: 1, outputTokens: 1), cost: .zero,
            createdBy: "maria", createdAt: t0)
    }
}
