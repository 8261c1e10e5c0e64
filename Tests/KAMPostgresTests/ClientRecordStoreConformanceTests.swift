import Foundation
import KAMCore
import Testing

/// The client records' behaviour (`ClientRecordStoring`), written once and run against SQLite and PostgreSQL: every
/// write with its events and lead moves, every refusal with its code and message (`+Races`: across two handles).
@Suite("Client record store conformance")
struct ClientRecordStoreConformanceTests {
    static let t0 = ClientRecordWorld.start

    /// `body` must throw a `StoreError` equal in code and message to `expected`.
    static func expectRefusal(_ expected: StoreError, _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("expected \(expected.code.rawValue): \(expected.message)")
        } catch let error as StoreError {
            #expect(error.code == expected.code)
            #expect(error.message == expected.message)
        } catch {
            Issue.record("expected a StoreError, got \(error)")
        }
    }

    /// The events after `mark` as `kind subject`.
    static func kinds(_ world: ClientRecordWorld, after mark: Int64) throws -> [String] {
        try world.events.events(after: mark, kinds: nil, clientID: nil, limit: 1000).map {
            "\($0.kind) \($0.subjectID ?? "-")"
        }
    }

    @Test("clients are added once, by id and external id, and updated with their lead moves",
        arguments: StoreBackend.allCases)
    func clients(kind: StoreBackend) async throws {
        try await kind.withWorld(ClientRecordWorld.self) { world in
            let records = world.records
            let mark = try world.events.lastID()
            let initech = Client(id: "initech", name: "Initech", externalID: "crm-9", createdAt: Self.t0)
            #expect(try records.addClient(initech) == initech)
            #expect(try world.client("initech")?.externalID == "crm-9")
            #expect(try Self.kinds(world, after: mark) == ["client.created initech"])
            Self.expectRefusal(.clientIDTaken("acme", name: "Acme")) {
                try records.addClient(Client(id: "acme", name: "Other", createdAt: Self.t0))
            }
            Self.expectRefusal(.externalIDTaken("crm-9", by: "initech")) {
                try records.addClient(Client(id: "hooli", name: "Hooli", externalID: "crm-9", createdAt: Self.t0))
            }
            Self.expectRefusal(.unknownOwner("u9", client: "hooli")) {
                try records.addClient(Client(id: "hooli", name: "Hooli", ownerID: "u9", createdAt: Self.t0))
            }
            Self.expectRefusal(.unnamedClient("hooli")) {
                try records.addClient(Client(id: "hooli", name: "", createdAt: Self.t0))
            }
            #expect(try world.client("hooli") == nil)

            // An edit that moves the lead keeps the move, its event, and the edit's own event.
            let at = Self.t0.addingTimeInterval(60)
            let before = try world.events.lastID()
            let (client, move) = try records.updateClient(id: "acme", reason: "signed", at: at) { client in
                client.name = "Acme Corp"
                client.leadStatus = .won
                client.id = "ignored"
            }
            #expect(client.id == "acme" && client.name == "Acme Corp" && client.updatedAt == at)
            #expect(client.createdAt == Self.t0)
            #expect(
                move == LeadTransition(clientID: "acme", from: .qualified, to: .won, automatic: false, reason: "signed", at: at))
            let stored = try #require(try world.client("acme"))
            #expect(stored.name == "Acme Corp" && stored.leadStatus == .won && stored.updatedAt == at)
            #expect(try Self.kinds(world, after: before) == ["lead.status-changed acme", "client.updated acme"])
            #expect(try await world.count("lead_transitions", "client_id = 'acme' AND to_status = 'won'") == 1)
            // An edit that changes nothing moves nothing and says nothing.
            let quiet = try world.events.lastID()
            #expect(try records.updateClient(id: "acme", reason: "", at: at) { _ in }.leadTransition == nil)
            #expect(try world.events.lastID() == quiet)
            Self.expectRefusal(.noClient("nobody")) { try records.updateClient(id: "nobody", reason: "", at: at) { _ in } }
            Self.expectRefusal(.unknownOwner("u9", client: "acme")) {
                try records.updateClient(id: "acme", reason: "", at: at) { $0.ownerID = "u9" }
            }
            #expect(try world.client("acme")?.ownerID == "u1")
        }
    }

    @Test("contacts: added, listed by name, an email once a client (in any case), changed and removed",
        arguments: StoreBackend.allCases)
    func contacts(kind: StoreBackend) async throws {
        try await kind.withWorld(ClientRecordWorld.self) { world in
            let records = world.records
            let mark = try world.events.lastID()
            let zoe = try records.addContact(Contact(clientID: "acme", name: "Zoe", email: "zoe@acme.example"))
            let ana = try records.addContact(
                Contact(clientID: "acme", name: "Ana", email: "ana@acme.example", role: .decisionMaker))
            let anaID = try #require(ana.id)
            let zoeID = try #require(zoe.id)
            #expect(ana.name == "Ana" && ana.role == .decisionMaker && zoeID != anaID)
            #expect(try records.contacts(clientID: "acme") == [ana, zoe])
            #expect(try records.contacts(clientID: "globex").isEmpty)
            #expect(try Self.kinds(world, after: mark) == ["contact.created \(zoeID)", "contact.created \(anaID)"])
            Self.expectRefusal(.contactEmailTaken("ANA@acme.example", clientID: "acme", by: anaID, name: "Ana")) {
                try records.addContact(Contact(clientID: "acme", name: "Ann", email: "ANA@acme.example"))
            }
            // Another client may have the same person.
            #expect(try records.addContact(Contact(clientID: "globex", name: "Ana", email: "ana@acme.example")).id != nil)
            Self.expectRefusal(.noClient("nobody")) { try records.addContact(Contact(clientID: "nobody", name: "X")) }

            let before = try world.events.lastID()
            let changed = try records.updateContact(id: anaID, clientID: "acme") { contact in
                contact.title = "CTO"
                contact.email = "Ana@Acme.example"  // her own email, in another case: not taken
                contact.clientID = "globex"
            }
            #expect(changed.title == "CTO" && changed.clientID == "acme" && changed.id == anaID)
            #expect(try records.contacts(clientID: "acme").first == changed)
            #expect(try Self.kinds(world, after: before) == ["contact.updated \(anaID)"])
            Self.expectRefusal(.contactEmailTaken("zoe@acme.example", clientID: "acme", by: zoeID, name: "Zoe")) {
                try records.updateContact(id: anaID, clientID: "acme") { $0.email = "zoe@acme.example" }
            }
            Self.expectRefusal(.noContact(anaID, clientID: "globex")) {
                try records.updateContact(id: anaID, clientID: "globex") { _ in }
            }
            Self.expectRefusal(.noContact(anaID, clientID: "nobody")) {
                try records.updateContact(id: anaID, clientID: "nobody") { _ in }
            }
            let quiet = try world.events.lastID()
            #expect(try records.updateContact(id: anaID, clientID: "acme") { _ in } == changed)
            #expect(try world.events.lastID() == quiet)

            #expect(try records.removeContact(id: zoeID, clientID: "acme") == zoe)
            #expect(try records.contacts(clientID: "acme") == [changed])
            #expect(try Self.kinds(world, after: quiet) == ["contact.removed \(zoeID)"])
            Self.expectRefusal(.noContact(zoeID, clientID: "acme")) { try records.removeContact(id: zoeID, clientID: "acme") }
        }
    }

    @Test("deals: added with their first stage and lead move, listed, moved with history, changed",
        arguments: StoreBackend.allCases)
    func deals(kind: StoreBackend) async throws {
        try await kind.withWorld(ClientRecordWorld.self) { world in
            let records = world.records
            let entered = Self.t0.addingTimeInterval(-86_400)
            let mark = try world.events.lastID()
            // acme is a qualified lead: a deal added in proposal moves it to proposal.
            let (big, move) = try records.addDeal(
                Deal(
                    clientID: "acme", name: "Big", stage: .proposal, amount: 1000, stageEnteredAt: entered,
                    history: [DealStageChange(stage: .proposal, enteredAt: entered, by: "u1")]))
            let bigID = try #require(big.id)
            #expect(big.history == [DealStageChange(stage: .proposal, enteredAt: entered, by: "u1")])
            #expect(move?.from == .qualified && move?.to == .proposal && move?.automatic == true && move?.at == entered)
            #expect(try world.client("acme")?.leadStatus == .proposal)
            #expect(
                try Self.kinds(world, after: mark) == ["deal.stage-changed \(bigID)", "lead.status-changed acme"])
            let (small, none) = try records.addDeal(
                Deal(clientID: "acme", name: "Small", stage: .prospecting, amount: 10, stageEnteredAt: Self.t0))
            let smallID = try #require(small.id)
            #expect(none == nil && small.history == [DealStageChange(stage: .prospecting, enteredAt: Self.t0)])
            let (other, _) = try records.addDeal(
                Deal(clientID: "globex", name: "Other", stage: .qualification, amount: 5, stageEnteredAt: Self.t0))
            Self.expectRefusal(.noClient("nobody")) {
                try records.addDeal(Deal(clientID: "nobody", name: "X", stage: .proposal, amount: 1, stageEnteredAt: Self.t0))
            }
            #expect(try records.deal(id: bigID) == big)
            #expect(try records.deal(id: 999_999) == nil)

            // Won: probability 1, a second history entry by its mover, the lead won.
            let at = Self.t0.addingTimeInterval(60)
            let before = try world.events.lastID()
            let won = try records.moveDeal(id: bigID, to: .closedWon, by: "u2", at: at) { #expect($0 == big) }
            #expect(won.from == .proposal && won.deal.stage == .closedWon && won.deal.probability == 1)
            #expect(won.deal.stageEnteredAt == at)
            #expect(won.deal.history.map(\.stage) == [.proposal, .closedWon] && won.deal.history.last?.by == "u2")
            #expect(won.leadTransition?.from == .proposal && won.leadTransition?.to == .won)
            #expect(try Self.kinds(world, after: before) == ["deal.stage-changed \(bigID)", "lead.status-changed acme"])
            // A refused move writes nothing.
            struct Closed: Error {}
            let quiet = try world.events.lastID()
            #expect(throws: Closed.self) {
                try records.moveDeal(id: bigID, to: .closedLost, by: nil, at: at) { _ in throw Closed() }
            }
            #expect(try records.deal(id: bigID) == won.deal && world.events.lastID() == quiet)
            Self.expectRefusal(.noDeal(999_999)) { try records.moveDeal(id: 999_999, to: .proposal, by: nil, at: at) { _ in } }

            // Open first (oldest in stage first), then closed; by client; by owner.
            #expect(try records.deals(clientID: nil, includeClosed: false, limit: 500, owners: nil).map(\.id) == [small.id, other.id])
            #expect(
                try records.deals(clientID: nil, includeClosed: true, limit: 500, owners: nil).map(\.id)
                    == [small.id, other.id, bigID])
            #expect(try records.deals(clientID: nil, includeClosed: true, limit: 2, owners: nil).count == 2)
            #expect(try records.deals(clientID: "acme", includeClosed: true, limit: 500, owners: nil).map(\.id) == [smallID, bigID])
            #expect(try records.deals(clientID: nil, includeClosed: true, limit: 500, owners: ["u2"]).map(\.id) == [other.id])
            #expect(try records.deals(clientID: nil, includeClosed: true, limit: 500, owners: []).isEmpty)
            #expect(try records.deals(clientID: nil, includeClosed: true, limit: 500, owners: ["u1", "u2"]).count == 3)
            #expect(try records.deals(clientID: "acme", includeClosed: true, limit: 500, owners: nil).last == won.deal)

            // A change of its own fields names them; its stage and history stay.
            let changedAt = try world.events.lastID()
            let (changed, fields) = try records.updateDeal(id: smallID, by: "u1", check: { _ in }) { deal in
                deal.amount = 20
                deal.name = "Smaller"
                deal.stage = .closedWon
            }
            #expect(changed.amount == 20 && changed.name == "Smaller" && changed.stage == .prospecting)
            #expect(Set(fields) == ["amount", "name"] && changed.history == small.history)
            #expect(try Self.kinds(world, after: changedAt) == ["deal.updated \(smallID)"])
            let unchanged = try records.updateDeal(id: smallID, by: "u1", check: { _ in }) { _ in }
            #expect(unchanged.fields.isEmpty && unchanged.deal == changed)
            #expect(throws: Closed.self) {
                try records.updateDeal(id: smallID, by: nil, check: { _ in throw Closed() }) { $0.amount = 0 }
            }
            #expect(try records.deal(id: smallID)?.amount == 20)
            Self.expectRefusal(.noDeal(999_999)) { try records.updateDeal(id: 999_999, by: nil, check: { _ in }) { _ in } }
            #expect(try await world.count("deal_stage_history") == 4)
        }
    }

    @Test("tasks: added, listed pending first by due date, changed with their status events, noted overdue once",
        arguments: StoreBackend.allCases)
    func tasks(kind: StoreBackend) async throws {
        try await kind.withWorld(ClientRecordWorld.self) { world in
            let records = world.records
            let mark = try world.events.lastID()
            let call = try records.addTask(
                ClientTask(clientID: "acme", title: "Call", due: Self.t0.addingTimeInterval(-60), assignee: "u1"))
            let mail = try records.addTask(ClientTask(clientID: "acme", title: "Mail", due: Self.t0.addingTimeInterval(-3600)))
            let undated = try records.addTask(ClientTask(clientID: "globex", title: "Someday", priority: .high, assignee: "u1"))
            let later = try records.addTask(ClientTask(clientID: "globex", title: "Later", due: Self.t0.addingTimeInterval(60)))
            let callID = try #require(call.id)
            #expect(call.title == "Call" && call.assignee == "u1" && call.status == .open)
            #expect(try records.task(id: callID) == call)
            #expect(try records.task(id: 999_999) == nil)
            #expect(try Self.kinds(world, after: mark).allSatisfy { $0.hasPrefix("task.created ") })
            Self.expectRefusal(.noClient("nobody")) { try records.addTask(ClientTask(clientID: "nobody", title: "X")) }

            func ids(clientID: String? = nil, assignee: String? = nil, closed: Bool = false, limit: Int = 500,
                owners: Set<String>? = nil) throws -> [Int64?] {
                try records.tasks(clientID: clientID, assignee: assignee, includeClosed: closed, limit: limit, owners: owners)
                    .map(\.id)
            }
            #expect(try ids() == [mail.id, call.id, later.id, undated.id])
            #expect(try ids(clientID: "globex") == [later.id, undated.id])
            #expect(try ids(assignee: "u1") == [call.id, undated.id])
            #expect(try ids(owners: ["u2"]) == [later.id, undated.id])
            #expect(try ids(limit: 1) == [mail.id])

            // Done: closed, listed last when closed ones are asked for, with its status event.
            let before = try world.events.lastID()
            let (old, new) = try records.updateTask(id: callID) { task in
                task.status = .done
                task.clientID = "globex"
            }
            #expect(old == call && new.status == .done && new.clientID == "acme")
            #expect(try ids() == [mail.id, later.id, undated.id])
            #expect(try ids(closed: true) == [mail.id, later.id, undated.id, call.id])
            #expect(try Self.kinds(world, after: before) == ["task.status-changed \(callID)"])
            let quiet = try world.events.lastID()
            try records.updateTask(id: callID) { $0.title = "Called" }
            #expect(try world.events.lastID() == quiet && records.task(id: callID)?.title == "Called")
            Self.expectRefusal(.noTask(999_999)) { try records.updateTask(id: 999_999) { _ in } }

            // Overdue: the open tasks past due, once a due time.
            #expect(try records.noteOverdueTasks(now: Self.t0) == 1)
            #expect(try Self.kinds(world, after: quiet) == ["task.overdue \(mail.id ?? 0)"])
            #expect(try records.noteOverdueTasks(now: Self.t0.addingTimeInterval(120)) == 1)  // later's
            #expect(try records.noteOverdueTasks(now: Self.t0.addingTimeInterval(120)) == 0)
            try records.updateTask(id: mail.id ?? 0) { $0.due = Self.t0.addingTimeInterval(-30) }
            #expect(try records.noteOverdueTasks(now: Self.t0.addingTimeInterval(120)) == 1)  // a new due time
        }
    }

    @Test("memory: remembered under a key (replaced, not repeated), refused when empty or out of range, forgotten",
        arguments: StoreBackend.allCases)
    func memory(kind: StoreBackend) async throws {
        try await kind.withWorld(ClientRecordWorld.self) { world in
            let records = world.records
            let mark = try world.events.lastID()
            let (first, created) = try records.remember(
                clientID: "acme", text: "  Prefers Tuesday morning calls ", key: nil, kind: .preference, source: "user",
                confidence: 1)
            #expect(created == .created && first.key == "prefers-tuesday-morning-calls")
            #expect(first.value == "Prefers Tuesday morning calls" && first.updatedAt == Self.t0)
            let (same, again) = try records.remember(
                clientID: "acme", text: "Prefers Tuesday morning calls", key: nil, kind: .preference, source: "user",
                confidence: 1)
            #expect(again == .updated && same.id == first.id)
            let (changed, updated) = try records.remember(
                clientID: "acme", text: "Prefers Wednesday", key: "prefers-tuesday-morning-calls", kind: .preference,
                source: "email:1", confidence: 0.5)
            #expect(updated == .updated && changed.id == first.id)
            let thumbs = try records.remember(
                clientID: "acme", text: "👍", key: nil, kind: .fact, source: "user", confidence: 1)
            #expect(thumbs.item.key.hasPrefix("m-"))
            let firstID = try #require(first.id)
            #expect(
                try Self.kinds(world, after: mark) == [
                    "memory.remembered \(firstID)", "memory.remembered \(firstID)", "memory.remembered \(thumbs.item.id ?? 0)",
                ])
            let snapshot = try #require(try world.memory.snapshot(clientID: "acme", activitiesSince: .distantPast))
            #expect(snapshot.memory.count == 2)
            #expect(snapshot.memory.first { $0.id == firstID }?.value == "Prefers Wednesday")
            Self.expectRefusal(StoreError(.invalidValue, "nothing to remember for client 'acme': the text is empty")) {
                try records.remember(clientID: "acme", text: "  ", key: nil, kind: .fact, source: "user", confidence: 1)
            }
            Self.expectRefusal(
                StoreError(.invalidValue, "memory for client 'acme': confidence 2 is out of range: expected a number from 0 to 1")
            ) {
                try records.remember(clientID: "acme", text: "x", key: nil, kind: .fact, source: "user", confidence: 2)
            }
            Self.expectRefusal(.noClient("nobody")) {
                try records.remember(clientID: "nobody", text: "x", key: nil, kind: .fact, source: "user", confidence: 1)
            }

            let before = try world.events.lastID()
            let forgotten = try records.forget(clientID: "acme", key: "prefers-tuesday-morning-calls")
            #expect(forgotten.id == firstID && forgotten.value == "Prefers Wednesday" && forgotten.source == "email:1")
            #expect(try Self.kinds(world, after: before) == ["memory.forgotten \(firstID)"])
            Self.expectRefusal(.noMemoryKey("prefers-tuesday-morning-calls", clientID: "acme", keys: [thumbs.item.key])) {
                try records.forget(clientID: "acme", key: "prefers-tuesday-morning-calls")
            }
            Self.expectRefusal(.noMemoryKey("x", clientID: "globex", keys: [])) { try records.forget(clientID: "globex", key: "x") }
            Self.expectRefusal(.noClient("nobody")) { try records.forget(clientID: "nobody", key: "x") }
        }
    }
}
