import Foundation
import KAMCore
import Synchronization
import KAMTesting
import Testing

/// The event log read back and its consumers' cursors (`EventStoring`), written once and run against SQLite and
/// PostgreSQL, with one consumer's cursor moved by two handles (two processes) at once.
@Suite("Event store conformance")
struct EventStoreConformanceTests {
    static let t0 = EventWorld.start

    /// Four events: one without a client, two of client acme (one a chain's), one of globex.
    static func appendFour(_ world: EventWorld) throws -> [(id: Int64, event: DomainEvent)] {
        let events: [DomainEvent] = [
            .jobFailed(runID: 7, job: "self-check", slot: t0, at: t0),
            .clientCreated(
                Client(id: "acme", name: "Acme", ownerID: "ana", createdAt: t0), at: t0.addingTimeInterval(1)),
            .planStored(
                planID: 3, userID: "ana", day: "2026-11-18", items: 4, brief: true, at: t0.addingTimeInterval(2)),
            .clientCreated(Client(id: "globex", name: "Globex", createdAt: t0), at: t0.addingTimeInterval(3.5)),
        ]
        return try events.map { (try world.handles[0].append($0), $0) }
    }

    /// A cursor's position as an array (event id, failed passes), for comparisons; nil stays nil (not claimed).
    static func pair(_ position: (eventID: Int64, failedPasses: Int)?) -> [Int64]? {
        position.map { [$0.eventID, Int64($0.failedPasses)] }
    }

