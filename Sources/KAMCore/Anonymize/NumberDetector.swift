/// Finds card numbers (Luhn-checked), IBANs (mod-97 checked), US social security numbers,
/// identity numbers named by their context, and phone numbers in international and national forms.
struct NumberDetector {
    /// A run of digit groups: `+41 (0)96 471 07 95`, `4111-1111-1111-1111`, `345-899-3560x4587`.
    struct DigitRun {
        var start: Int
        var end: Int
        var digits: [UInt8] = []
        var groups: [Int] = []
        var separators: Set<UInt32> = []
        var plus = false
        var paren = false
        var extensionEnd: Int? = nil
    }

    /// Checksummed numbers and identity numbers first (`phones: false`), then, once addresses have
    /// claimed their postcodes and house numbers, phone numbers (`phones: true`).
    func detect(_ t: ScannedText, phones: Bool, into out: inout [PIIEntity]) {
        let s = t.scalars
        let n = s.count
        if !phones {
            ibans(t, into: &out)
            contextualIDs(t, into: &out)
        }
        var i = 0
        while i < n {
            let c = s[i]
            let startsRun = ScannedText.isDigit(c) || ((c == "+" || c == "(") && i + 1 < n && (ScannedText.isDigit(s[i + 1]) || s[i + 1] == "("))
            guard startsRun, i == 0 || !(ScannedText.isAlnum(s[i - 1]) || s[i - 1] == "." || s[i - 1] == "-" || s[i - 1] == "/") else {
                if ScannedText.isAlnum(c) {
                    while i < n, ScannedText.isAlnum(s[i]) { i += 1 }
                } else {
                    i += 1
                }
                continue
            }
            // A short lone number ("on 12 May", "3 items") cannot be any of these: skip it without building a run.
            var j = i
            while j < n, ScannedText.isDigit(s[j]) { j += 1 }
            if j - i < 7, c != "+", c != "(", j == n || !((s[j] == " " || s[j] == "-" || s[j] == "." || s[j] == "/" || s[j] == "(")
                && j + 1 < n && (ScannedText.isDigit(s[j + 1]) || s[j + 1] == "("))
            {
                i = j
                continue
            }
            let run = digitRun(s, at: i)
            if run.digits.isEmpty {
                i += 1
                continue
            }
            if out.contains(where: { $0.start < run.end && run.start < $0.end }) {
                i = run.end
                continue
            }
            if let type = classify(run, s), (type == .phoneNumber) == phones {
                let end = type == .phoneNumber ? (run.extensionEnd ?? run.end) : run.end
                out.append(PIIEntity(type: type, start: run.start, end: end, text: ""))
                i = end
            } else {
                i = max(run.end, i + 1)
            }
        }
    }

    private func digitRun(_ s: [Unicode.Scalar], at start: Int) -> DigitRun {
        var run = DigitRun(start: start, end: start)
        let n = s.count
        var i = start
        if s[i] == "+" {
            run.plus = true
            i += 1
        }
        var lastGood = i
        while i < n {
            if s[i] == "(" {
                var j = i + 1
                let gs = j
                while j < n, ScannedText.isDigit(s[j]) { j += 1 }
                guard j > gs, j - gs <= 6, j < n, s[j] == ")" else { break }
                for k in gs..<j { run.digits.append(UInt8(s[k].value - 48)) }
                run.groups.append(j - gs)
                run.paren = true
                i = j + 1
                lastGood = i
                if i < n, s[i] == " " || s[i] == "-" || s[i] == "." { i += 1 }
                continue
            }
            guard ScannedText.isDigit(s[i]) else { break }
            let gs = i
            while i < n, ScannedText.isDigit(s[i]) { i += 1 }
            for k in gs..<i { run.digits.append(UInt8(s[k].value - 48)) }
            run.groups.append(i - gs)
            lastGood = i
            guard i < n else { break }
            let sep = s[i]
            if (sep == " " || sep == "-" || sep == "." || sep == "/"), i + 1 < n,
                ScannedText.isDigit(s[i + 1]) || s[i + 1] == "("
            {
                run.separators.insert(sep.value)
                i += 1
            } else if sep == "(" {
                continue
            } else {
                break
            }
        }
        run.end = lastGood
        // Extension: "x4587", " ext. 12", " Durchwahl -12", " poste 34", " int. 5", " wew. 12"
        var j = lastGood
        if j < n, s[j] == "x" || s[j] == "X" {
            j += 1
            let es = j
            while j < n, ScannedText.isDigit(s[j]) { j += 1 }
            if j > es, j - es <= 6, j == n || !ScannedText.isLetter(s[j]) { run.extensionEnd = j }
        } else if let e = Self.extensionWord(s, after: lastGood) {
            run.extensionEnd = e
        }
        return run
    }

