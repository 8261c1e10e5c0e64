import Foundation
import Testing

@testable import KAMCore
import KAMResources

@Suite("Prompt files")
struct PromptFileTests {
    static let valid = """
        ---
        name: Test
        description: A test prompt.
        metadata:
          repairAttempts: 3
          contextTokenBudget: 1200
          outputSchema:
            type: object
            properties:
              answer: {type: string, maxLength: 50}
            required: [answer]
            additionalProperties: false
        model:
          id: gpt-4o-mini
          provider: openai
          options:
            temperature: 0.2
            maxOutputTokens: 300
        inputs:
          - name: client_name
            kind: string
            required: true
        ---
        system:
        Be brief.
        user:
        Hello {{client_name}}.
        """

    func parse(_ text: String, files: [String: String] = [:]) throws -> (PromptTemplate?, [PromptDiagnostic]) {
        let folder = try PromptTestSupport.folder(with: text, files: files)
        defer { PromptTestSupport.remove(folder) }
        return try PromptRegistry(directory: folder).parse(promptID: "test.prompt", version: "1")
    }

    @Test("a valid file loads with its settings, blocks and hash")
    func valid() throws {
        let (template, diagnostics) = try parse(Self.valid)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let loaded = try #require(template)
        #expect(loaded.name == "Test")
        #expect(loaded.repairAttempts == 3)
        #expect(loaded.contextTokenBudget == 1200)
        #expect(loaded.model == PromptModelSettings(id: "gpt-4o-mini", provider: "openai", temperature: 0.2, maxOutputTokens: 300))
        #expect(loaded.inputs == [PromptInput(name: "client_name", kind: .string, required: true)])
        #expect(loaded.outputSchema?["required"] == ["answer"])
        #expect(loaded.blocks.map(\.role) == [.system, .user])
        #expect(loaded.blocks.map(\.line) == [25, 27])
        #expect(loaded.contentHash.count == 64)
        let rendered = try loaded.render(["client_name": "Acme"])
        #expect(rendered.messages == [.system("Be brief."), .user("Hello Acme.")])
    }

    @Test("a YAML error gives the file line and column")
    func yamlError() throws {
        let broken = Self.valid.replacingOccurrences(of: "  repairAttempts: 3", with: "  repairAttempts: [3")
        let (template, diagnostics) = try parse(broken)
        #expect(template == nil)
        let error = try #require(diagnostics.first { $0.code == "prompt.yaml-syntax" })
        #expect(error.file.hasSuffix("test.prompt/1.prompty"))
        #expect(error.line != nil && error.line! >= 5 && error.line! <= 7)
        #expect(error.column != nil)
        #expect(error.description.contains("1.prompty:\(error.line!):\(error.column!): error: YAML:"))
    }

    @Test("a template error gives the file line and column and what was expected")
    func templateError() throws {
        let broken = Self.valid.replacingOccurrences(of: "Hello {{client_name}}.", with: "Hello {{#client_name}}.")
        let (template, diagnostics) = try parse(broken)
        #expect(template == nil)
        let error = try #require(diagnostics.first { $0.code == "prompt.template-syntax" })
        #expect(error.line == 27)
        #expect(error.column == 7)
        #expect(error.message.contains("expected `{{/client_name}}`"))
    }

    @Test("an unknown front-matter key is a warning naming it")
    func unknownKey() throws {
        let text = Self.valid.replacingOccurrences(of: "description: A test prompt.", with: "description: A test prompt.\ntemprature: 0.3")
        let (template, diagnostics) = try parse(text)
        #expect(template != nil)
        let warning = try #require(diagnostics.first { $0.code == "prompt.unknown-key" })
        #expect(warning.severity == .warning)
        #expect(warning.message.contains("`temprature`"))
        #expect(warning.line == 4)
    }

    @Test("a variable used but not declared is an error at its position; declared but unused is a warning")
    func variables() throws {
        let text = Self.valid
            .replacingOccurrences(of: "Hello {{client_name}}.", with: "Hello {{clientname}}.")
        let (template, diagnostics) = try parse(text)
        #expect(template == nil)
        let undeclared = try #require(diagnostics.first { $0.code == "prompt.undeclared-variable" })
        #expect(undeclared.message.contains("`clientname`"))
        #expect(undeclared.line == 27)
        #expect(undeclared.column == 7)
        let unused = try #require(diagnostics.first { $0.code == "prompt.unused-input" })
        #expect(unused.severity == .warning)
        #expect(unused.message.contains("`client_name`"))
    }

    @Test("fields of section items are not taken for undeclared inputs")
    func sectionFields() throws {
        let text = Self.valid
            .replacingOccurrences(of: "    required: true\n", with: "    required: true\n  - name: facts\n    kind: array\n")
            .replacingOccurrences(of: "Hello {{client_name}}.", with: "Hello {{client_name}}.\n{{#facts}}- {{text}}\n{{/facts}}")
        let (template, diagnostics) = try parse(text)
        #expect(template != nil, "\(diagnostics)")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
    }

    @Test("an output schema a strict provider would refuse is an error")
    func strictSchema() throws {
        let text = Self.valid
            .replacingOccurrences(of: "answer: {type: string, maxLength: 50}", with: "answer: {type: string}\n      extra: {type: integer}")
            .replacingOccurrences(of: "    additionalProperties: false\n", with: "")
        let (template, diagnostics) = try parse(text)
        #expect(template == nil)
        let messages = diagnostics.filter { $0.code == "prompt.output-schema" }.map(\.message)
        #expect(messages.contains { $0.contains("additionalProperties: false") })
        #expect(messages.contains { $0.contains("missing extra") })
        #expect(messages.contains { $0.contains("$.answer is free text without `maxLength`") })
    }

    @Test("a schema file next to the prompt is read and counted in the hash")
    func schemaFile() throws {
        let schema = #"{"type":"object","properties":{"a":{"type":"boolean"}},"required":["a"],"additionalProperties":false}"#
        let text = Self.valid.replacingOccurrences(
            of: "  outputSchema:\n    type: object\n    properties:\n      answer: {type: string, maxLength: 50}\n    required: [answer]\n    additionalProperties: false\n",
            with: "  outputSchemaFile: out.schema.json\n")
        let (first, diagnostics) = try parse(text, files: ["out.schema.json": schema])
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(first?.outputSchema?["required"] == ["a"])
        let (second, _) = try parse(text, files: ["out.schema.json": schema + "\n"])
        #expect(first?.contentHash != second?.contentHash)
        let (missing, missingDiagnostics) = try parse(text)
        #expect(missing == nil)
        #expect(missingDiagnostics.contains { $0.code == "prompt.schema-file" && $0.message.contains("out.schema.json") })
    }

    @Test("a body without a role marker, or text before the first, is an error")
    func roleMarkers() throws {
        let text = Self.valid.replacingOccurrences(of: "system:\nBe brief.\n", with: "Be brief.\n")
        let (template, diagnostics) = try parse(text)
        #expect(template == nil)
        #expect(diagnostics.contains { $0.code == "prompt.body" && $0.line == 24 })
    }
}
