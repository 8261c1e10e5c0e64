import Foundation
import KAMCore
import Testing

@testable import KAMStore

@Suite("Client resolution")
struct ClientResolutionTests {
    static let created = Date(timeIntervalSince1970: 1_700_000_000)

    static func store() throws -> ClientStore {
        let store = try ClientStore.inMemory()
        try store.upsertClient(Client(id: "acme", name: "Acme Manufacturing", externalID: "crm-17", domain: "acme.example", createdAt: created))
        try store.upsertClient(Client(id: "acme-labs", name: "Acme Labs", domain: "acmelabs.example", createdAt: created))
        try store.upsertClient(Client(id: "globex", name: "Globex", domain: "shared.example", createdAt: created))
        try store.upsertClient(Client(id: "initech", name: "Initech", domain: "shared.example", createdAt: created))
        try store.upsertContact(Contact(clientID: "globex", name: "Hank", email: "hank@shared.example"))
        return store
    }

    @Test("by id, external id, name in any case, contact email and email domain")
    func resolves() throws {
        let store = try Self.store()
        #expect(try store.resolveClient("acme") == .found(try #require(try store.client(id: "acme")), matchedBy: .id))
        guard case .found(let byExternal, .externalID) = try store.resolveClient("crm-17") else { Issue.record("external id"); return }
        #expect(byExternal.id == "acme")
        guard case .found(let byName, .name) = try store.resolveClient("acme LABS") else { Issue.record("name"); return }
        #expect(byName.id == "acme-labs")
        guard case .found(let byEmail, .contactEmail) = try store.resolveClient("HANK@shared.example") else {
            Issue.record("contact email")
            return
        }
        #expect(byEmail.id == "globex")
        guard case .found(let byDomain, .emailDomain) = try store.resolveClient("someone@acme.example") else {
            Issue.record("email domain")
            return
        }
        #expect(byDomain.id == "acme")
    }

    @Test("a shared email domain is ambiguous and lists every client")
    func ambiguous() throws {
        let store = try Self.store()
        guard case .ambiguous(let clients) = try store.resolveClient("new.person@shared.example") else {
            Issue.record("expected ambiguous")
            return
        }
        #expect(clients.map(\.id) == ["globex", "initech"])
    }

    @Test("nothing found suggests close ids and names, best first")
    func suggestions() throws {
        let store = try Self.store()
        guard case .notFound(let suggestions) = try store.resolveClient("acm") else {
            Issue.record("expected not found")
            return
        }
        #expect(suggestions.map(\.id) == ["acme", "acme-labs"])
        guard case .notFound(let close) = try store.resolveClient("acmee") else {
            Issue.record("expected not found")
            return
        }
        #expect(close.first?.id == "acme")
        guard case .notFound(let typo) = try store.resolveClient("glbex") else {
            Issue.record("expected not found")
            return
        }
        #expect(typo.map(\.id) == ["globex"])
        #expect(try store.resolveClient("zzzzzzzz") == .notFound(suggestions: []))
    }

    @Test("find matches parts of names, domains and contact emails")
    func find() throws {
        let store = try Self.store()
        #expect(try store.findClients(matching: "acme").map(\.id) == ["acme-labs", "acme"])
        #expect(try store.findClients(matching: "hank@").map(\.id) == ["globex"])
        #expect(try store.findClients(matching: "100%").isEmpty)
    }
}

@Suite("Remember and forget")
struct ClientMemoryTests {
    static let now = Date(timeIntervalSince1970: 1_767_225_600)

    @Test("remember derives a key, replaces by key, and forget removes it")
    func rememberAndForget() throws {
        let store = try ClientStore.inMemory(now: { Self.now })
        try store.upsertClient(Client(id: "acme", name: "Acme", createdAt: Self.now))
        let (item, outcome) = try store.remember(clientID: "acme", text: "prefers Tuesday morning calls", kind: .preference)
        #expect(item.key == "prefers-tuesday-morning-calls")
        #expect(outcome == .created)
        #expect(item.updatedAt == Self.now)
        let (replaced, again) = try store.remember(
            clientID: "acme", text: "prefers Thursday calls", key: "prefers-tuesday-morning-calls", source: "email:42")
        #expect(again == .updated)
        #expect(replaced.kind == .fact)
        let memory = try #require(try store.snapshot(clientID: "acme", activitiesSince: Self.now)).memory
        #expect(memory.map(\.value) == ["prefers Thursday calls"])
        #expect(memory.first?.source == "email:42")

        let forgotten = try store.forget(clientID: "acme", key: "prefers-tuesday-morning-calls")
        #expect(forgotten.value == "prefers Thursday calls")
        #expect(try store.snapshot(clientID: "acme", activitiesSince: Self.now)?.memory.isEmpty == true)
    }

    @Test("forgetting a key that is not there is an error naming the keys there are")
    func forgetMissing() throws {
        let store = try ClientStore.inMemory(now: { Self.now })
        try store.upsertClient(Client(id: "acme", name: "Acme", createdAt: Self.now))
        try store.remember(clientID: "acme", text: "Inspection in March", key: "inspection")
        let error = try #require(throws: StoreError.self) { try store.forget(clientID: "acme", key: "budget") }
        #expect(error.code == .memoryKeyNotFound)
        #expect(error.message.contains("inspection"))
        let missing = try #require(throws: StoreError.self) { try store.remember(clientID: "nope", text: "x") }
        #expect(missing.code == .clientNotFound)
    }
}