    /// Words that announce an extension after a phone number, in the seven languages of the evaluation set.
    static let extensionWords: Set<String> = [
        "ext", "extn", "extension", "x", "durchwahl", "dw", "app", "apparat", "poste", "p", "int", "interno", "extensión",
        "toestel", "tst", "wew", "nebenstelle",
    ]

    /// The end of " ext. 12", " Durchwahl -12", " poste 34" after a phone number ending at `i`, if one follows.
    static func extensionWord(_ s: [Unicode.Scalar], after i: Int) -> Int? {
        let n = s.count
        var j = i
        if j < n, s[j] == "," { j += 1 }
        guard j < n, s[j] == " " else { return nil }
        j += 1
        let ws = j
        while j < n, ScannedText.isLetter(s[j]) { j += 1 }
        guard j > ws, j - ws <= 10 else { return nil }
        let word = String(String.UnicodeScalarView(s[ws..<j])).lowercased()
        guard extensionWords.contains(word) else { return nil }
        if j < n, s[j] == "." { j += 1 }
        if j < n, s[j] == ":" { j += 1 }
        if j < n, s[j] == " " { j += 1 }
        if j < n, s[j] == "-" { j += 1 }
        let ds = j
        while j < n, ScannedText.isDigit(s[j]) { j += 1 }
        guard j > ds, j - ds <= 6, j == n || !ScannedText.isAlnum(s[j]) else { return nil }
        return j
    }

    /// Words before a number that make it an order, invoice, quote or customer number, never a phone:
    /// "order 4535799041", "Bestellung 2025-45362", "facture 1064144".
    static let referenceCues: Set<String> = [
        "order", "orders", "quote", "invoice", "ref", "reference", "po", "so", "ticket", "case",
        "contract", "account", "customer", "tracking", "bestellung", "bestellnummer", "angebot", "rechnung", "auftrag",
        "kundennummer", "vertrag", "commande", "devis", "facture", "contrat", "pedido", "presupuesto", "factura",
        "contrato", "ordine", "preventivo", "fattura", "contratto", "bestelling", "offerte", "factuur", "zamówienia",
        "zamówienie", "oferta", "faktura", "umowa",
    ]

    /// The word just before `start`, lowercased, skipping spaces, `#`, `:` and `.`.
    static func wordBefore(_ s: [Unicode.Scalar], _ start: Int) -> String {
        var j = start - 1
        while j >= 0, s[j] == " " || s[j] == "#" || s[j] == ":" || s[j] == "." || s[j] == "°" || s[j] == "º" { j -= 1 }
        let e = j + 1
        while j >= 0, ScannedText.isLetter(s[j]) { j -= 1 }
        guard e > j + 1 else { return "" }
        return String(String.UnicodeScalarView(s[(j + 1)..<e])).lowercased()
    }

