/// Parses an ECMA-262 pattern with the `u` flag's syntax, as JSON Schema's `pattern` means it.
///
/// Hand-written because no library on the machine parses ECMA-262 into a tree a linear-time engine
/// can use (Swift's `Regex` only runs its own backtracking matcher). It accepts the `u`-mode
/// grammar, plus two harmless Annex B habits: a lone `]` or `}` is a literal, and any ASCII
/// punctuation may be escaped. Everything else that `u` mode rejects is an error here too, so a
/// pattern never means something other than what its author wrote.
struct RegexParser {
    let pattern: String
    let source: [UInt32]
    var index = 0
    var captureCount = 0
    var groupNames: [String: Int] = [:]
    var namedReferences: [(name: String, offset: Int)] = []
    var numberedReferences: [(number: Int, offset: Int)] = []
    var depth = 0

    /// Groups nested deeper than this are refused (the parser and compilers recurse once per level).
    static let maxNesting = 200

    init(_ pattern: String) {
        self.pattern = pattern
        self.source = pattern.unicodeScalars.map(\.value)
    }

    /// The tree and the number of capturing groups.
    static func parse(_ pattern: String) throws(RegexError) -> (node: RegexNode, captures: Int) {
        var parser = RegexParser(pattern)
        let node = try parser.disjunction()
        if parser.index < parser.source.count {
            // Only a `)` stops a top-level disjunction early.
            throw parser.error("unmatched ')'; escape it as \\) for a literal parenthesis", at: parser.index)
        }
        try parser.resolveReferences()
        return (parser.resolvingNames(node), parser.captureCount)
    }

    // MARK: errors

    func error(_ message: String, at offset: Int? = nil, code: RegexError.Code = .syntax) -> RegexError {
        RegexError(code: code, message: message, pattern: pattern, offset: offset ?? index)
    }

    // MARK: scanning

    var atEnd: Bool { index >= source.count }

    func peek(_ ahead: Int = 0) -> UInt32? {
        index + ahead < source.count ? source[index + ahead] : nil
    }

    func peek(is character: Unicode.Scalar, _ ahead: Int = 0) -> Bool {
        peek(ahead) == character.value
    }

    mutating func take(_ character: Unicode.Scalar) -> Bool {
        guard peek(is: character) else { return false }
        index += 1
        return true
    }

    // MARK: disjunction, alternative, term

    mutating func disjunction() throws(RegexError) -> RegexNode {
        var options = [try alternative()]
        while take("|") { options.append(try alternative()) }
        return options.count == 1 ? options[0] : .alternation(options)
    }

    mutating func alternative() throws(RegexError) -> RegexNode {
        var items: [RegexNode] = []
        while let c = peek(), c != UInt32(ascii: "|"), c != UInt32(ascii: ")") {
            items.append(try term())
        }
        switch items.count {
        case 0: return .empty
        case 1: return items[0]
        default: return .concatenation(items)
        }
    }

    mutating func term() throws(RegexError) -> RegexNode {
        let start = index
        let capturesBefore = captureCount
        let c = source[index]
        let atom: RegexNode
        var quantifiable = true
        switch c {
        case UInt32(ascii: "^"):
            index += 1
            atom = .assertion(.start)
            quantifiable = false
        case UInt32(ascii: "$"):
            index += 1
            atom = .assertion(.end)
            quantifiable = false
        case UInt32(ascii: "\\") where peek(is: "b", 1) || peek(is: "B", 1):
            index += 2
            atom = .assertion(source[index - 1] == UInt32(ascii: "b") ? .wordBoundary : .notWordBoundary)
            quantifiable = false
        case UInt32(ascii: "(") where peek(is: "?", 1) && (peek(is: "=", 2) || peek(is: "!", 2)):
            index += 3
            atom = .lookaround(try groupBody(opened: start), behind: false, negated: source[start + 2] == UInt32(ascii: "!"))
            quantifiable = false
        case UInt32(ascii: "(") where peek(is: "?", 1) && peek(is: "<", 2) && (peek(is: "=", 3) || peek(is: "!", 3)):
            index += 4
            atom = .lookaround(try groupBody(opened: start), behind: true, negated: source[start + 3] == UInt32(ascii: "!"))
            quantifiable = false
        default:
            atom = try self.atom()
        }
        guard let (min, max, greedy) = try quantifier() else { return atom }
        guard quantifiable else {
            throw error("nothing to repeat: an assertion cannot take a quantifier", at: start)
        }
        return .repetition(atom, min: min, max: max, greedy: greedy, captures: (capturesBefore + 1)..<(captureCount + 1))
    }

