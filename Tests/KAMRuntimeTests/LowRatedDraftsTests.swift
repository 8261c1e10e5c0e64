import Foundation
import KAMCore
import KAMRuntime
import KAMStore
import Testing

@Suite struct LowRatedDraftsTests {
    typealias World = IntelligenceRequestServiceTests

    @Test("thumbs down, rejections and heavy edits are low-rated by prompt version; a light edit and a thumbs up are not")
    func lowRatedByPromptVersion() async throws {
        // acme: approved as written (then a thumbs down), heavily edited and approved (maria); wayne: rejected (aisha).
        let runtime = try await AnalyticsServiceTests.runtimeWithDrafts()
        let acme = try runtime.client("acme")
        let plain = try #require(try runtime.drafts.list(clientID: "acme", as: .anonymous).first { $0.status == .approved })
        try runtime.drafts.addFeedback(plain.id, rating: .down, reason: "Too formal, and too long for Jane", as: .anonymous)
        // A light edit (one word) approved, with a thumbs up: not low.
        let light = try await runtime.drafts.generate(client: acme, kind: .followUp, hint: nil, as: ActingUser("maria"))
        var content = light.original
        content.body += " Thanks."
        _ = try runtime.drafts.edit(light.id, to: content, as: .anonymous)
        try runtime.drafts.approve(light.id, as: .anonymous)
        try runtime.drafts.addFeedback(light.id, rating: .up, reason: "formal is fine", as: .anonymous)

        let groups = try runtime.drafts.lowRated(as: World.admin)
        #expect(groups.map { "\($0.promptID)@\($0.promptVersion)" } == ["draft.check-in@1", "draft.follow-up-email@1"])
        let checkIn = groups[0]
        #expect(checkIn.rejected == 1 && checkIn.thumbsDown == 0 && checkIn.heavyEdits == 0)
        #expect(checkIn.outputs.first?.reasons == ["wrong tone"])
        #expect(checkIn.reasonWords.map(\.word) == ["tone", "wrong"])
        let followUp = groups[1]
        #expect(followUp.outputs.count == 2)
        #expect(!followUp.outputs.contains { $0.draftID == light.id })
        #expect(followUp.thumbsDown == 1 && followUp.heavyEdits == 1 && followUp.rejected == 0)
        let heavy = try #require(followUp.outputs.first { $0.signals == [.heavyEdit] })
        #expect(try #require(heavy.editRatio) >= LowRatedOutput.defaultHeavyEditRatio)
        // "too", "and", "for" are left out; "formal" is from the thumbs down, not the thumbs up.
        #expect(followUp.reasonWords.map(\.word) == ["formal", "jane", "long"])

        // A ratio of 1 keeps only rewrites entirely changed: the heavy edit drops out.
        let strict = try runtime.drafts.lowRated(promptID: "draft.follow-up-email", heavyEditRatio: 1, as: World.admin)
        #expect(strict.map(\.outputs.count) == [1])
        #expect(strict.first?.outputs.first?.signals == [.thumbsDown])
        // Since a moment after the drafts: none.
        #expect(try runtime.drafts.lowRated(since: World.now.addingTimeInterval(60), as: World.admin).isEmpty)
        #expect(throws: RuntimeError.self) { try runtime.drafts.lowRated(heavyEditRatio: 1.5, as: World.admin) }
    }

    @Test("the list follows the scope: the enterprise manager sees acme's, a member with no drafts sees none")
    func lowRatedFollowsTheScope() async throws {
        let runtime = try await AnalyticsServiceTests.runtimeWithDrafts()
        let team = try runtime.drafts.lowRated(as: World.manager)
        #expect(team.map(\.promptID) == ["draft.follow-up-email"])
        #expect(team.flatMap(\.outputs).allSatisfy { $0.clientID == "acme" })
        #expect(try runtime.drafts.lowRated(as: World.member).isEmpty)
    }

    @Test("reason words: a word counts once a reason, common words and numbers are left out, ties alphabetical")
    func reasonWords() {
        let words = FeedbackReview.frequentWords(
            ["Too long, too long!", "long and vague", "vague about the 3 dates", "wrong client"], limit: 3)
        #expect(words.map(\.word) == ["long", "vague", "client"])
        #expect(words.map(\.count) == [2, 2, 1])
    }
}
