import Foundation
import KAMCore
import KAMResources
import Testing

/// Suites and datasets: what they parse to, and file:line errors for what is wrong.
@Suite struct EvalSuiteLoaderTests {
    @Test func shippedSuitesParseAndMatchTheirPrompts() throws {
        for name in ["follow-up-email", "inbound-email"] {
            let path = EvalTestSupport.root.appendingPathComponent("Evaluations/\(name).yaml").path
            let suite = try EvalSuiteLoader.load(path: path)
            let cases = try EvalSuiteLoader.loadCases(path: suite.resolve(suite.dataset).path)
            #expect(cases.count >= 30)
            #expect(suite.variants.count == 2)
            #expect(!suite.gate.isEmpty)
            for variant in suite.variants {
                let template = try EvalTestSupport.registry().load(variant.reference(promptID: suite.promptID))
                #expect(EvalSuiteLoader.checkCases(cases, template: template, assertions: suite.assertions).isEmpty)
            }
        }
    }

    func issues(_ yaml: String) -> [ConfigurationIssue] {
        do {
            _ = try EvalSuiteLoader.parse(yaml, file: "bad.yaml")
            return []
        } catch {
            return error.issues
        }
    }

    @Test func unknownAssertionTypeIsReportedWithItsLine() {
        let found = issues(
            """
            prompt: draft.follow-up-email
            variants:
              - version: 1
            dataset: d.jsonl
            assertions:
              - type: schema-valid
              - type: contians
            """)
        let issue = found.first { $0.message.contains("unknown assertion type 'contians'") }
        #expect(issue?.line == 7)
        #expect(issue?.message.contains("did you mean 'contains'") == true)
        #expect(issue?.description.hasPrefix("bad.yaml:7") == true)
    }

    @Test func variantWithoutVersionIsAnError() {
        let found = issues(
            """
            prompt: draft.follow-up-email
            variants:
              - name: baseline
                version: 1
              - name: candidate
                model: gpt-4o-mini
            dataset: d.jsonl
            """)
        #expect(found.contains { $0.line == 5 && $0.message.contains("names no version") })
    }

    @Test func gateNamingAnUnknownVariantOrMetricIsAnError() {
        let found = issues(
            """
            prompt: p
            variants:
              - {name: a, version: 1}
              - {name: b, version: 2}
            dataset: d.jsonl
            gate:
              - c.pass_rate >= a.pass_rate
              - b.pass_rat >= 0.5
              - b.pass_rate >=
            """)
        #expect(found.contains { $0.line == 7 && $0.message.contains("'c' is not a variant") })
        #expect(found.contains { $0.line == 8 && $0.message.contains("unknown metric 'pass_rat'") })
        #expect(found.contains { $0.line == 9 && $0.message.contains("not a gate condition") })
    }

    @Test func datasetErrorsNameTheLine() {
        let text = """
            {"id":"a","vars":{"client_name":"X","context":"c"}}
            {"id":"a","vars":{"client_name":"X","context":"c"}}
            {not json
            {"vars":{"x":1}}
            """
        do {
            _ = try EvalSuiteLoader.parseCases(text, file: "d.jsonl")
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .invalidDataset)
            #expect(error.issues.contains { $0.line == 2 && $0.message.contains("already used on line 1") })
            #expect(error.issues.contains { $0.line == 3 && $0.message.contains("not a JSON object") })
            #expect(error.issues.contains { $0.line == 4 && $0.field == "id" })
        }
    }

    @Test func caseMissingARequiredInputIsReported() throws {
        let cases = try EvalSuiteLoader.parseCases(#"{"id":"a","vars":{"client_name":"X"}}"#, file: "d.jsonl")
        let template = try EvalTestSupport.registry().load(PromptReference(parsing: "draft.follow-up-email@1"))
        let found = EvalSuiteLoader.checkCases(cases, template: template, assertions: [])
        #expect(found.count == 1)
        #expect(found.first?.field == "vars.context")
        #expect(found.first?.line == 1)
        #expect(found.first?.file == "d.jsonl")
    }
}
