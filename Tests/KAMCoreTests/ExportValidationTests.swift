import Foundation
import KAMCore
import KAMResources
import KAMTesting
import Testing

@Suite struct ExportValidationTests {
    func codes(_ json: String, _ format: ExportFormat = .openAIChat, limit: Int = 1000) throws -> [String] {
        FineTuningValidator(format: format, tokenizer: WordCounter(), tokenLimit: limit)
            .check(try JSONParser.parse(json)).issues.map(\.code)
    }

    @Test func openAIChecks() throws {
        let good = #"{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]}"#
        #expect(try codes(good) == [])
        #expect(try codes("[1]") == ["export.data-type"])
        #expect(try codes(#"{"prompt":"x"}"#) == ["export.missing-messages-list"])
        #expect(try codes(#"{"messages":[{"role":"robot","content":"x"},{"role":"assistant","content":"y"}]}"#) == ["export.unrecognized-role"])
        #expect(try codes(#"{"messages":[{"role":"user","content":""},{"role":"assistant","content":"y"}]}"#) == ["export.missing-content"])
        #expect(try codes(#"{"messages":[{"role":"user"},{"role":"assistant","content":"y"}]}"#) == ["export.message-missing-key"])
        #expect(try codes(#"{"messages":[{"role":"user","content":"x"}]}"#) == ["export.example-missing-assistant-message"])
        #expect(try codes(#"{"messages":[{"role":"user","content":"x","colour":1},{"role":"assistant","content":"y"}]}"#) == ["export.message-unrecognized-key"])
        #expect(try codes(good, limit: 5) == ["export.token-limit-exceeded"])
    }

    @Test func preferenceAndBedrockChecks() throws {
        let pair = #"{"input":{"messages":[{"role":"user","content":"a"}]},"preferred_output":[{"role":"assistant","content":"b"}],"non_preferred_output":[{"role":"assistant","content":"c"}]}"#
        #expect(try codes(pair, .preference) == [])
        let same = #"{"input":{"messages":[{"role":"user","content":"a"}]},"preferred_output":[{"role":"assistant","content":"b"}],"non_preferred_output":[{"role":"assistant","content":"b"}]}"#
        #expect(try codes(same, .preference) == ["export.identical-outputs"])
        #expect(try codes(#"{"system":"s","messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"}]}"#, .bedrock) == [])
        #expect(try codes(#"{"messages":[{"role":"assistant","content":"a"}]}"#, .bedrock).contains("export.unrecognized-role"))
        #expect(try codes(#"{"messages":[{"role":"system","content":"a"},{"role":"assistant","content":"b"}]}"#, .bedrock).contains("export.unrecognized-role"))
    }

    @Test func leakAuditorFindsKnownValuesOnWordBoundaries() {
        let auditor = LeakAuditor(needles: [
            .init(value: "Jane Doe", kind: .contactName, owner: "acme"),
            .init(value: "Ann", kind: .contactName, owner: "acme"),
            .init(value: "jane@acme.example", kind: .contactEmail, owner: "acme"),
            .init(value: "+1 (415) 555-0134", kind: .contactPhone, owner: "acme"),
            .init(value: "quendrix", kind: .clientName, owner: "quendrix"),
        ])
        #expect(auditor.scan("Hello <PERSON_1>, nothing here. Annual plans. quendrixes", file: "f", lineNumber: 1).isEmpty)
        let hits = auditor.scan("hi JANE DOE, mail Jane@Acme.example or call 415.555.0134; quendrix too", file: "train.jsonl", lineNumber: 7)
        #expect(Set(hits.map(\.kind)) == [.contactName, .contactEmail, .contactPhone, .clientName])
        #expect(hits.allSatisfy { $0.line == 7 && $0.file == "train.jsonl" })
        #expect(!hits.contains { $0.masked.contains("Doe") })
    }

    @Test func splitIsStableAndNearTheFraction() {
        let split = DatasetSplit(trainFraction: 0.8, seed: 42)
        let ids = (0..<2000).map { "draft-\($0)" }
        let training = ids.filter(split.isTraining)
        #expect(training == ids.filter(DatasetSplit(trainFraction: 0.8, seed: 42).isTraining))
        #expect(training.count > 1500 && training.count < 1700)
        #expect(training != ids.filter(DatasetSplit(trainFraction: 0.8, seed: 43).isTraining))
        #expect(ids.allSatisfy(DatasetSplit().isTraining))
    }

    @Test func tokenStatistics() {
        let stats = TokenStatistics(counts: [5, 1, 3, 2, 4])
        #expect(stats.min == 1 && stats.max == 5 && stats.p50 == 3 && stats.p95 == 5 && stats.total == 15 && stats.mean == 3)
    }

    @Test func builderAnonymizesWithOneSession() throws {
        let session = try AnonymizationSession(key: Array("0123456789abcdef0123".utf8))
        let builder = TrainingExampleBuilder(format: .openAIChat, anonymizer: try Anonymizer(), session: session)
        var draft = Draft(
            id: "d", clientID: "c", kind: .followUp, hint: nil, promptID: "p", promptVersion: "1", promptHash: "h",
            provider: "offline", model: "offline", isOffline: true,
            original: DraftContent(subject: "Hi", body: "Dear Jane Doe, write to jane.doe@example.com."),
            promptMessages: #"[{"role":"user","content":"Email Jane Doe at jane.doe@example.com"}]"#, contextSnapshot: "",
            usage: Usage(inputTokens: 1, outputTokens: 1), cost: nil, createdBy: nil, createdAt: Date(timeIntervalSince1970: 0))
        guard case .example(let line) = builder.build(draft) else { Issue.record("no example"); return }
        let text = line.compactJSONText
        #expect(!text.contains("Jane Doe") && !text.contains("jane.doe@example.com"))
        // The same placeholders in the prompt and the answer.
        let placeholders = session.mapping().map(\.placeholder)
        #expect(!placeholders.isEmpty)
        for placeholder in placeholders {
            #expect(text.components(separatedBy: placeholder).count == 3, "\(placeholder) in \(text)")
        }
        draft.promptMessages = "nope"
        guard case .rejected = builder.build(draft) else { Issue.record("expected a rejection"); return }
        draft.promptMessages = #"[{"role":"user","content":"Write to the client"}]"#
        let preference = TrainingExampleBuilder(format: .preference, anonymizer: nil, session: session)
        guard case .notApplicable = preference.build(draft) else { Issue.record("unedited draft makes no pair"); return }
    }
}
