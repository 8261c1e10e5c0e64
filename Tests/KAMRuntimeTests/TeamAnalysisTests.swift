import Foundation
import KAMCore
import KAMProviders
import KAMResources
import KAMRuntime
import KAMStore
import KAMTesting
import Synchronization
import Testing

/// The weekly team analysis: per owner, the week's clients at risk, drafts approved, suggestion acceptance and
/// plan completion, stored once a week and owner, read by managers (their team) and admins.
@Suite struct TeamAnalysisTests {
    /// The demo accounts in memory, on the embedded defaults (offline), at `time`.
    static func demo(at time: ManualWallClock) async throws -> Runtime {
        let store = try ClientStore.inMemory(now: { time.now })
        try DemoSeeder.seedDemo(into: store, now: time.now)
        return try await Runtime.open(
            RuntimeOptions(
                configuration: .embeddedDefaults,
                promptsDirectory: (PromptRegistry.bundledDirectory ?? PromptRegistry.resolveDirectory()).path,
                environment: [:], now: { time.now }, ids: .sequential()),
            store: store)
    }

    @Test func eachOwnersWeekIsCountedAndStoredOnce() async throws {
        let time = ManualWallClock(try Date("2026-12-01T08:00:00Z", strategy: .iso8601))
        let runtime = try await Self.demo(at: time)
        let store = runtime.sqliteStore!
        let maria = ActingUser("maria")
        let mine = try store.listClients().filter { $0.ownerID == "maria" }.map(\.id)
        let scored = try runtime.health.score(clientIDs: mine, as: .anonymous)
        _ = try await runtime.suggestions.run(clientIDs: nil, modelSuggestions: false, as: .anonymous)
        let pending = try runtime.suggestions.list(clientID: nil, as: maria).filter { mine.contains($0.clientID) }
        #expect(pending.count >= 2, "\(pending)")
        _ = try await runtime.suggestions.accept(pending[0].id, as: maria)
        _ = try runtime.suggestions.dismiss(pending[1].id, reason: "not now", as: maria)
        // Two mornings of stored plans, one item done by hand.
        let utc = TimeZone(identifier: "UTC")!
        let first = try await runtime.plans.review(userID: "maria", in: utc, at: time.now).plan
        time.advance(days: 1)
        let second = try await runtime.plans.review(userID: "maria", in: utc, at: time.now).plan
        #expect(try runtime.plans.markDone(itemID: second.items[0].id, as: maria).marked)

        // Monday 7 December, 09:00: the week since Monday 30 November.
        let slot = try Date("2026-12-07T09:00:00Z", strategy: .iso8601)
        time.advance(days: 5)
        let week = try await runtime.teamAnalysis.run(at: slot)
        #expect(week.written == week.reports.count)
        let report = try #require(week.reports.first { $0.ownerID == "maria" })
        #expect(report.week == "2026-11-30")
        #expect(report.clients == mine.count)
        #expect(report.atRisk == scored.filter { [.atRisk, .critical].contains($0.score.band) }.map(\.score.clientID).sorted())
        #expect(report.suggestionsAccepted == 1 && report.suggestionsDecided == 2)
        #expect(report.suggestionAcceptance == 0.5)
        #expect(report.planItems == first.items.count + second.items.count)
        #expect(report.planItemsDone >= 1)
        #expect(report.draftsDecided == 0 && report.draftsApproved == 0)
        #expect(report.coaching == nil && report.coachingNote?.contains("no model provider is configured") == true)
        #expect(Set(week.reports.map(\.ownerID)) == Set(try store.listClients().compactMap(\.ownerID)))

        // Run again (a run taken over): nothing new is written.
        #expect(try await runtime.teamAnalysis.run(at: slot).written == 0)
        #expect(try runtime.teamAnalysis.reports(week: nil, as: .anonymous) == week.reports.sorted { $0.ownerID < $1.ownerID })
        #expect(try runtime.teamAnalysis.reports(week: "2026-11-23", as: .anonymous).isEmpty)
        // A manager reads their team's owners; a member is refused.
        let team = try UserRepository(store: store).memberIDs(team: "enterprise")
        let seen = try runtime.teamAnalysis.reports(week: nil, as: ActingUser("tom"))
        #expect(!seen.isEmpty && seen.allSatisfy { team.contains($0.ownerID) }, "\(seen.map(\.ownerID)) \(team)")
        #expect(throws: RoleRefusal.self) { try runtime.teamAnalysis.reports(week: nil, as: ActingUser("leo")) }
    }