    private func classify(_ run: DigitRun, _ s: [Unicode.Scalar]) -> PIIEntityType? {
        let n = s.count
        // Part of a larger token (a code like "A1234567B", a decimal, a percentage, money)?
        if run.end < n {
            let next = s[run.end]
            if ScannedText.isLetter(next) && run.extensionEnd == nil { return nil }
            if next == "%" { return nil }
        }
        if run.start > 0 {
            let prev = s[run.start - 1]
            if prev == "$" || prev == "€" || prev == "£" || prev == "#" && run.digits.count < 7 { return nil }
        }
        let count = run.digits.count
        let seps = run.separators
        let onlyCardSeparators = seps.isSubset(of: [32, 45])  // space, hyphen
        if !run.plus, !run.paren, onlyCardSeparators, (12...19).contains(count),
            run.digits[0] != 0 || Self.wordBefore(s, run.start) == "card", Self.luhn(run.digits)
        {
            return .creditCard
        }
        if !run.plus, !run.paren, run.groups == [3, 2, 4], seps.count == 1, seps.first == 45 || seps.first == 32,
            Self.plausibleSSN(run.digits)
        {
            return .nationalID
        }
        guard isPhone(run) else { return nil }
        if !run.plus, !run.paren, Self.referenceCues.contains(Self.wordBefore(s, run.start)) { return nil }
        // "2025-45362": a year and a serial number.
        if !run.plus, run.groups.count == 2, run.groups[0] == 4, run.digits[0] == 1 || run.digits[0] == 2,
            run.digits[1] == 9 || run.digits[1] == 0, run.separators == [45]
        {
            return nil
        }
        return .phoneNumber
    }

    private func isPhone(_ run: DigitRun) -> Bool {
        let count = run.digits.count
        let g = run.groups
        // An international prefix ("+49", "0049") or a trunk zero in brackets ("(0)") adds digits to the national number.
        let international = run.plus || (run.digits.count > 2 && run.digits[0] == 0 && run.digits[1] == 0)
        let prefixed = run.digits.count > 2 && run.digits[0] == 0 && run.digits[1] == 0
        guard (7...(15 + (run.paren ? 2 : 0) + (prefixed ? 2 : 0))).contains(count) else { return false }
        if g.count == 1 {
            return run.plus ? count >= 8 : (10...11).contains(count)
        }
        // Dates and times written with separators: 2020-06-20, 20.06.2020, 12/31/1999.
        if g.count == 3, !run.plus, !run.paren {
            if g == [4, 2, 2] || g == [2, 2, 4] || g == [1, 2, 4] || g == [2, 1, 4] || g == [1, 1, 4] || g == [4, 1, 2] || g == [4, 2, 1] {
                if !run.separators.contains(32) { return false }
            }
        }
        if run.separators.contains(47) {
            // Slashes make dates and fractions, except a German area code before the number: "089/1234567".
            guard let last = g.last, last >= 5, g.count >= 2, g[g.count - 2] >= 2, g[g.count - 2] <= 5,
                international || run.digits[0] == 0
            else { return false }
        }
        if g.count == 2, !run.plus, !run.paren, g[1] < 3 { return false }
        if international {
            // "+39 05883939843", "0033 179741205": the national number written without spaces.
            return !g.contains(where: { $0 > 12 })
        }
        // "03371170726-2067": a national number and its extension.
        if g.count == 2, run.digits[0] == 0, (9...11).contains(g[0]), g[1] <= 4 { return true }
        if g.contains(where: { $0 > 8 }) { return false }
        return true
    }

    static func luhn(_ digits: [UInt8]) -> Bool {
        var sum = 0
        for (k, d) in digits.reversed().enumerated() {
            var x = Int(d)
            if k % 2 == 1 {
                x *= 2
                if x > 9 { x -= 9 }
            }
            sum += x
        }
        return sum % 10 == 0
    }

    private static func plausibleSSN(_ d: [UInt8]) -> Bool {
        let area = Int(d[0]) * 100 + Int(d[1]) * 10 + Int(d[2])
        let group = Int(d[3]) * 10 + Int(d[4])
        let serial = Int(d[5]) * 1000 + Int(d[6]) * 100 + Int(d[7]) * 10 + Int(d[8])
        return area != 0 && area != 666 && area < 900 && group != 0 && serial != 0
    }

