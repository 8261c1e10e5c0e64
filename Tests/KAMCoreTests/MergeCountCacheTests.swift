import Testing

@testable import KAMCore
import KAMResources

/// `Tokenizer.countTokens` remembers the counts of merged pieces per rank table; a count read back must be the
/// count of exactly those bytes.
@Suite struct MergeCountCacheTests {
    @Test func countsMadeFromRememberedPiecesEqualTheEncoding() throws {
        // Pieces that need the merge (markup, ids, addresses, made-up words), pieces that differ only in one byte
        // or in length, and one longer than the cache keeps.
        var texts = [
            "<untrusted source=\"activity:42\">From: Kestrel Quartzline\nSubject: Renewal</untrusted>\n",
            "zxqvwkj zxqvwkk zxqvwk zxqvwkjj", "ana.berg@client-00042.example ana.berg@client-00043.example",
            String(repeating: "qzxv", count: 20), "Grüße aus Köln — 東京で会いましょう",
        ]
        for index in 0..<200 { texts.append("- item \(index): <untrusted source=\"x:\(index * 7919)\">Zyrq\(index)</untrusted>\n") }
        for encoding in TokenEncoding.allCases {
            let tokenizer = try Tokenizer(encoding: encoding)
            for round in 0..<3 {
                for text in texts {
                    #expect(tokenizer.countTokens(text) == tokenizer.encode(text).count, "\(encoding) round \(round): \(text)")
                }
            }
        }
    }

    @Test func aPieceLongerThanTheCacheIsCountedEveryTime() {
        let cache = MergeCountCache()
        var merges = 0
        let long = [UInt8](repeating: 0x61, count: MergeCountCache.maxLength + 1)
        let short = [UInt8](repeating: 0x61, count: MergeCountCache.maxLength)
        for _ in 0..<3 {
            _ = long.withUnsafeBufferPointer { cache.count($0.baseAddress!, $0.count) { merges += 1; return 7 } }
        }
        #expect(merges == 3)
        for _ in 0..<3 {
            #expect(short.withUnsafeBufferPointer { cache.count($0.baseAddress!, $0.count) { merges += 1; return 5 } } == 5)
        }
        #expect(merges == 4)
    }
}
