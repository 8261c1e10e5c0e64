import Foundation
import KAMCore
import KAMStore
import KAMTesting
import Testing

@Suite("SyntheticApprovedDrafts")
struct SyntheticApprovedDraftsTests {
    static let count = 40

    static func generate(seed: UInt64 = 11) throws -> (SyntheticApprovedDrafts.Summary, [Draft], ClientStore) {
        let store = try ClientStore.inMemory()
        let summary = try SyntheticApprovedDrafts.generate(count: count, into: store, seed: seed)
        let drafts = try DraftRepository(store: store).list(limit: 1_000).sorted { $0.id < $1.id }
        return (summary, drafts, store)
    }

    /// The shipped output schema of the prompt the synthetic drafts claim to come from.
    static func followUpSchema() throws -> JSONSchema {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let url = root.appendingPathComponent("Prompts/draft.follow-up-email/output.schema.json")
        return try JSONSchema(text: String(contentsOf: url, encoding: .utf8))
    }

    @Test func writesTheDraftsClientsAndConsentItClaims() throws {
        let (summary, drafts, store) = try Self.generate()
        #expect(summary.drafts == Self.count)
        #expect(summary.clients == 50)
        #expect(summary.consentingClients == 45)
        #expect(drafts.count == Self.count)
        let clients = try store.listClients()
        #expect(clients.count == 50)
        #expect(clients.filter(\.consentTraining).count == summary.consentingClients)
        #expect(try store.listUsers().count == 5)
        #expect(Set(drafts.map(\.clientID)).isSubset(of: Set(clients.map(\.id))))
    }

    @Test func everyDraftIsApprovedAndEveryFifthWasEdited() throws {
        let (_, drafts, _) = try Self.generate()
        for (index, draft) in drafts.enumerated() {
            #expect(draft.id == String(format: "s%08d", index))
            #expect(draft.promptID == "draft.follow-up-email")
            #expect(draft.isOffline)
            if index % 5 == 0 {
                #expect(draft.status == .editedAndApproved, "draft \(draft.id)")
                #expect(draft.edited?.body.hasSuffix("P.S. I attached the quote.") == true)
                #expect((draft.editDistance ?? 0) > 0)
            } else {
                #expect(draft.status == .approved, "draft \(draft.id)")
                #expect(draft.edited == nil)
            }
        }
    }

    @Test func draftsValidateAgainstTheirPromptsSchemaAndNameTheirClient() throws {
        let schema = try Self.followUpSchema()
        let (_, drafts, store) = try Self.generate()
        for draft in drafts {
            // The stored content has no tone or facts; the rest must fit the prompt's own limits.
            let content = draft.final
            let answer = JSONValue.object([
                "subject": .string(content.subject), "body": .string(content.body),
                "call_to_action": .string(content.callToAction), "tone": .string("friendly"), "facts_used": .array([]),
            ])
            #expect(schema.validate(answer).isEmpty, "draft \(draft.id): \(schema.validate(answer))")
            let messages = try JSONParser.parse(draft.promptMessages)
            guard case .array(let list) = messages, list.count == 2, case .object(let user) = list[1],
                case .string(let text)? = user["content"]
            else {
                Issue.record("draft \(draft.id): prompt messages are not [system, user]: \(draft.promptMessages)")
                continue
            }
            let client = try #require(try store.client(id: draft.clientID))
            #expect(text.contains(client.name), "draft \(draft.id)'s prompt does not name \(client.name)")
        }
    }

    @Test func theSameSeedGivesTheSameDraftsAndAnotherSeedOthers() throws {
        let first = try Self.generate().1
        let again = try Self.generate().1
        let other = try Self.generate(seed: 12).1
        #expect(first == again)
        #expect(first.map(\.clientID) != other.map(\.clientID))
    }
}
