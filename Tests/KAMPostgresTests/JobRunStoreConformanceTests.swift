import Foundation
import KAMCore
import KAMTesting
import Testing

/// The job runs' behaviour (`JobRunStoring`), written once and run against SQLite and PostgreSQL, with the claims
/// racing across two handles (two processes) that only the stores' concurrency control keeps to one run.
@Suite("Job run store conformance")
struct JobRunStoreConformanceTests {
    static let t0 = EventWorld.start
    static let slot = t0.addingTimeInterval(-300)

    /// Claims `job`'s run of `slot` for `owner` at `now`, for a lease of a minute.
    static func claim(
        _ runs: any JobRunStoring, _ job: String, subject: String? = nil, slot: Date = slot, manual: Bool = false,
        owner: String = "a", at now: Date = t0
    ) throws -> JobRun? {
        try runs.claim(
            job: job, subject: subject, slot: slot, manual: manual, owner: owner, now: now,
            leaseUntil: now.addingTimeInterval(60))
    }

    @Test(
        "a claim gets the run once, with every field; finish records it, once, by its owner",
        arguments: StoreBackend.allCases)
    func claimAndFinish(kind: StoreBackend) async throws {
        try await kind.withWorld(EventWorld.self) { world in
            let runs = world.jobRuns
            let run = try #require(try Self.claim(runs, "health-recompute"))
            #expect(run.job == "health-recompute" && run.subject == nil && run.slot == Self.slot && !run.manual)
            #expect(run.owner == "a" && run.attempts == 1 && run.outcome == .running && run.startedAt == Self.t0)
            #expect(run.finishedAt == nil && run.counts.isEmpty && run.error == nil)
            // Held: nobody else gets it, not even its owner again, while the lease is live.
            for owner in ["b", "a"] {
                #expect(
                    try Self.claim(runs, "health-recompute", owner: owner, at: Self.t0.addingTimeInterval(59)) == nil)
            }
            func isTaken(subject: String? = nil, slot: Date = Self.slot, at seconds: TimeInterval) throws -> Bool {
                try runs.isTaken(
                    job: "health-recompute", subject: subject, slot: slot, now: Self.t0.addingTimeInterval(seconds))
            }
            #expect(try isTaken(at: 60))
            #expect(try !isTaken(at: 61))
            #expect(try !isTaken(slot: Self.t0, at: 0))
            #expect(try !isTaken(subject: "ana", at: 0))

            // Only its owner finishes it, once.
            #expect(
                try !runs.finish(id: run.id, owner: "b", outcome: .succeeded, counts: [:], error: nil, now: Self.t0))
            let finishedAt = Self.t0.addingTimeInterval(10)
            #expect(
                try runs.finish(
                    id: run.id, owner: "a", outcome: .succeeded, counts: ["scored": 3, "added": 0], error: nil,
                    now: finishedAt))
            #expect(
                try !runs.finish(id: run.id, owner: "a", outcome: .failed, counts: [:], error: "late", now: finishedAt))
            let latest = try #require(try runs.latest(job: "health-recompute"))
            #expect(latest.outcome == .succeeded && latest.finishedAt == finishedAt && latest.error == nil)
            #expect(latest.counts == ["scored": 3, "added": 0])
            #expect(latest.id == run.id && latest.startedAt == Self.t0 && latest.owner == "a")
            // Finished: taken for good, never claimed again, not abandoned.
            let later = Self.t0.addingTimeInterval(86_400)
            #expect(try isTaken(at: 86_400))
            #expect(try Self.claim(runs, "health-recompute", owner: "b", at: later) == nil)
            #expect(try runs.abandoned(now: later).isEmpty)
            #expect(try runs.latest(job: "self-check") == nil)
        }
    }

    @Test("a per-user job has a run per subject; manual runs and history", arguments: StoreBackend.allCases)
    func subjectsAndHistory(kind: StoreBackend) async throws {
        try await kind.withWorld(EventWorld.self) { world in
            let runs = world.jobRuns
            let ana = try #require(try Self.claim(runs, "daily-review", subject: "ana"))
            let bo = try #require(try Self.claim(runs, "daily-review", subject: "bo"))
            #expect(try Self.claim(runs, "daily-review", subject: "ana", owner: "b") == nil)
            #expect(ana.subject == "ana" && bo.subject == "bo" && ana.id != bo.id)
            let once = try #require(try Self.claim(runs, "daily-review"))
            #expect(once.subject == nil)
            let manual = try #require(try Self.claim(runs, "retention-cleanup", slot: Self.t0, manual: true))
            #expect(manual.manual)
            let earlier = try #require(try Self.claim(runs, "retention-cleanup"))

            // Newest slot first, then newest id (claimed in the order ana, bo, once, manual, earlier).
            #expect(
                try runs.history(job: nil, limit: 50).map(\.id) == [manual.id, earlier.id, once.id, bo.id, ana.id])
            #expect(try runs.history(job: nil, limit: 1).map(\.id) == [manual.id])
            #expect(try runs.history(job: "daily-review", limit: 2).map(\.id) == [once.id, bo.id])
            #expect(try runs.history(job: "retention-cleanup", limit: 50).map(\.id) == [manual.id, earlier.id])
            #expect(try runs.history(job: "self-check", limit: 50).isEmpty)
            #expect(try runs.latest(job: "retention-cleanup")?.id == manual.id)
        }
    }

    @Test(
        "a run whose lease ended is abandoned, taken over once, and its old owner writes nothing",
        arguments: StoreBackend.allCases)
    func takeover(kind: StoreBackend) async throws {
        try await kind.withWorld(EventWorld.self) { world in
            let runs = world.jobRuns
            let dead = try #require(try Self.claim(runs, "self-check", manual: true))
            #expect(try runs.abandoned(now: Self.t0.addingTimeInterval(60)).isEmpty)
            let over = Self.t0.addingTimeInterval(61)
            #expect(try runs.abandoned(now: over).map(\.id) == [dead.id])
            let taken = try #require(try Self.claim(runs, "self-check", owner: "b", at: over))
            #expect(taken.id == dead.id && taken.owner == "b" && taken.attempts == 2 && taken.startedAt == over)
            #expect(taken.manual)  // the first claim's
            #expect(try runs.abandoned(now: over).isEmpty)
            // The first owner, back from the dead, records nothing: no outcome, no job.failed event.
            let mark = try world.events.lastID()
            #expect(try !runs.finish(id: dead.id, owner: "a", outcome: .failed, counts: [:], error: "late", now: over))
            #expect(try runs.latest(job: "self-check")?.outcome == .running)
            #expect(try world.events.lastID() == mark)
            #expect(
                try runs.finish(id: dead.id, owner: "b", outcome: .succeeded, counts: ["n": 1], error: nil, now: over))
            #expect(try runs.latest(job: "self-check")?.owner == "b")
        }
    }

    @Test("a failed run appends its job.failed event in the same transaction", arguments: StoreBackend.allCases)
    func failureEvent(kind: StoreBackend) async throws {
        try await kind.withWorld(EventWorld.self) { world in
            let runs = world.jobRuns
            let mark = try world.events.lastID()
            let at = Self.t0.addingTimeInterval(5)
            for subject in [nil, "ana"] as [String?] {
                let run = try #require(try Self.claim(runs, "daily-review", subject: subject))
                #expect(
                    try runs.finish(id: run.id, owner: "a", outcome: .failed, counts: [:], error: "disk full", now: at))
                let event = try #require(
                    try world.events.events(after: mark, kinds: nil, clientID: nil, limit: 10).last)
                let expected = DomainEvent.jobFailed(
                    runID: run.id, job: "daily-review", slot: Self.slot, userID: subject, at: at)
                #expect(event.kind == "job.failed" && event.subjectID == String(run.id) && event.clientID == nil)
                #expect(event.payload == expected.payloadText && event.occurredAt == at)
                #expect(try runs.history(job: "daily-review", limit: 1).first?.error == "disk full")
            }
            // A success appends nothing.
            let last = try world.events.lastID()
            let run = try #require(try Self.claim(runs, "self-check"))
            try runs.finish(id: run.id, owner: "a", outcome: .succeeded, counts: [:], error: nil, now: at)
            #expect(try world.events.lastID() == last)
            #expect(try world.events.events(after: mark, kinds: ["job.failed"], clientID: nil, limit: 10).count == 2)
        }
    }

    @Test(
        "of 8 claims racing over two handles exactly one gets the slot, and after its lease exactly one takes it over",
        arguments: StoreBackend.allCases)
    func racingClaims(kind: StoreBackend) async throws {
        try await kind.withWorld(EventWorld.self, handles: 2) { world in
            let handles = world.handles
            func race(at now: Date) async throws -> [JobRun] {
                try await OnThreads.results(8) { index in
                    try Self.claim(handles[index % 2].jobRuns, "weekly-analysis", owner: "p\(index)", at: now)
                }.compactMap { try $0.get() }
            }
            let first = try await race(at: Self.t0)
            #expect(first.count == 1)
            #expect(first.first?.attempts == 1)
            #expect(try handles[1].jobRuns.history(job: "weekly-analysis", limit: 50).count == 1)

            // The winner dies; after its lease, eight claim it again: one takes it over.
            let over = Self.t0.addingTimeInterval(61)
            let second = try await race(at: over)
            #expect(second.count == 1)
            let taken = try #require(second.first)
            #expect(taken.id == first.first?.id && taken.attempts == 2)
            let stored = try #require(try handles[0].jobRuns.latest(job: "weekly-analysis"))
            #expect(stored.owner == taken.owner && stored.attempts == 2)
            // Only the new owner finishes it.
            for owner in (0..<8).map({ "p\($0)" }) where owner != taken.owner {
                #expect(
                    try !handles[1].jobRuns.finish(
                        id: taken.id, owner: owner, outcome: .failed, counts: [:], error: "x", now: over))
            }
            #expect(
                try handles[1].jobRuns.finish(
                    id: taken.id, owner: taken.owner, outcome: .succeeded, counts: [:], error: nil, now: over))
        }
    }
}
