import Foundation
import Testing

/// `kam tokens` against values computed with tiktoken.
@Suite("kam tokens end to end")
struct TokensEndToEndTests {
    @Test(
        "count and encode match tiktoken",
        arguments: [
            ("o200k_base", "hello world", [24912, 2375]),
            ("cl100k_base", "hello world", [15339, 1917]),
            ("cl100k_base", "tiktoken is great!", [83, 1609, 5963, 374, 2294, 0]),
        ])
    func countAndEncode(encoding: String, text: String, ids: [Int]) async throws {
        let workspace = try Workspace()
        let encoded = try await workspace.kamWithoutDatabase("tokens", "encode", "--encoding", encoding, input: text)
        #expect(encoded.exitCode == 0, "\(encoded)")
        #expect((try encoded.json()) as? [Int] == ids, "\(encoded)")
        let counted = try await workspace.kamWithoutDatabase("tokens", "count", "--encoding", encoding, input: text)
        #expect(counted.exitCode == 0, "\(counted)")
        #expect(counted.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == String(ids.count), "\(counted)")
    }

    @Test("a model name picks its encoding, from a file argument")
    func modelPicksEncoding() async throws {
        let workspace = try Workspace()
        let file = try workspace.write("text.txt", "hello world")
        let gpt4 = try await workspace.kamWithoutDatabase("tokens", "encode", "--model", "gpt-4", file.path)
        #expect((try gpt4.json()) as? [Int] == [15339, 1917], "\(gpt4)")
        let gpt4o = try await workspace.kamWithoutDatabase("tokens", "encode", "--model", "gpt-4o", file.path)
        #expect((try gpt4o.json()) as? [Int] == [24912, 2375], "\(gpt4o)")
    }
}