    /// The body of a group whose opening (`(`, `(?:`, `(?=` …) is consumed, up to and including `)`.
    mutating func groupBody(opened: Int) throws(RegexError) -> RegexNode {
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maxNesting {
            throw error("groups are nested more than \(Self.maxNesting) deep; flatten the pattern", at: opened, code: .tooLarge)
        }
        let inner = try disjunction()
        guard take(")") else { throw error("missing ')' for the group opened here", at: opened) }
        return inner
    }

    // MARK: quantifiers

    /// `*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`, each optionally followed by `?` (lazy); nil when none follows.
    mutating func quantifier() throws(RegexError) -> (Int, Int?, Bool)? {
        guard let c = peek() else { return nil }
        let start = index
        var min = 0
        var max: Int?
        switch c {
        case UInt32(ascii: "*"): index += 1
        case UInt32(ascii: "+"):
            index += 1
            min = 1
        case UInt32(ascii: "?"):
            index += 1
            max = 1
        case UInt32(ascii: "{"):
            guard let bounds = braceQuantifier() else {
                throw error("'{' does not start a quantifier ({n}, {n,} or {n,m}); write \\{ for a literal brace")
            }
            (min, max) = bounds
            if let max, max < min { throw error("numbers out of order in the quantifier {\(min),\(max)}", at: start) }
        default:
            return nil
        }
        let greedy = !take("?")
        return (min, max, greedy)
    }

    /// Parses `{n}`, `{n,}` or `{n,m}` at `index`; leaves `index` alone and returns nil if it is not one.
    /// Numbers saturate at `Int32.max` (the program-size limit refuses them later).
    mutating func braceQuantifier() -> (Int, Int?)? {
        let saved = index
        guard take("{"), let min = decimal() else {
            index = saved
            return nil
        }
        var max: Int? = min
        if take(",") { max = decimal() }
        guard take("}") else {
            index = saved
            return nil
        }
        return (min, max)
    }

    mutating func decimal() -> Int? {
        var value: Int?
        while let c = peek(), c >= 0x30, c <= 0x39 {
            value = Swift.min(Int(Int32.max), (value ?? 0) * 10 + Int(c - 0x30))
            index += 1
        }
        return value
    }

    // MARK: atoms

    mutating func atom() throws(RegexError) -> RegexNode {
        let start = index
        let c = source[index]
        index += 1
        switch c {
        case UInt32(ascii: "."):
            return .dot
        case UInt32(ascii: "("):
            if take("?") {
                if take(":") { return .group(try groupBody(opened: start), capture: nil) }
                if take("<") {
                    let name = try groupName(start: start)
                    captureCount += 1
                    let number = captureCount
                    if groupNames[name] != nil {
                        throw error("the group name '\(name)' is used twice; give each group its own name", at: start)
                    }
                    groupNames[name] = number
                    return .group(try groupBody(opened: start), capture: number)
                }
                throw error(
                    "unsupported group syntax '(?\(peek().flatMap(Unicode.Scalar.init).map(String.init) ?? "")': ECMA-262 knows (?:, (?=, (?!, (?<=, (?<! and (?<name>",
                    at: start, code: .unsupported)
            }
            captureCount += 1
            let number = captureCount
            return .group(try groupBody(opened: start), capture: number)
        case UInt32(ascii: "["):
            return .set(try characterClass(start: start))
        case UInt32(ascii: "\\"):
            return try atomEscape(start: start)
        case UInt32(ascii: "*"), UInt32(ascii: "+"), UInt32(ascii: "?"):
            throw error("nothing to repeat before '\(Character(Unicode.Scalar(c)!))'; escape it for a literal", at: start)
        case UInt32(ascii: "{"):
            index = start
            if braceQuantifier() != nil { throw error("nothing to repeat before the quantifier", at: start) }
            throw error("'{' does not start a quantifier ({n}, {n,} or {n,m}); write \\{ for a literal brace", at: start)
        default:
            // Includes a lone `]` or `}` (Annex B literals).
            return .scalar(c)
        }
    }

    /// `<name>` after `(?<` or `\k`: an identifier.
    mutating func groupName(start: Int) throws(RegexError) -> String {
        var name = String.UnicodeScalarView()
        while let c = peek(), c != UInt32(ascii: ">") {
            guard let scalar = Unicode.Scalar(c),
                name.isEmpty
                    ? (scalar.properties.isIDStart || c == UInt32(ascii: "$") || c == UInt32(ascii: "_"))
                    : (scalar.properties.isIDContinue || c == UInt32(ascii: "$") || c == 0x200C || c == 0x200D)
            else { throw error("a group name must be an identifier (letters, digits, _ and $)") }
            name.append(scalar)
            index += 1
        }
        guard !name.isEmpty, take(">") else { throw error("a group name must be written <name>", at: start) }
        return String(name)
    }

