/// Reads scalars out of valid UTF-8 (Swift strings always are) and matches the two patterns' alternatives.
struct ScalarScanner {
    let text: UnsafeBufferPointer<UInt8>

    /// The class and byte length of the scalar at `index`; `.end` at or past the end.
    @inline(__always)
    func scalar(at index: Int) -> (ScalarClass, Int) {
        guard index < text.count else { return (.end, 0) }
        let byte = text[index]
        if byte < 0x80 {
            switch byte {
            case 0x61...0x7A: return (.lowercase, 1)
            case 0x41...0x5A: return (.uppercase, 1)
            case 0x30...0x39: return (.number, 1)
            case 0x20, 0x09, 0x0B, 0x0C: return (.space, 1)
            case 0x0A, 0x0D: return (.lineBreak, 1)
            default: return (.other, 1)
            }
        }
        return nonASCIIScalar(at: index, lead: byte)
    }

    @inline(never)
    func nonASCIIScalar(at index: Int, lead: UInt8) -> (ScalarClass, Int) {
        var value: UInt32
        let length: Int
        if lead < 0xE0 {
            length = 2
            value = UInt32(lead & 0x1F)
        } else if lead < 0xF0 {
            length = 3
            value = UInt32(lead & 0x0F)
        } else {
            length = 4
            value = UInt32(lead & 0x07)
        }
        for offset in 1..<length { value = value << 6 | UInt32(text[index + offset] & 0x3F) }
        if value < 0x10000 { return (ScalarScanner.basicPlane[Int(value)], length) }
        return (ScalarScanner.classify(value), length)
    }

    /// The class of every scalar of the Basic Multilingual Plane, built on first use (about 3 ms).
    ///
    /// Unicode property lookups were a third of the time on non-Latin text; this table makes them one load.
    static let basicPlane: [ScalarClass] = (0..<0x10000).map { classify(UInt32($0)) }

    static func classify(_ value: UInt32) -> ScalarClass {
        guard let scalar = Unicode.Scalar(value) else { return .other }
        let properties = scalar.properties
        if properties.isWhitespace { return .space }
        // tiktoken's regex crate classifies with Unicode 16.0 tables; a scalar assigned later is unassigned (Cn) there.
        guard let age = properties.age, age.major < 16 || (age.major == 16 && age.minor == 0) else { return .other }
        switch properties.generalCategory {
        case .uppercaseLetter: return .uppercase
        case .lowercaseLetter: return .lowercase
        case .titlecaseLetter: return .titlecase
        case .modifierLetter: return .modifier
        case .otherLetter: return .otherLetter
        case .nonspacingMark, .spacingMark, .enclosingMark: return .mark
        case .decimalNumber, .letterNumber, .otherNumber: return .number
        default: return .other
        }
    }

    /// The end of a run of scalars satisfying `accept`, starting at `index`.
    @inline(__always)
    func run(from index: Int, while accept: (ScalarClass) -> Bool) -> Int {
        var end = index
        while true {
            let (kind, length) = scalar(at: end)
            guard accept(kind) else { return end }
            end += length
        }
    }

    /// `(?i:'s|'t|'re|'ve|'m|'ll|'d)` at `index`: the end of the contraction, or nil.
    @inline(__always)
    func contractionEnd(_ index: Int) -> Int? {
        guard index + 1 < text.count, text[index] == UInt8(ascii: "'") else { return nil }
        let first = text[index + 1] | 0x20  // ASCII lower-casing; only letters are compared below
        let second: UInt8 = index + 2 < text.count ? text[index + 2] | 0x20 : 0
        switch first {
        case UInt8(ascii: "s"), UInt8(ascii: "t"), UInt8(ascii: "m"), UInt8(ascii: "d"): return index + 2
        case UInt8(ascii: "r"), UInt8(ascii: "v"): return second == UInt8(ascii: "e") ? index + 3 : nil
        case UInt8(ascii: "l"): return second == UInt8(ascii: "l") ? index + 3 : nil
        case 0xE5 where text[index + 1] == 0xC5 && index + 2 < text.count && text[index + 2] == 0xBF:
            return index + 3  // U+017F LATIN SMALL LETTER LONG S folds to s
        default: return nil
        }
    }

