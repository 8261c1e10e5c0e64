import Foundation
import KAMCore
import KAMTesting
import Testing

/// The analytics snapshots' store (`SnapshotStoring`), written once and run against SQLite and PostgreSQL: replacing a
/// day, the days taken, the three reads with their owners' filter, sums and orders, and processes racing to replace
/// one day through two handles, which only the stores' exclusion leaves with one whole row set.
///
/// A PostgreSQL case without a server is skipped with the reason (`PostgresTestServer`), and fails under CI.
@Suite("Snapshot store conformance")
struct SnapshotStoreConformanceTests {
    static let d1 = AnalyticsDay(containing: EvalWorld.start)
    static let d2 = d1.next
    static let d3 = d2.next

    static func row(
        _ day: AnalyticsDay, _ metric: String, owner: String = "", dimension: String = "", _ value: Double
    ) -> SnapshotRow {
        SnapshotRow(day: day, metric: metric, owner: owner, dimension: dimension, value: value)
    }

    /// Two days of two metrics for owners u1, u2 and nobody; values sum exactly in any order.
    static func fill(_ snapshots: any SnapshotStoring) throws {
        for (day, scale) in [(d1, 1.0), (d3, 10.0)] {
            let rows = [
                row(day, "drafts.approved", owner: "u2", 2 * scale), row(day, "drafts.approved", owner: "u1", 1.5 * scale),
                row(day, "drafts.approved", 0.25 * scale),
                row(day, "pipeline", owner: "u1", dimension: "won", 4 * scale),
                row(day, "pipeline", owner: "u2", dimension: "lost", 8 * scale),
                row(day, "pipeline", owner: "u2", dimension: "won", 16 * scale),
                row(day, "custom.calls", owner: "u1", 3 * scale),
                // A row of another day is not the day's: not stored.
                row(day.next, "drafts.approved", owner: "u1", 1000),
            ]
            #expect(try snapshots.replace(day: day, with: rows, takenAt: EvalWorld.start) == 0)
        }
    }

    @Test("a day is replaced whole and marked taken; the days taken in a range", arguments: StoreBackend.allCases)
    func replace(kind: StoreBackend) async throws {
        try await kind.withWorld(EvalWorld.self) { world in
            let (one, two) = (world.handles[0].snapshots, world.handles[1].snapshots)
            try Self.fill(one)
            #expect(try two.days(from: Self.d1, to: Self.d3) == [Self.d1, Self.d3])
            #expect(try two.days(from: Self.d2, to: Self.d3) == [Self.d3])
            #expect(try two.days(from: Self.d2, to: Self.d2).isEmpty)
            #expect(try two.rows(of: ["drafts.approved"], on: Self.d2, owners: nil).isEmpty)

            // Taken again: exactly its new rows; an empty day is still taken.
            let again = [Self.row(Self.d1, "drafts.approved", owner: "u3", 7)]
            #expect(try two.replace(day: Self.d1, with: again, takenAt: EvalWorld.start.addingTimeInterval(60)) == 7)
            #expect(try one.rows(of: ["drafts.approved", "pipeline", "custom.calls"], on: Self.d1, owners: nil) == again)
            #expect(try one.replace(day: Self.d2, with: [], takenAt: EvalWorld.start) == 0)
            #expect(try one.days(from: Self.d1, to: Self.d3) == [Self.d1, Self.d2, Self.d3])
            #expect(try one.replace(day: Self.d1, with: [], takenAt: EvalWorld.start) == 1)
            #expect(try one.rows(of: ["drafts.approved"], on: Self.d1, owners: nil).isEmpty)
            #expect(try one.days(from: Self.d1, to: Self.d1) == [Self.d1])
        }
    }

