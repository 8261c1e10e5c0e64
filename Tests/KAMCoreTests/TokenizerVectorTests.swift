import Foundation
import Testing

@testable import KAMCore
import KAMResources

/// Every line of tiktoken's test vectors (`../shared/data/tokenizers/vectors.jsonl`) must encode to exactly its ids.
@Suite struct TokenizerVectorTests {
    struct Vector: Decodable {
        var encoding: String
        var text: String
        var ids: [Int]
    }

    /// `/work/main/Tests/KAMCoreTests/<this file>` → `/work/shared/data/tokenizers/vectors.jsonl`.
    static let vectorsURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("shared/data/tokenizers/vectors.jsonl")

    static func loadVectors() throws -> [Vector] {
        guard FileManager.default.fileExists(atPath: vectorsURL.path) else {
            let message =
                "tokenizer vectors not found at \(vectorsURL.path): the shared data folder must sit beside the repo "
                + "(../shared/data/tokenizers/vectors.jsonl)"
            Issue.record(Comment(rawValue: message))
            return []
        }
        let decoder = JSONDecoder()
        return try String(contentsOf: vectorsURL, encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: true)
            .map { try decoder.decode(Vector.self, from: Data($0.utf8)) }
    }

    @Test func everyVectorEncodesExactly() throws {
        let vectors = try Self.loadVectors()
        try #require(!vectors.isEmpty, "no vectors read from \(Self.vectorsURL.path)")
        var checked: [TokenEncoding: Int] = [:]
        var mismatches = 0
        for (line, vector) in vectors.enumerated() {
            let encoding = try TokenEncoding(name: vector.encoding)
            let tokenizer = try Tokenizer(encoding: encoding)
            let ids = tokenizer.encode(vector.text)
            if ids != vector.ids {
                mismatches += 1
                let same = zip(ids, vector.ids).prefix(while: { $0 == $1 }).count
                let message =
                    "vectors.jsonl:\(line + 1) (\(vector.encoding)) differs at token \(same): got "
                    + "\(Array(ids.dropFirst(same).prefix(8))), expected \(Array(vector.ids.dropFirst(same).prefix(8)))"
                    + " for \(vector.text.debugDescription.prefix(200))"
                Issue.record(Comment(rawValue: message))
            }
            #expect(tokenizer.countTokens(vector.text) == vector.ids.count, "count, vectors.jsonl:\(line + 1)")
            #expect(try tokenizer.decode(vector.ids) == vector.text, "decode, vectors.jsonl:\(line + 1)")
            checked[encoding, default: 0] += 1
        }
        print(
            "tokenizer vectors: \(vectors.count - mismatches)/\(vectors.count) exact "
                + "(o200k_base \(checked[.o200kBase] ?? 0), cl100k_base \(checked[.cl100kBase] ?? 0))")
        #expect(mismatches == 0)
        #expect(checked[.o200kBase, default: 0] > 0 && checked[.cl100kBase, default: 0] > 0)
    }
}
