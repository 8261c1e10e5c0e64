/// A text split once into Unicode scalars and word/number tokens, shared by every detector.
///
/// Detectors work on scalar arrays rather than `String` or regular expressions: on Linux,
/// `NSRegularExpression` is far too slow for the anonymizer's throughput target, and scalar
/// offsets are what the spans report anyway.
struct ScannedText {
    enum Kind: UInt8 { case word, number, symbol, newline }

    struct Token {
        var kind: Kind
        var start: Int
        var end: Int
        /// Whitespace (spaces or tabs, not newlines) directly before the token.
        var spaceBefore: Bool
        /// For words: first letter uppercase.
        var capitalized: Bool
        /// For words: every letter uppercase.
        var allCaps: Bool
    }

    let scalars: [Unicode.Scalar]
    private(set) var tokens: [Token] = []
    /// Each word token lowercased (empty for other tokens), computed once for every detector.
    private(set) var lowers: [String] = []
    /// What the lexicon knows about each word token; filled by ``annotate(with:)``.
    private(set) var flags: [WordFlags] = []

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
        tokenize()
        lowers = tokens.map { $0.kind == .word ? lower($0) : "" }
    }

    /// Looks every word up once in the lexicon's flag table.
    mutating func annotate(with lexicon: NameLexicon) {
        flags = lowers.map { $0.isEmpty ? [] : lexicon.flags(of: $0) }
    }

    private mutating func tokenize() {
        var i = 0
        let n = scalars.count
        var space = false
        tokens.reserveCapacity(n / 4)
        while i < n {
            let c = scalars[i]
            if c == "\n" || c == "\r" {
                tokens.append(Token(kind: .newline, start: i, end: i + 1, spaceBefore: space, capitalized: false, allCaps: false))
                space = false
                i += 1
            } else if Self.isSpace(c) {
                space = true
                i += 1
            } else if Self.isDigit(c) {
                let s = i
                while i < n, Self.isDigit(scalars[i]) { i += 1 }
                tokens.append(Token(kind: .number, start: s, end: i, spaceBefore: space, capitalized: false, allCaps: false))
                space = false
            } else if Self.isLetter(c) {
                let s = i
                var upper = 0
                var letters = 0
                while i < n {
                    let d = scalars[i]
                    if Self.isLetter(d) {
                        letters += 1
                        if Self.isUpper(d) { upper += 1 }
                        i += 1
                    } else if (d == "'" || d == "’" || d == "-") && i + 1 < n && Self.isLetter(scalars[i + 1]) && i > s {
                        // An apostrophe or hyphen between letters stays inside the word (O'Neil, Smith-Jones),
                        // except a possessive 's, which ends the word.
                        if d != "-" && (scalars[i + 1] == "s" || scalars[i + 1] == "S")
                            && (i + 2 >= n || !Self.isLetter(scalars[i + 2]))
                        {
                            break
                        }
                        i += 1
                    } else {
                        break
                    }
                }
                let cap = Self.isUpper(scalars[s])
                tokens.append(
                    Token(
                        kind: .word, start: s, end: i, spaceBefore: space, capitalized: cap,
                        allCaps: cap && upper == letters && letters > 1))
                space = false
            } else {
                tokens.append(Token(kind: .symbol, start: i, end: i + 1, spaceBefore: space, capitalized: false, allCaps: false))
                space = false
                i += 1
            }
        }
    }

    /// Whether the text has letters but no capitals ("my name is andrea"): capitalization then says nothing.
    var isCaseless: Bool {
        var letters = 0
        for token in tokens where token.kind == .word {
            if token.capitalized { return false }
            letters += token.end - token.start
        }
        return letters >= 8
    }

    /// Treats the words `predicate` picks as capitalized, for caseless texts.
    mutating func capitalize(where predicate: (Int) -> Bool) {
        for k in tokens.indices where tokens[k].kind == .word && predicate(k) {
            tokens[k].capitalized = true
        }
    }

    /// Single letters between two capitalized words are initials ("benjamin a seiler").
    mutating func capitalizeInitials() {
        for k in tokens.indices.dropFirst().dropLast() where tokens[k].kind == .word && tokens[k].end - tokens[k].start == 1 {
            let before = tokens[k - 1]
            let after = tokens[k + 1]
            if before.kind == .word, before.capitalized, after.kind == .word, after.capitalized, tokens[k].spaceBefore, after.spaceBefore {
                tokens[k].capitalized = true
            }
        }
    }

    func string(_ start: Int, _ end: Int) -> String {
        let count = end - start
        guard count > 0 else { return "" }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count * 4) { buffer in
            var n = 0
            for i in start..<end {
                let v = scalars[i].value
                if v < 0x80 {
                    buffer[n] = UInt8(v)
                    n += 1
                } else {
                    UTF8.encode(scalars[i]) { byte in
                        buffer[n] = byte
                        n += 1
                    }
                }
            }
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[0..<n]), as: UTF8.self)
        }
    }

    func string(of token: Token) -> String { string(token.start, token.end) }

    /// The token's text, lowercased (for dictionary look-ups).
    func lower(_ token: Token) -> String {
        let length = token.end - token.start
        if length <= 32 {
            // ASCII words (nearly all of them) lowercase through a stack buffer into a small string, without a heap allocation.
            let ascii: String? = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: length) { buffer in
                for i in 0..<length {
                    let v = scalars[token.start + i].value
                    guard v < 0x80 else { return nil }
                    buffer[i] = UInt8(v >= 65 && v <= 90 ? v + 32 : v)
                }
                return String(decoding: UnsafeBufferPointer(rebasing: buffer[0..<length]), as: UTF8.self)
            }
            if let ascii { return ascii }
        }
        var s = String()
        s.unicodeScalars.reserveCapacity(token.end - token.start)
        for i in token.start..<token.end {
            let c = scalars[i]
            if c.value < 0x80 {
                if c.value >= 65 && c.value <= 90 {
                    s.unicodeScalars.append(Unicode.Scalar(c.value + 32)!)
                } else {
                    s.unicodeScalars.append(c)
                }
            } else {
                s.unicodeScalars.append(contentsOf: c.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return s
    }

    /// Whether the token is the single character `c`.
    func isSymbol(_ index: Int, _ c: Unicode.Scalar) -> Bool {
        index >= 0 && index < tokens.count && tokens[index].kind == .symbol && scalars[tokens[index].start] == c
    }

    /// Quote markers at the start of a line in replies and forwarded blocks: "> ", "??? ", "| ", "* ".
    @inline(__always) static func isQuoteMarker(_ c: Unicode.Scalar) -> Bool { c == ">" || c == "?" || c == "|" || c == "*" }

    @inline(__always) static func isPhoneSeparator(_ c: Unicode.Scalar) -> Bool {
        c == "-" || c == "." || c == "(" || c == ")" || c == "/"
    }

    @inline(__always) static func isDigit(_ c: Unicode.Scalar) -> Bool { c.value >= 48 && c.value <= 57 }

    @inline(__always) static func isASCIILetter(_ c: Unicode.Scalar) -> Bool {
        (c.value | 0x20) >= 97 && (c.value | 0x20) <= 122
    }

    @inline(__always) static func isLetter(_ c: Unicode.Scalar) -> Bool {
        if c.value < 0x80 { return isASCIILetter(c) }
        return c.properties.isAlphabetic
    }

    @inline(__always) static func isUpper(_ c: Unicode.Scalar) -> Bool {
        if c.value < 0x80 { return c.value >= 65 && c.value <= 90 }
        return c.properties.isUppercase
    }

    @inline(__always) static func isSpace(_ c: Unicode.Scalar) -> Bool {
        c == " " || c == "\t" || c.value == 0xA0 || c.value == 0x2009 || c.value == 0x202F
    }

    @inline(__always) static func isAlnum(_ c: Unicode.Scalar) -> Bool { isDigit(c) || isASCIILetter(c) }
}
