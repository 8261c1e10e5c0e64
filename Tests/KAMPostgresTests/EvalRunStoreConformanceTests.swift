import Foundation
import KAMCore
import KAMTesting
import Testing

/// The evaluation runs' store (`EvalRunStoring`), written once and run against SQLite and PostgreSQL: every method,
/// the orders and their ties, what is refused, and processes racing to store one run and one result through two
/// handles, which only the stores' keys keep to one.
///
/// A PostgreSQL case without a server is skipped with the reason (`PostgresTestServer`), and fails under CI.
@Suite("Evaluation run store conformance")
struct EvalRunStoreConformanceTests {
    static let t0 = EvalWorld.start

    /// A suite of `variants` on the follow-up prompt.
    static func suite(_ name: String = "follow-up", variants: [String] = ["baseline"]) -> EvalSuite {
        EvalSuite(
            name: name, file: "Evaluations/\(name) \"quoted\" Größe.yaml", promptID: "draft.follow-up-email",
            variants: variants.map { EvalVariant(name: $0, selector: .version("1")) }, dataset: "cases.jsonl")
    }

    static func record(_ name: String = "baseline", hash: String = "h1") -> EvalVariantRecord {
        EvalVariantRecord(name: name, version: "1", contentHash: hash, model: "offline", provider: "offline")
    }

    static func result(
        _ runID: String, _ caseID: String, variant: String = "baseline", repeatIndex: Int = 0, passed: Bool = true
    ) -> EvalResult {
        EvalResult(
            runID: runID, caseID: caseID, variant: variant, repeatIndex: repeatIndex, passed: passed,
            score: passed ? 1 : 0.25, assertions: [], output: "Hi \"Ana\" ✓\n" + HostileTextBody.text, error: nil,
            promptVersion: "1", provider: "offline", model: "offline", attempts: 1, inputTokens: 10, outputTokens: 5,
            costPicodollars: 1_234, latencyMilliseconds: 12.5, metrics: ["tp": 1], tags: ["smoke"])
    }

    @Test("a run and its results round-trip; a used id or key, or an unknown run, is refused", arguments: StoreBackend.allCases)
    func roundTrip(kind: StoreBackend) async throws {
        try await kind.withWorld(EvalWorld.self) { world in
            let (one, two) = (world.handles[0].evalRuns, world.handles[1].evalRuns)
            let records = [Self.record(), Self.record("candidate", hash: "h2")]
            try one.createRun(id: "r1", suite: Self.suite(), variants: records)
            let created = EvalRun(
                id: "r1", suite: "follow-up", suiteFile: Self.suite().file, promptID: "draft.follow-up-email",
                startedAt: Self.t0, finishedAt: nil, status: "running", gatePassed: nil, variants: records, report: nil)
            #expect(try two.run(id: "r1") == created)
            #expect(try one.run(id: "no-such-run") == nil)
            world.clock.set(Self.t0.addingTimeInterval(5))
            #expect(throws: (any Error).self) { try two.createRun(id: "r1", suite: Self.suite("other"), variants: []) }
            #expect(try one.run(id: "r1") == created)

            // Results by case, variant and repeat, in byte order.
            let results = [
                Self.result("r1", "c-9"), Self.result("r1", "a"), Self.result("r1", "B", variant: "candidate"),
                Self.result("r1", "B", passed: false), Self.result("r1", "c-10", repeatIndex: 1),
                Self.result("r1", "c-10"),
            ]
            for (index, result) in results.enumerated() { try world.handles[index % 2].evalRuns.insert(result) }
            let ordered = [results[3], results[2], results[1], results[5], results[4], results[0]]
            #expect(try two.results(runID: "r1") == ordered)
            #expect(try one.storedKeys(runID: "r1") == Set(results.map(\.key)))
            #expect(try await one.completedKeys(runID: "r1") == Set(results.map(\.key)))
            #expect(try one.results(runID: "no-such-run").isEmpty && one.storedKeys(runID: "no-such-run").isEmpty)
            #expect(throws: (any Error).self) { try two.insert(Self.result("r1", "a", passed: false)) }
            #expect(throws: (any Error).self) { try one.insert(Self.result("no-such-run", "a")) }
            #expect(try one.results(runID: "r1") == ordered)
            try await two.record(Self.result("r1", "d"))
            #expect(try one.storedKeys(runID: "r1").count == 7)
        }
    }

