import Foundation
import KAMCore
import KAMProviders
import KAMRuntime
import KAMStore
import KAMTesting
import Synchronization
import Testing

/// `runtime.evals`: a tiny suite run offline through the runtime reports each version's pass rate, the
/// gate fails when the candidate is worse, runs are listed and compared, and a promotion needs a passing run.
@Suite struct EvalServiceTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)
    static let repository = TinyEvalSuite.repository

    /// A folder with `tiny.yaml` (baseline offline, candidate on `candidate`) over the first `cases`
    /// cases of the shipped inbound-email dataset.
    static func suite(candidate: String, cases: Int = 3) throws -> URL {
        try TinyEvalSuite.write(
            folderPrefix: "eval-service", cases: cases, candidate: candidate, options: "concurrency: 2\n",
            gate: ["candidate.errors == 0", "candidate.pass_rate >= baseline.pass_rate - 0.05"])
    }

    /// An OpenAI-compatible answer whose text is not JSON.
    static let notJSON = HTTPResponseData(
        status: 200,
        text: #"{"id":"1","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"no JSON here"},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":3}}"#)

    /// A runtime over an empty in-memory store whose `local` provider is a fake server answering
    /// every call with text that is not JSON.
    static func runtime(transport: MockTransport = MockTransport { _ in notJSON }) async throws -> Runtime {
        let configuration = try KAMConfiguration.parse(
            """
            version: 1
            providers:
              local:
                kind: openai-compatible
                base_url: http://model.invalid/v1

            """, file: "kam.yaml")
        return try await Runtime.open(
            RuntimeOptions(
                configuration: configuration,
                promptsDirectory: (PromptRegistry.bundledDirectory ?? PromptRegistry.resolveDirectory()).path,
                environment: [:], now: { now }, ids: .sequential(), transport: transport),
            store: try ClientStore.inMemory(now: { now }))
    }

    @Test func aWorseCandidateFailsTheGate() async throws {
        let suite = try Self.suite(candidate: "    provider: local\n    model: m")
        defer { try? FileManager.default.removeItem(at: suite.deletingLastPathComponent()) }
        let runtime = try await Self.runtime()
        let outcome = try await runtime.evals.run(EvalService.RunRequest(suite: suite.path), as: ActingUser("maria"))
        let report = outcome.report
        #expect(!outcome.interrupted)
        #expect(report.complete)
        #expect(report.runID.hasPrefix("tiny-20260921-"))
        let baseline = try #require(report.summary("baseline"))
        let candidate = try #require(report.summary("candidate"))
        #expect(baseline.cases == 3)
        #expect(baseline.passRate == 1)
        #expect(candidate.cases == 3)
        #expect(candidate.passed == 0)
        #expect(candidate.passRate == 0)
        #expect(!report.gatePassed)
        #expect(report.gate.map(\.passed) == [false, false])

        let listed = try runtime.evals.runs(suite: "tiny")
        #expect(listed.map(\.run.id) == [report.runID])
        #expect(listed.first?.storedResults == 6)
        #expect(listed.first?.run.gatePassed == false)

        let template = try runtime.template("analysis.inbound-email")
        #expect {
            try runtime.evals.requirePassingRun(suite: suite.path, template: template)
        } throws: { ($0 as? RuntimeError)?.code == "eval.no-passing-run" }
    }

    @Test func equalVersionsPassTheGateAndAllowThePromotion() async throws {
        let suite = try Self.suite(candidate: "    provider: offline")
        defer { try? FileManager.default.removeItem(at: suite.deletingLastPathComponent()) }
        let runtime = try await Self.runtime()
        let prepared = try runtime.evals.prepare(EvalService.RunRequest(suite: suite.path), as: .anonymous)
        #expect(prepared.total == 6)
        #expect(!prepared.resumed)
        let done = Mutex<Int>(0)
        let outcome = try await runtime.evals.execute(prepared) { progress in done.withLock { $0 = progress.done } }
        #expect(done.withLock { $0 } == 6)
        #expect(outcome.report.results.count == 6)
        let report = outcome.report
        #expect(report.summary("baseline")?.passRate == report.summary("candidate")?.passRate)
        #expect(report.gatePassed)

        let template = try runtime.template("analysis.inbound-email")
        let run = try runtime.evals.requirePassingRun(suite: suite.path, template: template)
        #expect(run.id == report.runID)

        let rows = try runtime.evals.compare(report.runID, report.runID)
        #expect(rows.map(\.variant) == ["baseline", "candidate"])
        #expect(rows.allSatisfy { !$0.regressed && $0.comparison.pairs == 3 })

        #expect { try runtime.evals.prepare(EvalService.RunRequest(suite: suite.path, resume: true), as: .anonymous) }
            throws: { ($0 as? RuntimeError)?.code == "eval.run-not-found" }
        #expect { try runtime.evals.compare(report.runID, "no-such-run") } throws: {
            ($0 as? RuntimeError)?.code == "eval.run-not-found"
        }
    }

    @Test func anInterruptedRunKeepsWhatFinishedAndResumesWithTheRest() async throws {
        let suite = try Self.suite(candidate: "    provider: local\n    model: m")
        defer { try? FileManager.default.removeItem(at: suite.deletingLastPathComponent()) }
        // The candidate's server hangs until `answering` is set, then answers (with text that is not JSON).
        let answering = Mutex(false)
        let runtime = try await Self.runtime(
            transport: MockTransport { _ in
                while !answering.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
                return Self.notJSON
            })
        let evals = runtime.evals
        let first = try evals.prepare(EvalService.RunRequest(suite: suite.path, concurrency: 6), as: .anonymous)
        let baselineDone = AsyncStream.makeStream(of: Void.self)
        let task = Task {
            try await evals.execute(first) { progress in
                if progress.done == 3 { baselineDone.continuation.yield() }
            }
        }
        for await _ in baselineDone.stream { break }
        task.cancel()
        let interrupted = try await task.value
        #expect(interrupted.interrupted)
        #expect(interrupted.report.results.map(\.variant) == ["baseline", "baseline", "baseline"])
        #expect(try evals.runs(suite: "tiny").first?.run.status == "interrupted")

        answering.withLock { $0 = true }
        let resumed = try evals.prepare(EvalService.RunRequest(suite: suite.path, resume: true), as: .anonymous)
        #expect(resumed.resumed)
        #expect(resumed.runID == first.runID)
        let outcome = try await evals.execute(resumed)
        #expect(!outcome.interrupted)
        #expect(outcome.report.complete)
        #expect(outcome.report.results.count == 6)
        #expect(outcome.report.summary("candidate")?.errors == 3)
    }

    @Test func checkCountsAValidSuiteAndReportsABrokenOne() throws {
        let prompts = (PromptRegistry.bundledDirectory ?? PromptRegistry.resolveDirectory()).path
        let shipped = Self.repository.appendingPathComponent("Evaluations/inbound-email.yaml").path
        let check = try EvalService.check(suite: shipped, promptsDirectory: prompts)
        #expect(check.suite == "inbound-email")
        #expect(check.cases == 36)
        #expect(check.variants == 2)

        let suite = try Self.suite(candidate: "    provider: offline")
        defer { try? FileManager.default.removeItem(at: suite.deletingLastPathComponent()) }
        try Data(#"{"id": "c1", "vars": {"client_name": "Acme"}}"#.utf8)
            .write(to: suite.deletingLastPathComponent().appendingPathComponent("tiny.jsonl"))
        #expect { try EvalService.check(suite: suite.path, promptsDirectory: prompts) } throws: { error in
            (error as? EvalSuiteError)?.issues.contains { $0.description.contains("tiny.jsonl") } == true
        }
    }
}
