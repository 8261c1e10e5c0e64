import Foundation
import KAMCore
import KAMProviders
import Testing

/// The offline answer to `analysis.inbound-email` reads the email itself and stays schema-valid.
@Suite struct OfflineEmailAnalysisTests {
    func analyse(subject: String, body: String, schemaFile: String = "output.schema.json") async throws -> InboundEmailAnalysis {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Prompts/analysis.inbound-email")
        let schema = try JSONParser().parse(String(contentsOf: folder.appendingPathComponent(schemaFile), encoding: .utf8))
        let request = ChatRequest(
            model: "offline", messages: [.user("analyse")], outputSchema: schema,
            metadata: [
                "prompt_id": "analysis.inbound-email",
                "variables": ["client_name": "Acme", "email_subject": .string(subject), "email_body": .string(body)],
            ])
        let response = try await OfflineProvider().complete(request)
        let check = OutputValidator<InboundEmailAnalysis>(schema: try JSONSchema(schema)).check(response.text)
        #expect(check.issues.isEmpty, "\(check.issues)")
        return try #require(check.value)
    }

    @Test func version2ReadsObjectionsAndNamedCompetitorsVersion1LeavesThemOut() async throws {
        let body = "Honestly the renewal is too expensive and we are switching to Initrode, or going with Hooli Cloud. Not now."
        let v2 = try await analyse(subject: "Renewal", body: body, schemaFile: "output.v2.schema.json")
        #expect(v2.objections.map { "\($0.kind.rawValue): \($0.quote)" } == ["price: too expensive", "timing: not now"])
        #expect(v2.competitors == ["Initrode", "Hooli Cloud"])
        #expect(v2.findings.map(\.sources) == Array(repeating: [.model], count: 4))
        let v1 = try await analyse(subject: "Renewal", body: body)
        #expect(v1.objections.isEmpty && v1.competitors.isEmpty, "version 1's schema has neither field")
    }

    @Test func requestWithDeadlineBecomesActionItemsAndDeliverables() async throws {
        let a = try await analyse(
            subject: "Quote for 200 sensor kits",
            body: "Hi team, could you send us a quote for 200 sensor kits by Friday? Also please include delivery lead times.")
        #expect(a.intent == .request)
        #expect(a.actionItems.count == 2)
        #expect(a.actionItems.first?.dueHint == "by friday")
        #expect(a.actionItems.first?.description.hasPrefix("Send us a quote") == true)
        #expect(a.requestedDeliverables.contains("quote"))
        #expect(a.urgency == .medium)
    }

    @Test func angryRepeatIsAComplaint() async throws {
        let a = try await analyse(
            subject: "Late delivery again",
            body: "The pallets promised for Monday arrived on Thursday. This is the third time. This is unacceptable.")
        #expect(a.intent == .complaint)
        #expect(a.sentimentScore < 0)
        #expect(a.urgency == .high)
    }

    @Test func thanksWithoutAskIsFeedbackWithNoActions() async throws {
        let a = try await analyse(subject: "Great launch", body: "Thank you for the great work on the rollout, the team loved it.")
        #expect(a.intent == .feedback)
        #expect(a.actionItems.isEmpty)
        #expect(a.sentimentScore > 0)
        #expect(a.urgency == .low)
    }
}
