import Foundation
import Testing

/// `kam models check` end to end against a server that is not there: the report says what to do and the exit is 21.
/// (The healthy, no-json_schema and slow servers are `ModelCheckTests`; a run against the real local model is in
/// docs/models-check.md.)
@Suite struct ModelsCheckEndToEndTests {
    @Test func anUnreachableServerFailsTheCheckWithExit21AndWhatToDo() async throws {
        let workspace = try Workspace()
        let arguments = [
            "models", "check", "--provider", "openai-compatible", "--base-url", "http://127.0.0.1:9/v1", "--model", "smollm2",
        ]
        let text = try await KAMTool.run(arguments + ["--db", workspace.database.path], in: workspace.directory)
        #expect(text.exitCode == 21, "\(text)")
        #expect(text.stdout.contains("fail     reachable"), "\(text)")
        #expect(text.stdout.contains("tools/local-model"), "the advice names what to do: \(text)")
        #expect(text.stdout.contains("FAILED"), "\(text)")

        let json = try await KAMTool.run(arguments + ["--json", "--db", workspace.database.path], in: workspace.directory)
        #expect(json.exitCode == 21, "\(json)")
        let report = try #require(json.jsonArray?.first, "\(json)")
        #expect(report["model"] as? String == "smollm2")
        let steps = try #require(report["steps"] as? [[String: Any]])
        #expect(steps.first?["status"] as? String == "fail")
        #expect(steps.first?["code"] as? String == "provider.unreachable")
        #expect(steps.dropFirst().allSatisfy { $0["status"] as? String == "skipped" }, "\(steps)")
    }
}
