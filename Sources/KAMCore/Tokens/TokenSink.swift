/// Receives tokens as they are produced, so counting does not allocate an array.
protocol TokenSink {
    mutating func append(_ rank: UInt32)
}

struct TokenArraySink: TokenSink {
    var tokens: [Int] = []
    @inline(__always) mutating func append(_ rank: UInt32) { tokens.append(Int(rank)) }
}

struct TokenCountSink: TokenSink {
    var count = 0
    @inline(__always) mutating func append(_ rank: UInt32) { count += 1 }
}