    @Test("finish: complete with its report and gate, or interrupted", arguments: StoreBackend.allCases)
    func finish(kind: StoreBackend) async throws {
        try await kind.withWorld(EvalWorld.self) { world in
            let (one, two) = (world.handles[0].evalRuns, world.handles[1].evalRuns)
            let suite = Self.suite()
            try one.createRun(id: "r1", suite: suite, variants: [Self.record()])
            try one.createRun(id: "r2", suite: suite, variants: [Self.record()])
            let results = [Self.result("r1", "c1"), Self.result("r1", "c2", passed: false)]
            for result in results { try one.insert(result) }
            let report = EvalReport(
                suite: suite, runID: "r1", createdAt: Self.t0, caseIDs: ["c1", "c2"], results: try one.results(runID: "r1"))
            #expect(report.complete && report.gatePassed)

            world.clock.set(Self.t0.addingTimeInterval(60))
            try two.finish(runID: "r1", report: report, interrupted: false)
            let complete = try #require(try one.run(id: "r1"))
            #expect(complete.status == "complete" && complete.finishedAt == Self.t0.addingTimeInterval(60))
            #expect(complete.gatePassed == true && complete.startedAt == Self.t0)
            #expect(try complete.report?.jsonData() == report.jsonData())

            try two.finish(runID: "r2", report: report, interrupted: true)
            let interrupted = try #require(try one.run(id: "r2"))
            #expect(interrupted.status == "interrupted" && interrupted.gatePassed == nil)
            #expect(try interrupted.report?.jsonData() == report.jsonData())
            try one.finish(runID: "r2", report: nil, interrupted: true)
            #expect(try one.run(id: "r2")?.report == nil)
            // A failing gate is kept as false; a run that does not exist changes nothing.
            var failing = report
            failing.gatePassed = false
            try one.finish(runID: "r2", report: failing, interrupted: false)
            #expect(try one.run(id: "r2")?.gatePassed == false && one.run(id: "r2")?.status == "complete")
            try one.finish(runID: "no-such-run", report: report, interrupted: false)
            #expect(try one.run(id: "no-such-run") == nil)
        }
    }

    @Test(
        "runs newest first, ties by the order stored; the run to resume; the passing run of a version",
        arguments: StoreBackend.allCases)
    func listings(kind: StoreBackend) async throws {
        try await kind.withWorld(EvalWorld.self) { world in
            let runs = world.evalRuns
            // Stored in the order a, b, c, d; a and c started at the same time, as b and d.
            for (id, suite, offset, hash) in [
                ("a", "S", 0.0, "h-a"), ("b", "S", 10, "h-b"), ("c", "S", 0, "h-c"), ("d", "T", 10, "h-d"),
            ] {
                world.clock.set(Self.t0.addingTimeInterval(offset))
                try world.handles[Int(offset) % 4 == 0 ? 0 : 1].evalRuns.createRun(
                    id: id, suite: Self.suite(suite), variants: [Self.record(hash: hash)])
            }
            func ids(_ suite: String?, _ limit: Int) throws -> [String] {
                try runs.runs(suite: suite, limit: limit).map(\.id)
            }
            #expect(try ids(nil, 50) == ["d", "b", "c", "a"])
            #expect(try ids(nil, 1) == ["d"])
            #expect(try ids("S", 50) == ["b", "c", "a"])
            #expect(try ids("S", 2) == ["b", "c"])
            #expect(try ids("U", 50).isEmpty)

            #expect(try runs.latestUnfinished(suite: "S")?.id == "b")
            #expect(try runs.passingRun(suite: "S", promptID: "draft.follow-up-email", contentHash: "h-b") == nil)
            for id in ["b", "a"] {
                let result = Self.result(id, "c1")
                try runs.insert(result)
                let report = EvalReport(
                    suite: Self.suite("S"), runID: id, createdAt: Self.t0, caseIDs: ["c1"], results: [result])
                try world.handles[1].evalRuns.finish(runID: id, report: report, interrupted: false)
            }
            try runs.finish(runID: "c", report: nil, interrupted: true)
            #expect(try runs.latestUnfinished(suite: "S")?.id == "c")
            #expect(try runs.latestUnfinished(suite: "T")?.id == "d")
            #expect(try runs.passingRun(suite: "S", promptID: "draft.follow-up-email", contentHash: "h-b")?.id == "b")
            #expect(try runs.passingRun(suite: "S", promptID: "draft.follow-up-email", contentHash: "h-a")?.id == "a")
            #expect(try runs.passingRun(suite: "S", promptID: "draft.follow-up-email", contentHash: "h-c") == nil)
            #expect(try runs.passingRun(suite: "S", promptID: "other", contentHash: "h-b") == nil)
        }
    }

    @Test(
        "of 8 processes storing one run and one result key at once over two handles, exactly one does",
        arguments: StoreBackend.allCases)
    func racingWrites(kind: StoreBackend) async throws {
        try await kind.withWorld(EvalWorld.self) { world in
            for round in 0..<4 {
                let id = "race-\(round)"
                let created = await OnThreads.results(8) { index in
                    try world.handles[index % 2].evalRuns.createRun(
                        id: id, suite: Self.suite("suite-\(index)"), variants: [Self.record(hash: "h\(index)")])
                }
                let creators = created.indices.filter { (try? created[$0].get()) != nil }
                try #require(creators.count == 1, "round \(round): \(created)")
                #expect(try world.evalRuns.run(id: id)?.suite == "suite-\(creators[0])")

                let recorded = await OnThreads.results(8) { index in
                    try world.handles[index % 2].evalRuns.insert(Self.result(id, "c1", passed: index % 2 == 0))
                }
                let recorders = recorded.indices.filter { (try? recorded[$0].get()) != nil }
                try #require(recorders.count == 1, "round \(round): \(recorded)")
                let stored = try world.evalRuns.results(runID: id)
                #expect(stored.count == 1 && stored.first?.passed == (recorders[0] % 2 == 0))
            }
        }
    }
}
