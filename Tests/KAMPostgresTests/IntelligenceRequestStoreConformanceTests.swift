import Foundation
import KAMCore
import KAMTesting
import Testing

/// The intelligence requests' store (`IntelligenceRequestStoring`), written once and run against SQLite and
/// PostgreSQL: every method, the orders and their ties, what is refused, and workers racing to start (and to end) one
/// request through two handles, which only the stores' compare-and-set keeps to one winner.
///
/// A PostgreSQL case without a server is skipped with the reason (`PostgresTestServer`), and fails under CI.
@Suite("Intelligence request store conformance")
struct IntelligenceRequestStoreConformanceTests {
    static let t0 = EvalWorld.start
    static let failure = IntelligenceRequest.Failure(code: "request.stale", message: "the server restarted; ask again")

    /// A queued request about `client` by `user`, made `offset` seconds after `t0`.
    static func request(
        _ id: String, client: String = "acme", by user: String? = "u1", at offset: TimeInterval = 0
    ) -> IntelligenceRequest {
        IntelligenceRequest(
            id: id, type: "needs", clientID: client,
            parameters: [
                "today": .string("2026-12-05"), "note": .string(HostileTextBody.text), "depth": .int(3),
                "ratio": .double(0.25), "flags": .array([.bool(true), .null]), "nested": .object(["k": .string("v")]),
            ], prompt: "analysis.needs", createdAt: t0.addingTimeInterval(offset), requestedBy: user)
    }

    @Test("a request round-trips byte for byte; a used id or an unknown client is refused", arguments: StoreBackend.allCases)
    func roundTrip(kind: StoreBackend) async throws {
        try await kind.withWorld(EvalWorld.self) { world in
            let request = Self.request("r1")
            try world.requests.insert(request)
            #expect(try world.requests.request(id: "r1") == request)
            #expect(try world.handles[1].requests.request(id: "r1") == request)
            #expect(try world.requests.request(id: "no-such-request") == nil)
            let anonymous = Self.request("r2", client: "initech", by: nil, at: 1)
            try world.requests.insert(anonymous)
            #expect(try world.requests.request(id: "r2") == anonymous)

            var other = Self.request("r1", client: "globex", by: "u2")
            other.parameters = [:]
            #expect(throws: (any Error).self) { try world.handles[1].requests.insert(other) }
            #expect(throws: (any Error).self) { try world.requests.insert(Self.request("r3", client: "no-such-client")) }
            #expect(try world.requests.request(id: "r1") == request)
            #expect(try world.requests.request(id: "r3") == nil)
        }
    }