    /// `\s*[\r\n]+|\s+(?!\S)|\s+` at `index`, where a whitespace scalar starts.
    @inline(__always)
    func whitespaceEnd(_ index: Int) -> Int {
        var end = index
        var lastLineBreak = -1
        var lastStart = index
        var scalars = 0
        while true {
            let (kind, length) = scalar(at: end)
            guard kind.isWhitespace else { break }
            if kind == .lineBreak { lastLineBreak = end }
            lastStart = end
            end += length
            scalars += 1
        }
        // `\s*[\r\n]+`: \s* backs off until the last \r or \n of the run.
        if lastLineBreak >= 0 { return lastLineBreak + 1 }
        // `\s+(?!\S)`: the whole run at the end of text, else all but its last scalar (which then precedes \S).
        if end == text.count { return end }
        if scalars >= 2 { return lastStart }
        // `\s+`
        return end
    }

    /// The end of the cl100k_base piece starting at `index`.
    func cl100kEnd(_ index: Int) -> Int {
        if let end = contractionEnd(index) { return end }
        let (first, firstLength) = scalar(at: index)
        // `[^\r\n\p{L}\p{N}]?\p{L}+`
        if first.isLetter { return run(from: index + firstLength) { $0.isLetter } }
        if first.isWordPrefix {
            let (second, secondLength) = scalar(at: index + firstLength)
            if second.isLetter { return run(from: index + firstLength + secondLength) { $0.isLetter } }
        }
        // `\p{N}{1,3}`
        if first == .number { return numberEnd(index + firstLength) }
        // ` ?[^\s\p{L}\p{N}]+[\r\n]*`
        if let end = punctuationEnd(index, allowSlash: false) { return end }
        return whitespaceEnd(index)
    }

    /// The end of the o200k_base piece starting at `index`.
    func o200kEnd(_ index: Int) -> Int {
        let (first, firstLength) = scalar(at: index)
        // Alternative 1, with then without the optional prefix scalar; then alternative 2 the same way.
        if first.isWordPrefix, let end = lowerWordEnd(index + firstLength) { return end }
        if first.isLetterOrMark, let end = lowerWordEnd(index) { return end }
        if first.isWordPrefix, let end = upperWordEnd(index + firstLength) { return end }
        if first.isLetterOrMark, let end = upperWordEnd(index) { return end }
        if first == .number { return numberEnd(index + firstLength) }
        // ` ?[^\s\p{L}\p{N}]+[\r\n/]*`
        if let end = punctuationEnd(index, allowSlash: true) { return end }
        return whitespaceEnd(index)
    }

    /// `\p{N}{1,3}` after its first scalar.
    @inline(__always)
    func numberEnd(_ afterFirst: Int) -> Int {
        var end = afterFirst
        for _ in 0..<2 {
            let (kind, length) = scalar(at: end)
            guard kind == .number else { break }
            end += length
        }
        return end
    }

    /// ` ?[^\s\p{L}\p{N}]+` then `[\r\n]*` (cl100k) or `[\r\n/]*` (o200k); nil when it does not match at `index`.
    @inline(__always)
    func punctuationEnd(_ index: Int, allowSlash: Bool) -> Int? {
        let start = text[index] == 0x20 ? index + 1 : index
        let (kind, length) = scalar(at: start)
        guard kind.isPunctuation else { return nil }
        var end = run(from: start + length) { $0.isPunctuation }
        while end < text.count {
            let byte = text[end]
            guard byte == 0x0A || byte == 0x0D || (allowSlash && byte == UInt8(ascii: "/")) else { break }
            end += 1
        }
        return end
    }

    /// `[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|…)?` at `start`, or nil.
    @inline(__always)
    func lowerWordEnd(_ start: Int) -> Int? {
        var end = start
        var afterLastShared = -1  // end of the last Lm/Lo/M in the upper run: where W+ can take over on backtrack
        var kind: ScalarClass
        while true {
            let (next, length) = scalar(at: end)
            kind = next
            guard next.isUpperRun else { break }
            end += length
            if next.isLowerRun { afterLastShared = end }
        }
        let wordEnd: Int
        if kind == .lowercase {
            wordEnd = run(from: end) { $0.isLowerRun }  // the greedy upper run stands; W+ runs on
        } else if afterLastShared >= 0 {
            wordEnd = afterLastShared  // upper run gives back its last shared scalar to W+
        } else {
            return nil
        }
        return contractionEnd(wordEnd) ?? wordEnd
    }

    /// `[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|…)?` at `start`, or nil.
    @inline(__always)
    func upperWordEnd(_ start: Int) -> Int? {
        let upperEnd = run(from: start) { $0.isUpperRun }
        guard upperEnd > start else { return nil }
        let wordEnd = scalar(at: upperEnd).0 == .lowercase ? run(from: upperEnd) { $0.isLowerRun } : upperEnd
        return contractionEnd(wordEnd) ?? wordEnd
    }
}
