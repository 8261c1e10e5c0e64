import Foundation
import KAMCore
import KAMRuntime
import KAMStore
import Testing

@Suite struct AnalyticsServiceTests {
    typealias World = IntelligenceRequestServiceTests

    /// Drafts by maria for acme (enterprise: two follow-ups, one approved as written, one edited and approved)
    /// and by aisha for wayne (growth: a check-in, rejected).
    static func runtimeWithDrafts() async throws -> Runtime {
        let runtime = try await World.runtime(try World.store())
        let maria = ActingUser("maria")
        let aisha = ActingUser("aisha")
        let acme = try runtime.client("acme")
        let wayne = try runtime.client("wayne")
        let plain = try await runtime.drafts.generate(client: acme, kind: .followUp, hint: nil, as: .anonymous)
        try runtime.drafts.approve(plain.id, as: .anonymous)
        let edited = try await runtime.drafts.generate(client: acme, kind: .followUp, hint: "shorter", as: maria)
        _ = try runtime.drafts.edit(edited.id, to: DraftContent(subject: "Hello", body: "A short note."), as: .anonymous)
        try runtime.drafts.approve(edited.id, as: .anonymous)
        let rejected = try await runtime.drafts.generate(client: wayne, kind: .checkIn, hint: nil, as: aisha)
        try runtime.drafts.reject(rejected.id, reason: "wrong tone", as: .anonymous)
        return runtime
    }

    /// The clients owned by the enterprise team's members: what its manager's figures count.
    static func enterpriseClients(_ runtime: Runtime) throws -> Set<String> {
        let members = try UserRepository(store: runtime.sqliteStore!).memberIDs(team: "enterprise")
        return Set(try runtime.clients.list(as: .anonymous).filter { members.contains($0.ownerID ?? "") }.map(\.id))
    }

