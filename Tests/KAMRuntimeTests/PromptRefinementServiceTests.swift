import Foundation
import KAMCore
import KAMProviders
import KAMRuntime
import KAMStore
import KAMTesting
import Synchronization
import Testing

/// `runtime.refinement` end to end over a scripted model server: a proposal that fixes the failing assertion wins and
/// is labelled `candidate`, a worse one is discarded with its file removed, a run over its budget is refused before
/// any call, and the run's budget in the ledger stops a run whose calls grow past the projection.
@Suite struct PromptRefinementServiceTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)

    /// What the scripted server was asked, in order: `refine` or `draft`.
    final class Calls: Sendable {
        let list = Mutex<[String]>([])
        /// The request bodies of the `prompt.refine` calls.
        let refineBodies = Mutex<[String]>([])
    }
    static let fixMarker = "ALWAYS-NAME-THE-FIX"

    /// A copy of the shipped prompts and a suite of `draft.follow-up-email` v1: six cases need "FIXED" in the body,
    /// two need "Acme"; from case `long` on, a case's `context` is `longContext`.
    struct World {
        var folder: URL
        var prompts: URL { folder.appendingPathComponent("Prompts") }
        var suite: URL { folder.appendingPathComponent("refine.yaml") }
        var reports: URL { folder.appendingPathComponent("reports") }

        init(longContextFrom long: Int = 9) throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("refine-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let shipped = try #require(PromptRegistry.bundledDirectory)
            try FileManager.default.copyItem(at: shipped, to: folder.appendingPathComponent("Prompts"))
            var lines: [String] = []
            for index in 1...8 {
                let expected = index <= 6 ? "FIXED" : "Acme"
                let row = JSONValue.object([
                    "id": .string("case-\(index)"),
                    "vars": .object(["client_name": .string("Acme"), "context": .string(index >= long ? Self.longContext : "Acme runs three plants (case-\(index)).")]),
                    "expect": .object(["must_mention": .array([.string(expected)])]),
                ])
                lines.append(row.compactJSONText)
            }
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: folder.appendingPathComponent("refine.jsonl"))
            let yaml = """
                name: refine
                prompt: draft.follow-up-email
                variants:
                  - name: baseline
                    version: 1
                    provider: local
                    model: gpt-4o-mini
                  - name: candidate
                    version: 2
                    provider: local
                    model: gpt-4o-mini
                baseline: baseline
                candidate: candidate
                dataset: refine.jsonl
                repeats: 1
                concurrency: 1
                assertions:
                  - type: schema-valid
                  - type: contains-any
                    name: covers-the-ask
                    field: body
                    expected: must_mention
                gate:
                  - candidate.pass_rate >= 0.8

                """
            try Data(yaml.utf8).write(to: suite)
        }

        /// About 90,000 tokens: a case whose own context is far past the prompt's context budget.
        static let longContext = String(repeating: "Acme ordered 40 pumps in March for the north plant. ", count: 8_000)
    }

    /// The scripted server: `prompt.refine` answers the revisions in order; a draft answer names the fix only when its
    /// instructions carry the marker, and says nothing useful when they carry "SAY-NOTHING".
    static func transport(revisions: [String], calls: Calls) -> MockTransport {
        MockTransport { request in
            let body = String(decoding: request.body, as: UTF8.self)
            var system = ""
            if case .array(let messages)? = request.jsonBody?["messages"], let first = messages.first {
                system = first["content"]?.stringValue ?? ""
            }
            if system.contains("You improve the instructions of a prompt") {
                calls.refineBodies.withLock { $0.append(body) }
                let index = calls.list.withLock { list in
                    list.append("refine")
                    return list.filter { $0 == "refine" }.count - 1
                }
                return MockTransport.chatCompletion(revisions[min(index, revisions.count - 1)])
            }
            calls.list.withLock { $0.append("draft") }
            let halfFixed = system.contains("HALF-FIX") && (1...5).contains { body.contains("(case-\($0))") }
            let text =
                system.contains(fixMarker) || halfFixed
                ? "Hi, Acme: the FIXED plan is ready." : system.contains("SAY-NOTHING") ? "Hello." : "Hi Acme, a note."
            _ = body
            let answer = JSONValue.object([
                "subject": .string("Follow-up"), "body": .string(text), "call_to_action": .string("Reply"),
                "tone": .string("friendly"), "facts_used": .array([]),
            ])
            return MockTransport.chatCompletion(answer.compactJSONText)
        }
    }

    static func revision(_ instructions: String, examples: [Int] = []) -> String {
        JSONValue.object([
            "instructions": .string(instructions), "examples": .array(examples.map { .int(Int64($0)) }),
            "rationale": .string("answers the failing cases"),
        ]).compactJSONText
    }

    static func runtime(_ world: World, transport: MockTransport) async throws -> Runtime {
        let configuration = try KAMConfiguration.parse(
            """
            version: 1
            providers:
              local:
                kind: openai-compatible
                base_url: http://model.invalid/v1
            default_model: local/gpt-4o-mini

            """, file: "kam.yaml")
        return try await Runtime.open(
            RuntimeOptions(
                configuration: configuration, promptsDirectory: world.prompts.path, environment: [:], now: { now },
                ids: .sequential(), transport: transport),
            store: try ClientStore.inMemory(now: { now }))
    }

    static let good = "Write a short follow-up email. \(fixMarker): say FIXED and name the client. Answer with JSON matching the output schema."
    static let worse = "Write an email. SAY-NOTHING. Answer with JSON matching the output schema."

    @Test func aProposalThatFixesTheFailingAssertionWinsAndAWorseOneIsDiscarded() async throws {
        let world = try World()
        defer { try? FileManager.default.removeItem(at: world.folder) }
        let calls = Calls()
        let runtime = try await Self.runtime(
            world, transport: Self.transport(revisions: [Self.revision(Self.worse), Self.revision(Self.good)], calls: calls))
        let plan = try runtime.refinement.plan(
            PromptRefinementService.Request(
                promptID: "draft.follow-up-email", from: "1", suite: world.suite.path, budget: Money(dollars: "1.00")!,
                proposals: 2, reportDirectory: world.reports))
        #expect(plan.refusal == nil)
        #expect(plan.projection.lines.map(\.calls) == [8, 2, 16])
        let report = try await runtime.refinement.run(plan)

        #expect(report.baselinePassed == 2)
        #expect(report.proposals.map(\.status) == [.discarded, .kept])
        #expect(report.proposals[0].version == "3")
        #expect(report.proposals[0].passed == 0)
        #expect(report.proposals[1].version == "4")
        #expect(report.proposals[1].passed == 8)
        #expect(report.proposals[1].comparison?.candidateOnly == 6)
        #expect(report.winner == "4")
        #expect(report.stopped == nil)
        #expect(report.spent > .zero && report.spent <= Money(dollars: "1.00")!)
        // The worse proposal's file is gone, the winner's stays, with the report linked; it is candidate, not production.
        let folder = world.prompts.appendingPathComponent("draft.follow-up-email")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("3.prompty").path))
        let kept = try String(contentsOf: folder.appendingPathComponent("4.prompty"), encoding: .utf8)
        #expect(kept.contains(Self.fixMarker))
        #expect(kept.contains(plan.reportMarkdown.path))
        let labels = try runtime.registry.labels(of: "draft.follow-up-email").labels
        #expect(labels["candidate"] == "4")
        #expect(labels["production"] == "1")
        // The move is in the label history beside those a person makes (`kam prompts history`, the Prompts page).
        #expect(try runtime.promptCatalog.labelHistory("draft.follow-up-email").map { "\($0.label)→\($0.to ?? "-")" } == ["candidate→4"])
        #expect(FileManager.default.fileExists(atPath: plan.reportJSON.path))
        let markdown = try String(contentsOf: plan.reportMarkdown, encoding: .utf8)
        #expect(markdown.contains("version 4 beat version 1"))
        // 8 baseline cases, then each proposal's call and its 8 cases.
        #expect(calls.list.withLock { $0 }.count == 8 + 2 * (1 + 8))
        // The run's budget is gone; its spend is in the ledger rows of the run.
        #expect(try await runtime.ledger.budgets().isEmpty)
    }

    @Test func aSecondRoundRevisesTheBestSoFarFromTheCasesItStillFails() async throws {
        let world = try World()
        defer { try? FileManager.default.removeItem(at: world.folder) }
        let calls = Calls()
        let half = "Write a short follow-up email. HALF-FIX. Answer with JSON matching the output schema."
        let runtime = try await Self.runtime(
            world, transport: Self.transport(revisions: [Self.revision(half), Self.revision(Self.good)], calls: calls))
        let plan = try runtime.refinement.plan(
            PromptRefinementService.Request(
                promptID: "draft.follow-up-email", from: "1", suite: world.suite.path, budget: Money(dollars: "1.00")!,
                rounds: 2, proposals: 1, reportDirectory: world.reports))
        #expect(plan.projection.lines.map(\.calls) == [8, 2, 16])
        let report = try await runtime.refinement.run(plan)
        #expect(report.proposals.map(\.round) == [1, 2])
        #expect(report.proposals.map(\.passed) == [7, 8])
        #expect(report.proposals.map(\.status) == [.discarded, .kept])
        #expect(report.proposals[0].reason == "beaten by version 4")
        #expect(report.winner == "4")
        // Round 1 saw every case version 1 fails; round 2 only the one its best so far (version 3) still fails,
        // and revised version 3's instructions.
        let bodies = calls.refineBodies.withLock { $0 }
        #expect(bodies.count == 2)
        #expect(bodies[0].contains("case case-1") && bodies[0].contains("case case-6"))
        #expect(!bodies[1].contains("case case-1") && bodies[1].contains("case case-6"))
        #expect(bodies[1].contains("HALF-FIX"))
        #expect(try runtime.registry.versions(of: "draft.follow-up-email") == ["1", "2", "4"])
        #expect(try runtime.registry.labels(of: "draft.follow-up-email").labels["candidate"] == "4")
    }

    @Test func noProposalThatIsNotBetterGetsALabel() async throws {
        let world = try World()
        defer { try? FileManager.default.removeItem(at: world.folder) }
        let calls = Calls()
        let runtime = try await Self.runtime(
            world, transport: Self.transport(revisions: [Self.revision(Self.worse)], calls: calls))
        let plan = try runtime.refinement.plan(
            PromptRefinementService.Request(
                promptID: "draft.follow-up-email", from: "1", suite: world.suite.path, budget: Money(dollars: "1.00")!,
                proposals: 1, reportDirectory: world.reports))
        let report = try await runtime.refinement.run(plan)
        #expect(report.winner == nil)
        #expect(report.proposals.map(\.status) == [.discarded])
        #expect(try runtime.registry.versions(of: "draft.follow-up-email") == ["1", "2"])
        #expect(try runtime.registry.labels(of: "draft.follow-up-email").labels["candidate"] == "2")
    }

    @Test func aRevisionWithAnUndeclaredVariableIsRejectedWithoutAFile() async throws {
        let world = try World()
        defer { try? FileManager.default.removeItem(at: world.folder) }
        let calls = Calls()
        let runtime = try await Self.runtime(
            world,
            transport: Self.transport(
                revisions: [Self.revision("Write to {{secret_budget}}. \(Self.fixMarker). Answer with JSON.")], calls: calls))
        let plan = try runtime.refinement.plan(
            PromptRefinementService.Request(
                promptID: "draft.follow-up-email", from: "1", suite: world.suite.path, budget: Money(dollars: "1.00")!,
                proposals: 1, reportDirectory: world.reports))
        let report = try await runtime.refinement.run(plan)
        #expect(report.proposals.map(\.status) == [.rejected])
        #expect(report.proposals.first?.reason?.contains("refine.undeclared-variable") == true)
        #expect(report.proposals.first?.version == nil)
        #expect(try runtime.registry.versions(of: "draft.follow-up-email") == ["1", "2"])
        #expect(calls.list.withLock { $0 }.count == 8 + 1)
    }

    @Test func aRunOverItsBudgetIsRefusedBeforeAnyCall() async throws {
        let world = try World()
        defer { try? FileManager.default.removeItem(at: world.folder) }
        let calls = Calls()
        let runtime = try await Self.runtime(world, transport: Self.transport(revisions: [Self.revision(Self.good)], calls: calls))
        let request = PromptRefinementService.Request(
            promptID: "draft.follow-up-email", from: "1", suite: world.suite.path, budget: Money(dollars: "0.01")!,
            reportDirectory: world.reports)
        let plan = try runtime.refinement.plan(request)
        #expect(plan.refusal?.contains("over --budget") == true)
        await #expect(throws: RefinementRefusal.self) { try await runtime.refinement.run(plan) }

        var limited = request
        limited.budget = Money(dollars: "100")!
        limited.maxCalls = 10
        let overCalls = try runtime.refinement.plan(limited)
        #expect(overCalls.refusal?.contains("--max-calls 10") == true)
        await #expect(throws: RefinementRefusal.self) { try await runtime.refinement.run(overCalls) }

        #expect(calls.list.withLock { $0 }.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: world.reports.path))
        #expect(try await runtime.ledger.budgets().isEmpty)
    }

    @Test func theLedgerStopsARunWhoseCallsOutgrowTheProjection() async throws {
        // From case 5 on, a case's own context is far past the prompt's context budget the projection counts with, so
        // each of its calls reserves about $0.014 at gpt-4o-mini's prices. The plan is accepted for $1.00 and the run's
        // budget is then held at $0.01, as if the projection had missed by that much: the first four cases run and the
        // ledger refuses every call after them, whatever the plan said.
        let world = try World(longContextFrom: 5)
        defer { try? FileManager.default.removeItem(at: world.folder) }
        let calls = Calls()
        let runtime = try await Self.runtime(world, transport: Self.transport(revisions: [Self.revision(Self.good)], calls: calls))
        var plan = try runtime.refinement.plan(
            PromptRefinementService.Request(
                promptID: "draft.follow-up-email", from: "1", suite: world.suite.path, budget: Money(dollars: "1.00")!,
                proposals: 1, reportDirectory: world.reports))
        #expect(plan.refusal == nil)
        let budget = Money(dollars: "0.01")!
        plan.request.budget = budget
        let report = try await runtime.refinement.run(plan)
        #expect(report.stopped?.contains("budget") == true)
        #expect(report.winner == nil)
        #expect(report.proposals.isEmpty)
        #expect(calls.list.withLock { $0 } == ["draft", "draft", "draft", "draft"])
        #expect(report.spent <= budget)
        #expect(try runtime.registry.labels(of: "draft.follow-up-email").labels["candidate"] == "2")
        #expect(try runtime.registry.versions(of: "draft.follow-up-email") == ["1", "2"])
    }
}
