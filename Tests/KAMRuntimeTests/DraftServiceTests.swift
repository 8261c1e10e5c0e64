import Foundation
import KAMCore
import KAMResources
import KAMRuntime
import KAMStore
import Testing

@Suite struct DraftServiceTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)

    /// A runtime over a demo store in memory: offline provider, shipped prompts, sequential ids, a fixed clock.
    static func runtime() async throws -> Runtime {
        let store = try ClientStore.inMemory(now: { now })
        try DemoSeeder.seedDemo(into: store, now: now)
        return try await Runtime.open(
            RuntimeOptions(
                configuration: .embeddedDefaults,
                promptsDirectory: (PromptRegistry.bundledDirectory ?? PromptRegistry.resolveDirectory()).path,
                environment: [:], now: { now }, ids: .sequential()),
            store: store)
    }

    @Test func aDraftGoesFromGenerateThroughApprovalToSent() async throws {
        let runtime = try await Self.runtime()
        let maria = ActingUser("maria")
        let acme = try runtime.client("acme")
        let draft = try await runtime.drafts.generate(client: acme, kind: .followUp, hint: "the inspection", as: maria)
        #expect(draft.id == "d-00000001")
        #expect(draft.status == .pending)
        #expect(draft.createdBy == "maria")
        #expect(draft.createdAt == Self.now)
        #expect(throws: RuntimeError.self) { try runtime.drafts.emlMessage(draft.id, as: .anonymous) }

        try runtime.drafts.approve(draft.id, as: maria)
        let eml = try runtime.drafts.emlMessage(draft.id, as: .anonymous)
        #expect(eml.contains("Subject: "))
        #expect(eml.contains("Message-ID: <d-00000001@kam.local>") || eml.contains("d-00000001@kam.local"))
        let sent = try runtime.drafts.markSent(draft.id, as: maria)
        #expect(sent.status == .sent)
        #expect(try runtime.drafts.history(draft.id, as: .anonymous).map(\.action) == ["created", "approve", "mark-sent"])
    }

    @Test func regenerateRejectsThePendingOriginal() async throws {
        let runtime = try await Self.runtime()
        let acme = try runtime.client("acme")
        let first = try await runtime.drafts.generate(client: acme, kind: .checkIn, hint: nil, as: .anonymous)
        let second = try await runtime.drafts.regenerate(first.id, hint: "shorter", as: .anonymous)
        #expect(second.id != first.id)
        #expect(second.hint == "shorter")
        #expect(try runtime.drafts.draft(first.id, as: .anonymous).status == .rejected)
    }

    @Test func bulkApprovalReportsEachDraft() async throws {
        let runtime = try await Self.runtime()
        let acme = try runtime.client("acme")
        let a = try await runtime.drafts.generate(client: acme, kind: .followUp, hint: nil, as: .anonymous)
        let b = try await runtime.drafts.generate(client: acme, kind: .checkIn, hint: nil, as: .anonymous)
        try runtime.drafts.reject(b.id, reason: "off tone", as: .anonymous)
        let outcomes = runtime.drafts.approveAll([a.id, b.id, "d-missing"], as: .anonymous)
        #expect(outcomes.map(\.succeeded) == [true, false, false])
        #expect(outcomes[2].error?.contains("no draft has id 'd-missing'") == true)
        #expect(try runtime.drafts.draft(a.id, as: .anonymous).status == .approved)
    }

    @Test func unknownAndAmbiguousClientsAreTypedRefusals() async throws {
        let runtime = try await Self.runtime()
        #expect { try runtime.client("no-such-company") } throws: { error in
            (error as? RuntimeError)?.code == "client.not-found"
        }
        #expect { try runtime.drafts.reject("d-00000001", reason: "  ", as: .anonymous) } throws: { error in
            (error as? RuntimeError)?.kind == .invalidInput
        }
    }
}
