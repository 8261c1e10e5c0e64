import Foundation
import Testing

@Suite struct ExitCodesEndToEndTests {
    struct Row: Decodable { var code: Int32; var name: String; var meaning: String }

    @Test func everyExitCodeHasOneMeaningAndTheReadmeListsItsMeaning() async throws {
        let workspace = try Workspace()
        let result = try await workspace.kamWithoutDatabase("exit-codes", "--json")
        #expect(result.exitCode == 0, "\(result)")
        let rows = try JSONDecoder().decode([Row].self, from: Data(result.stdout.utf8))
        #expect(rows.count >= 20)
        #expect(Set(rows.map(\.code)).count == rows.count, "a value used twice: \(rows.map(\.code))")
        #expect(Set(rows.map(\.meaning)).count == rows.count, "a meaning listed twice")
        let readme = try String(
            contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("README.md"), encoding: .utf8)
        for row in rows {
            #expect(readme.contains("| \(row.code) | \(row.meaning) |"), "README lacks exit code \(row.code)")
        }
    }
}