    /// IBANs: country letters, two check digits, 11–30 letters or digits, optionally in groups of four;
    /// accepted only when the ISO 13616 mod-97 check passes.
    private func ibans(_ t: ScannedText, into out: inout [PIIEntity]) {
        let s = t.scalars
        let n = s.count
        var i = 0
        while i + 4 < n {
            guard ScannedText.isASCIILetter(s[i]), ScannedText.isASCIILetter(s[i + 1]), ScannedText.isDigit(s[i + 2]),
                ScannedText.isDigit(s[i + 3]), i == 0 || !ScannedText.isAlnum(s[i - 1])
            else {
                i += 1
                continue
            }
            // Collect characters, allowing single spaces between groups; remember each possible end.
            var chars: [Unicode.Scalar] = []
            var ends: [(Int, Int)] = []  // (scalar end, char count)
            var j = i
            while j < n, chars.count < 34 {
                if ScannedText.isAlnum(s[j]) {
                    chars.append(s[j])
                    j += 1
                    if j == n || !ScannedText.isAlnum(s[j]) { ends.append((j, chars.count)) }
                } else if s[j] == " " || s[j] == "-", j + 1 < n, ScannedText.isAlnum(s[j + 1]), !chars.isEmpty {
                    j += 1
                } else {
                    break
                }
            }
            var found = false
            for (end, length) in ends.reversed() where (15...34).contains(length) {
                if Self.mod97(chars[0..<length]) {
                    out.append(PIIEntity(type: .iban, start: i, end: end, text: ""))
                    i = end
                    found = true
                    break
                }
            }
            if !found { i += 1 }
        }
    }

    static func mod97(_ chars: ArraySlice<Unicode.Scalar>) -> Bool {
        let a = Array(chars)
        let rearranged = a[4...] + a[..<4]
        var remainder = 0
        for c in rearranged {
            let v: Int
            if ScannedText.isDigit(c) {
                v = Int(c.value - 48)
                remainder = (remainder * 10 + v) % 97
            } else if ScannedText.isASCIILetter(c) {
                v = Int((c.value | 0x20) - 97 + 10)
                remainder = (remainder * 100 + v) % 97
            } else {
                return false
            }
        }
        return remainder == 1
    }

    /// Words that announce an identity number: the token after them that holds digits is one.
    static let idKeywords: Set<String> = [
        "ssn", "license", "licence", "passport", "nino", "tin", "itin", "ein", "nif", "nie", "dni", "bsn", "pesel",
        "personnummer", "cpr", "nhs",
    ]

    private func contextualIDs(_ t: ScannedText, into out: inout [PIIEntity]) {
        let tokens = t.tokens
        var k = 0
        while k < tokens.count {
            defer { k += 1 }
            guard tokens[k].kind == .word, t.flags[k].has(.idKeyword) else { continue }
            // Look at the next few tokens for one with digits, skipping "number", "is", ":", "#", "no".
            var m = k + 1
            var steps = 0
            while m < tokens.count, steps < 5 {
                let tok = tokens[m]
                if tok.kind == .newline { break }
                if tok.kind == .number || (tok.kind == .word && m + 1 < tokens.count && tokens[m + 1].kind == .number && !tokens[m + 1].spaceBefore) {
                    // Extend over letters, digits and single hyphens without spaces.
                    var e = m
                    while e + 1 < tokens.count, !tokens[e + 1].spaceBefore,
                        tokens[e + 1].kind == .number || tokens[e + 1].kind == .word
                            || (t.isSymbol(e + 1, "-") && e + 2 < tokens.count && tokens[e + 2].kind == .number && !tokens[e + 2].spaceBefore)
                    {
                        e += 1
                    }
                    let start = tokens[m].start
                    let end = tokens[e].end
                    var digits = 0
                    for q in start..<end where ScannedText.isDigit(t.scalars[q]) { digits += 1 }
                    if digits >= 5, !out.contains(where: { $0.start < end && start < $0.end }) {
                        out.append(PIIEntity(type: .nationalID, start: start, end: end, text: ""))
                    }
                    k = e
                    break
                }
                m += 1
                steps += 1
            }
        }
    }
}
