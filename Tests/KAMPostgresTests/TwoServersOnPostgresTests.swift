import Foundation
import KAMCore
import KAMResources
import KAMStore
import KAMTesting
import Testing

@testable import KAMPostgres
@testable import KAMRuntime

/// Two servers on one PostgreSQL database (`database: postgres://…`, two runtimes with a pool each, as two processes
/// have): their schedulers race for every job slot of a morning (the daily reviews at 08:00 and the weekly analysis at
/// 09:00 among them) and every event, and one of them dies holding a job run
/// and an event consumer's pass. Every slot runs exactly once, the dead server's run is taken over once its lease
/// ends, and every event reaches each consumer.
@Suite("Two servers on one PostgreSQL database")
struct TwoServersOnPostgresTests {
    /// A Monday, 00:10 UTC.
    static let monday = Date(timeIntervalSince1970: 1_792_368_600)

    static func runtime(url: String, time: ManualWallClock) async throws -> Runtime {
        var configuration = KAMConfiguration.embeddedDefaults
        configuration.jobs.evaluations = FileManager.default.temporaryDirectory.appendingPathComponent("no-suites-\(UUID())").path
        return try await Runtime.open(
            RuntimeOptions(
                database: .postgres(url: url), configuration: configuration,
                promptsDirectory: (PromptRegistry.bundledDirectory ?? PromptRegistry.resolveDirectory()).path,
                environment: [:], now: { time.now }, ids: IDMaker()))
    }

    @Test("every slot of a morning runs once while two servers race, and a dead server's run and pass are taken over")
    func raceAndTakeOver() async throws {
        let time = ManualWallClock(Self.monday)
        let sqlite = try ClientStore.inMemory(now: { time.now })
        try DemoSeeder.seedDemo(into: sqlite, now: time.now)
        let schema = PostgresTestServer.freshSchema()
        let database = try await PostgresTestServer.open(schema: schema)
        _ = try StoreCopy.copy(from: sqlite, to: database)
        let url = try PostgresTestServer.url(schema: schema) + "&pool_size=4"
        let a = try await Self.runtime(url: url, time: time)
        let b = try await Self.runtime(url: url, time: time)
        do {
            let lease = JobConfiguration.defaults.leaseSeconds
            var died = false
            var dead: JobRun?
            var ran: [JobRun] = []
            // 00:10 to 10:10 in quarter hours; both schedulers pass at once every quarter hour, as two servers do.
            for tick in 0..<41 {
                if tick == 20 {
                    // Server a dies at 05:10 holding the current self-check slot and a pass of the rules' consumer.
                    let slot = try #require(JobKind.selfCheck.schedule.slot(atOrBefore: time.now))
                    dead = try #require(
                        try a.jobRuns.claim(
                            job: JobKind.selfCheck.rawValue, subject: nil, slot: slot, manual: false, owner: "a-dead",
                            now: time.now, leaseUntil: time.now.addingTimeInterval(lease)))
                    _ = try #require(
                        try a.eventLog.claim(
                            "rules", owner: "a-dead", startingAt: 0, now: time.now,
                            leaseUntil: time.now.addingTimeInterval(JobConfiguration.defaults.eventLeaseSeconds)))
                    died = true
                }
                if died {
                    ran += try await JobScheduler(runtime: b, owner: "b").pass().runs
                } else {
                    async let first = JobScheduler(runtime: a, owner: "a").pass()
                    async let second = JobScheduler(runtime: b, owner: "b").pass()
                    let (one, two) = try await (first, second)
                    ran += one.runs + two.runs
                }
                // A write between passes: every write appends events the consumers must read.
                if tick % 8 == 3 {
                    try (died ? b : a).memory.remember(
                        clientID: "acme", text: "Note \(tick)", key: "note-\(tick)", as: ActingUser("maria"))
                }
                time.advance(15 * 60)
            }

            let history = try b.jobs.history(limit: 10_000)
            // Each (job, subject, slot) is one row, and each row finished once, by one of the two servers.
            let keys = history.map { "\($0.job) \($0.subject ?? "-") \($0.slot.timeIntervalSince1970)" }
            #expect(Set(keys).count == keys.count)
            #expect(history.allSatisfy { $0.outcome == .succeeded }, "\(history.filter { $0.outcome != .succeeded })")
            #expect(Set(ran.map(\.id)).count == ran.count, "no run was reported by both servers")
            #expect(Set(ran.map(\.id)) == Set(history.map(\.id)))
            #expect(Set(ran.map(\.owner)) == ["a", "b"], "both servers ran slots before a died")
            // Self-check every quarter hour: 41 slots, the dead one taken over by b after its 30-minute lease.
            let checks = history.filter { $0.job == JobKind.selfCheck.rawValue }
            #expect(checks.count == 41)
            // The daily reviews (one a user) and the weekly analysis ran after a died, once each.
            #expect(history.contains { $0.job == JobKind.weeklyAnalysis.rawValue })
            #expect(history.filter { $0.job == JobKind.dailyReview.rawValue }.count >= 3)
            let taken = try #require(checks.first { $0.id == dead?.id })
            #expect(taken.owner == "b" && taken.attempts == 2 && taken.outcome == .succeeded)
            #expect(taken.startedAt >= dead!.startedAt.addingTimeInterval(lease))

            // Every event reached both consumers: the dead pass's cursor was taken over when its lease ended.
            let last = try b.eventLog.lastID()
            #expect(last > 0)
            #expect(try b.eventLog.cursor(of: "rules", now: time.now) == last)
            #expect(try b.eventLog.cursor(of: "daily-plans", now: time.now) == last)
        } catch {
            await a.close()
            await b.close()
            try? await PostgresTestServer.drop(database)
            throw error
        }
        await a.close()
        await b.close()
        try await PostgresTestServer.drop(database)
    }
}
