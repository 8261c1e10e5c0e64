import Foundation

/// Exact token counts and ids for OpenAI's byte-pair encodings, matching tiktoken token for token.
///
/// Text is cut into pieces by `PreTokenizer` (tiktoken's regular expressions, written out by hand), each piece is
/// looked up whole in the `RankTable`, and only pieces that are not a token themselves go through the byte-pair merge
/// loop. Rank tables (loaded by KAMResources) load once per process and are shared by every tokenizer of the same encoding, so a `Tokenizer` is
/// a cheap value to create and pass around.
public struct Tokenizer: TokenCounting {
    public let encoding: TokenEncoding
    let table: RankTable
    let preTokenizer: PreTokenizer

    /// A tokenizer for `encoding` over its rank table (`RankTable.load(binary:source:)`); the shipped tables are
    /// loaded, once per process, by KAMResources' `Tokenizer(encoding:)` and `Tokenizer(model:)`.
    public init(encoding: TokenEncoding, table: RankTable) {
        self.encoding = encoding
        self.table = table
        self.preTokenizer = PreTokenizer(pattern: encoding == .cl100kBase ? .cl100k : .o200k)
    }

    /// The number of tokens in the text's vocabulary, the largest id plus one.
    public var vocabularySize: Int { table.count }

    /// The token ids of `text`, special-token markers such as `<|endoftext|>` being encoded as plain text.
    public func encode(_ text: String) -> [Int] {
        var sink = TokenArraySink()
        sink.tokens.reserveCapacity(text.utf8.count / 4 + 1)
        Tokenizer.withUTF8(text) { encode($0, into: &sink) }
        return sink.tokens
    }

    /// The number of tokens `encode(text)` would return, without building the array.
    public func countTokens(_ text: String) -> Int {
        var sink = TokenCountSink()
        Tokenizer.withUTF8(text) { encode($0, into: &sink) }
        return sink.count
    }

    /// True for both encodings: their pre-tokenizers (`PreTokenizer`) never make a piece that runs from a line's
    /// final `\n` into a next line starting with a non-blank other than `/` (a piece holding a newline is blanks only,
    /// or punctuation followed by newlines, and only o200k's takes a `/` after them), and merges stay inside a piece.
    public var countsAddUpOverWholeLines: Bool { true }

    /// The bytes the tokens stand for; a token may end inside a UTF-8 sequence, so these need not be valid text.
    ///
    /// - Throws: `TokenizerError` `.invalidTokenID` naming the first id outside the vocabulary and its position.
    public func decodeBytes(_ tokens: [Int]) throws -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(tokens.count * 4)
        for (position, token) in tokens.enumerated() {
            guard token >= 0, token < table.count else {
                throw TokenizerError(
                    code: .invalidTokenID,
                    message: "token id \(token) at position \(position) is not in \(encoding.rawValue) "
                        + "(ids run from 0 to \(table.count - 1)); check the ids were made with this encoding")
            }
            let rank = UInt32(token)
            bytes.append(contentsOf: UnsafeBufferPointer(start: table.pointer(to: rank), count: table.length(of: rank)))
        }
        return bytes
    }

    /// The text the tokens stand for; bytes that are not valid UTF-8 become U+FFFD, as tiktoken's `decode` does.
    ///
    /// - Throws: `TokenizerError` `.invalidTokenID` as `decodeBytes(_:)`.
    public func decode(_ tokens: [Int]) throws -> String {
        String(decoding: try decodeBytes(tokens), as: UTF8.self)
    }

    /// Converts tiktoken's `.tiktoken` text (base64 token and rank per line) into the binary rank file KAMCore bundles.
    ///
    /// - Throws: `TokenizerError` `.malformedRanks` naming `source` and the line that is not `<base64> <rank>`.
    public static func binaryRankFile(fromTiktoken text: Data, source: String) throws -> Data {
        try RankTable.binaryRankFile(fromTiktoken: text, source: source)
    }

    @inline(__always)
    static func withUTF8<Result>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        var text = text
        return text.withUTF8(body)
    }

    /// Pre-tokenizes and encodes valid UTF-8, handing each token to `sink`.
    func encode<Sink: TokenSink>(_ text: UnsafeBufferPointer<UInt8>, into sink: inout Sink) {
        guard let base = text.baseAddress else { return }
        var index = 0
        while index < text.count {
            let end = preTokenizer.pieceEnd(text, from: index)
            let rank = table.rank(base + index, end - index)
            if rank != RankTable.absent {
                sink.append(rank)
            } else {
                sink.appendMerged(base + index, count: end - index, table: table)
            }
            index = end
        }
    }
}