    @Test("a member is refused every analytics figure with auth.role; a manager and an admin are not")
    func membersAreRefused() async throws {
        let runtime = try await World.runtime(try World.store())
        func refused(_ user: String = "rq-member", _ body: () async throws -> Void) async {
            await #expect { try await body() } throws: { error in
                (error as? RoleRefusal)?.code == "auth.role" && (error as? RoleRefusal)?.message.contains("'\(user)'") == true
            }
        }
        await refused { _ = try runtime.analytics.drafts(as: World.member) }
        await refused { _ = try runtime.analytics.suggestions(as: World.member) }
        await refused { _ = try await runtime.analytics.cost(by: .day, as: World.member) }
        await refused { _ = try runtime.analytics.experiments(as: World.member) }
        // A user id without a users row is a member too.
        await refused("nobody") { _ = try runtime.analytics.drafts(as: ActingUser("nobody")) }
        _ = try runtime.analytics.drafts(as: World.manager)
        _ = try runtime.analytics.drafts(as: World.admin)
        _ = try runtime.analytics.drafts(as: .anonymous)
    }

    @Test("draft acceptance and edit distance per prompt version and kind; a manager counts only the team's drafts")
    func draftFiguresFollowTheScope() async throws {
        let runtime = try await Self.runtimeWithDrafts()
        let all = try runtime.analytics.drafts(as: World.admin)
        #expect(all.total.drafts == 3)
        #expect(all.total.decided == 3)
        #expect(all.total.approvedUnedited == 1 && all.total.approvedEdited == 1 && all.total.rejected == 1)
        #expect(all.total.acceptanceRate == 2.0 / 3.0)
        #expect(all.total.uneditedRate == 1.0 / 3.0)
        let distance = try #require(all.total.meanEditDistance)
        #expect(distance > 0)
        #expect(all.byKind.map(\.kind) == ["check-in", "follow-up"])
        #expect(all.byKind.map(\.tally.acceptanceRate) == [0, 1])
        #expect(all.byKind[1].tally.meanEditDistance == distance)
        #expect(all.byPromptVersion.map { "\($0.promptID)@\($0.promptVersion)" } == ["draft.check-in@1", "draft.follow-up-email@1"])

        // The enterprise manager sees acme's drafts (maria's team), not wayne's.
        let team = try runtime.analytics.drafts(as: World.manager)
        #expect(team.total.drafts == 2)
        #expect(team.byKind.map(\.kind) == ["follow-up"])
        #expect(team.total.rejected == 0)

        // Nothing decided: rates are null, not zero.
        let since = try runtime.analytics.drafts(since: World.now.addingTimeInterval(60), as: World.admin)
        #expect(since.total.drafts == 0 && since.total.acceptanceRate == nil && since.total.meanEditDistance == nil)
    }

    @Test("time saved: each approved draft's words at the configured speed, minus its review; per user and ISO week; scoped")
    func timeSavedFollowsTheScopeAndTheSpeed() async throws {
        let runtime = try await Self.runtimeWithDrafts()
        let all = try runtime.analytics.timeSaved(as: World.admin)
        // Two approved drafts (the rejected one does not count), approved at the moment they were written.
        #expect(all.total.drafts == 2)
        #expect(all.total.reviewMinutes == 0)
        #expect(all.wordsPerMinute == TimeSaved.defaultWordsPerMinute)
        let approved = try runtime.drafts.list(as: .anonymous).filter { $0.status != .rejected }
        let words = approved.map { TimeSaved.words($0.final) }.reduce(0, +)
        #expect(all.total.words == words)
        #expect(abs(all.total.savedMinutes - Double(words) / TimeSaved.defaultWordsPerMinute) < 1e-9)
        #expect(all.byWeek.map(\.key) == ["2026-W39"])
        #expect(all.byUser.map(\.key) == ["-", "maria"])
        // The enterprise manager: the team's drafts only (both acme's).
        #expect(try runtime.analytics.timeSaved(as: World.manager).total.drafts == 2)
        #expect(throws: RoleRefusal.self) { try runtime.analytics.timeSaved(as: World.member) }
        #expect(try runtime.analytics.timeSaved(since: World.now.addingTimeInterval(1), as: World.admin).total.drafts == 0)

        // Twice the speed, half the writing time.
        var configuration = KAMConfiguration.embeddedDefaults
        configuration.analytics.writingWordsPerMinute = 80
        let faster = try await World.runtime(runtime.sqliteStore!, configuration: configuration)
        let half = try faster.analytics.timeSaved(as: World.admin)
        #expect(abs(half.total.writingMinutes * 2 - all.total.writingMinutes) < 1e-9)
    }

    @Test("cost comes from the usage ledger; a manager sees the calls made for the team's members only")
    func costFollowsTheScope() async throws {
        let runtime = try await Self.runtimeWithDrafts()
        let byUser = try await runtime.analytics.cost(by: .user, as: World.admin)
        #expect(byUser.map(\.key) == ["-", "aisha", "maria"])
        #expect(byUser.map(\.calls).reduce(0, +) == 3)
        let team = try await runtime.analytics.cost(by: .user, as: World.manager)
        #expect(team.map(\.key) == ["maria"])
        let byPrompt = try await runtime.analytics.cost(by: .prompt, as: World.admin)
        #expect(byPrompt.map(\.key) == ["draft.check-in", "draft.follow-up-email"])
        #expect(try await runtime.analytics.cost(by: .day, since: World.now.addingTimeInterval(1), as: World.admin).isEmpty)
    }

    @Test("suggestion acceptance per type lists every type; accepted over accepted and dismissed")
    func suggestionAcceptancePerType() async throws {
        let runtime = try await World.runtime(try World.store())
        _ = try await runtime.suggestions.run(clientIDs: nil, modelSuggestions: false, as: .anonymous)
        let pending = try runtime.suggestions.list(as: .anonymous)
        try #require(pending.count >= 2)
        _ = try await runtime.suggestions.accept(pending[0].id, as: .anonymous)
        _ = try runtime.suggestions.dismiss(pending[1].id, reason: "not now", as: .anonymous)
        let all = try runtime.analytics.suggestions(as: World.admin)
        #expect(all.map(\.type).starts(with: SuggestionType.allCases.map(\.rawValue)))
        #expect(all.map(\.suggestions).reduce(0, +) == pending.count)
        #expect(all.map { $0.statuses["accepted"] ?? 0 }.reduce(0, +) == 1)
        #expect(all.map { $0.statuses["dismissed"] ?? 0 }.reduce(0, +) == 1)
        let decided = all.filter { $0.acceptanceRate != nil }
        if pending[0].type == pending[1].type {
            #expect(decided.map(\.acceptanceRate) == [0.5])
        } else {
            #expect(Set(decided.map(\.acceptanceRate)) == [1, 0])
        }
        // The manager's figures are the suggestions of the team's clients: never more than the admin's.
        let team = try runtime.analytics.suggestions(as: World.manager)
        let teamClients = try Self.enterpriseClients(runtime)
        #expect(team.map(\.suggestions).reduce(0, +) == pending.filter { teamClients.contains($0.clientID) }.count)
    }

    @Test("experiments with their tallies; a manager's tally counts the drafts of the team's clients")
    func experimentsFollowTheScope() async throws {
        let runtime = try await World.runtime(try World.store())
        try runtime.experiments.start(
            .init(id: "fu-ab", promptID: "draft.follow-up-email", variants: "1,production"), as: .anonymous)
        for client in ["acme", "globex", "wayne", "hooli"] {
            _ = try await runtime.drafts.generate(client: try runtime.client(client), kind: .followUp, hint: nil, as: .anonymous)
        }
        let all = try runtime.analytics.experiments(as: World.admin)
        #expect(all.map(\.experiment.id) == ["fu-ab"])
        #expect(all[0].tally.variants.map(\.drafts).reduce(0, +) == 4)
        let teamClients = try Self.enterpriseClients(runtime)
        let expected = ["acme", "globex", "wayne", "hooli"].filter(teamClients.contains).count
        let team = try runtime.analytics.experiments(as: World.manager)
        #expect(team[0].tally.variants.map(\.drafts).reduce(0, +) == expected)
        #expect(expected < 4)
    }
}