    mutating func atomEscape(start: Int) throws(RegexError) -> RegexNode {
        guard let c = peek() else { throw error("the pattern ends with a lone backslash; write \\\\ for a backslash", at: start) }
        if c >= 0x31, c <= 0x39 {
            let number = decimal()!
            numberedReferences.append((number, start))
            return .backreference(number)
        }
        if c == UInt32(ascii: "k") {
            index += 1
            guard take("<") else { throw error("\\k must be followed by <name>", at: start) }
            let name = try groupName(start: start)
            namedReferences.append((name, start))
            // A name may be defined later in the pattern: a negative placeholder, resolved after parsing.
            return .backreference(-namedReferences.count)
        }
        switch try classOrCharacterEscape(start: start, inClass: false) {
        case .scalar(let s): return .scalar(s)
        case .set(let set): return .set(set)
        }
    }

    enum ClassAtom {
        case scalar(UInt32)
        case set(ScalarSet)
    }

    /// An escape after `\`: a class escape (`\d`, `\p{L}`, …) or a character escape.
    mutating func classOrCharacterEscape(start: Int, inClass: Bool) throws(RegexError) -> ClassAtom {
        let c = source[index]
        index += 1
        switch c {
        case UInt32(ascii: "d"): return .set(.digits)
        case UInt32(ascii: "D"): return .set(.nonDigits)
        case UInt32(ascii: "w"): return .set(.word)
        case UInt32(ascii: "W"): return .set(.nonWord)
        case UInt32(ascii: "s"): return .set(.space)
        case UInt32(ascii: "S"): return .set(.nonSpace)
        case UInt32(ascii: "p"), UInt32(ascii: "P"): return .set(try propertyEscape(start: start, inverted: c == UInt32(ascii: "P")))
        case UInt32(ascii: "f"): return .scalar(0x0C)
        case UInt32(ascii: "n"): return .scalar(0x0A)
        case UInt32(ascii: "r"): return .scalar(0x0D)
        case UInt32(ascii: "t"): return .scalar(0x09)
        case UInt32(ascii: "v"): return .scalar(0x0B)
        case UInt32(ascii: "b") where inClass: return .scalar(0x08)
        case UInt32(ascii: "-") where inClass: return .scalar(c)
        case UInt32(ascii: "c"):
            guard let letter = peek(), (letter | 0x20) >= UInt32(ascii: "a"), (letter | 0x20) <= UInt32(ascii: "z") else {
                throw error("\\c must be followed by a letter (\\cA … \\cZ)", at: start)
            }
            index += 1
            return .scalar(letter % 32)
        case UInt32(ascii: "0"):
            if let next = peek(), next >= 0x30, next <= 0x39 {
                throw error("octal escapes are not allowed; write \\x or \\u with hex digits", at: start)
            }
            return .scalar(0)
        case UInt32(ascii: "x"):
            guard let value = hexDigits(count: 2) else { throw error("\\x must be followed by two hex digits", at: start) }
            return .scalar(value)
        case UInt32(ascii: "u"):
            return .scalar(try unicodeEscape(start: start))
        case 0x31...0x39 where inClass:
            throw error("a backreference cannot appear in a character class", at: start)
        default:
            // Syntax characters, `/`, and (Annex B habit) any other ASCII punctuation or space stand for themselves.
            let isLetterOrDigit = RegexAssertion.isWord(c) && c != UInt32(ascii: "_")
            let isASCIIPunctuation = c < 0x7F && c >= 0x20 && !isLetterOrDigit
            if isASCIIPunctuation { return .scalar(c) }
            let shown = Unicode.Scalar(c).map { String(Character($0)) } ?? "?"
            throw error("\\\(shown) is not an ECMA-262 escape; remove the backslash or escape something else", at: start)
        }
    }

    mutating func hexDigits(count: Int) -> UInt32? {
        guard index + count <= source.count else { return nil }
        var value: UInt32 = 0
        for offset in 0..<count {
            guard let digit = Self.hexValue(source[index + offset]) else { return nil }
            value = value * 16 + digit
        }
        index += count
        return value
    }