    @Test(
        "the status moves forward only: queued → running → done, queued or running → failed",
        arguments: StoreBackend.allCases)
    func transitions(kind: StoreBackend) async throws {
        try await kind.withWorld(EvalWorld.self) { world in
            let (one, two) = (world.handles[0].requests, world.handles[1].requests)
            try one.insert(Self.request("r1"))
            let answer = JSONValue.object(["needs": .array([.string("faster \"delivery\" ✓")]), "score": .double(0.5)])
            let (t1, t2, t3) = (Self.t0.addingTimeInterval(10), Self.t0.addingTimeInterval(20), Self.t0.addingTimeInterval(30))

            // Not running yet: nothing to finish.
            #expect(try !one.finish(id: "r1", result: answer, prompt: "analysis.needs@1", at: t1))
            #expect(try one.start(id: "r1", prompt: "analysis.needs@1", at: t1))
            #expect(try !two.start(id: "r1", prompt: "analysis.needs@2", at: t2))
            var running = try #require(try two.request(id: "r1"))
            #expect(running.status == .running && running.prompt == "analysis.needs@1" && running.startedAt == t1)
            #expect(running.finishedAt == nil && running.result == nil && running.error == nil)

            #expect(try two.finish(id: "r1", result: answer, prompt: "analysis.needs@1", at: t2))
            #expect(try !one.finish(id: "r1", result: .null, prompt: "analysis.needs@9", at: t3))
            #expect(try !one.fail(id: "r1", failure: Self.failure, at: t3))
            #expect(try !one.start(id: "r1", prompt: "analysis.needs@9", at: t3))
            running.status = .done
            running.result = answer
            running.finishedAt = t2
            #expect(try one.request(id: "r1") == running)

            // A queued request fails; a failed one never starts or finishes; a missing one changes nothing.
            try one.insert(Self.request("r2", at: 1))
            #expect(try two.fail(id: "r2", failure: Self.failure, at: t1))
            #expect(try !one.start(id: "r2", prompt: "analysis.needs@1", at: t2))
            #expect(try !one.fail(id: "r2", failure: IntelligenceRequest.Failure(code: "x", message: "y"), at: t2))
            let failed = try #require(try one.request(id: "r2"))
            #expect(failed.status == .failed && failed.error == Self.failure && failed.finishedAt == t1)
            #expect(failed.startedAt == nil && failed.result == nil && failed.prompt == "analysis.needs")
            // A running one fails too.
            try one.insert(Self.request("r3", at: 2))
            #expect(try one.start(id: "r3", prompt: "analysis.needs@1", at: t1))
            #expect(try two.fail(id: "r3", failure: Self.failure, at: t3))
            #expect(try !one.finish(id: "r3", result: answer, prompt: "analysis.needs@1", at: t3))
            #expect(try one.request(id: "r3")?.status == .failed)
            for id in ["no-such-request"] {
                #expect(try !one.start(id: id, prompt: "p", at: t1))
                #expect(try !one.finish(id: id, result: answer, prompt: "p", at: t1))
                #expect(try !one.fail(id: id, failure: Self.failure, at: t1))
            }
        }
    }

    @Test("listings: newest first, ties by the order stored, by user or by nobody, paged", arguments: StoreBackend.allCases)
    func listings(kind: StoreBackend) async throws {
        try await kind.withWorld(EvalWorld.self) { world in
            let requests = world.requests
            // Stored in the order a, b, c, d, e; a and c, b and d made at the same time.
            for (id, offset, user) in [("a", 0.0, "u1"), ("b", 5, "u1"), ("c", 0, "u1"), ("d", 5, "u1"), ("e", 1, "u2")]
            {
                try world.handles[Int(offset) % 2].requests.insert(Self.request(id, by: user, at: offset))
            }
            try requests.insert(Self.request("n1", by: nil, at: 2))
            try requests.insert(Self.request("n2", by: nil, at: 2))
            func list(_ user: String?, _ limit: Int, _ offset: Int) throws -> [String] {
                try requests.list(requestedBy: user, limit: limit, offset: offset).map(\.id)
            }
            #expect(try list("u1", 10, 0) == ["d", "b", "c", "a"])
            #expect(try list("u1", 2, 0) == ["d", "b"])
            #expect(try list("u1", 2, 1) == ["b", "c"])
            #expect(try list("u1", 10, 4).isEmpty)
            #expect(try list("u2", 10, 0) == ["e"])
            #expect(try list(nil, 10, 0) == ["n2", "n1"])
            #expect(try list("u3", 10, 0).isEmpty)

            // The newest answered request about a client: by finish time, ties by the order stored; unanswered and
            // failed ones never count, nor other clients'.
            #expect(try requests.latestAnswered(clientID: "acme") == nil)
            let done = Self.t0.addingTimeInterval(100)
            for id in ["c", "a", "b"] {
                #expect(try requests.start(id: id, prompt: "analysis.needs@1", at: Self.t0.addingTimeInterval(50)))
                #expect(try requests.finish(id: id, result: .string(id), prompt: "analysis.needs@1", at: id == "b" ? done.addingTimeInterval(-1) : done))
            }
            #expect(try requests.latestAnswered(clientID: "acme")?.id == "c")
            #expect(try world.handles[1].requests.latestAnswered(clientID: "acme")?.result == .string("c"))
            #expect(try requests.fail(id: "d", failure: Self.failure, at: done.addingTimeInterval(5)))
            #expect(try requests.latestAnswered(clientID: "acme")?.id == "c")
            #expect(try requests.latestAnswered(clientID: "globex") == nil)
        }
    }

