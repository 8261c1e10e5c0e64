import Foundation
import KAMCore
import KAMTesting
import Testing

/// The online experiments' store (`ExperimentStoring`), written once and run against SQLite and PostgreSQL: every
/// method, SQLite's errors for a used id and a second running experiment on a prompt, the outcomes of the drafts,
/// and processes racing to start experiments through two handles: one running experiment a prompt, one use an id.
///
/// A PostgreSQL case without a server is skipped with the reason (`PostgresTestServer`), and fails under CI.
@Suite("Experiment store conformance")
struct ExperimentStoreConformanceTests {
    static let t0 = EvalWorld.start
    static let prompt = "draft.follow-up-email"

    static func experiment(_ id: String, prompt: String = prompt, at offset: TimeInterval = 0) -> Experiment {
        Experiment(
            id: id, promptID: prompt, variants: ["1", "candidate \"b\" ✓"], split: [50, 50],
            startedAt: t0.addingTimeInterval(offset))
    }

    /// The code and message of an `ExperimentError` `body` throws, nil when it throws something else or nothing.
    static func refusal(_ body: () throws -> Void) -> (ExperimentError.Code, String)? {
        do {
            try body()
            return nil
        } catch let error as ExperimentError {
            return (error.code, error.message)
        } catch {
            return nil
        }
    }

    @Test(
        "start, read, list, save; a used id or a second running experiment on a prompt is refused as on SQLite",
        arguments: StoreBackend.allCases)
    func lifecycle(kind: StoreBackend) async throws {
        try await kind.withWorld(EvalWorld.self) { world in
            let (one, two) = (world.handles[0].experiments, world.handles[1].experiments)
            let e1 = Self.experiment("e1")
            try one.start(e1)
            #expect(try two.experiment(id: "e1") == e1)
            #expect(try two.running(promptID: Self.prompt) == e1)
            #expect(try one.experiment(id: "no-such-experiment") == nil)
            #expect(try one.running(promptID: "other.prompt") == nil)

            let taken = Self.refusal { try two.start(Self.experiment("e1", prompt: "other.prompt")) }
            #expect(taken?.0 == .alreadyExists && taken?.1 == ExperimentError.idTaken("e1").message)
            let conflict = Self.refusal { try two.start(Self.experiment("e2", at: 5)) }
            #expect(conflict?.0 == .conflict && conflict?.1 == ExperimentError.alreadyRunning("e1", promptID: Self.prompt).message)
            #expect(try one.experiment(id: "e2") == nil && one.running(promptID: "other.prompt") == nil)

            // Newest first; a tie in time by id.
            try two.start(Self.experiment("e4", prompt: "p.four", at: 10))
            try one.start(Self.experiment("e3", prompt: "p.three", at: 10))
            #expect(try one.list().map(\.id) == ["e3", "e4", "e1"])

            // Stopped, the prompt is free for another; a saved experiment reads back as saved.
            var stopped = e1
            stopped.status = .stopped
            stopped.stoppedAt = Self.t0.addingTimeInterval(20)
            stopped.winner = "1"
            try two.save(stopped)
            #expect(try one.experiment(id: "e1") == stopped)
            #expect(try one.running(promptID: Self.prompt) == nil)
            let e2 = Self.experiment("e2", at: 30)
            try one.start(e2)
            #expect(try two.running(promptID: Self.prompt) == e2)
            #expect(try two.list().map(\.id) == ["e2", "e3", "e4", "e1"])
        }
    }

    @Test("the outcomes of an experiment's drafts: decision, edit distance and thumbs", arguments: StoreBackend.allCases)
    func outcomes(kind: StoreBackend) async throws {
        try await kind.withWorld(EvalWorld.self) { world in
            let drafts = world.handles[0].drafts
            let at = Self.t0.addingTimeInterval(60)
            for (id, variant, client) in [("d4", "b", "acme"), ("d1", "a", "acme"), ("d3", "b", "globex"), ("d2", "a", "initech")] {
                var draft = DraftStoreConformanceTests.draft(id, client: client, by: "u1", at: 0)
                draft.experimentID = "e1"
                draft.variant = variant
                try drafts.insert(draft)
            }
            var other = DraftStoreConformanceTests.draft("d5")
            other.experimentID = "e2"
            try drafts.insert(other)
            try drafts.update(id: "d1", action: "approve", user: "u1", detail: nil) { try $0.approve(by: "u1", at: at) }
            try drafts.update(id: "d2", action: "approve", user: "u1", detail: nil) {
                try $0.approve(edit: DraftStoreConformanceTests.content("Hi Ana, see you Tuesday"), by: "u1", at: at)
            }
            try drafts.update(id: "d3", action: "reject", user: "u2", detail: "no") {
                try $0.reject(reason: "no", by: "u2", at: at)
            }
            for (draft, rating) in [("d1", FeedbackRating.up), ("d1", .up), ("d1", .down), ("d4", .down), ("d5", .up)] {
                try drafts.addFeedback(draftID: draft, rating: rating, reason: nil, user: "u1", at: at)
            }

            let outcomes = try world.handles[1].experiments.outcomes(experimentID: "e1")
            #expect(outcomes.map(\.variant) == ["a", "a", "b", "b"])
            #expect(outcomes.map(\.clientID) == ["acme", "initech", "globex", "acme"])
            #expect(outcomes.map(\.decision) == [.approvedUnedited, .approvedEdited, .rejected, .pending])
            #expect(outcomes.map(\.thumbsUp) == [2, 0, 0, 0] && outcomes.map(\.thumbsDown) == [1, 0, 0, 1])
            #expect(outcomes[1].editDistance.map { $0 > 0 } == true && outcomes[0].editDistance == 0)
            #expect(try world.experiments.outcomes(experimentID: "e2").map(\.thumbsUp) == [1])
            #expect(try world.experiments.outcomes(experimentID: "e3").isEmpty)
        }
    }

    @Test(
        "of 8 processes starting experiments at once over two handles: one runs a prompt, one takes an id",
        arguments: StoreBackend.allCases)
    func racingStarts(kind: StoreBackend) async throws {
        try await kind.withWorld(EvalWorld.self) { world in
            for round in 0..<4 {
                let prompt = "race.prompt-\(round)"
                let onePrompt = await OnThreads.results(8) { index in
                    try world.handles[index % 2].experiments.start(
                        Self.experiment("x\(round)-\(index)", prompt: prompt, at: Double(index)))
                }
                let starters = onePrompt.indices.filter { (try? onePrompt[$0].get()) != nil }
                try #require(starters.count == 1, "round \(round): \(onePrompt)")
                let winner = "x\(round)-\(starters[0])"
                #expect(try world.experiments.running(promptID: prompt)?.id == winner)
                for result in onePrompt {
                    guard case .failure(let error) = result else { continue }
                    let refusal = error as? ExperimentError
                    #expect(refusal?.code == .conflict)
                    #expect(refusal?.message == ExperimentError.alreadyRunning(winner, promptID: prompt).message)
                }

                let oneID = await OnThreads.results(8) { index in
                    try world.handles[index % 2].experiments.start(
                        Self.experiment("same-\(round)", prompt: "p\(round)-\(index)", at: Double(index)))
                }
                let takers = oneID.indices.filter { (try? oneID[$0].get()) != nil }
                try #require(takers.count == 1, "round \(round): \(oneID)")
                #expect(try world.experiments.experiment(id: "same-\(round)")?.promptID == "p\(round)-\(takers[0])")
                for result in oneID {
                    guard case .failure(let error) = result else { continue }
                    #expect((error as? ExperimentError)?.code == .alreadyExists)
                }
            }
        }
    }
}