    static func hexValue(_ c: UInt32) -> UInt32? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }

    /// After `\u`: `XXXX` (a surrogate pair `\uD83D\uDC32` is one scalar) or `{X…}` up to 10FFFF.
    mutating func unicodeEscape(start: Int) throws(RegexError) -> UInt32 {
        if take("{") {
            var value: UInt32 = 0
            var digits = 0
            while let c = peek(), let digit = Self.hexValue(c) {
                value = value * 16 + digit
                digits += 1
                index += 1
                if value > ScalarSet.maxScalar { throw error("\\u{…} is above 10FFFF, the largest code point", at: start) }
            }
            guard digits > 0, take("}") else { throw error("\\u{ must hold hex digits and end with }", at: start) }
            return value
        }
        guard let value = hexDigits(count: 4) else {
            throw error("\\u must be followed by four hex digits or {hex digits}", at: start)
        }
        if (0xD800...0xDBFF).contains(value), peek(is: "\\"), peek(is: "u", 1) {
            let saved = index
            index += 2
            if let low = hexDigits(count: 4), (0xDC00...0xDFFF).contains(low) {
                return 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
            }
            index = saved
        }
        return value
    }

    /// After `\p` or `\P`: `{Name}` or `{Name=Value}`.
    mutating func propertyEscape(start: Int, inverted: Bool) throws(RegexError) -> ScalarSet {
        guard take("{") else { throw error("\\p and \\P must be followed by {Property}", at: start) }
        var name = String.UnicodeScalarView()
        while let c = peek(), c != UInt32(ascii: "}") {
            guard let scalar = Unicode.Scalar(c), c < 0x80 else { break }
            name.append(scalar)
            index += 1
        }
        guard take("}") else { throw error("\\p{ must end with }", at: start) }
        let text = String(name)
        let parsed: UnicodePropertyTest?
        do {
            parsed = try UnicodePropertyTest.named(text)
        } catch {
            throw self.error(
                "the Unicode property '\(error.name)' is valid ECMA-262 but not supported here; use a character range instead",
                at: start, code: .unsupported)
        }
        guard var test = parsed else {
            throw error(
                "unknown Unicode property '\(text)'; use a General_Category such as L, Lu, Nd, P or a binary property such as Alphabetic",
                at: start)
        }
        test.inverted = inverted
        return ScalarSet(properties: [test])
    }

    // MARK: character classes

    /// After `[`: the class up to and including `]`.
    mutating func characterClass(start: Int) throws(RegexError) -> ScalarSet {
        let negated = take("^")
        var members: [ScalarSet] = []
        var ranges: [ClosedRange<UInt32>] = []
        while true {
            guard let c = peek() else { throw error("missing ']' for the character class opened here", at: start) }
            if c == UInt32(ascii: "]") {
                index += 1
                break
            }
            let atomStart = index
            let first = try classAtom()
            if peek(is: "-"), let after = peek(1), after != UInt32(ascii: "]") {
                index += 1
                let second = try classAtom()
                guard case .scalar(let low) = first, case .scalar(let high) = second else {
                    throw error("a class escape such as \\d cannot be a range endpoint; put '-' first or last to mean a dash", at: atomStart)
                }
                guard low <= high else { throw error("range out of order in the character class", at: atomStart) }
                ranges.append(low...high)
                continue
            }
            switch first {
            case .scalar(let s): ranges.append(s...s)
            case .set(let set): members.append(set)
            }
        }
        members.append(ScalarSet(ranges: ranges))
        return ScalarSet(union: members, negated: negated)
    }

    mutating func classAtom() throws(RegexError) -> ClassAtom {
        let start = index
        let c = source[index]
        index += 1
        guard c == UInt32(ascii: "\\") else { return .scalar(c) }
        guard !atEnd else { throw error("the pattern ends with a lone backslash", at: start) }
        return try classOrCharacterEscape(start: start, inClass: true)
    }

    // MARK: backreferences

    mutating func resolveReferences() throws(RegexError) {
        for (number, offset) in numberedReferences where number > captureCount {
            throw error("\\\(number) refers to a group that does not exist (the pattern has \(captureCount))", at: offset)
        }
        for (name, offset) in namedReferences where groupNames[name] == nil {
            throw error("\\k<\(name)> refers to a group name that does not exist", at: offset)
        }
    }

    /// Replaces the placeholders of named backreferences by capture numbers.
    func resolvingNames(_ node: RegexNode) -> RegexNode {
        guard !namedReferences.isEmpty else { return node }
        switch node {
        case .backreference(let n) where n < 0:
            return .backreference(groupNames[namedReferences[-n - 1].name]!)
        case .concatenation(let items): return .concatenation(items.map(resolvingNames))
        case .alternation(let options): return .alternation(options.map(resolvingNames))
        case .group(let inner, let capture): return .group(resolvingNames(inner), capture: capture)
        case .repetition(let inner, let min, let max, let greedy, let captures):
            return .repetition(resolvingNames(inner), min: min, max: max, greedy: greedy, captures: captures)
        case .lookaround(let inner, let behind, let negated):
            return .lookaround(resolvingNames(inner), behind: behind, negated: negated)
        default: return node
        }
    }
}

extension UInt32 {
    /// The value of an ASCII scalar, so the parser can spell `UInt32(ascii: "(")` as `UInt8(ascii:)` does.
    fileprivate init(ascii scalar: Unicode.Scalar) {
        self = scalar.value
    }
}
