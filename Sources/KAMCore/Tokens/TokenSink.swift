/// Receives tokens as they are produced, so counting does not allocate an array.
protocol TokenSink {
    mutating func append(_ rank: UInt32)
    /// Takes the tokens of a piece that is not a token by itself (the byte-pair merge of it).
    mutating func appendMerged(_ piece: UnsafePointer<UInt8>, count: Int, table: RankTable)
}

extension TokenSink {
    mutating func appendMerged(_ piece: UnsafePointer<UInt8>, count: Int, table: RankTable) {
        BytePairMerger.merge(piece, count: count, table: table, into: &self)
    }
}

struct TokenArraySink: TokenSink {
    var tokens: [Int] = []
    @inline(__always) mutating func append(_ rank: UInt32) { tokens.append(Int(rank)) }
}

struct TokenCountSink: TokenSink {
    var count = 0
    @inline(__always) mutating func append(_ rank: UInt32) { count += 1 }

    /// A counted piece's count is remembered by the table, so a piece met again is not merged again.
    mutating func appendMerged(_ piece: UnsafePointer<UInt8>, count length: Int, table: RankTable) {
        count += table.mergeCounts.count(piece, length) {
            var sink = TokenCountSink()
            BytePairMerger.merge(piece, count: length, table: table, into: &sink)
            return sink.count
        }
    }
}
