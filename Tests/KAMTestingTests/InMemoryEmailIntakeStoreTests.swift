import Foundation
import KAMCore
import KAMTesting
import Testing

@Suite("InMemoryEmailIntakeStore")
struct InMemoryEmailIntakeStoreTests {
    static let t0 = Date(timeIntervalSince1970: 1_773_050_400)
    static let acme = Client(id: "acme", name: "Acme", domain: "Acme.Example", createdAt: t0)
    static let globex = Client(id: "globex", name: "Globex", domain: "globex.example", createdAt: t0)

    let store = InMemoryEmailIntakeStore(
        clients: [Self.acme, Self.globex],
        contacts: [Contact(id: 1, clientID: "acme", name: "Jane", email: "Jane@acme.example")],
        users: [User(id: "maria", name: "Maria", email: "maria@kam.example")])

    static func record(_ messageID: String, tasks: Int = 0) -> EmailIntakeRecord {
        EmailIntakeRecord(
            messageID: messageID, status: .new,
            match: EmailClientMatch(method: .emailDomain, client: acme, confidence: 0.6, reason: "domain"),
            receivedAt: t0, ingestedAt: t0, message: nil, raw: Array("x".utf8),
            tasks: (0..<tasks).map { ClientTask(clientID: "acme", title: "task \($0)") })
    }

    @Test func findsContactsAndDomainsWhateverTheirCase() throws {
        #expect(try store.contacts(withEmail: "jane@ACME.example").map(\.client.id) == ["acme"])
        #expect(try store.contacts(withEmail: "bob@acme.example").isEmpty)
        #expect(try store.clients(withDomains: ["acme.example", "nowhere.example"]).map(\.id) == ["acme"])
        #expect(try store.clients(withDomains: ["GLOBEX.example"]).map(\.id) == ["globex"])
        #expect(try store.teamDomains() == ["kam.example"])
    }

    @Test func storesOnceAndReportsASecondMessageIDAsADuplicate() throws {
        #expect(try !store.containsEmail(messageID: "<a@x>"))
        #expect(try store.store(Self.record("<a@x>", tasks: 2)) == .stored(id: 1, activityID: nil, taskIDs: [200, 201]))
        #expect(try store.store(Self.record("<b@x>")) == .stored(id: 2, activityID: nil, taskIDs: []))
        #expect(try store.store(Self.record("<a@x>")) == .duplicate(id: 1))
        #expect(try store.containsEmail(messageID: "<a@x>"))
        #expect(store.records.map(\.messageID) == ["<a@x>", "<b@x>"])
    }

    @Test func recordsLeadTransitionsInOrder() throws {
        try store.apply(LeadTransition(clientID: "acme", from: .new, to: .contacted, automatic: true, reason: "email", at: Self.t0))
        try store.apply(
            LeadTransition(clientID: "globex", from: .new, to: .contacted, automatic: true, reason: "email", at: Self.t0))
        #expect(store.transitions.map(\.clientID) == ["acme", "globex"])
    }
}
