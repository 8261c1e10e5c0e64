import Foundation
import KAMCore
import KAMRuntime
import KAMStore
import Testing

/// Style learned from approved edits, through the runtime and the offline provider: three drafts maria edits into her
/// style make her profile; her next draft's context carries it (fenced) and the draft follows it, closer to what she
/// approves than a draft written without it; the client's profile needs the client's own edits; profiles are scoped.
@Suite struct StyleServiceTests {
    typealias World = CRMTestWorld
    static let maria = ActingUser("maria")

    /// What maria approves instead of a model's body: "Dear" instead of "Hi", no remembered fact, "Kind regards,".
    static func mariasEdit(_ body: String) -> String {
        body.split(separator: "\n", omittingEmptySubsequences: false).compactMap { line -> String? in
            if line.hasPrefix("Hi ") { return "Dear " + line.dropFirst(3) }
            if line.hasPrefix("I also have a note") { return nil }
            if line == "Best regards," { return "Kind regards," }
            return String(line)
        }.joined(separator: "\n")
    }

    /// Writes a draft for `clientID` as `writer` (`user` when nil), edits it as maria would and approves it as `user`.
    static func approveEdited(_ world: World, _ clientID: String, as user: ActingUser, writer: ActingUser? = nil)
        async throws -> Draft
    {
        let client = try world.runtime.client(id: clientID, as: writer ?? user)
        let draft = try await world.runtime.drafts.generate(client: client, kind: .followUp, hint: nil, as: writer ?? user)
        var content = draft.original
        content.body = mariasEdit(content.body)
        _ = try world.runtime.drafts.edit(draft.id, to: content, as: user)
        return try world.runtime.drafts.approve(draft.id, as: user)
    }

    @Test func threeApprovedEditsMakeAProfileThatTheNextDraftFollows() async throws {
        let world = try await World.demo()
        #expect(try world.runtime.style.profile(ofUser: "maria", as: Self.maria) == nil)
        for id in ["acme", "globex", "initech"] { _ = try await Self.approveEdited(world, id, as: Self.maria) }
        let profile = try #require(try world.runtime.style.profile(ofUser: "maria", as: Self.maria))
        #expect(profile.examples == 3)
        #expect(profile.greeting?.value == "Dear {first name},")
        #expect(profile.signOff?.value == "Kind regards,")
        #expect(profile.lengthRatio.value < 0.85)

        // Her next draft (a client nobody edited for): the context carries her section, and the draft follows it.
        let umbrella = try world.runtime.client(id: "umbrella", as: Self.maria)
        let styled = try await world.runtime.drafts.generate(client: umbrella, kind: .followUp, hint: nil, as: Self.maria)
        #expect(styled.contextSnapshot.contains(StyleProfile.heading + "maria"))
        #expect(styled.contextSnapshot.contains("<untrusted source=\"style profile\">"))
        #expect(!styled.contextSnapshot.contains(StyleProfile.heading + "client umbrella"))
        #expect(styled.original.body.hasPrefix("Dear "))
        #expect(styled.original.body.contains("Kind regards,"))
        // Tom has approved no edits: his draft for the same client is written without a style.
        let plain = try await world.runtime.drafts.generate(client: umbrella, kind: .followUp, hint: nil, as: ActingUser("tom"))
        #expect(!plain.contextSnapshot.contains(StyleProfile.heading))
        // Against what maria approves, the styled draft needs fewer edits.
        let target = Self.mariasEdit(plain.original.body)
        #expect(EditDistance.levenshtein(styled.original.body, target) < EditDistance.levenshtein(plain.original.body, target))
    }

    @Test func aClientsProfileComesFromItsOwnEditsAndIsGivenToEveryWriter() async throws {
        let world = try await World.demo()
        for _ in 0..<3 { _ = try await Self.approveEdited(world, "acme", as: Self.maria) }
        let client = try #require(try world.runtime.style.profile(ofClient: "acme", as: Self.maria))
        #expect(client.subject == "client acme" && client.examples == 3)
        #expect(try world.runtime.style.profile(ofClient: "globex", as: Self.maria) == nil)
        let acme = try world.runtime.client(id: "acme", as: Self.maria)
        let toms = try await world.runtime.drafts.generate(client: acme, kind: .followUp, hint: nil, as: ActingUser("tom"))
        #expect(toms.contextSnapshot.contains(StyleProfile.heading + "client acme"))
    }

