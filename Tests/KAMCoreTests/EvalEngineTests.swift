import Foundation
import KAMCore
import KAMTesting
import Synchronization
import Testing

/// The engine: every case × variant, paired statistics, the gate, kill-and-resume, and the judge.
@Suite struct EvalEngineTests {
    @Test func runsEveryCaseAndVariantAndComparesThem() async throws {
        let (suite, cases) = try EvalTestSupport.suite(cases: 12)
        let provider = EvalTestSupport.versionedProvider()
        let engine = EvalEngine(
            suite: suite, cases: cases, targets: try EvalTestSupport.targets(suite, provider: provider),
            counter: WordCounter(), now: EvalTestSupport.now)
        let sink = InMemoryEvalResultSink()
        let outcome = try await engine.run(runID: "r1", sink: sink)
        #expect(outcome.total == 24 && outcome.ran == 24 && outcome.alreadyStored == 0 && !outcome.cancelled)
        #expect(provider.callCount == 24)
        let results = await sink.results
        let report = EvalReport(suite: suite, runID: "r1", createdAt: EvalTestSupport.now, caseIDs: cases.map(\.id), results: results)
        #expect(report.summary("baseline")?.passed == 0)
        #expect(report.summary("candidate")?.passed == 12)
        #expect(report.comparison?.candidateOnly == 12)
        #expect(report.gatePassed)
        let failed = try #require(results.first { $0.variant == "baseline" })
        #expect(failed.assertions.first { !$0.passed }?.name == "no-placeholders")
        #expect(failed.inputTokens == 100)
        // A gate asking the reverse (version 1 at least as good as version 2) fails on the same results.
        var reversed = suite
        reversed.gate = [try EvalGateCondition.parse("baseline.pass_rate >= candidate.pass_rate - 0.02").get()]
        let reversedReport = EvalReport(suite: reversed, runID: "r1", createdAt: EvalTestSupport.now, caseIDs: cases.map(\.id), results: results)
        let reversedPassed = reversedReport.gatePassed
        #expect(!reversedPassed)
        let pValue = report.comparison?.pValue ?? 1
        #expect(pValue < 0.001)
    }

    @Test func aRunCancelledMidwayResumesWithoutLosingOrRepeatingACase() async throws {
        let (suite, cases) = try EvalTestSupport.suite(cases: 20, concurrency: 4)
        let provider = EvalTestSupport.versionedProvider(delay: .milliseconds(1))
        let engine = EvalEngine(
            suite: suite, cases: cases, targets: try EvalTestSupport.targets(suite, provider: provider),
            counter: WordCounter(), now: EvalTestSupport.now)
        let sink = InMemoryEvalResultSink()
        let handle = Mutex<Task<EvalEngine.Outcome, any Error>?>(nil)
        let started = Mutex(false)
        // Cancels the run from inside once 15 results are stored, as Ctrl-C does.
        let task = Task {
            try await engine.run(runID: "r", sink: sink) { progress in
                if progress.done >= 15 { handle.withLock { $0?.cancel() } }
            }
        }
        handle.withLock { $0 = task }
        started.withLock { $0 = true }
        let first = try await task.value
        let storedAfterKill = await sink.results.count
        #expect(first.cancelled)
        #expect(storedAfterKill >= 15 && storedAfterKill < 40)
        let callsAfterKill = provider.callCount

        let second = try await engine.run(runID: "r", sink: sink)
        #expect(!second.cancelled)
        #expect(second.alreadyStored == storedAfterKill)
        #expect(second.ran == 40 - storedAfterKill)
        let counts = await sink.recordCounts
        #expect(counts.count == 40)
        #expect(counts.values.allSatisfy { $0 == 1 })
        #expect(Set(counts.keys) == Set(engine.keys))
        // Only the cases not stored were asked again (plus those abandoned in flight at the kill).
        #expect(provider.callCount - callsAfterKill <= 40 - storedAfterKill + 4)
    }

