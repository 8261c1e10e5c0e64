import Foundation
import Testing

/// The checks CI runs: `kam config check`, `kam prompts check`, `kam schema validate`.
@Suite("kam config, prompts, schema end to end")
struct ConfigPromptsSchemaEndToEndTests {
    @Test("config check on a broken kam.yaml exits 7 with file:line")
    func brokenConfig() async throws {
        let workspace = try Workspace()
        try workspace.write("kam.yaml", "version: 1\nproviders:\n  openai:\n    kind: opnai\n")
        let result = try await workspace.kamWithoutDatabase("config", "check")
        #expect(result.exitCode == 7, "\(result)")
        #expect(result.stderr.contains("kam.yaml:4:"), "\(result)")
        #expect(result.stderr.contains("providers.openai.kind"), "\(result)")

        try workspace.write("other.yaml", "providers:\n  a: [unclosed\n")
        let syntax = try await workspace.kamWithoutDatabase("config", "check", "--config", "other.yaml")
        #expect(syntax.exitCode == 7, "\(syntax)")
        #expect(syntax.stderr.range(of: #"other\.yaml:\d+"#, options: .regularExpression) != nil, "\(syntax)")

        let missing = try await workspace.kamWithoutDatabase("config", "check", "--config", "absent.yaml")
        #expect(missing.exitCode != 0, "\(missing)")
    }

    @Test("a broken kam.yaml in the working directory stops other commands too")
    func brokenConfigStopsCommands() async throws {
        let workspace = try Workspace(copying: try await Seeds.shared.demo())
        try workspace.write("kam.yaml", "version: 1\nproviders:\n  openai:\n    kind: opnai\n")
        let before = try workspace.count("drafts")
        let result = try await workspace.kam("draft", "new", "acme")
        #expect(result.exitCode == 7, "\(result)")
        #expect(try workspace.count("drafts") == before)
    }

    @Test("config check accepts a valid file")
    func validConfig() async throws {
        let workspace = try Workspace()
        try workspace.write("kam.yaml", "version: 1\nproviders:\n  local:\n    kind: openai-compatible\n    base_url: http://127.0.0.1:8080/v1\n")
        let result = try await workspace.kamWithoutDatabase("config", "check")
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout.contains("local"), "\(result)")
    }

    @Test("prompts check passes on the shipped set and lists every prompt")
    func promptsCheck() async throws {
        let workspace = try Workspace()
        let result = try await workspace.kamWithoutDatabase("prompts", "check")
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout.contains("0 errors"), "\(result)")
        let folders = try FileManager.default.contentsOfDirectory(atPath: KAMTool.promptsFolder.path)
            .filter { !$0.hasPrefix(".") }
        #expect(result.stdout.contains("\(folders.count) prompts"), "\(result)")
        let list = try await workspace.kamWithoutDatabase("prompts", "list")
        for folder in folders {
            #expect(list.stdout.contains(folder), "\(folder) missing from: \(list)")
        }
    }

    @Test("prompts check fails on a broken prompt folder")
    func promptsCheckFails() async throws {
        let workspace = try Workspace()
        let folder = workspace.directory.appendingPathComponent("Prompts/draft.broken")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("---\nname: broken\nmodel: [\n---\nuser:\nHello {{#open}}\n".utf8)
            .write(to: folder.appendingPathComponent("1.prompty"))
        let result = try await workspace.kamWithoutDatabase(
            "prompts", "check", "--prompts", workspace.directory.appendingPathComponent("Prompts").path)
        #expect(result.exitCode != 0, "\(result)")
        #expect((result.stdout + result.stderr).contains("1.prompty"), "\(result)")
    }

    @Test("schema validate: 0 when every document is valid, 18 with LINE: POINTER errors, 2 for a bad schema")
    func schemaValidate() async throws {
        let workspace = try Workspace()
        try workspace.write(
            "schema.json", #"{"type":"object","required":["a"],"properties":{"a":{"type":"integer"}}}"#)
        try workspace.write("docs.jsonl", "{\"a\":1}\n{\"a\":\"x\"}\n{}\n")
        let invalid = try await workspace.kamWithoutDatabase("schema", "validate", "docs.jsonl", "--schema", "schema.json")
        #expect(invalid.exitCode == 18, "\(invalid)")
        #expect(invalid.stdout.contains("2: /a:"), "\(invalid)")
        #expect(invalid.stdout.contains("3: "), "\(invalid)")
        #expect(!invalid.stdout.contains("1: "), "\(invalid)")

        let valid = try await workspace.kamWithoutDatabase("schema", "validate", "--schema", "schema.json", input: "{\"a\":1}\n{\"a\":2}\n")
        #expect(valid.exitCode == 0, "\(valid)")

        let cut = try await workspace.kamWithoutDatabase("schema", "validate", "--schema", "schema.json", input: "{\"a\":1\n")
        #expect(cut.exitCode == 18, "\(cut)")

        let noSchema = try await workspace.kamWithoutDatabase("schema", "validate", "docs.jsonl", "--schema", "absent.json")
        #expect(noSchema.exitCode == 2, "\(noSchema)")
        #expect(noSchema.stderr.contains("absent.json"), "\(noSchema)")
    }
}
