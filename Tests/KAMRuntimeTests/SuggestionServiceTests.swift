import Foundation
import KAMCore
import KAMRuntime
import KAMStore
import Testing

/// Deciding suggestions: accept, undo an accept, dismiss and snooze, and the refusals of a decided one.
@Suite struct SuggestionServiceTests {
    typealias World = CRMTestWorld

    /// The demo's open suggestions after a pass of the rules, highest priority first.
    static func pending(_ world: World) async throws -> [Suggestion] {
        _ = try await world.runtime.suggestions.run(clientIDs: nil, modelSuggestions: false, as: .anonymous)
        return try world.runtime.suggestions.list(as: .anonymous)
    }

    /// Accepts, as maria, the first open suggestion whose action is a task (`task`) or a draft.
    static func acceptFirst(_ world: World, task: Bool) async throws -> (Suggestion, SuggestionService.Accepted) {
        let open = try await pending(world)
        let suggestion = try #require(open.first { if case .task = $0.action { task } else { !task } })
        return (suggestion, try await world.runtime.suggestions.accept(suggestion.id, as: ActingUser("maria")))
    }

    @Test func acceptThenUndoCancelsTheTaskAndOpensTheSuggestionAgain() async throws {
        let world = try await World.demo()
        let suggestions = world.runtime.suggestions
        let (suggestion, accepted) = try await Self.acceptFirst(world, task: true)
        #expect(accepted.suggestion.status == .accepted)
        let taskID = try #require(Int64(accepted.artifact.dropFirst("task:".count)))
        #expect(try world.runtime.sqliteStore!.task(id: taskID)?.status == .open)

        let undone = try suggestions.undoAccept(suggestion.id, as: ActingUser("maria"))
        #expect(undone.status == .pending)
        #expect(undone.artifact == nil)
        #expect(try world.runtime.sqliteStore!.task(id: taskID)?.status == .cancelled)
        #expect(try suggestions.suggestion(suggestion.id, as: .anonymous).status == .pending)

        // Open again: it can be accepted once more, and undone once more.
        let again = try await suggestions.accept(suggestion.id, as: ActingUser("maria"))
        #expect(again.suggestion.status == .accepted)
        #expect(try suggestions.undoAccept(suggestion.id, as: ActingUser("maria")).status == .pending)
    }

    @Test func acceptThenUndoRejectsThePendingDraft() async throws {
        let world = try await World.demo()
        let suggestions = world.runtime.suggestions
        let (suggestion, accepted) = try await Self.acceptFirst(world, task: false)
        let draft = try #require(accepted.draft)
        #expect(draft.status == .pending)
        #expect(try suggestions.undoAccept(suggestion.id, as: ActingUser("maria")).status == .pending)
        #expect(try world.runtime.drafts.draft(draft.id, as: .anonymous).status == .rejected)
    }

    @Test func undoIsRefusedWhenTheSameWasProposedAgainAndLeavesTheTaskAlone() async throws {
        let world = try await World.demo()
        let (suggestion, accepted) = try await Self.acceptFirst(world, task: true)
        var twin = suggestion
        twin.id = "s-twin"
        try SuggestionRepository(store: world.runtime.sqliteStore!).add([twin], now: world.now)
        #expect(throws: RuntimeError.self) { try world.runtime.suggestions.undoAccept(suggestion.id, as: ActingUser("maria")) }
        do {
            _ = try world.runtime.suggestions.undoAccept(suggestion.id, as: ActingUser("maria"))
        } catch let error as RuntimeError {
            #expect(error.kind == .wrongState)
            #expect(error.code == "suggestion.superseded")
            #expect(error.message.contains("s-twin"))
        }
        let taskID = try #require(Int64(accepted.artifact.dropFirst("task:".count)))
        #expect(try world.runtime.sqliteStore!.task(id: taskID)?.status == .open)
        #expect(try world.runtime.suggestions.suggestion(suggestion.id, as: .anonymous).status == .accepted)
        // Once the twin is decided, the accept can be undone.
        try world.runtime.suggestions.dismiss("s-twin", reason: "duplicate", as: .anonymous)
        #expect(try world.runtime.suggestions.undoAccept(suggestion.id, as: ActingUser("maria")).status == .pending)
    }

    @Test func aDecidedSuggestionIsRefusedAsWrongState() async throws {
        let world = try await World.demo()
        let suggestions = world.runtime.suggestions
        let open = try await Self.pending(world)
        try #require(open.count >= 2)
        let dismissed = try suggestions.dismiss(open[0].id, reason: "not now", as: .anonymous)
        #expect(dismissed.status == .dismissed)
        #expect(dismissed.dismissReason == "not now")
        func code(_ body: () async throws -> Void) async -> String? {
            do {
                try await body()
                return nil
            } catch let error as RuntimeError {
                return error.kind == .wrongState ? error.code : "kind \(error.kind)"
            } catch {
                return "\(error)"
            }
        }
        let id = open[0].id
        #expect(await code { _ = try suggestions.dismiss(id, reason: "again", as: .anonymous) } == "suggestion.decided")
        #expect(await code { _ = try suggestions.snooze(id, until: world.now, as: .anonymous) } == "suggestion.decided")
        #expect(await code { _ = try await suggestions.accept(id, as: .anonymous) } == "suggestion.decided")
        // Only an accept can be undone: a dismissed or a pending suggestion is refused.
        #expect(await code { _ = try suggestions.undoAccept(id, as: .anonymous) } == "suggestion.not-accepted")
        #expect(await code { _ = try suggestions.undoAccept(open[1].id, as: .anonymous) } == "suggestion.not-accepted")
        // A snoozed one is still open: it can be dismissed.
        let later = world.now.addingTimeInterval(3 * 86_400)
        #expect(try suggestions.snooze(open[1].id, until: later, as: .anonymous).snoozedUntil == later)
        #expect(try suggestions.dismiss(open[1].id, reason: "handled by phone", as: .anonymous).status == .dismissed)
    }
}
