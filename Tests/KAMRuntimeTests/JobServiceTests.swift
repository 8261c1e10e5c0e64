import Foundation
import GRDB
import KAMCore
import KAMProviders
import KAMResources
import KAMRuntime
import KAMStore
import KAMTesting
import Synchronization
import Testing

/// Scheduled jobs over a simulated week: every job runs in every slot exactly once, across a restart (a new
/// owner) and with two schedulers racing; a run whose process died is taken over when its lease runs out.
@Suite struct JobServiceTests {
    /// A wall clock the test moves.
    final class Time: Sendable {
        let now: Mutex<Date>
        init(_ start: Date) { now = Mutex(start) }
        func read() -> Date { now.withLock { $0 } }
        func advance(_ seconds: TimeInterval) { now.withLock { $0 = $0.addingTimeInterval(seconds) } }
    }

    static let monday = try! Date("2026-11-30T00:00:00Z", strategy: .iso8601)

    /// A runtime over the demo at the test's clock; the nightly evaluation reads `evaluations` (no suites: a folder
    /// that does not exist) with the prompts of `prompts` (the shipped ones).
    static func runtime(
        _ time: Time, configuration: KAMConfiguration = .embeddedDefaults, store: ClientStore? = nil,
        prompts: URL? = nil, evaluations: URL? = nil, transport: MockTransport = MockTransport()
    ) async throws -> Runtime {
        let store = try store ?? {
            let store = try ClientStore.inMemory(now: { time.read() })
            try DemoSeeder.seedDemo(into: store, now: time.read())
            return store
        }()
        var configuration = configuration
        configuration.jobs.evaluations = (evaluations ?? FileManager.default.temporaryDirectory.appendingPathComponent("no-suites-\(UUID())")).path
        return try await Runtime.open(
            RuntimeOptions(
                configuration: configuration,
                promptsDirectory: (prompts ?? PromptRegistry.bundledDirectory ?? PromptRegistry.resolveDirectory()).path,
                environment: [:], now: { time.read() }, ids: .sequential(), transport: transport),
            store: store)
    }