    @Test(
        "failStale ends what is queued or running and was last touched before the cutoff",
        arguments: StoreBackend.allCases)
    func failStale(kind: StoreBackend) async throws {
        try await kind.withWorld(EvalWorld.self) { world in
            let requests = world.requests
            let at = { (seconds: TimeInterval) in Self.t0.addingTimeInterval(seconds) }
            try requests.insert(Self.request("old-queued", at: 0))
            try requests.insert(Self.request("new-queued", at: 100))
            try requests.insert(Self.request("old-running", at: 0))
            #expect(try requests.start(id: "old-running", prompt: "p@1", at: at(10)))
            try requests.insert(Self.request("restarted", at: 0))
            #expect(try requests.start(id: "restarted", prompt: "p@1", at: at(100)))
            try requests.insert(Self.request("answered", at: 0))
            #expect(try requests.start(id: "answered", prompt: "p@1", at: at(1)))
            #expect(try requests.finish(id: "answered", result: .null, prompt: "p@1", at: at(2)))

            #expect(try world.handles[1].requests.failStale(olderThan: at(50), failure: Self.failure, at: at(200)) == 2)
            func status(_ id: String) throws -> IntelligenceRequest.Status? { try requests.request(id: id)?.status }
            #expect(try status("old-queued") == .failed && status("old-running") == .failed)
            #expect(try status("new-queued") == .queued && status("restarted") == .running && status("answered") == .done)
            let stale = try #require(try requests.request(id: "old-running"))
            #expect(stale.error == Self.failure && stale.finishedAt == at(200) && stale.startedAt == at(10))
            // The cutoff is strict, and a second pass finds nothing more.
            #expect(try requests.failStale(olderThan: at(100), failure: Self.failure, at: at(300)) == 0)
            #expect(try requests.failStale(olderThan: at(101), failure: Self.failure, at: at(300)) == 2)
            #expect(try requests.failStale(olderThan: at(1000), failure: Self.failure, at: at(300)) == 0)
        }
    }

    @Test(
        "of 8 workers racing over two handles to start a request exactly one does, and of an answer racing a failure one ends it",
        arguments: StoreBackend.allCases)
    func racingWorkers(kind: StoreBackend) async throws {
        try await kind.withWorld(EvalWorld.self) { world in
            for round in 0..<4 {
                let id = "race-\(round)"
                try world.requests.insert(Self.request(id, at: Double(round)))
                let started = await OnThreads.results(8) { index in
                    try world.handles[index % 2].requests.start(
                        id: id, prompt: "analysis.needs@\(index)", at: Self.t0.addingTimeInterval(Double(index)))
                }
                let winners = started.indices.filter { (try? started[$0].get()) == true }
                try #require(winners.count == 1, "round \(round): \(started)")
                let run = try #require(try world.requests.request(id: id))
                #expect(run.status == .running && run.prompt == "analysis.needs@\(winners[0])")
                #expect(run.startedAt == Self.t0.addingTimeInterval(Double(winners[0])))

                let ended = await OnThreads.results(8) { index in
                    let requests = world.handles[index % 2].requests
                    let at = Self.t0.addingTimeInterval(100 + Double(index))
                    if index % 2 == 0 {
                        return try requests.finish(id: id, result: .int(Int64(index)), prompt: "analysis.needs@1", at: at)
                    }
                    return try requests.fail(id: id, failure: Self.failure, at: at)
                }
                let enders = ended.indices.filter { (try? ended[$0].get()) == true }
                try #require(enders.count == 1, "round \(round): \(ended)")
                let end = try #require(try world.requests.request(id: id))
                #expect(end.finishedAt == Self.t0.addingTimeInterval(100 + Double(enders[0])))
                if enders[0] % 2 == 0 {
                    #expect(end.status == .done && end.result == .int(Int64(enders[0])) && end.error == nil)
                } else {
                    #expect(end.status == .failed && end.result == nil && end.error == Self.failure)
                }
            }
        }
    }
}
