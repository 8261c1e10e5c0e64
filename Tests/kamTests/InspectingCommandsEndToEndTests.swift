import Foundation
import Testing

/// Commands that inspect files (the prompt catalogue, `config check`) never create a database, and a
/// broken `kam.yaml` does not stop the prompt catalogue (it calls no model); with a database they read it.
@Suite("kam prompts and config check: no database created")
struct InspectingCommandsEndToEndTests {
    @Test("prompts list, show, diff, check, render and config check leave no kam.sqlite behind")
    func noDatabaseCreated() async throws {
        let workspace = try Workspace()
        try workspace.write("kam.yaml", "version: 1\nproviders:\n  openai:\n    kind: opnai\n")
        for arguments in [
            ["prompts", "list"], ["prompts", "show", "draft.check-in"], ["prompts", "diff", "draft.check-in", "1", "1"],
            ["prompts", "check"],
        ] {
            let result = try await KAMTool.run(arguments, in: workspace.directory)
            #expect(result.exitCode == 0, "\(arguments): \(result)")
        }
        let render = try await workspace.kam("prompts", "render", "draft.check-in", "--client", "acme")
        #expect(render.exitCode == 4, "\(render)")
        #expect(render.stderr.contains("no client matches 'acme'"), "\(render)")
        let config = try await workspace.kamWithoutDatabase("config", "check")
        #expect(config.exitCode == 7, "\(config)")
        #expect(!FileManager.default.fileExists(atPath: workspace.database.path))
    }

    @Test("prompts render --client reads the database when there is one")
    func renderReadsTheDatabase() async throws {
        let workspace = try Workspace(copying: try await Seeds.shared.demo())
        let result = try await workspace.kam("prompts", "render", "draft.check-in", "--client", "acme", "--text")
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout.contains("Acme Manufacturing"), "\(result)")
    }
}
