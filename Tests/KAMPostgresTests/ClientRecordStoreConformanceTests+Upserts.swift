import Foundation
import KAMCore
import Testing

/// The upserts an import or a connector makes, matched as on SQLite (external id first), with the same events.
extension ClientRecordStoreConformanceTests {
    /// Whether an upsert updated the row `id`.
    static func updated(_ result: (id: Int64, outcome: UpsertOutcome), _ id: Int64) -> Bool {
        result.id == id && result.outcome == .updated
    }

    @Test("users and clients are upserted by id and external id, a client's lead move announced",
        arguments: StoreBackend.allCases)
    func upsertedUsersAndClients(kind: StoreBackend) async throws {
        try await kind.withWorld(ClientRecordWorld.self) { world in
            let records = world.records
            #expect(try records.upsertUser(User(id: "u1", name: "Una", email: "una@kam.example")) == .updated)
            Self.expectRefusal(.emailTaken("UNA@kam.example", user: "u3", by: "u1")) {
                try records.upsertUser(User(id: "u3", name: "X", email: "UNA@kam.example"))
            }
            let mark = try world.events.lastID()
            let created = try records.upsertClient(
                Client(id: "initech", name: "Initech", externalID: "crm-1", leadStatus: .new, createdAt: Self.t0))
            #expect(created.id == "initech" && created.outcome == .created)
            // Matched by external id: the row keeps its id.
            let updated = try records.upsertClient(
                Client(id: "other-id", name: "Initech Inc", externalID: "crm-1", leadStatus: .contacted, createdAt: Self.t0))
            #expect(updated.id == "initech" && updated.outcome == .updated)
            #expect(try world.client("initech")?.name == "Initech Inc")
            #expect(try world.client("other-id") == nil)
            #expect(try Self.kinds(world, after: mark) == ["client.created initech", "lead.status-changed initech"])
            Self.expectRefusal(.unknownOwner("u9", client: "x")) {
                try records.upsertClient(Client(id: "x", name: "X", ownerID: "u9", createdAt: Self.t0))
            }
            Self.expectRefusal(.unnamedClient("")) { try records.upsertClient(Client(id: "", name: "X", createdAt: Self.t0)) }
        }
    }

    @Test("contacts, activities, deals, tasks and orders are upserted by external id and the like",
        arguments: StoreBackend.allCases)
    func upsertedRecords(kind: StoreBackend) async throws {
        try await kind.withWorld(ClientRecordWorld.self) { world in
            let records = world.records
            let mark = try world.events.lastID()
            // Contacts: by external id, else by email (in any case), else by name.
            let (ana, anaNew) = try records.upsertContact(Contact(clientID: "acme", externalID: "c-1", name: "Ana"))
            #expect(anaNew == .created)
            #expect(try Self.updated(records.upsertContact(Contact(clientID: "acme", externalID: "c-1", name: "Ana B")), ana))
            let (bo, _) = try records.upsertContact(Contact(clientID: "acme", name: "Bo", email: "bo@acme.example"))
            #expect(try Self.updated(records.upsertContact(Contact(clientID: "acme", name: "Bob", email: "BO@acme.example")), bo))
            let (cy, _) = try records.upsertContact(Contact(clientID: "acme", name: "Cy"))
            #expect(try Self.updated(records.upsertContact(Contact(clientID: "acme", name: "Cy", phone: "1")), cy))
            #expect(try records.contacts(clientID: "acme").map(\.name) == ["Ana B", "Bob", "Cy"])
            Self.expectRefusal(.noClient("nobody")) { try records.upsertContact(Contact(clientID: "nobody", name: "X")) }

            // Activities: by external id; without one, always new.
            let call = Activity(clientID: "acme", externalID: "a-1", kind: .call, occurredAt: Self.t0, subject: "Hi")
            let (callID, callNew) = try records.upsertActivity(call)
            #expect(callNew == .created)
            var edited = call
            edited.subject = "Hello"
            #expect(try Self.updated(records.upsertActivity(edited), callID))
            let note = Activity(clientID: "acme", kind: .note, occurredAt: Self.t0)
            let notes = try (0..<2).map { _ in try records.upsertActivity(note) }
            #expect(notes.map(\.outcome) == [.created, .created] && notes[0].id != notes[1].id)
            #expect(try world.memory.snapshot(clientID: "acme", activitiesSince: .distantPast)?.activities.count == 3)

            // Deals: by external id, else by name; the history replaced; an event when the stage changes.
            let deal = Deal(clientID: "acme", externalID: "d-1", name: "Big", stage: .prospecting, amount: 1, stageEnteredAt: Self.t0)
            let (dealID, dealNew) = try records.upsertDeal(deal)
            #expect(dealNew == .created)
            #expect(try Self.updated(records.upsertDeal(deal), dealID))
            var moved = deal
            moved.stage = .negotiation
            moved.history = [
                DealStageChange(stage: .prospecting, enteredAt: Self.t0), DealStageChange(stage: .negotiation, enteredAt: Self.t0, by: "u1"),
            ]
            #expect(try Self.updated(records.upsertDeal(moved), dealID))
            #expect(try records.deal(id: dealID)?.history == moved.history)
            let unnamed = Deal(clientID: "acme", name: "Small", stage: .proposal, amount: 1, stageEnteredAt: Self.t0)
            let (smallID, _) = try records.upsertDeal(unnamed)
            #expect(try Self.updated(records.upsertDeal(unnamed), smallID))

            // Tasks: by external id, else by title; a changed status announced.
            let task = ClientTask(clientID: "acme", externalID: "t-1", title: "Call")
            let (taskID, taskNew) = try records.upsertTask(task)
            #expect(taskNew == .created)
            var done = task
            done.status = .done
            #expect(try Self.updated(records.upsertTask(done), taskID))
            let (mailID, _) = try records.upsertTask(ClientTask(clientID: "acme", title: "Mail"))
            #expect(try Self.updated(records.upsertTask(ClientTask(clientID: "acme", title: "Mail", priority: .high)), mailID))

            // Orders: by external id.
            let order = Order(clientID: "acme", externalID: "o-1", product: "Seats", amount: 10, orderedAt: Self.t0)
            let (orderID, orderNew) = try records.upsertOrder(order)
            #expect(orderNew == .created)
            #expect(try Self.updated(records.upsertOrder(order), orderID))
            let (otherOrderID, otherNew) = try records.upsertOrder(
                Order(clientID: "acme", product: "X", amount: 1, orderedAt: Self.t0))
            #expect(otherNew == .created)

            #expect(
                try Self.kinds(world, after: mark) == [
                    "contact.created \(ana)", "contact.created \(bo)", "contact.created \(cy)",
                    "activity.logged \(callID)", "activity.logged \(notes[0].id)", "activity.logged \(notes[1].id)",
                    "deal.stage-changed \(dealID)", "deal.stage-changed \(dealID)", "deal.stage-changed \(smallID)",
                    "task.created \(taskID)", "task.status-changed \(taskID)", "task.created \(mailID)",
                    "order.recorded \(orderID)", "order.recorded \(otherOrderID)",
                ])
        }
    }
}
