import Foundation
import Testing

@testable import KAMCore
import KAMResources

/// A prompt file whose output schema has a pattern that cannot run is refused when it is loaded, not on its first call.
@Suite("SchemaPromptPattern")
struct SchemaPromptPatternTests {
    static func prompt(pattern: String) -> String {
        """
        ---
        name: Test
        description: A test prompt.
        metadata:
          outputSchema:
            type: object
            properties:
              answer: {type: string, maxLength: 50, pattern: '\(pattern)'}
            required: [answer]
            additionalProperties: false
        inputs:
          - name: client_name
            kind: string
            required: true
        ---
        user:
        Hello {{client_name}}.
        """
    }

    func diagnostics(pattern: String) throws -> [PromptDiagnostic] {
        let folder = try PromptTestSupport.folder(with: Self.prompt(pattern: pattern))
        defer { PromptTestSupport.remove(folder) }
        return try PromptRegistry(directory: folder).parse(promptID: "test.prompt", version: "1").1
    }

    @Test("a pattern too large to compile is an output-schema error naming the pattern, its place and the code")
    func tooLarge() throws {
        let errors = try diagnostics(pattern: "^(a{1000}){1000}$").filter { $0.severity == .error }
        #expect(errors.count == 1, "\(errors)")
        let message = try #require(errors.first).description
        #expect(message.contains("1.prompty:"), "\(message)")
        #expect(message.contains("schema.pattern-too-complex"), "\(message)")
        #expect(message.contains("#/properties/answer/pattern"), "\(message)")
        #expect(message.contains("(a{1000}){1000}"), "\(message)")
    }

    @Test("a pattern that is not ECMA-262 is an output-schema error")
    func invalid() throws {
        let errors = try diagnostics(pattern: "^(unclosed$").filter { $0.severity == .error }
        #expect(errors.map(\.code) == ["prompt.output-schema"], "\(errors)")
        #expect(errors.first?.message.contains("schema.invalid-pattern") == true, "\(errors)")
    }

    @Test("a catastrophic but linear pattern loads and checks a hostile answer at once")
    func catastrophicLoads() throws {
        #expect(try diagnostics(pattern: "^(a+)+$").filter { $0.severity == .error }.isEmpty)
        let schema = try JSONSchema(["type": "object", "properties": ["answer": ["pattern": "^(a+)+$"]]])
        let issues = schema.validate(["answer": .string(String(repeating: "a", count: 10_000) + "!")])
        #expect(issues.map(\.keywordLocation) == ["/properties/answer/pattern"])
    }
}
