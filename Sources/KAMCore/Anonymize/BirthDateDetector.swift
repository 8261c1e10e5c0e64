/// Finds dates of birth: a date written in any common form, close after words that say it is one
/// ("born", "date of birth", "DOB", "birthday").
///
/// Other dates are not personal data on their own and are left alone, so the text keeps its meaning.
struct BirthDateDetector {
    static let triggers: Set<String> = ["born", "birth", "dob", "birthday", "birthdate", "b"]
    static let months: Set<String> = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    ]

    func detect(_ t: ScannedText, into out: inout [PIIEntity]) {
        let tokens = t.tokens
        var k = 0
        while k < tokens.count {
            defer { k += 1 }
            guard tokens[k].kind == .word, t.flags[k].has(.birthTrigger) else { continue }
            let w = t.lowers[k]
            if w == "b", !t.isSymbol(k + 1, ".") { continue }
            var m = k + 1
            var steps = 0
            while m < tokens.count, steps < 8 {
                if let end = date(t, at: m) {
                    let start = tokens[m].start
                    let stop = tokens[end].end
                    if !out.contains(where: { $0.start < stop && start < $0.end }) {
                        out.append(PIIEntity(type: .dateOfBirth, start: start, end: stop, text: ""))
                    }
                    k = end
                    break
                }
                m += 1
                steps += 1
            }
        }
    }

    private func num(_ t: ScannedText, _ k: Int) -> Int? {
        guard k < t.tokens.count, t.tokens[k].kind == .number, t.tokens[k].end - t.tokens[k].start <= 4 else { return nil }
        var v = 0
        for i in t.tokens[k].start..<t.tokens[k].end { v = v * 10 + Int(t.scalars[i].value - 48) }
        return v
    }

    private func digits(_ t: ScannedText, _ k: Int) -> Int { t.tokens[k].end - t.tokens[k].start }

    private func isMonth(_ t: ScannedText, _ k: Int) -> Bool {
        k < t.tokens.count && t.tokens[k].kind == .word && Self.months.contains(t.lowers[k])
    }

    private func isYear(_ v: Int?) -> Bool { v.map { (1900...2099).contains($0) } ?? false }

    /// Index of the last token of a date starting at token `k`, or nil.
    private func date(_ t: ScannedText, at k: Int) -> Int? {
        let toks = t.tokens
        // Numeric: 12/31/1990, 31.12.1990, 1990-12-31 (with an optional time after).
        if let a = num(t, k) {
            if k + 4 < toks.count, toks[k + 1].kind == .symbol, let b = num(t, k + 2), toks[k + 3].kind == .symbol,
                let c = num(t, k + 4)
            {
                let sep = t.scalars[toks[k + 1].start]
                if (sep == "/" || sep == "." || sep == "-"), t.scalars[toks[k + 3].start] == sep {
                    if digits(t, k) == 4, isYear(a), (1...12).contains(b), (1...31).contains(c) {
                        var end = k + 4
                        // 1992-11-12 07:04:41
                        if end + 5 < toks.count, num(t, end + 1) != nil, t.isSymbol(end + 2, ":"), num(t, end + 3) != nil {
                            end += 3
                            if t.isSymbol(end + 1, ":"), num(t, end + 2) != nil { end += 2 }
                        }
                        return end
                    }
                    if (1...31).contains(a), (1...31).contains(b), digits(t, k + 4) == 4 || digits(t, k + 4) == 2, c >= 0 {
                        return k + 4
                    }
                }
            }
            // 12 March 1990, 12th of March, 1990
            var m = k + 1
            if m < toks.count, toks[m].kind == .word, ["st", "nd", "rd", "th"].contains(t.lowers[m]) { m += 1 }
            if m < toks.count, toks[m].kind == .word, t.lowers[m] == "of" { m += 1 }
            if (1...31).contains(a), isMonth(t, m) {
                var e = m
                if t.isSymbol(e + 1, ".") { e += 1 }
                if t.isSymbol(e + 1, ",") { e += 1 }
                if isYear(num(t, e + 1)) { return e + 1 }
                return m
            }
            // born in 1971
            if digits(t, k) == 4, isYear(a) { return k }
            return nil
        }
        // March 12, 1990 / March 1990
        if isMonth(t, k) {
            var e = k
            if t.isSymbol(e + 1, ".") { e += 1 }
            if let d = num(t, e + 1), (1...31).contains(d), digits(t, e + 1) <= 2 {
                e += 1
                if e + 1 < toks.count, toks[e + 1].kind == .word, ["st", "nd", "rd", "th"].contains(t.lowers[e + 1]) { e += 1 }
                if t.isSymbol(e + 1, ",") { e += 1 }
                if isYear(num(t, e + 1)) { return e + 1 }
                return e
            }
            if isYear(num(t, e + 1)) { return e + 1 }
        }
        return nil
    }
}
