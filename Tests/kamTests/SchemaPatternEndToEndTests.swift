import Foundation
import Testing

/// `kam schema validate` with hostile patterns: refused up front, or answered at once, never a hang.
@Suite("kam schema validate, hostile patterns")
struct SchemaPatternEndToEndTests {
    @Test("^(a+)+$ on 10,000 a's and a ! is answered at once (it ran over 120 s before)")
    func catastrophicPattern() async throws {
        let workspace = try Workspace()
        try workspace.write(
            "schema.json",
            #"{"type":"object","properties":{"name":{"pattern":"^(a+)+$"}},"patternProperties":{"(.*a){25}":{"type":"integer"}}}"#)
        let hostile = String(repeating: "a", count: 10_000)
        try workspace.write(
            "docs.jsonl", "{\"name\":\"\(hostile)!\"}\n{\"name\":\"\(hostile)\"}\n{\"\(hostile)\":1}\n{\"\(hostile)\":\"x\"}\n")
        let result = try await workspace.kamWithoutDatabase("schema", "validate", "docs.jsonl", "--schema", "schema.json")
        #expect(result.exitCode == 18, "\(result)")
        #expect(result.stdout.contains("1: /name: string does not match the pattern ^(a+)+$"), "\(result)")
        #expect(!result.stdout.contains("2: "), "\(result)")
        #expect(!result.stdout.contains("3: "), "\(result)")
        #expect(result.stdout.contains("4: /\(hostile): expected integer"), "\(result)")
    }

    @Test("a pattern too large to compile: exit 2, the pattern, its place and schema.pattern-too-complex")
    func tooLarge() async throws {
        let workspace = try Workspace()
        try workspace.write("schema.json", #"{"properties":{"id":{"pattern":"(a{1000}){1000}"}}}"#)
        let result = try await workspace.kamWithoutDatabase("schema", "validate", "--schema", "schema.json", input: "{\"id\":\"a\"}\n")
        #expect(result.exitCode == 2, "\(result)")
        #expect(result.stderr.contains("schema.pattern-too-complex"), "\(result)")
        #expect(result.stderr.contains("#/properties/id/pattern"), "\(result)")
        #expect(result.stderr.contains("(a{1000}){1000}"), "\(result)")
    }

    @Test("a backreference pattern that runs out of steps makes the document invalid with schema.pattern-too-complex")
    func stepBudget() async throws {
        let workspace = try Workspace()
        try workspace.write("schema.json", #"{"properties":{"id":{"not":{"pattern":"^(a+)+\\1$"}}}}"#)
        let input = "{\"id\":\"\(String(repeating: "a", count: 5_000))!\"}\n{\"id\":\"abc\"}\n"
        let result = try await workspace.kamWithoutDatabase("schema", "validate", "--schema", "schema.json", input: input)
        #expect(result.exitCode == 18, "\(result)")
        #expect(result.stdout.contains("1: /id: cannot check the pattern ^(a+)+\\1$ at /properties/id/not/pattern"), "\(result)")
        #expect(result.stdout.contains("[schema.pattern-too-complex] (pattern)"), "\(result)")
        #expect(!result.stdout.contains("2: "), "\(result)")
    }
}
