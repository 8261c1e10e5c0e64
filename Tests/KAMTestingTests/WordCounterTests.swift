import KAMTesting
import Testing

@Suite("WordCounter")
struct WordCounterTests {
    @Test func countsSpaceSeparatedWords() {
        #expect(WordCounter().countTokens("send the revised quote") == 4)
        #expect(WordCounter().countTokens("  spaced   out  ") == 2)
        #expect(WordCounter().countTokens("") == 0)
    }
}
