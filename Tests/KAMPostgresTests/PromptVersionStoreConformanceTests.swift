import Foundation
import KAMCore
import KAMResources
import Testing

@testable import KAMPostgres

/// The prompt version ledger (`PromptVersionLedger`) and the label moves (`PromptLabelMoveStoring`), written once
/// and run against SQLite and PostgreSQL.
@Suite("Prompt version store conformance")
struct PromptVersionStoreConformanceTests {
    @Test("the first use of a version records its hash; later uses get that hash back", arguments: StoreBackend.allCases)
    func firstUseWins(kind: StoreBackend) async throws {
        try await kind.withWorld(AccessWorld.self) { world in
            let ledger = world.first.versions
            #expect(try ledger.recordedHash(promptID: "draft.x", version: "1") == nil)
            #expect(try ledger.recordFirstUse(promptID: "draft.x", version: "1", contentHash: "aaa") == "aaa")
            world.clock.advance(10)
            #expect(try ledger.recordFirstUse(promptID: "draft.x", version: "1", contentHash: "bbb") == "aaa")
            #expect(try ledger.recordFirstUse(promptID: "draft.x", version: "2", contentHash: "bbb") == "bbb")
            #expect(try ledger.recordFirstUse(promptID: "draft.a", version: "2", contentHash: "ccc") == "ccc")
            #expect(try ledger.recordedHash(promptID: "draft.x", version: "1") == "aaa")
            #expect(try ledger.recordedHash(promptID: "draft.x", version: "3") == nil)
            let all = try world.first.allVersions()
            #expect(all.map { "\($0.promptID)@\($0.version)=\($0.contentHash)" } == ["draft.x@1=aaa", "draft.a@2=ccc", "draft.x@2=bbb"])
            #expect(all.map(\.firstUsedAt) == [AccessWorld.start, AccessWorld.start.addingTimeInterval(10), AccessWorld.start.addingTimeInterval(10)])
        }
    }

    @Test("two processes using one version with different hashes at once agree on one hash", arguments: StoreBackend.allCases)
    func firstUseRace(kind: StoreBackend) async throws {
        try await kind.withWorld(AccessWorld.self) { world in
            let (one, two) = (world.handles[0].versions, world.handles[1].versions)
            for round in 0..<16 {
                let outcomes = await AccessWorld.race(
                    { Result { try one.recordFirstUse(promptID: "p", version: "\(round)", contentHash: "one") } },
                    { Result { try two.recordFirstUse(promptID: "p", version: "\(round)", contentHash: "two") } })
                let hashes = outcomes.map { (try? $0.get()) ?? "error: \($0)" }
                #expect(hashes[0] == hashes[1], "round \(round): \(hashes)")
                #expect(["one", "two"].contains(hashes[0]), "round \(round): \(hashes)")
                let recorded = try one.recordedHash(promptID: "p", version: "\(round)")
                #expect(recorded == hashes[0])
            }
            let all = try world.first.allVersions()
            #expect(all.count == 16)
        }
    }

    @Test("a version changed after its first use through another process is refused by the registry", arguments: StoreBackend.allCases)
    func changedVersionRefused(kind: StoreBackend) async throws {
        let shipped = try #require(ShippedResources.promptsDirectory)
        let folders = (0..<2).map { _ in
            FileManager.default.temporaryDirectory.appendingPathComponent("kam-prompts-\(UUID().uuidString)")
        }
        defer { for folder in folders { try? FileManager.default.removeItem(at: folder) } }
        for folder in folders { try FileManager.default.copyItem(at: shipped, to: folder) }
        let edited = folders[1].appendingPathComponent("draft.follow-up-email/1.prompty")
        try Data((try String(contentsOf: edited, encoding: .utf8) + "One more line.\n").utf8).write(to: edited)
        try await kind.withWorld(AccessWorld.self) { world in
            let original = PromptRegistry(directory: folders[0], ledger: world.handles[0].versions)
            let changed = PromptRegistry(directory: folders[1], ledger: world.handles[1].versions)
            let reference = try PromptReference(parsing: "draft.follow-up-email@1")
            let used = try original.use(reference)
            let error = #expect(throws: PromptError.self) { try changed.use(reference) }
            #expect(error?.code == .changedAfterUse)
            #expect(try original.use(reference).contentHash == used.contentHash)
        }
    }

    @Test("label moves are recorded and read back per prompt, oldest first", arguments: StoreBackend.allCases)
    func labelMoves(kind: StoreBackend) async throws {
        try await kind.withWorld(AccessWorld.self) { world in
            let moves = world.first.moves
            let first = PromptLabelMove(
                promptID: "draft.x", label: "production", from: nil, to: "1", userID: "ana", at: AccessWorld.start)
            let second = PromptLabelMove(
                promptID: "draft.x", label: "production", from: "1", to: "2", userID: nil,
                at: AccessWorld.start.addingTimeInterval(-5))
            let other = PromptLabelMove(
                promptID: "draft.y", label: "candidate", from: "3", to: nil, userID: "bob", at: AccessWorld.start)
            try moves.record(first)
            try world.handles[1].moves.record(other)
            try moves.record(second)
            #expect(try moves.moves(promptID: "draft.x") == [first, second])
            #expect(try world.handles[1].moves.moves(promptID: "draft.y") == [other])
            #expect(try moves.moves(promptID: "draft.z").isEmpty)
        }
    }
}
