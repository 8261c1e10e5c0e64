/// A character class over Unicode scalars: ranges, Unicode property tests, optionally negated.
///
/// Membership of ASCII scalars is a bitmap lookup, computed once; other scalars search the sorted
/// ranges and then ask the property tests.
struct ScalarSet: Sendable {
    /// Sorted, non-overlapping, non-adjacent inclusive ranges.
    private(set) var ranges: [ClosedRange<UInt32>] = []
    private(set) var properties: [UnicodePropertyTest] = []
    private(set) var negated = false
    private var asciiLow: UInt64 = 0
    private var asciiHigh: UInt64 = 0

    static let maxScalar: UInt32 = 0x10FFFF

    init(ranges: [ClosedRange<UInt32>] = [], properties: [UnicodePropertyTest] = [], negated: Bool = false) {
        self.ranges = Self.normalized(ranges)
        self.properties = properties
        self.negated = negated
        computeASCII()
    }

    /// The union of several non-negated sets (the members of a `[…]` class).
    init(union members: [ScalarSet], negated: Bool) {
        self.init(
            ranges: members.flatMap(\.ranges), properties: members.flatMap(\.properties), negated: negated)
    }

    private mutating func computeASCII() {
        asciiLow = 0
        asciiHigh = 0
        for c in UInt32(0)..<0x80 where slowContains(c) {
            if c < 64 { asciiLow |= 1 << UInt64(c) } else { asciiHigh |= 1 << UInt64(c - 64) }
        }
    }

    var asciiBitmap: (low: UInt64, high: UInt64) { (asciiLow, asciiHigh) }

    @inline(__always)
    func contains(_ c: UInt32) -> Bool {
        if c < 64 { return (asciiLow >> UInt64(c)) & 1 == 1 }
        if c < 128 { return (asciiHigh >> UInt64(c - 64)) & 1 == 1 }
        return slowContains(c)
    }

    private func slowContains(_ c: UInt32) -> Bool {
        var found = false
        var low = 0
        var high = ranges.count
        while low < high {
            let mid = (low + high) / 2
            if ranges[mid].upperBound < c {
                low = mid + 1
            } else if ranges[mid].lowerBound > c {
                high = mid
            } else {
                found = true
                break
            }
        }
        if !found, !properties.isEmpty, let scalar = Unicode.Scalar(c) {
            found = properties.contains { $0.matches(scalar) }
        }
        return found != negated
    }

    static func normalized(_ input: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        let sorted = input.sorted { $0.lowerBound < $1.lowerBound }
        var out: [ClosedRange<UInt32>] = []
        for r in sorted {
            if let last = out.last, r.lowerBound <= last.upperBound &+ 1 {
                out[out.count - 1] = last.lowerBound...max(last.upperBound, r.upperBound)
            } else {
                out.append(r)
            }
        }
        return out
    }

    static func complement(_ ranges: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        var out: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for r in normalized(ranges) {
            if r.lowerBound > next { out.append(next...(r.lowerBound - 1)) }
            next = r.upperBound &+ 1
            if r.upperBound >= maxScalar { return out }
        }
        if next <= maxScalar { out.append(next...maxScalar) }
        return out
    }

    // MARK: the class escapes

    static let digitRanges: [ClosedRange<UInt32>] = [0x30...0x39]
    static let wordRanges: [ClosedRange<UInt32>] = [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A]
    /// ECMA-262 WhiteSpace and LineTerminator: TAB, VT, FF, SP, NBSP, ZWNBSP, the Space_Separator
    /// category (stable since Unicode 6.3), LF, CR, LS, PS.
    static let spaceRanges: [ClosedRange<UInt32>] = [
        0x09...0x0D, 0x20...0x20, 0xA0...0xA0, 0x1680...0x1680, 0x2000...0x200A, 0x2028...0x2029, 0x202F...0x202F,
        0x205F...0x205F, 0x3000...0x3000, 0xFEFF...0xFEFF,
    ]

    static let digits = ScalarSet(ranges: digitRanges)
    static let nonDigits = ScalarSet(ranges: complement(digitRanges))
    static let word = ScalarSet(ranges: wordRanges)
    static let nonWord = ScalarSet(ranges: complement(wordRanges))
    static let space = ScalarSet(ranges: spaceRanges)
    static let nonSpace = ScalarSet(ranges: complement(spaceRanges))

    /// `.` without the `s` flag: everything but LF, CR, LS and PS.
    @inline(__always)
    static func isLineTerminator(_ c: UInt32) -> Bool {
        c == 0x0A || c == 0x0D || c == 0x2028 || c == 0x2029
    }
}

/// The sets of a program, with their ASCII membership as bitmaps in one flat array.
///
/// Searches test sets in their innermost loop; reading `sets[i]` there copies the struct (and
/// retains its arrays), which profiles showed as half the time of building a DFA state.
struct ScalarSetTable: Sendable {
    let sets: [ScalarSet]
    private let bitmaps: [UInt64]

    init(_ sets: [ScalarSet]) {
        self.sets = sets
        bitmaps = sets.flatMap { [$0.asciiBitmap.low, $0.asciiBitmap.high] }
    }

    @inline(__always)
    func contains(_ set: Int, _ c: UInt32) -> Bool {
        if c < 128 { return (bitmaps[2 &* set &+ Int(c >> 6)] >> UInt64(c & 63)) & 1 == 1 }
        return sets[set].contains(c)
    }
}
