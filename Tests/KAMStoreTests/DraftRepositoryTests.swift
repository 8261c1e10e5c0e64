import Foundation
import KAMCore
import KAMStore
import Testing

@Suite struct DraftRepositoryTests {
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    func makeStore() throws -> (ClientStore, DraftRepository) {
        let store = try ClientStore.inMemory(now: { Date(timeIntervalSince1970: 1_790_000_000) })
        _ = try store.upsertClient(Client(id: "acme", name: "Acme", createdAt: t0))
        return (store, DraftRepository(store: store))
    }

    func draft(_ id: String) -> Draft {
        Draft(
            id: id, clientID: "acme", kind: .followUp, hint: "inspection", promptID: "draft.follow-up-email",
            promptVersion: "1", promptHash: "h1", provider: "offline", model: "offline", isOffline: true,
            original: DraftContent(subject: "Inspection", body: "Hi Ana", callToAction: "Reply"),
            promptMessages: "[]", contextSnapshot: "ctx", usage: Usage(inputTokens: 10, outputTokens: 5),
            cost: .zero, createdBy: "u1", createdAt: t0)
    }

    @Test func roundTripsAndKeepsHistory() throws {
        let (_, repo) = try makeStore()
        try repo.insert(draft("d1"))
        let loaded = try #require(try repo.draft(id: "d1"))
        #expect(loaded == draft("d1"))
        try repo.update(id: "d1", action: "approve", user: "u1") {
            try $0.approve(edit: DraftContent(subject: "Inspection", body: "Hi Ana!", callToAction: "Reply"), by: "u1", at: t0)
        }
        let approved = try #require(try repo.draft(id: "d1"))
        #expect(approved.status == .editedAndApproved)
        #expect(approved.original.body == "Hi Ana")
        #expect(approved.final.body == "Hi Ana!")
        #expect(try repo.events(draftID: "d1").map(\.action) == ["created", "approve"])
        #expect(try repo.approved().map(\.id) == ["d1"])
    }

    @Test func refusedTransitionChangesNothing() throws {
        let (_, repo) = try makeStore()
        try repo.insert(draft("d2"))
        try repo.update(id: "d2", action: "reject", user: "u1") { try $0.reject(reason: "tone", by: "u1", at: t0) }
        #expect(throws: DraftTransitionError.self) {
            try repo.update(id: "d2", action: "approve", user: "u1") { try $0.approve(by: "u1", at: t0) }
        }
        #expect(try repo.draft(id: "d2")?.status == .rejected)
        #expect(try repo.events(draftID: "d2").count == 2)
    }

    @Test func feedbackNeedsAnExistingDraft() throws {
        let (_, repo) = try makeStore()
        try repo.insert(draft("d3"))
        try repo.addFeedback(draftID: "d3", rating: .up, reason: "good", user: "u1", at: t0)
        #expect(try repo.feedback(draftID: "d3").first?.rating == .up)
        #expect(throws: StoreError.self) {
            try repo.addFeedback(draftID: "nope", rating: .down, reason: nil, user: nil, at: t0)
        }
    }
}