    /// The shipped prompts with a `candidate` label on analysis.inbound-email, and a folder with a two-case suite of it.
    static func candidateSuite() throws -> (prompts: URL, evaluations: URL) {
        let prompts = FileManager.default.temporaryDirectory.appendingPathComponent("week-prompts-\(UUID())")
        try FileManager.default.copyItem(at: try #require(PromptRegistry.bundledDirectory), to: prompts)
        try Data("labels:\n  \"candidate\": \"1\"\n  \"production\": \"1\"\nhistory: {}\n".utf8)
            .write(to: prompts.appendingPathComponent("analysis.inbound-email/labels.yaml"))
        let suite = try TinyEvalSuite.write(folderPrefix: "week-evals", cases: 2)
        return (prompts, suite.deletingLastPathComponent())
    }

    @Test func everyJobRunsInEverySlotOfAWeekExactlyOnce() async throws {
        // Start one minute into the week, so the first pass runs the slots of Monday 00:00.
        let time = Time(Self.monday.addingTimeInterval(60))
        let suites = try Self.candidateSuite()
        defer {
            try? FileManager.default.removeItem(at: suites.prompts)
            try? FileManager.default.removeItem(at: suites.evaluations)
        }
        var runtime = try await Self.runtime(time, prompts: suites.prompts, evaluations: suites.evaluations)
        // Daily reviews at 08:00 in three zones: Tokyo (23:00 UTC the day before), New York (13:00 UTC) and
        // the configured UTC for everybody else.
        try runtime.users.setTimeZone("leo", to: "America/New_York", as: .anonymous)
        try runtime.users.setTimeZone("nina", to: "Asia/Tokyo", as: .anonymous)
        let end = Self.monday.addingTimeInterval(7 * 86_400)
        let restart = Self.monday.addingTimeInterval(3.5 * 86_400)
        var tick = 0
        var restarted = false
        while time.read() < end {
            if !restarted, time.read() >= restart {
                // The first process dies holding the current self-check slot; a new one opens the same store and
                // takes that slot over when the dead run's lease runs out.
                let slot = try #require(JobKind.selfCheck.schedule.slot(atOrBefore: time.read()))
                _ = try #require(
                    try JobRunRepository(store: runtime.sqliteStore!).claim(
                        job: JobKind.selfCheck.rawValue, slot: slot, owner: "server-a", now: time.read(),
                        leaseUntil: time.read().addingTimeInterval(JobConfiguration.defaults.leaseSeconds)))
                runtime = try await Self.runtime(
                    time, store: runtime.sqliteStore!, prompts: suites.prompts, evaluations: suites.evaluations)
                restarted = true
            }
            let owner = restarted ? "server-c" : "server-a"
            if tick % 37 == 0 {
                // Two schedulers race for the same slots.
                let racing = runtime
                async let first = racing.jobs.runDue(owner: owner)
                async let second = racing.jobs.runDue(owner: "server-b")
                _ = try await (first, second)
            } else {
                _ = try await runtime.jobs.runDue(owner: owner)
            }
            time.advance(15 * 60)
            tick += 1
        }
        let runs = try runtime.jobs.history(limit: 10_000)
        let users = try runtime.users.list()
        let start = Self.monday.addingTimeInterval(60)
        for job in JobKind.allCases {
            let subjects: [(id: String?, zone: TimeZone)] =
                job.isPerUser
                ? try users.map { ($0.id, try runtime.users.timeZone(of: $0.id)) } : [(nil, TimeZone(identifier: "UTC")!)]
            for subject in subjects {
                let schedule = try CronSchedule(job.defaultSchedule, timeZone: subject.zone)
                // The first pass runs each job's latest slot (last night's for a daily job), then every slot of the week.
                var expected = [try #require(schedule.slot(atOrBefore: start))]
                var cursor = start
                while let next = schedule.slot(after: cursor), next < end {
                    expected.append(next)
                    cursor = next
                }
                let slots = runs.filter { $0.job == job.rawValue && $0.subject == subject.id }.map(\.slot).sorted()
                #expect(slots == expected, "\(job.rawValue) \(subject.id ?? ""): \(slots.count) runs for \(expected.count) slots")
            }
        }
        #expect(runs.allSatisfy { $0.outcome == .succeeded }, "\(runs.filter { $0.outcome != .succeeded }.prefix(3))")
        #expect(Set(runs.map(\.owner)).isSuperset(of: ["server-a", "server-c"]))
        #expect(runs.filter { $0.job == "self-check" }.count == 7 * 96)
        #expect(runs.contains { $0.job == "self-check" && $0.attempts == 2 && $0.owner == "server-c" }, "the dead run taken over")
        #expect(runs.filter { $0.job == "inactivity-check" }.count == 7 * 24)
        let retention = try #require(runs.first { $0.job == "retention-cleanup" })
        #expect(retention.counts.keys.sorted() == ["drafts_deleted", "events_deleted", "payloads_cleared", "skipped_rules_deleted"])
        // One stored plan a user and local day, each written by its review's only run.
        let reviews = runs.filter { $0.job == JobKind.dailyReview.rawValue }
        #expect(reviews.allSatisfy { $0.counts["written"] == 1 }, "\(reviews.filter { $0.counts["written"] != 1 }.prefix(3))")
        let plans = try await runtime.sqliteStore!.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM daily_plans") ?? 0
        }
        #expect(plans == reviews.count)
        // Nina's review in Tokyo ran at 23:00 UTC for the next local day.
        let nina = try #require(reviews.filter { $0.subject == "nina" && $0.slot > start }.map(\.slot).min())
        #expect(nina.formatted(.iso8601) == "2026-11-30T23:00:00Z")
        // The weekly analysis: last Monday's slot (the first pass), then Monday 09:00 of this week, once each.
        #expect(runs.filter { $0.job == "weekly-analysis" }.map { $0.slot.formatted(.iso8601) }.sorted()
            == ["2026-11-23T09:00:00Z", "2026-11-30T09:00:00Z"])
        // The nightly evaluation ran the candidate's suite once, the first night; later nights found it evaluated.
        let nights = runs.filter { $0.job == "candidate-evaluation" }
        #expect(nights.count == 8)
        #expect(nights.map { $0.counts["evaluated"] ?? -1 }.reduce(0, +) == 1, "\(nights.map(\.counts))")
        #expect(nights.allSatisfy { $0.counts["suites"] == 1 })
        #expect(try runtime.evals.runs(suite: "tiny").count == 1)
    }

    @Test func theNightlyEvaluationRunsEachCandidateOnceAndResumesADeadRun() async throws {
        let time = Time(Self.monday.addingTimeInterval(3_600))
        let suites = try Self.candidateSuite()
        defer {
            try? FileManager.default.removeItem(at: suites.prompts)
            try? FileManager.default.removeItem(at: suites.evaluations)
        }
        // A suite of a prompt without a candidate label, and a file that is no suite.
        let noLabel = try String(contentsOf: suites.evaluations.appendingPathComponent("tiny.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "name: tiny", with: "name: drafts")
            .replacingOccurrences(of: "analysis.inbound-email", with: "draft.check-in")
        try Data(noLabel.utf8).write(to: suites.evaluations.appendingPathComponent("drafts.yaml"))
        try Data("name: [broken\n".utf8).write(to: suites.evaluations.appendingPathComponent("broken.yaml"))
        let runtime = try await Self.runtime(time, prompts: suites.prompts, evaluations: suites.evaluations)
        // A process started tonight's run of tiny and died: its run is unfinished.
        let dead = try runtime.evals.prepare(
            EvalService.RunRequest(suite: suites.evaluations.appendingPathComponent("tiny.yaml").path, candidateLabel: "candidate"),
            as: .anonymous)
        let first = try await runtime.evals.evaluateCandidates(in: suites.evaluations)
        #expect(first.map(\.suite) == ["broken.yaml", "drafts", "tiny"])
        if case .invalidSuite = first[0].skipped {} else { Issue.record("broken.yaml: \(first[0])") }
        #expect(first[1].skipped == .noCandidateLabel)
        #expect(first[2].skipped == nil && first[2].runID == dead.runID && first[2].gatePassed == true, "\(first[2])")
        let second = try await runtime.evals.evaluateCandidates(in: suites.evaluations)
        #expect(second[2].skipped == .alreadyEvaluated && second[2].runID == dead.runID)
        // The candidate label moves to new content: evaluated again, in a new run.
        let prompt = suites.prompts.appendingPathComponent("analysis.inbound-email")
        let text = try String(contentsOf: prompt.appendingPathComponent("1.prompty"), encoding: .utf8)
        try Data((text + "\nBe brief.\n").utf8).write(to: prompt.appendingPathComponent("2.prompty"))
        try Data("labels:\n  \"candidate\": \"2\"\n  \"production\": \"1\"\nhistory: {}\n".utf8)
            .write(to: prompt.appendingPathComponent("labels.yaml"))
        let moved = try await runtime.evals.evaluateCandidates(in: suites.evaluations)
        #expect(moved[2].skipped == nil && moved[2].runID != dead.runID, "\(moved[2])")
        #expect(try runtime.evals.runs(suite: "tiny").count == 2)
    }

    @Test func theSelfCheckProbesTheProvidersTheRoutesUseAndFailsNamingAnUnreachableOne() async throws {
        let configuration = try KAMConfiguration.parse(
            """
            providers:
              local: {kind: openai-compatible, base_url: "http://127.0.0.1:8080/v1"}
            models:
              small: {provider: local, id: m}
            default_model: small
            """, file: "kam.yaml")
        let time = Time(Self.monday.addingTimeInterval(60))
        let up = try await Self.runtime(
            time, configuration: configuration, transport: MockTransport { _ in HTTPResponseData(status: 200, text: "{}") })
        let run = try #require(try await up.jobs.runNow(.selfCheck, owner: "test", as: .anonymous).first)
        #expect(run.outcome == .succeeded && run.counts["providers"] == 1 && run.counts["providers_reachable"] == 1, "\(run)")

        let down = try await Self.runtime(
            time, configuration: configuration, store: up.sqliteStore!,
            transport: MockTransport { _ in HTTPResponseData(status: 503, text: "") })
        time.advance(15 * 60)
        let failed = try #require(try await down.jobs.runDue(owner: "test").first { $0.job == "self-check" })
        #expect(failed.outcome == .failed)
        #expect(failed.error?.contains("provider 'local' is unreachable: the server failed (HTTP 503)") == true, "\(failed)")
        #expect(try down.events.list(kinds: [.jobFailed], as: .anonymous).contains { $0.subjectID == String(failed.id) })
    }

    @Test func schedulesRunInTheConfiguredZoneAndARepeatedHourRunsOnce() async throws {
        // Europe/Berlin falls back on 2026-10-25: 03:00 CEST becomes 02:00 CET (01:00 UTC).
        let configuration = try KAMConfiguration.parse("jobs: {time_zone: Europe/Berlin}", file: "kam.yaml")
        let start = try Date("2026-10-24T12:00:00Z", strategy: .iso8601)
        let time = Time(start)
        let runtime = try await Self.runtime(time, configuration: configuration)
        while time.read() < start.addingTimeInterval(2 * 86_400) {
            _ = try await runtime.jobs.runDue(owner: "server")
            time.advance(5 * 60)
        }
        let runs = try runtime.jobs.history(limit: 10_000)
        func slots(_ job: JobKind) -> [String] {
            runs.filter { $0.job == job.rawValue }.map { $0.slot.formatted(.iso8601) }.sorted()
        }
        // 02:00 Berlin: CEST on the 24th and the 25th (its first 02:00), CET on the 26th.
        #expect(slots(.retentionCleanup) == ["2026-10-24T00:00:00Z", "2026-10-25T00:00:00Z", "2026-10-26T01:00:00Z"])
        // 48 hours of the clock, one of them a repeated hour.
        #expect(slots(.inactivityCheck).count == 47)
        #expect(!slots(.inactivityCheck).contains("2026-10-25T01:00:00Z"))
        #expect(try runtime.jobs.list().allSatisfy { $0.timeZone == "Europe/Berlin" })
    }

    @Test func aRunWhoseProcessDiedIsTakenOverWhenItsLeaseRunsOut() async throws {
        let time = Time(Self.monday.addingTimeInterval(4 * 3_600))  // 04:00, after the 03:30 health slot
        let runtime = try await Self.runtime(time)
        let repository = JobRunRepository(store: runtime.sqliteStore!)
        let slot = Self.monday.addingTimeInterval(3.5 * 3_600)
        // A process claimed today's health recompute and died.
        let dead = try #require(
            try repository.claim(
                job: "health-recompute", slot: slot, owner: "dead", now: time.read(),
                leaseUntil: time.read().addingTimeInterval(JobConfiguration.defaults.leaseSeconds)))
        var runs = try await runtime.jobs.runDue(owner: "alive")
        #expect(!runs.contains { $0.job == "health-recompute" }, "the lease is live: the slot is not run twice")

        time.advance(JobConfiguration.defaults.leaseSeconds + 60)
        runs = try await runtime.jobs.runDue(owner: "alive")
        let taken = try #require(runs.first { $0.job == "health-recompute" })
        #expect(taken.id == dead.id)
        #expect(taken.slot == slot)
        #expect(taken.owner == "alive")
        #expect(taken.attempts == 2)
        #expect(taken.outcome == .succeeded)
        #expect((taken.counts["scored"] ?? 0) > 0)
        // The dead process cannot overwrite the run it lost.
        #expect(try repository.finish(id: dead.id, owner: "dead", outcome: .failed, counts: [:], error: "late", now: time.read()) == false)
        #expect(try runtime.jobs.history(job: .healthRecompute).map(\.outcome) == [.succeeded])
    }

    @Test func aManualRunIsAdminOnlyAndAFailedRunEmitsJobFailed() async throws {
        let time = Time(Self.monday.addingTimeInterval(600))
        let runtime = try await Self.runtime(time)
        await #expect(throws: RoleRefusal.self) { try await runtime.jobs.runNow(.selfCheck, owner: "cli", as: ActingUser("leo")) }
        let run = try #require(try await runtime.jobs.runNow(.selfCheck, owner: "cli", as: ActingUser("maria")).first)
        #expect(run.manual && run.outcome == .succeeded)
        #expect((run.counts["clients"] ?? 0) > 0)
        // The same minute again: already ran.
        await #expect(throws: RuntimeError.self) { try await runtime.jobs.runNow(.selfCheck, owner: "cli", as: .anonymous) }

        // A store the cleanup cannot use (its drafts table gone) fails the run: recorded, and announced as job.failed.
        try await runtime.sqliteStore!.writer.write { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            try db.execute(sql: "DROP TABLE drafts")
        }
        time.advance(3 * 86_400)
        let runs = try await runtime.jobs.runDue(owner: "server")
        let failed = try #require(runs.first { $0.job == "retention-cleanup" })
        #expect(failed.outcome == .failed)
        #expect(failed.error?.contains("drafts") == true)
        let events = try runtime.events.list(kinds: [.jobFailed], as: .anonymous)
        #expect(events.contains { $0.subjectID == String(failed.id) && $0.payload.contains("retention-cleanup") }, "\(events) \(runs)")
        #expect(events.first { $0.subjectID == String(failed.id) }?.payload.contains("\"user_id\":null") == true)

        // A per-user run that fails names its user.
        try await runtime.sqliteStore!.writer.write { db in try db.execute(sql: "DROP TABLE daily_plan_items") }
        let reviews = try await runtime.jobs.runNow(.dailyReview, owner: "cli", as: .anonymous)
        let maria = try #require(reviews.first { $0.subject == "maria" })
        #expect(maria.outcome == .failed && maria.error?.contains("daily_plan_items") == true, "\(maria)")
        let announced = try runtime.events.list(kinds: [.jobFailed], as: .anonymous).first { $0.subjectID == String(maria.id) }
        #expect(announced?.payload.contains("\"user_id\":\"maria\"") == true, "\(String(describing: announced))")
    }
}
