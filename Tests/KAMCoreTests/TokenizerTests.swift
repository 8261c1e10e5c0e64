import Foundation
import Testing

@testable import KAMCore
import KAMResources

@Suite struct TokenizerTests {
    @Test func knownTextsHaveTiktokensIDs() throws {
        // Ids from tiktoken 0.14 (`encode_ordinary`).
        let o200k = try Tokenizer(encoding: .o200kBase)
        let cl100k = try Tokenizer(encoding: .cl100kBase)
        #expect(o200k.encode("hello world") == [24912, 2375])
        #expect(cl100k.encode("hello world") == [15339, 1917])
        #expect(o200k.encode("") == [])
        #expect(cl100k.countTokens("") == 0)
    }

    @Test func contractionsAttachDifferentlyPerEncoding() throws {
        // cl100k splits "'t" off the word; o200k keeps it on (its word alternatives end in an optional contraction).
        let cl100k = try Tokenizer(encoding: .cl100kBase)
        let o200k = try Tokenizer(encoding: .o200kBase)
        let clPieces = try cl100k.encode("don't").map { try cl100k.decode([$0]) }
        #expect(clPieces == ["don", "'t"])
        #expect(o200k.encode("don't").count == 1)
        #expect(try o200k.decode(o200k.encode("DON'T stop")) == "DON'T stop")
    }

    @Test func specialTokenMarkersAreOrdinaryText() throws {
        let tokenizer = try Tokenizer(encoding: .cl100kBase)
        let ids = tokenizer.encode("<|endoftext|>")
        #expect(ids == [27, 91, 8862, 728, 428, 91, 29])  // tiktoken's encode_ordinary; never the special id 100257
        #expect(try tokenizer.decode(ids) == "<|endoftext|>")
    }

    @Test func decodingRoundTripsMixedScripts() throws {
        let text = "Grüße aus Köln 👋🏽 — 東京で会いましょう; שלום\r\n\tx = 12345678 / 3\n\n  end"
        for encoding in TokenEncoding.allCases {
            let tokenizer = try Tokenizer(encoding: encoding)
            let ids = tokenizer.encode(text)
            #expect(try tokenizer.decode(ids) == text)
            #expect(tokenizer.countTokens(text) == ids.count)
            #expect(ids.allSatisfy { $0 >= 0 && $0 < tokenizer.vocabularySize })
        }
    }

    @Test func invalidTokenIDIsAnActionableError() throws {
        let tokenizer = try Tokenizer(encoding: .cl100kBase)
        let error = try #require(throws: TokenizerError.self) { try tokenizer.decode([15339, 999_999]) }
        #expect(error.code == .invalidTokenID)
        #expect(error.message.contains("999999") && error.message.contains("position 1"))
    }

    @Test func longPiecesMergeTheSameWithTheHeap() throws {
        // A piece longer than the heap threshold must give what the array scan gives.
        let text = String(repeating: "中文字母汉语言ab", count: 60)
        for encoding in TokenEncoding.allCases {
            let tokenizer = try Tokenizer(encoding: encoding)
            let bytes = Array(text.utf8)
            #expect(bytes.count > BytePairMerger.heapThreshold)
            var scan = TokenArraySink()
            var heap = TokenArraySink()
            bytes.withUnsafeBufferPointer { buffer in
                BytePairMerger.mergeWithScan(
                    buffer.baseAddress!, count: buffer.count, table: tokenizer.table, into: &scan)
                BytePairMerger.mergeWithHeap(
                    buffer.baseAddress!, count: buffer.count, table: tokenizer.table, into: &heap)
            }
            #expect(scan.tokens == heap.tokens)
            #expect(try tokenizer.decode(heap.tokens) == text)
        }
    }

    @Test func modelsMapToTheirEncodings() throws {
        let map = try ModelEncodingMap.standard()
        #expect(try map.encoding(forModel: "gpt-4o") == .o200kBase)
        #expect(try map.encoding(forModel: "gpt-4o-mini-2024-07-18") == .o200kBase)
        #expect(try map.encoding(forModel: "gpt-4.1-nano") == .o200kBase)
        #expect(try map.encoding(forModel: "o3-mini") == .o200kBase)
        #expect(try map.encoding(forModel: "o4-mini") == .o200kBase)
        #expect(try map.encoding(forModel: "gpt-5-mini") == .o200kBase)
        #expect(try map.encoding(forModel: "ft:gpt-4o-mini:acme::abc123") == .o200kBase)
        #expect(try map.encoding(forModel: "gpt-4") == .cl100kBase)
        #expect(try map.encoding(forModel: "gpt-4-0613") == .cl100kBase)
        #expect(try map.encoding(forModel: "gpt-3.5-turbo-16k") == .cl100kBase)
        #expect(try map.encoding(forModel: "text-embedding-3-small") == .cl100kBase)
        #expect(try Tokenizer(model: "gpt-4o").encoding == .o200kBase)
    }

    @Test func unknownModelsAndEncodingsListWhatIsKnown() throws {
        let model = try #require(throws: TokenizerError.self) { try Tokenizer(model: "claude-sonnet-4") }
        #expect(model.code == .unknownModel)
        #expect(model.message.contains("claude-sonnet-4") && model.message.contains("o200k_base, cl100k_base"))
        let encoding = try #require(throws: TokenizerError.self) { try TokenEncoding(name: "p50k_base") }
        #expect(encoding.code == .unknownEncoding)
        #expect(encoding.message.contains("o200k_base") && encoding.message.contains("cl100k_base"))
    }

    @Test func malformedRankFilesAreRejectedWithTheLine() throws {
        let bad = Data("IQ== 0\nIg== 2\n".utf8)
        let error = try #require(throws: TokenizerError.self) {
            try Tokenizer.binaryRankFile(fromTiktoken: bad, source: "bad.tiktoken")
        }
        #expect(error.code == .malformedRanks)
        #expect(error.message.contains("bad.tiktoken:2"))
        let notBinary = try #require(throws: TokenizerError.self) {
            try RankTable.load(binary: Data("nope".utf8), source: "x.ranks")
        }
        #expect(notBinary.code == .malformedRanks)
    }
}
