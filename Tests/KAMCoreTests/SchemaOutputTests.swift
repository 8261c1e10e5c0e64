import Testing

@testable import KAMCore

@Suite("SchemaOutput")
struct SchemaOutputTests {
    struct Email: Decodable, Sendable, Equatable {
        var subject: String
        var body: String
    }

    static let validator: OutputValidator<Email> = {
        let schema = try! JSONSchema([
            "type": "object", "required": ["subject", "body"],
            "properties": ["subject": ["type": "string"], "body": ["type": "string", "maxLength": 1200]],
        ])
        return OutputValidator<Email>(schema: schema)
    }()

    @Test func validAnswerDecodes() {
        let check = Self.validator.check(#"{"subject": "Renewal", "body": "Dear Ana, ..."}"#)
        #expect(check.value == Email(subject: "Renewal", body: "Dear Ana, ..."))
        #expect(check.issues.isEmpty)
    }

    @Test func fencedAnswerIsAccepted() {
        let check = Self.validator.check("```json\n{\"subject\": \"a\", \"body\": \"b\"}\n```\n")
        #expect(check.value == Email(subject: "a", body: "b"))
    }

    @Test func cutOffAnswerIsInvalidNotACrash() {
        let text = #"{"subject": "Renewal", "body": "Dear Ana, thank you for the visit on Tuesday. We have"#
        guard case .invalid(let issues, let raw) = Self.validator.check(text) else {
            Issue.record("a cut-off answer must be invalid")
            return
        }
        #expect(raw == text)
        #expect(issues.count == 1)
        #expect(issues[0].keyword == "json")
        #expect(issues[0].message.contains("cut off"))
    }

    @Test func schemaViolationsBecomeARepairMessage() {
        let text = #"{"subject": 5, "body": "\#(String(repeating: "x", count: 1300))"}"#
        let check = Self.validator.check(text)
        #expect(!check.isValid)
        let message = RepairMessage.text(for: check.issues)
        #expect(message.hasPrefix("Your answer did not match the schema:"))
        #expect(message.contains("- /body: string is longer than 1200 characters: it has 1300 (maxLength)"))
        #expect(message.contains("- /subject: expected string but found integer (type)"))
    }

    @Test func repairMessageIsCutAtTheLimit() {
        let issues = (0..<30).map { ValidationIssue(instanceLocation: "/\($0)", keywordLocation: "", keyword: "type", message: "m") }
        let message = RepairMessage.text(for: issues, limit: 5)
        #expect(message.contains("- … and 25 more"))
        #expect(!message.contains("/5:"))
    }

    @Test func typeMismatchTheSchemaAllowsIsAnIssue() {
        let loose = OutputValidator<Email>(schema: try! JSONSchema(["type": "object"]))
        guard case .invalid(let issues, _) = loose.check(#"{"subject": "a"}"#) else {
            Issue.record("a missing member must be invalid")
            return
        }
        #expect(issues.first?.keyword == "decode")
        #expect(issues.first?.message.contains("'body'") == true)
    }
}