    @Test func theEvaluationHoldsOutTheNewestThirdAndTheProfileBringsDraftsCloser() async throws {
        let world = try await World.demo()
        #expect(try await world.runtime.style.evaluate(as: Self.maria).isEmpty)
        // Tom writes (he has no profile, so every draft needs maria's edit); maria edits and approves.
        for id in ["acme", "globex", "initech", "umbrella", "acme", "globex"] {
            _ = try await Self.approveEdited(world, id, as: Self.maria, writer: ActingUser("tom"))
            world.clock.advance(60)
        }
        let results = try await world.runtime.style.evaluate(as: Self.maria)
        let maria = try #require(results.first { $0.writer == "maria" })
        #expect(maria.training == 4 && maria.heldOut == 2)
        #expect(maria.provider == "offline")
        #expect(maria.distanceWith < maria.distanceWithout)
        #expect(maria.distanceWith >= 0 && maria.distanceWithout <= 1)
        // Nothing was stored: still six drafts.
        #expect(try world.runtime.drafts.list(as: Self.maria).count == 6)
        // Another writer's evaluation is not a member's to see.
        #expect(try await world.runtime.style.evaluate(as: ActingUser("leo")).isEmpty)
    }

    @Test func profilesAreScopedLikeTheirUsersAndClients() async throws {
        let world = try await World.demo()
        // A member sees only their own profile and their own clients'.
        #expect(throws: RuntimeError.self) { try world.runtime.style.profile(ofUser: "maria", as: ActingUser("leo")) }
        #expect(throws: RuntimeError.self) { try world.runtime.style.profile(ofClient: "acme", as: ActingUser("leo")) }
        #expect(try world.runtime.style.profile(ofUser: "leo", as: ActingUser("leo")) == nil)
        #expect(try world.runtime.style.profile(ofClient: "initech", as: ActingUser("leo")) == nil)
    }

    /// `kam demo`'s shipped fixture of approved edits (`Resources/demo/approved-edits.json`): two writers with their own
    /// styles; seeding twice adds nothing; on each writer's held-out third, drafts written with the profile of the older
    /// edits are closer to what the writer approved than drafts written without it (the offline provider follows the
    /// greeting, the closing question, the sign-off and the length, as a model would).
    @Test func theDemosApprovedEditsTeachEachWriterAStyleThatBringsDraftsCloser() async throws {
        let world = try await World.demo()
        let first = try world.runtime.demo.seed().edits
        #expect(first == .init(created: 12, unchanged: 0, writers: ["maria", "tom"]))
        #expect(try world.runtime.demo.seed().edits == .init(created: 0, unchanged: 12, writers: ["maria", "tom"]))
        let maria = try #require(try world.runtime.style.profile(ofUser: "maria", as: Self.maria))
        #expect(maria.greeting?.value == "Dear {first name}," && maria.signOff?.value == "Kind regards,")
        #expect(maria.closingQuestion?.value == "Would Tuesday morning suit you for a short call?")
        let tom = try #require(try world.runtime.style.profile(ofUser: "tom", as: Self.maria))
        #expect(tom.greeting?.value == "Hello {first name}," && tom.signOff?.value == "Thanks,")
        #expect(tom.lengthRatio.value < maria.lengthRatio.value)
        let results = try await world.runtime.style.evaluate(as: Self.maria)
        #expect(results.map(\.writer) == ["maria", "tom"])
        for result in results {
            #expect(result.training == 4 && result.heldOut == 2)
            #expect(result.distanceWith < result.distanceWithout, "\(result)")
        }
        // The edits are decisions like any other: approved after an edit, with their history.
        let draft = try world.runtime.drafts.draft("demo-edit-01", as: Self.maria)
        #expect(draft.status == .editedAndApproved && draft.decidedBy == "maria" && draft.editDistance ?? 0 > 0)
        // Each keeps the prompt its kind renders for its client (what `kam export` rebuilds an example from): a JSON
        // array of messages, the system prompt first, the client's context in them.
        let messages = try JSONParser.parse(draft.promptMessages)
        let roles = messages.arrayValue?.compactMap { $0["role"]?.stringValue } ?? []
        #expect(roles.first == "system" && roles.count >= 2, "\(draft.promptMessages.prefix(200))")
        #expect(!draft.contextSnapshot.isEmpty && draft.promptMessages.contains("Acme"))
    }
}