    @Test("the reads: a day's rows, sums by day, sums by owner; owners' filter and orders", arguments: StoreBackend.allCases)
    func reads(kind: StoreBackend) async throws {
        try await kind.withWorld(EvalWorld.self) { world in
            try Self.fill(world.snapshots)
            let snapshots = world.handles[1].snapshots
            let (d1, d3) = (Self.d1, Self.d3)
            let metrics = ["pipeline", "drafts.approved"]
            #expect(
                try snapshots.rows(of: metrics, on: d1, owners: nil) == [
                    Self.row(d1, "drafts.approved", 0.25), Self.row(d1, "drafts.approved", owner: "u1", 1.5),
                    Self.row(d1, "drafts.approved", owner: "u2", 2),
                    Self.row(d1, "pipeline", owner: "u2", dimension: "lost", 8),
                    Self.row(d1, "pipeline", owner: "u1", dimension: "won", 4),
                    Self.row(d1, "pipeline", owner: "u2", dimension: "won", 16),
                ])
            #expect(
                try snapshots.rows(of: metrics, on: d1, owners: ["u1", ""]) == [
                    Self.row(d1, "drafts.approved", 0.25), Self.row(d1, "drafts.approved", owner: "u1", 1.5),
                    Self.row(d1, "pipeline", owner: "u1", dimension: "won", 4),
                ])
            #expect(
                try snapshots.dailySums(of: metrics, from: d1, to: d3, owners: nil) == [
                    Self.row(d1, "drafts.approved", 3.75), Self.row(d3, "drafts.approved", 37.5), Self.row(d1, "pipeline", dimension: "lost", 8),
                    Self.row(d1, "pipeline", dimension: "won", 20), Self.row(d3, "pipeline", dimension: "lost", 80),
                    Self.row(d3, "pipeline", dimension: "won", 200),
                ])
            #expect(
                try snapshots.dailySums(of: ["pipeline"], from: d3, to: d3, owners: ["u2"]) == [
                    Self.row(d3, "pipeline", dimension: "lost", 80), Self.row(d3, "pipeline", dimension: "won", 160),
                ])
            #expect(
                try snapshots.ownerSums(of: metrics, from: d1, to: d3, owners: ["u1", "u2"]) == [
                    Self.row(d3, "drafts.approved", owner: "u1", 16.5),
                    Self.row(d3, "drafts.approved", owner: "u2", 22),
                    Self.row(d3, "pipeline", owner: "u1", dimension: "won", 44),
                    Self.row(d3, "pipeline", owner: "u2", dimension: "lost", 88),
                    Self.row(d3, "pipeline", owner: "u2", dimension: "won", 176),
                ])
            #expect(
                try snapshots.ownerSums(of: ["custom.calls"], from: d1, to: d1, owners: nil) == [
                    Self.row(d1, "custom.calls", owner: "u1", 3)
                ])
            // Nothing asked, or no owner allowed: nothing, without a query's error.
            #expect(try snapshots.dailySums(of: [], from: d1, to: d3, owners: nil).isEmpty)
            #expect(try snapshots.ownerSums(of: metrics, from: d1, to: d3, owners: []).isEmpty)
            #expect(try snapshots.rows(of: ["no.such.metric"], on: d1, owners: nil).isEmpty)
        }
    }

    /// Racer `index`'s rows of `d1`: a different count and values each, some keys shared with the others.
    static func racer(_ index: Int) -> [SnapshotRow] {
        (0...index).map { owner in row(d1, "drafts.approved", owner: "u\(owner)", Double(index * 100 + owner)) }
    }

    @Test(
        "of 8 processes replacing one day at once over two handles, the day keeps exactly one of their row sets",
        arguments: StoreBackend.allCases)
    func racingReplacements(kind: StoreBackend) async throws {
        try await kind.withWorld(EvalWorld.self) { world in
            for round in 0..<4 {
                let replaced = await OnThreads.results(8) { index in
                    try world.handles[index % 2].snapshots.replace(
                        day: Self.d1, with: Self.racer(index), takenAt: EvalWorld.start.addingTimeInterval(Double(round)))
                }
                for result in replaced { _ = try result.get() }
                let stored = try world.snapshots.rows(of: ["drafts.approved"], on: Self.d1, owners: nil)
                let winner = try #require((0..<8).first { Self.racer($0) == stored }, "round \(round): \(stored)")
                // Each replacement removed what the one before it left: the counts chain from the round's start.
                let removed = replaced.compactMap { try? $0.get() }
                #expect(removed.contains(0) == (round == 0))
                #expect(try world.snapshots.days(from: Self.d1, to: Self.d1) == [Self.d1])
                #expect(stored.count == winner + 1)
            }
        }
    }
}