    @Test func aWeekCountsTheDecisionsMadeInItWheneverTheDraftsAndSuggestionsWereWritten() async throws {
        // Written on Wednesday 25 November, the week before the one analysed (Monday 30 November to Monday 7 December).
        let time = ManualWallClock(try Date("2026-11-25T10:00:00Z", strategy: .iso8601))
        let runtime = try await Self.demo(at: time)
        let store = runtime.sqliteStore!
        let maria = ActingUser("maria")
        let mine = try store.listClients().filter { $0.ownerID == "maria" }.map(\.id)
        _ = try await runtime.suggestions.run(clientIDs: nil, modelSuggestions: false, as: .anonymous)
        let pending = try runtime.suggestions.list(clientID: nil, as: maria).filter { mine.contains($0.clientID) }
        #expect(pending.count >= 3, "\(pending)")
        let client = try #require(try store.client(id: mine[0]))
        let early = try await runtime.drafts.generate(client: client, kind: .checkIn, hint: nil, as: maria)
        let late = try await runtime.drafts.generate(client: client, kind: .followUp, hint: nil, as: maria)
        // Decided before the week: not counted.
        _ = try runtime.suggestions.dismiss(pending[2].id, reason: "not now", as: maria)
        // Decided in the week (Wednesday 2 December): counted.
        time.advance(days: 7)
        _ = try await runtime.suggestions.accept(pending[0].id, as: maria)
        try runtime.drafts.approve(early.id, as: maria)
        // Decided after the week (Tuesday 8 December, before this late run): not counted.
        time.advance(days: 6)
        _ = try runtime.suggestions.dismiss(pending[1].id, reason: "later", as: maria)
        try runtime.drafts.reject(late.id, reason: "too long", as: maria)

        let week = try await runtime.teamAnalysis.run(at: try Date("2026-12-07T09:00:00Z", strategy: .iso8601))
        let report = try #require(week.reports.first { $0.ownerID == "maria" })
        #expect(report.week == "2026-11-30")
        #expect(report.suggestionsAccepted == 1 && report.suggestionsDecided == 1)
        #expect(report.draftsApproved == 1 && report.draftsDecided == 1)
    }

    @Test func aConfiguredModelWritesCoachingNotesFromTheFigures() async throws {
        let now = try Date("2026-12-07T09:00:00Z", strategy: .iso8601)
        let store = try ClientStore.inMemory(now: { now })
        try DemoSeeder.seedDemo(into: store, now: now)
        let configuration = try KAMConfiguration.parse(
            """
            providers:
              local:
                kind: openai-compatible
                base_url: http://model.invalid/v1
            """, file: "kam.yaml")
        let notes = #"{"summary":"A quiet week.","notes":["Call the two clients at risk first."]}"#
        let asked = RecordedPrompts()
        let runtime = try await Runtime.open(
            RuntimeOptions(
                configuration: configuration,
                promptsDirectory: (PromptRegistry.bundledDirectory ?? PromptRegistry.resolveDirectory()).path,
                overrides: ModelOverrides(provider: "local", model: "m"), environment: [:], now: { now }, ids: .sequential(),
                transport: MockTransport { request in
                    asked.add(String(decoding: request.body, as: UTF8.self))
                    return MockTransport.chatCompletion(notes)
                }),
            store: store)
        let week = try await runtime.teamAnalysis.run(at: now)
        #expect(!week.reports.isEmpty && week.reports.allSatisfy { $0.coaching?.notes == ["Call the two clients at risk first."] })
        #expect(week.reports.allSatisfy { $0.coachingNote == nil })
        // Each call saw its owner's figures, and the notes are stored with them.
        #expect(asked.bodies.count == week.reports.count)
        #expect(asked.bodies.contains { $0.contains("Maria Lopez") && $0.contains("daily plan items done: 0 of 0") })
        #expect(try runtime.teamAnalysis.reports(week: nil, as: .anonymous).allSatisfy { $0.coaching?.summary == "A quiet week." })
        // A second run writes nothing and asks nothing.
        #expect(try await runtime.teamAnalysis.run(at: now).written == 0)
        #expect(asked.bodies.count == week.reports.count)
    }

    /// The request bodies a fake provider received.
    final class RecordedPrompts: Sendable {
        let stored = Mutex<[String]>([])
        func add(_ body: String) { stored.withLock { $0.append(body) } }
        var bodies: [String] { stored.withLock { $0 } }
    }
}