    @Test func judgeGradesThroughAProvider() async throws {
        let yaml = """
            prompt: draft.follow-up-email
            variants:
              - {name: only, version: 2}
            dataset: d.jsonl
            assertions:
              - type: llm-judge
                name: polite
                rubric: "Is the email polite?"
                threshold: 0.7
            """
        let suite = try EvalSuiteLoader.parse(yaml, file: "judge.yaml")
        let cases = try EvalSuiteLoader.parseCases(
            #"{"id":"a","vars":{"client_name":"A","context":"c"}}"# + "\n" + #"{"id":"b","vars":{"client_name":"B","context":"c"}}"#,
            file: "d.jsonl")
        let judgeProvider = ScriptedProvider(name: "judge") { request, _ in
            let user = request.messages.last?.content ?? ""
            let score = user.contains("\"A\"") ? 0.9 : 0.2
            return ChatResponse(text: #"{"score":\#(score),"reason":"checked"}"#, model: request.model, provider: "judge")
        }
        let engine = EvalEngine(
            suite: suite, cases: cases, targets: try EvalTestSupport.targets(suite, provider: EvalTestSupport.versionedProvider()),
            counter: WordCounter(), now: EvalTestSupport.now,
            judge: { _, _ in EvalJudge(provider: judgeProvider, model: "judge-model") })
        let sink = InMemoryEvalResultSink()
        _ = try await engine.run(runID: "j", sink: sink)
        let results = await sink.results
        #expect(results.first { $0.caseID == "a" }?.passed == true)
        #expect(results.first { $0.caseID == "b" }?.passed == false)
        #expect(judgeProvider.requests.first?.outputSchema == EvalJudge.schema)
        #expect(results.first { $0.caseID == "b" }?.assertions.first?.detail.contains("0.20") == true)
    }

    /// A verdict is a call like any other: metered against the budgets of the evaluation's attribution and logged, and
    /// refused before it is sent when it would overspend one (a refinement's `run:ID` budget).
    @Test func aMeteredJudgeIsChargedToTheRunAndRefusedOverItsBudget() async throws {
        let prices = PriceTable(models: [
            "judge-model": ModelPrice(provider: "judge", input: Money(picodollars: 1_000_000), output: Money(picodollars: 2_000_000))
        ])
        let judgeProvider = ScriptedProvider(name: "judge") { request, _ in
            ChatResponse(
                text: #"{"score":0.8,"reason":"fine"}"#, model: request.model, provider: "judge",
                usage: Usage(inputTokens: 100, outputTokens: 10))
        }
        let run = CallAttribution(runID: "refine-1")
        func judge(budget: Money) -> (EvalJudge, InMemoryCallLog, BudgetLedger, Budget) {
            let limit = Budget(scope: .run("refine-1"), period: .total, amount: budget)
            let ledger = BudgetLedger(store: InMemoryBudgetStore(budgets: [limit]), prices: prices, now: { EvalTestSupport.now })
            let log = InMemoryCallLog()
            let meter = CallMeter(ledger: ledger, log: log, now: { EvalTestSupport.now }, makeID: { "call-1" })
            return (EvalJudge(provider: judgeProvider, model: "judge-model", meter: meter, attribution: run), log, ledger, limit)
        }
        let (generous, log, ledger, limit) = judge(budget: Money(dollars: 1))
        let verdict = try await generous.grade(rubric: "polite?", input: ["client_name": "A"], output: "Hello")
        #expect(verdict.score == 0.8)
        let row = try #require(log.records.first)
        #expect(row.attribution.promptID == "eval.judge")
        #expect(row.usage == Usage(inputTokens: 100, outputTokens: 10))
        let cost = Money(picodollars: 100 * 1_000_000 + 10 * 2_000_000)
        #expect(row.cost == cost)
        #expect(try await ledger.status(id: limit.id).spent == cost)

        let asked = judgeProvider.requests.count
        let (tight, tightLog, _, _) = judge(budget: Money(picodollars: 1))
        await #expect(throws: BudgetError.self) {
            _ = try await tight.grade(rubric: "polite?", input: ["client_name": "A"], output: "Hello")
        }
        #expect(judgeProvider.requests.count == asked)
        #expect(tightLog.records.first?.outcome == .refused)
    }

    @Test func reportsRenderEveryResult() async throws {
        let (suite, cases) = try EvalTestSupport.suite(cases: 3)
        let engine = EvalEngine(
            suite: suite, cases: cases, targets: try EvalTestSupport.targets(suite, provider: EvalTestSupport.versionedProvider()),
            counter: WordCounter(), now: EvalTestSupport.now)
        let sink = InMemoryEvalResultSink()
        _ = try await engine.run(runID: "r", sink: sink)
        let report = EvalReport(suite: suite, runID: "r", createdAt: EvalTestSupport.now, caseIDs: cases.map(\.id), results: await sink.results)
        let junit = EvalJUnitWriter.xml(report)
        #expect(junit.components(separatedBy: "<testcase ").count - 1 == 6 + report.gate.count)
        #expect(junit.components(separatedBy: "<failure ").count - 1 == 3)
        let html = EvalHTMLWriter.html(report)
        #expect(html.contains("<svg"))
        #expect(html.contains("TODO add price"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("http://") || !html.contains("src=\"http"))
        let decoded = try EvalReport.decode(try report.jsonData())
        #expect(decoded == report)
        #expect(EvalTableWriter.text(report).contains("gate passed"))
    }

    @Test func experimentVariantsAreStickyAndFollowTheSplit() {
        let experiment = Experiment(id: "exp1", promptID: "p", variants: ["1", "2"], split: [80, 20], startedAt: EvalTestSupport.now)
        let clients = (0..<2000).map { "client-\($0)" }
        let assigned = clients.map { experiment.variant(forClient: $0) }
        #expect(assigned == clients.map { experiment.variant(forClient: $0) })
        let share = Double(assigned.filter { $0 == "1" }.count) / Double(clients.count)
        #expect(share > 0.75 && share < 0.85)
        if case .failure(let error) = Experiment.parse(variants: "1,2", split: "60/30") {
            #expect(error.message.contains("adds up to 90"))
        } else {
            Issue.record("a split that does not add up to 100 must be refused")
        }
        let tally = ExperimentTally(
            variants: ["1", "2"],
            outcomes: (0..<40).map { ExperimentDraftOutcome(variant: "1", clientID: "c\($0)", decision: $0 < 10 ? .approvedUnedited : .rejected) }
                + (0..<40).map { ExperimentDraftOutcome(variant: "2", clientID: "d\($0)", decision: $0 < 30 ? .approvedUnedited : .approvedEdited, editDistance: 12) })
        #expect(tally.variants[0].acceptance == 0.25)
        #expect(tally.variants[1].acceptance == 0.75)
        #expect(tally.variants[1].meanEditDistance == 12)
        #expect((tally.pValue ?? 1) < 0.001)
    }
}
