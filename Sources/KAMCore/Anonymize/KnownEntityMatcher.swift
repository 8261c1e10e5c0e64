/// Finds the store's known names, emails, domains and phone numbers in a text, token by token,
/// ignoring case and spacing.
struct KnownEntityMatcher: Sendable {
    struct Pattern: Sendable {
        var tokens: [String]
        var type: PIIEntityType
        /// Single name parts ("Doe") only match when capitalized, so "bill" the word is left alone.
        var needsCapital: Bool
        /// A one-word company that the name lists hold as a name: not matched beside another capitalized word.
        var nameLike = false
    }

    private var byFirstToken: [String: [Pattern]] = [:]
    private var phoneKeys: Set<String> = []

    var isEmpty: Bool { byFirstToken.isEmpty && phoneKeys.isEmpty }

    init(_ known: KnownEntities, lexicon: NameLexicon) {
        for person in known.people {
            let parts = words(person)
            add(parts, .person, needsCapital: false)
            if parts.count > 1 {
                for part in parts where part.count >= 3 && !lexicon.englishWords.contains(part)
                    && !NameDetector.titles.contains(part) && !NameDetector.particles.contains(part)
                {
                    add([part], .person, needsCapital: true)
                }
            }
        }
        for organization in known.organizations {
            let parts = words(organization)
            let nameLike = parts.count == 1 && lexicon.flags(of: parts[0]).has(.name)
            add(parts, .organization, needsCapital: nameLike, nameLike: nameLike)
            var core = parts
            while let last = core.last, core.count > 1,
                NameDetector.organizationSuffixes.contains(last) || last == "." || last == ","
            {
                core.removeLast()
            }
            if core.count < parts.count, core.count > 1 || !lexicon.englishWords.contains(core[0]) {
                add(core, .organization, needsCapital: core.count == 1, nameLike: core.count == 1 && lexicon.flags(of: core[0]).has(.name))
            }
        }
        for email in known.emails { add(words(email), .emailAddress, needsCapital: false) }
        for domain in known.domains { add(words(domain), .url, needsCapital: false) }
        for phone in known.phones {
            let key = Self.phoneKey(phone.unicodeScalars.filter { ScannedText.isDigit($0) }.map { UInt8($0.value - 48) })
            if key.count >= 6 { phoneKeys.insert(key) }
        }
    }

    private func words(_ s: String) -> [String] {
        let t = ScannedText(s)
        return t.tokens.indices.filter { t.tokens[$0].kind != .newline }.map { t.tokens[$0].kind == .word ? t.lowers[$0] : t.string(of: t.tokens[$0]) }
    }

    private mutating func add(_ tokens: [String], _ type: PIIEntityType, needsCapital: Bool, nameLike: Bool = false) {
        guard let first = tokens.first else { return }
        byFirstToken[first, default: []].append(Pattern(tokens: tokens, type: type, needsCapital: needsCapital, nameLike: nameLike))
    }

    /// The last nine digits: the subscriber number without country or trunk prefixes.
    static func phoneKey(_ digits: [UInt8]) -> String {
        String(digits.suffix(9).map { Character(Unicode.Scalar($0 + 48)) })
    }

    func detect(_ t: ScannedText, into out: inout [PIIEntity]) {
        let toks = t.tokens
        func lower(_ k: Int) -> String {
            toks[k].kind == .word ? t.lowers[k] : t.string(of: toks[k])
        }
        var k = 0
        while k < toks.count {
            var matchedEnd: Int? = nil
            var matchedType: PIIEntityType = .person
            if toks[k].kind != .newline, let patterns = byFirstToken[lower(k)] {
                for p in patterns {
                    if p.needsCapital, !toks[k].capitalized { continue }
                    var m = k
                    var ok = true
                    for (i, token) in p.tokens.enumerated() {
                        while m < toks.count, toks[m].kind == .newline, i > 0 { m += 1 }
                        guard m < toks.count, lower(m) == token else {
                            ok = false
                            break
                        }
                        m += 1
                    }
                    // A one-word company that is also a name ("Riley", "Müller") next to another name is a person's part:
                    // "Maud Riley", "Riley Evans".
                    if ok, p.nameLike, (k > 0 && toks[k - 1].kind == .word && toks[k - 1].capitalized && toks[k].spaceBefore)
                        || (k + 1 < toks.count && toks[k + 1].kind == .word && toks[k + 1].capitalized && toks[k + 1].spaceBefore)
                    {
                        continue
                    }
                    // The match must end at a word boundary: "Acme" is not found inside "Acmeville".
                    if ok, (matchedEnd ?? -1) < m - 1 {
                        matchedEnd = m - 1
                        matchedType = p.type
                    }
                }
            }
            if let e = matchedEnd {
                out.append(
                    PIIEntity(type: matchedType, start: toks[k].start, end: toks[e].end, text: "", known: true))
                k = e + 1
                continue
            }
            if !phoneKeys.isEmpty, toks[k].kind == .number, let e = phone(t, from: k) {
                out.append(PIIEntity(type: .phoneNumber, start: toks[k].start, end: toks[e].end, text: "", known: true))
                k = e + 1
                continue
            }
            k += 1
        }
    }

    private func phone(_ t: ScannedText, from k: Int) -> Int? {
        let toks = t.tokens
        var digits: [UInt8] = []
        var m = k
        var best: Int? = nil
        while m < toks.count, digits.count <= 16 {
            let tok = toks[m]
            if tok.kind == .number {
                for i in tok.start..<tok.end { digits.append(UInt8(t.scalars[i].value - 48)) }
                if digits.count >= 7, phoneKeys.contains(Self.phoneKey(digits)) { best = m }
            } else if tok.kind == .symbol, ScannedText.isPhoneSeparator(t.scalars[tok.start]) {
            } else {
                break
            }
            m += 1
        }
        return best
    }
}
