import Foundation
import KAMCore
import KAMRuntime
import KAMStore
import Testing

@Suite struct AnalyticsSnapshotServiceTests {
    typealias World = IntelligenceRequestServiceTests

    static var today: AnalyticsDay { AnalyticsDay(containing: World.now) }

    @Test("only an admin or a local run takes a snapshot; a day after today is refused; taking a day again replaces it")
    func snapshotIsAdminsAndIdempotent() async throws {
        let runtime = try await World.runtime(try World.store())
        for user in [World.member, World.manager] {
            await #expect(throws: RoleRefusal.self) { try await runtime.analytics.snapshot(as: user) }
        }
        await #expect { try await runtime.analytics.snapshot(day: Self.today.next, as: .anonymous) } throws: {
            ($0 as? RuntimeError)?.code == "analytics.future-day" && "\($0)".contains(Self.today.next.name)
        }
        let first = try await runtime.analytics.snapshot(day: Self.today, as: World.admin)
        #expect(first.day == Self.today && first.rows > 0 && first.replaced == 0)
        let again = try await runtime.analytics.snapshot(day: Self.today, as: .anonymous)
        #expect(again.rows == first.rows && again.replaced == first.rows)
        #expect(try await runtime.analytics.snapshot(as: .anonymous).day == Self.today.previous)
    }

    @Test("the daily job scores every client, then snapshots the day before its slot")
    func dailyJobTakesTheSnapshot() async throws {
        let runtime = try await World.runtime(try World.store())
        let run = try #require(try await runtime.jobs.runNow(.healthRecompute, owner: "test", as: .anonymous).first)
        #expect(run.outcome == .succeeded)
        #expect((run.counts["snapshot_rows"] ?? 0) > 0)
        let trend = try runtime.analytics.trends(metric: "health.clients", since: Self.today.adding(days: -3), by: .week, as: .anonymous)
        #expect(trend.days == 1)
        // Today's overview: today's levels computed now (the job scored all eight demo clients), nothing before.
        let overview = try await runtime.analytics.overview(days: 7, as: .anonymous)
        let bands = overview.items.filter { $0.metric == "health.clients" }
        #expect(bands.compactMap(\.current).reduce(0, +) == 8)
        #expect(bands.allSatisfy { $0.previous == nil && $0.change == nil })
        #expect(Set(overview.items.map(\.metric)) == Set(AnalyticsMetric.builtIn.map(\.name)))
    }

    @Test("trends and the overview count only the owners the user sees: an admin all, a manager the team, a member their own")
    func figuresFollowTheScope() async throws {
        let store = try World.store()
        let runtime = try await World.runtime(store)
        let snapshots = SnapshotRepository(writer: store.writer)
        let days = [Self.today.adding(days: -9), Self.today.adding(days: -2)]
        for (n, day) in days.enumerated() {
            try snapshots.replace(
                day: day,
                with: ["leo", "maria", "sven", ""].map {
                    SnapshotRow(day: day, metric: SnapshotMetric.dealsWon.rawValue, owner: $0, value: Double(n + 1))
                }, takenAt: World.now)
        }
        func owners(_ user: ActingUser) throws -> [String: Double?] {
            let trend = try runtime.analytics.trends(metric: "deals.won", since: days[0], by: .owner, as: user)
            return Dictionary(uniqueKeysWithValues: trend.points.map { ($0.bucket, $0.value) })
        }
        #expect(try owners(World.admin) == ["": 3, "leo": 3, "maria": 3, "sven": 3])
        #expect(try owners(ActingUser("tom")) == ["leo": 3, "maria": 3])
        #expect(try owners(ActingUser("leo")) == ["leo": 3])
        #expect(try owners(ActingUser("sven")) == ["sven": 3])
        #expect(try owners(World.member).isEmpty)

        let weeks = try runtime.analytics.trends(metric: "deals.won", since: days[0], by: .month, as: ActingUser("tom"))
        #expect(weeks.points.map(\.value).reduce(0) { $0 + ($1 ?? 0) } == 6)
        // The overview's previous period (7 days) holds the older day only; the current one the newer and today's
        // figures so far (the one-day overview's).
        let live = try #require(try await runtime.analytics.overview(days: 1, as: ActingUser("leo")).items.first { $0.metric == "deals.won" })
        let overview = try await runtime.analytics.overview(days: 7, as: ActingUser("leo"))
        let won = try #require(overview.items.first { $0.metric == "deals.won" })
        #expect(won.previous == 1)
        #expect(won.current == 2 + (live.current ?? 0))
        #expect(won.change == 1 + (live.current ?? 0))
    }

    @Test("an unknown metric is refused naming the known ones; a period outside 1...366 days is refused")
    func refusals() async throws {
        let runtime = try await World.runtime(try World.store())
        #expect { try runtime.analytics.trends(metric: "deals.wn", since: Self.today, by: .week, as: .anonymous) } throws: {
            ($0 as? RuntimeError)?.code == "analytics.unknown-metric" && "\($0)".contains("deals.won")
        }
        await #expect { try await runtime.analytics.overview(days: 0, as: .anonymous) } throws: {
            ($0 as? RuntimeError)?.code == "analytics.invalid-days"
        }
    }
}
