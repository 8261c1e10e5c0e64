/// Legal forms written with dots or in several parts ("S.L.", "S.p.A.", "s.r.l.", "Sp. z o.o.", "B.V.", "e.V."):
/// the tokenizer splits them into one-letter words that the name rules take for initials ("Marques S. A." a person).
extension NameDetector {
    /// Dotted legal forms of the seven locales, as their letters run together: "S.p.A." is "spa", "Sp. z o.o." is "spzoo".
    static let dottedLegalForms: Set<String> = [
        "sa", "sas", "sarl", "sau", "sca", "snc", "sl", "sll", "slne", "slu", "scoop", "scom", "scp", "sat", "sc", "cb",
        "spa", "srl", "srls", "sapa", "sss", "bv", "nv", "vof", "cv", "eg", "ev", "ek", "ohg", "spzoo", "spj", "spk", "ska",
        "spzoospk", "spzoospj", "inc", "ltd", "corp", "co", "llc", "plc", "gmbh", "ag", "kg", "ug",
    ]
    /// Lowercase words inside a firm's name between capitalized ones: "Pędrak i syn", "Andres y asociados", "Rossi e figli".
    static let firmConnectors: Set<String> = [
        "e", "y", "i", "et", "and", "und", "en", "syn", "synowie", "figli", "fils", "hijos", "asociados", "associati", "zonen",
    ]

    /// Finds "<capitalized words> <dotted legal form>" and makes the whole an organization, replacing the person or
    /// initials guesses inside it. A form must hold a dot ("SA" alone is left to the suffix rules) and follow a
    /// capitalized word on the same line.
    func dottedLegalForms(_ t: ScannedText, _ classes: [WordClass], _ lowers: [String], _ structured: [PIIEntity], _ out: inout [PIIEntity]) {
        let toks = t.tokens
        var k = 1
        while k < toks.count {
            guard toks[k].kind == .word, toks[k].spaceBefore, toks[k - 1].kind == .word,
                toks[k - 1].capitalized || Self.firmConnectors.contains(lowers[k - 1]),
                let end = dottedForm(t, at: k, lowers)
            else {
                k += 1
                continue
            }
            let start = firmStart(t, before: k, classes, lowers, out)
            guard start < k else {
                k = end + 1
                continue
            }
            let a = toks[start].start
            let b = toks[end].end
            if !structured.contains(where: { $0.start < b && a < $0.end }) {
                out.removeAll { $0.start < b && a < $0.end }
                out.append(PIIEntity(type: .organization, start: a, end: b, text: ""))
            }
            k = end + 1
        }
    }

    /// The last token of the longest dotted legal form that starts at token `k`, if one does.
    private func dottedForm(_ t: ScannedText, at k: Int, _ lowers: [String]) -> Int? {
        let toks = t.tokens
        var letters = ""
        var m = k
        var best: Int? = nil
        var parts = 0
        while m < toks.count, parts < 6, toks[m].kind == .word, toks[m].end - toks[m].start <= 4 {
            if m > k, !(toks[m].spaceBefore || t.isSymbol(m - 1, ".")) { break }
            letters += lowers[m]
            parts += 1
            if t.isSymbol(m + 1, ".") {
                if parts >= 2 || lowers[m].count == 1 || letters == "co" || letters == "inc" || letters == "ltd" || letters == "corp" {
                    if Self.dottedLegalForms.contains(letters) { best = m + 1 }
                }
                m += 2
            } else {
                m += 1
            }
        }
        // "Sp. z o.o.": at least one dot inside, not only the sentence's full stop after a plain word.
        guard let end = best else { return nil }
        if end == k + 1, toks[k].end - toks[k].start > 1, !["co", "inc", "ltd", "corp"].contains(lowers[k]) { return nil }
        return end
    }

    /// The first token of the firm's name ending before token `k`: capitalized words back to the line's start or a
    /// lowercase word, across hyphens, "&", commas between names ("Guarana, Offredi e Turati") and firm connectors.
    private func firmStart(_ t: ScannedText, before k: Int, _ classes: [WordClass], _ lowers: [String], _ out: [PIIEntity]) -> Int {
        let toks = t.tokens
        var s = k
        var m = k - 1
        while m >= 0 {
            let tok = toks[m]
            if tok.kind == .word, tok.capitalized {
                if Self.functionWords.contains(lowers[m]) { break }
                s = m
                m -= 1
            } else if tok.kind == .word, Self.firmConnectors.contains(lowers[m]) || classes[m] == .particle, m >= 1,
                toks[m - 1].kind == .word, toks[m - 1].capitalized || Self.firmConnectors.contains(lowers[m - 1])
            {
                // A particle after a person already found starts the firm: "Jan Kowalski z Oślizło S.A." keeps the person.
                if classes[m] == .particle, out.contains(where: { $0.type == .person && $0.end == toks[m - 1].end && $0.start < toks[m - 1].start }) { break }
                m -= 1
            } else if tok.kind == .symbol, t.isSymbol(m, "&") || t.isSymbol(m, ","), m >= 1, toks[m - 1].kind == .word, toks[m - 1].capitalized,
                s == m + 1, !out.contains(where: { $0.type == .person && $0.end == toks[m - 1].end })
            {
                m -= 1
            } else {
                break
            }
        }
        return s
    }
}