    @Test(
        "events after a cursor, oldest first, by kind, by client, at most a limit", arguments: StoreBackend.allCases)
    func readingTheLog(kind: StoreBackend) async throws {
        try await kind.withWorld(EventWorld.self) { world in
            let log = world.events
            #expect(try log.lastID() == 0)
            #expect(try log.events(after: 0, kinds: nil, clientID: nil, limit: 500).isEmpty)
            let appended = try Self.appendFour(world)
            let ids = appended.map { $0.id }
            #expect(ids == ids.sorted() && Set(ids).count == 4)
            #expect(try log.lastID() == ids[3])

            let all = try log.events(after: 0, kinds: nil, clientID: nil, limit: 500)
            #expect(all.map(\.id) == ids)
            for (stored, (id, event)) in zip(all, appended) {
                #expect(stored.id == id && stored.kind == event.kind.rawValue)
                #expect(stored.clientID == event.clientID && stored.subjectID == event.subjectID)
                #expect(stored.payload == event.payloadText && stored.occurredAt == event.at)
                #expect(stored.chainRoot == nil && stored.chainDepth == 0)
            }
            // The other handle (process) reads the same.
            #expect(try world.handles[1].events.events(after: 0, kinds: nil, clientID: nil, limit: 500) == all)
            #expect(try log.events(after: ids[0], kinds: nil, clientID: nil, limit: 500).map(\.id) == Array(ids[1...]))
            #expect(try log.events(after: ids[3], kinds: nil, clientID: nil, limit: 500).isEmpty)
            #expect(try log.events(after: 0, kinds: nil, clientID: nil, limit: 2).map(\.id) == Array(ids[..<2]))
            #expect(
                try log.events(after: 0, kinds: ["client.created"], clientID: nil, limit: 500).map(\.id) == [
                    ids[1], ids[3],
                ])
            #expect(
                try log.events(after: 0, kinds: ["job.failed", "plan.stored"], clientID: nil, limit: 500).map(\.id)
                    == [ids[0], ids[2]])
            #expect(try log.events(after: 0, kinds: [], clientID: nil, limit: 500).isEmpty)
            #expect(try log.events(after: 0, kinds: nil, clientID: "acme", limit: 500).map(\.id) == [ids[1]])
            #expect(try log.events(after: 0, kinds: ["plan.stored"], clientID: "acme", limit: 500).isEmpty)
            #expect(try log.events(after: 0, kinds: nil, clientID: "ACME", limit: 500).isEmpty)
        }
    }

    @Test(
        "a cursor starts where asked, moves forward only, counts failed passes and sets events aside",
        arguments: StoreBackend.allCases)
    func cursorsAndFailures(kind: StoreBackend) async throws {
        try await kind.withWorld(EventWorld.self) { world in
            let log = world.events
            let ids = try Self.appendFour(world).map { $0.id }
            let all = try log.events(after: 0, kinds: nil, clientID: nil, limit: 500)
            #expect(Self.pair(try log.position(of: "recorder", startingAt: ids[1], now: Self.t0)) == [ids[1], 0])
            // Stored at the first call: a later start changes nothing.
            #expect(Self.pair(try log.position(of: "recorder", startingAt: ids[3], now: Self.t0)) == [ids[1], 0])
            #expect(try log.cursor(of: "mirror", now: Self.t0) == 0)

            try log.advance("recorder", to: ids[2], now: Self.t0)
            #expect(try log.cursor(of: "recorder", now: Self.t0) == ids[2])
            try log.advance("recorder", to: ids[0], now: Self.t0)  // never back
            #expect(try world.handles[1].events.cursor(of: "recorder", now: Self.t0) == ids[2])

            #expect(try log.recordFailedPass(of: "recorder", error: "boom", now: Self.t0) == 1)
            #expect(try log.recordFailedPass(of: "recorder", error: "boom", now: Self.t0) == 2)
            #expect(Self.pair(try log.position(of: "recorder", startingAt: 0, now: Self.t0)) == [ids[2], 2])
            try log.advance("recorder", to: ids[2], now: Self.t0)  // not a move: the count stays
            #expect(try log.position(of: "recorder", startingAt: 0, now: Self.t0).failedPasses == 2)
            try log.advance("recorder", to: ids[3], now: Self.t0)
            #expect(Self.pair(try log.position(of: "recorder", startingAt: 0, now: Self.t0)) == [ids[3], 0])
            #expect(try log.recordFailedPass(of: "nobody", error: "boom", now: Self.t0) == 0)

            // Set aside: recorded once per consumer and event (the last error kept), the cursor moved past it.
            try log.setAside(all[1], for: "mirror", error: "bad", now: Self.t0)
            try log.setAside(all[1], for: "mirror", error: "worse", now: Self.t0.addingTimeInterval(1))
            #expect(try log.cursor(of: "mirror", now: Self.t0) == ids[1])
            try log.setAside(all[0], for: "recorder", error: "old", now: Self.t0.addingTimeInterval(2))
            #expect(try log.cursor(of: "recorder", now: Self.t0) == ids[3])  // not moved back
            let webhooks = EventFailure(
                consumer: "mirror", eventID: ids[1], kind: "client.created", error: "worse",
                failedAt: Self.t0.addingTimeInterval(1))
            let rules = EventFailure(
                consumer: "recorder", eventID: ids[0], kind: "job.failed", error: "old",
                failedAt: Self.t0.addingTimeInterval(2))
            #expect(try log.failures(consumer: nil, limit: 100) == [rules, webhooks])
            #expect(try log.failures(consumer: nil, limit: 1) == [rules])
            #expect(try log.failures(consumer: "mirror", limit: 100) == [webhooks])
            #expect(try log.failures(consumer: "plans", limit: 100).isEmpty)
        }
    }

    @Test(
        "a cursor is held by one owner at a time until it lets go or its lease ends", arguments: StoreBackend.allCases
    )
    func claims(kind: StoreBackend) async throws {
        try await kind.withWorld(EventWorld.self) { world in
            let (a, b) = (world.handles[0].events, world.handles[1].events)
            let lease = Self.t0.addingTimeInterval(60)
            let held = try #require(try a.claim("recorder", owner: "a", startingAt: 5, now: Self.t0, leaseUntil: lease))
            #expect(Self.pair(held) == [5, 0])
            #expect(Self.pair(try b.claim("recorder", owner: "b", startingAt: 0, now: Self.t0, leaseUntil: lease)) == nil)
            // Its owner gets it again, through any handle.
            #expect(Self.pair(try b.claim("recorder", owner: "a", startingAt: 0, now: Self.t0, leaseUntil: lease)) != nil)
            // Another consumer's cursor is free.
            #expect(
                Self.pair(try b.claim("mirror", owner: "b", startingAt: 0, now: Self.t0, leaseUntil: lease)) != nil)
            try b.release("recorder", owner: "b")  // not b's to let go
            #expect(Self.pair(try b.claim("recorder", owner: "b", startingAt: 0, now: Self.t0, leaseUntil: lease)) == nil)
            try b.recordFailedPass(of: "recorder", error: "boom", now: Self.t0)
            try a.release("recorder", owner: "a")
            let taken = try #require(
                try b.claim("recorder", owner: "b", startingAt: 0, now: Self.t0, leaseUntil: lease.addingTimeInterval(60)))
            #expect(Self.pair(taken) == [5, 1])
            // b's lease ends: a takes the cursor over, not before.
            let end = lease.addingTimeInterval(60)
            #expect(Self.pair(try a.claim("recorder", owner: "a", startingAt: 0, now: end, leaseUntil: end)) == nil)
            let over = lease.addingTimeInterval(61)
            #expect(
                Self.pair(
                    try a.claim("recorder", owner: "a", startingAt: 0, now: over, leaseUntil: over.addingTimeInterval(60)))
                    == [5, 1])
        }
    }

    @Test(
        "8 passes over two handles moving one consumer's cursor handle every event once, in order",
        arguments: StoreBackend.allCases)
    func racingConsumers(kind: StoreBackend) async throws {
        try await kind.withWorld(EventWorld.self, handles: 2) { world in
            var ids: [Int64] = []
            for n in 0..<30 {
                ids.append(
                    try world.handles[n % 2].append(
                        .jobFailed(runID: Int64(n), job: "self-check", slot: Self.t0, at: Self.t0)))
            }
            let total = ids.count
            final class Handled: Sendable {
                let ids = Mutex<[Int64]>([])
            }
            let handled = Handled()
            let handles = world.handles
            let results = await OnThreads.results(8) { index in
                let log = handles[index % 2].events
                let owner = "pass-\(index)"
                var turns = 0
                while handled.ids.withLock({ $0.count }) < total, turns < 10_000 {
                    turns += 1
                    guard
                        let position = try log.claim(
                            "recorder", owner: owner, startingAt: 0, now: Self.t0,
                            leaseUntil: Self.t0.addingTimeInterval(600))
                    else {
                        Thread.sleep(forTimeInterval: 0.001)  // another pass holds it: let it get on
                        continue
                    }
                    let batch = try log.events(after: position.eventID, kinds: nil, clientID: nil, limit: 3)
                    handled.ids.withLock { $0.append(contentsOf: batch.map(\.id)) }
                    Thread.sleep(forTimeInterval: 0.002)  // handling takes a while: time for a second pass to get in
                    if let last = batch.last { try log.advance("recorder", to: last.id, now: Self.t0) }
                    try log.release("recorder", owner: owner)
                }
            }
            for result in results { try result.get() }
            #expect(handled.ids.withLock { $0 } == ids)
            #expect(try world.events.cursor(of: "recorder", now: Self.t0) == ids.last)
        }
    }
}
