/// Finds street and postal addresses: a street word ("Avenue", "Rue", "-straße", "-katu") or a unit
/// ("Suite 4", "Apt. 12", "PO Box 9") next to a house number, or a number and name after words that
/// announce an address ("lives at", "ship to"); then the city, region, postcode and country lines
/// that follow.
struct AddressDetector {
    static let streetWords: Set<String> = [
        "street", "st", "avenue", "ave", "av", "road", "rd", "lane", "ln", "drive", "dr", "boulevard", "blvd", "way",
        "court", "ct", "place", "pl", "square", "sq", "terrace", "parkway", "pkwy", "highway", "hwy", "circle", "cir",
        "alley", "crescent", "close", "gardens", "row", "hill", "trail", "track", "walk", "mews", "grove", "park",
        "plaza", "loop", "pike", "route", "rte", "expressway", "freeway", "turnpike", "causeway", "embankment",
        "wharf", "quay", "rue", "via", "viale", "calle", "avenida", "avda", "rua", "ul", "ulica", "strada", "piazza",
        "piazzale", "plac", "carrer", "chemin", "corso", "largo", "travessa", "camino", "paseo", "praça", "praca",
        "alameda", "allée", "allee", "impasse", "quai", "cours", "straße", "strasse", "str", "gasse", "weg", "platz",
        "vej", "gade", "gata", "gatan", "vägen", "veien", "laan", "straat", "plein", "utca", "katu", "tie", "kuja",
        "tanya", "köz", "út", "ulitsa", "prospekt", "centret", "torv", "torget", "piazzetta", "tér", "u",
        // USPS street suffixes (Publication 28, appendix C) that are not everyday words on their own.
        "bypass", "causeway", "crossing", "crossroad", "curve", "extension", "expressway", "freeway", "gateway",
        "harbor", "harbour", "heights", "junction", "landing", "manor", "meadows", "motorway", "overpass",
        "parkways", "plaza", "skyway", "stravenue", "throughway", "trafficway", "underpass", "viaduct", "vista",
        "coves", "courts", "forges", "isle", "fort", "estates", "falls", "springs", "village", "ville", "glen",
    ]
    static let streetEndings = [
        "straße", "strasse", "gasse", "weg", "allee", "platz", "ring", "damm", "ufer", "vej", "gade", "gata", "gatan",
        "vägen", "veien", "laan", "straat", "plein", "utca", "katu", "tie", "kuja", "polku", "väg", "stræde", "bakken",
        "centret", "torv", "torget", "street", "road", "avenue", "lane",
    ]
    /// Street words written before the name ("Rue de Tanger", "Via Roma", "ul. Słowicza").
    static let prefixStreetWords: Set<String> = [
        "rue", "via", "viale", "calle", "avenida", "avda", "rua", "ul", "ulica", "strada", "piazza", "piazzale", "plac",
        "carrer", "chemin", "corso", "largo", "travessa", "camino", "paseo", "praça", "praca", "alameda", "allée",
        "impasse", "quai", "cours", "boulevard", "avenue", "ulitsa", "prospekt", "piazzetta", "aleja", "al", "os", "osiedle",
        "vicolo", "borgo", "contrada", "pasaje", "ronda", "travesía", "plaza", "glorieta",
    ]
    static let unitWords: Set<String> = [
        "suite", "ste", "apt", "apartment", "unit", "box", "psc", "floor", "fl", "flat", "room", "bldg", "building",
        "usns", "usnv", "uss", "uscgc", "apo", "fpo", "dpo", "po",
    ]
    static let cues: Set<String> = ["address", "addresses", "at", "on", "to", "in", "from", "is", "live", "lives"]
    static let postcodeCues: Set<String> = ["zip", "postcode", "postal", "zipcode", "plz", "cap", "cp"]

    /// Abbreviations that end with a dot inside an address ("St.", "Apt.", "ul.").
    static let abbreviations: Set<String> = [
        "st", "ave", "rd", "ln", "dr", "blvd", "ct", "pl", "sq", "apt", "ste", "ul", "av", "avda", "str", "fl", "bldg",
        "pkwy", "hwy", "cir", "rte", "po", "p", "o", "no", "nr",
    ]

    func detect(_ t: ScannedText, into out: inout [PIIEntity]) {
        let toks = t.tokens
        let count = toks.count
        let lowers = t.lowers
        let flags = t.flags
        var k = 0
        var covered = 0
        while k < count {
            defer { k += 1 }
            guard k >= covered else { continue }
            var core: Int? = nil
            switch toks[k].kind {
            case .word:
                let w = lowers[k]
                let f = flags[k]
                let isStreet = f.has(.streetWord) && (toks[k].capitalized || w == "ul" || w == "rue")
                let endsLikeStreet = toks[k].capitalized && w.utf8.count > 5 && !f.has(.english) && Self.streetEndings.contains { w.hasSuffix($0) }
                // "Dr. Burke", "St. Clair": a title before a name, not Drive or Street.
                let titleUse = f.has(.title) && t.isSymbol(k + 1, ".") && k + 2 < count && toks[k + 2].kind == .word && toks[k + 2].capitalized
                if (isStreet || endsLikeStreet) && !titleUse && numberNear(toks, k) { core = k }
                if f.has(.unitWord), toks[k].capitalized || w == "apt", unitNumberAfter(t, k) { core = k }
                if f.has(.postcodeCue), let e = postcode(t, lowers, after: k) {
                    add(t, toks[e.0].start, toks[e.1].end, &out)
                    covered = e.1 + 1
                    continue
                }
                if w == "corner", k + 2 < count, lowers[k + 1] == "of", let e = corner(t, lowers, from: k) {
                    add(t, e.0, e.1, &out)
                    covered = e.2 + 1
                    continue
                }
                if ["usns", "usnv", "uss", "uscgc"].contains(w), toks[k].allCaps, k + 1 < count, toks[k + 1].kind == .word, toks[k + 1].capitalized {
                    core = k
                }
                if f.has(.addressCue), k + 2 < count, let e = cuedAddress(t, lowers, after: k) {
                    core = e
                }
            case .number:
                if lineStreet(t, lowers, k) { core = k }
            default: break
            }
            guard let c = core else { continue }
            let (s, e) = extend(t, lowers, core: c, found: out)
            add(t, toks[s].start, toks[e].end, &out)
            covered = e + 1
        }
        postcodeAddresses(t, lowers, into: &out)
    }

    /// "6750 Koskikatu 25", "20789 Allika 46", "0138 Brisas 6802": a number, capitalized words, a number,
    /// at the start of a line (after quote markers) — the European house-number-last street line.
    private func lineStreet(_ t: ScannedText, _ lowers: [String], _ k: Int) -> Bool {
        let toks = t.tokens
        guard toks[k].end - toks[k].start <= 6 else { return false }
        var b = k - 1
        while b >= 0, toks[b].kind == .symbol, ScannedText.isQuoteMarker(t.scalars[toks[b].start]) { b -= 1 }
        let lineStart = b < 0 || toks[b].kind == .newline
        let cued = b >= 0 && toks[b].kind == .word && Self.cues.contains(lowers[b])
        guard lineStart || cued || (b >= 0 && (t.isSymbol(b, ":") || t.isSymbol(b, ","))) else { return false }
        var m = k + 1
        var words = 0
        while m < toks.count, toks[m].kind == .word || t.isSymbol(m, ".") || t.isSymbol(m, "-") || t.isSymbol(m, "'") {
            if toks[m].kind == .word {
                guard toks[m].capitalized || t.flags[m].has([.particle, .streetWord]) else { return false }
                words += 1
            }
            m += 1
        }
        guard words >= 1, words <= 5, m < toks.count, toks[m].kind == .number, toks[m].end - toks[m].start <= 5 else { return false }
        // The number ends the line or is followed by a unit, a comma or a dot.
        let after = m + 1
        return after >= toks.count || toks[after].kind == .newline || t.isSymbol(after, ",") || t.isSymbol(after, ".")
            || (toks[after].kind == .word && (Self.unitWords.contains(lowers[after]) || toks[after].capitalized))
    }

    /// "the corner of Kuusiku 7 and Alexander Flat": two street names joined by "and"; returns the scalar range and last token.
    private func corner(_ t: ScannedText, _ lowers: [String], from k: Int) -> (Int, Int, Int)? {
        let toks = t.tokens
        var m = k + 2
        var last = -1
        var ands = 0
        while m < toks.count {
            let tok = toks[m]
            if tok.kind == .word, tok.capitalized || t.flags[m].has([.particle, .streetWord, .prefixStreetWord]) {
                last = m
            } else if tok.kind == .number, tok.end - tok.start <= 6 {
                last = m
            } else if tok.kind == .word, lowers[m] == "and", ands == 0 {
                ands += 1
            } else if t.isSymbol(m, "."), m > 0, toks[m - 1].kind == .word, Self.abbreviations.contains(lowers[m - 1]) {
                last = m
            } else if t.isSymbol(m, "-") || t.isSymbol(m, "'") {
            } else {
                break
            }
            m += 1
        }
        guard ands == 1, last > k + 2 else { return nil }
        let start = k > 0 && toks[k - 1].kind == .word && lowers[k - 1] == "the" ? toks[k - 1].start : toks[k].start
        return (start, toks[last].end, last)
    }

    private func numberNear(_ toks: [ScannedText.Token], _ k: Int) -> Bool {
        // A house number within three tokens either side, on the same line.
        var m = k - 1
        var steps = 0
        while m >= 0, steps < 4, toks[m].kind != .newline {
            if toks[m].kind == .number { return true }
            m -= 1
            steps += 1
        }
        m = k + 1
        steps = 0
        while m < toks.count, steps < 5, toks[m].kind != .newline {
            if toks[m].kind == .number { return true }
            m += 1
            steps += 1
        }
        return false
    }

    private func unitNumberAfter(_ t: ScannedText, _ k: Int) -> Bool {
        var m = k + 1
        if t.isSymbol(m, ".") { m += 1 }
        if m < t.tokens.count, t.tokens[m].kind == .word, ["box", "o"].contains(t.lowers[m]) { m += 1 }
        if t.isSymbol(m, ".") { m += 1 }
        if t.isSymbol(m, "#") { m += 1 }
        return m < t.tokens.count && t.tokens[m].kind == .number
    }

    /// "lives at 12 Oak …", "address: Pagari 18": a number then capitalized words, or capitalized words then a number.
    private func cuedAddress(_ t: ScannedText, _ lowers: [String], after k: Int) -> Int? {
        let toks = t.tokens
        let w = lowers[k]
        var m = k + 1
        while m < toks.count, toks[m].kind == .symbol, t.scalars[toks[m].start] == ":" { m += 1 }
        if w == "address" || w == "addresses" {
            while m < toks.count, toks[m].kind == .word, ["is", "was", "are", "it", "to", "the", "same"].contains(lowers[m]) { m += 1 }
            while m < toks.count, toks[m].kind == .symbol || toks[m].kind == .newline { m += 1 }
        } else if w == "is", !(k > 0 && toks[k - 1].kind == .word && ["address", "it", "office", "restaurant", "station"].contains(lowers[k - 1])) {
            return nil
        }
        guard m + 1 < toks.count else { return nil }
        // A street name is a proper name or a street word, not an everyday word or a month ("in January 2025").
        func streetName(_ q: Int) -> Bool {
            toks[q].kind == .word && toks[q].capitalized
                && (t.flags[q].has([.streetWord, .prefixStreetWord]) || !t.flags[q].has([.english, .function]))
                && !BirthDateDetector.months.contains(lowers[q])
        }
        // number + Capitalized word
        if toks[m].kind == .number, streetName(m + 1), toks[m].end - toks[m].start <= 6 {
            return m
        }
        // Capitalized word(s) + number
        var q = m
        while q < toks.count, q < m + 4, toks[q].kind == .word, toks[q].capitalized { q += 1 }
        if q > m, q < toks.count, toks[q].kind == .number, toks[q].spaceBefore, toks[q].end - toks[q].start <= 5,
            (m..<q).contains(where: streetName)
        {
            return m
        }
        return nil
    }

    private func postcode(_ t: ScannedText, _ lowers: [String], after k: Int) -> (Int, Int)? {
        let toks = t.tokens
        var m = k + 1
        var steps = 0
        while m < toks.count, steps < 4, toks[m].kind != .number {
            if toks[m].kind == .newline { return nil }
            if toks[m].kind == .word, !["code", "is", "number", "my"].contains(lowers[m]) {
                // A letter-led postcode such as "SW1A 1AA" would start here.
                if toks[m].allCaps, m + 1 < toks.count, toks[m + 1].kind == .number { break }
                return nil
            }
            m += 1
            steps += 1
        }
        guard m < toks.count else { return nil }
        var e = m
        while e + 1 < toks.count, !toks[e + 1].spaceBefore || toks[e + 1].kind == .number || (toks[e + 1].kind == .word && toks[e + 1].allCaps),
            toks[e + 1].kind == .number || toks[e + 1].kind == .word || t.isSymbol(e + 1, "-"), e - m < 4
        {
            e += 1
        }
        return (m, e)
    }

    /// Whether token `k` may belong to an address line.
    private func addressToken(_ t: ScannedText, _ lowers: [String], _ k: Int) -> Bool {
        let tok = t.tokens[k]
        switch tok.kind {
        case .number: return tok.end - tok.start <= 6
        case .word:
            if tok.capitalized { return true }
            // "3a", "12b": a house number's letter.
            if tok.end - tok.start == 1, !tok.spaceBefore, k > 0, t.tokens[k - 1].kind == .number { return true }
            let w = lowers[k]
            return t.flags[k].has([.particle, .prefixStreetWord, .unitWord, .streetWord]) || w == "u" || w == "tér"
        case .symbol:
            let c = t.scalars[tok.start]
            if c == "," || c == "-" || c == "/" || c == "#" || c == "'" { return true }
            if c == "." {
                // A dot after an abbreviation or initial, not one that ends a sentence.
                guard k > 0 else { return false }
                let prev = t.tokens[k - 1]
                if prev.kind == .word, prev.end - prev.start == 1 || Self.abbreviations.contains(lowers[k - 1]) { return true }
                return k + 1 < t.tokens.count && t.tokens[k + 1].kind == .number
            }
            return false
        case .newline: return false
        }
    }

    private func extend(_ t: ScannedText, _ lowers: [String], core: Int, found: [PIIEntity]) -> (Int, Int) {
        let toks = t.tokens
        var s = core
        while s > 0, toks[s - 1].kind != .newline, addressToken(t, lowers, s - 1) {
            if toks[s - 1].kind == .symbol, t.scalars[toks[s - 1].start] == "," { break }
            if toks[s - 1].kind == .word, NameDetector.titles.contains(lowers[s - 1]) { break }
            s -= 1
        }
        // An address starts at its first number ("12 Main Street"); without one, a street name may start
        // it ("Clarke Avenue"), but a unit ("Suite 4") or a prefix street word ("Rue …") starts it itself.
        if s < core {
            if let firstNumber = (s..<core).first(where: { toks[$0].kind == .number }) {
                s = firstNumber
            } else if toks[core].kind == .word, Self.prefixStreetWords.contains(lowers[core]) || Self.unitWords.contains(lowers[core]) {
                s = core
            } else {
                s = max(s, core - 3)
            }
        }
        // Do not start on a dangling symbol or a preceding capitalized sentence word like "The".
        while s < core, toks[s].kind == .symbol || (toks[s].kind == .word && ["the", "at", "on", "in"].contains(lowers[s])) { s += 1 }
        var e = core
        var lines = 0
        while true {
            while e + 1 < toks.count, toks[e + 1].kind != .newline, addressToken(t, lowers, e + 1),
                !found.contains(where: { $0.start < toks[e + 1].end && toks[e + 1].start < $0.end })
            {
                e += 1
            }
            // Continue over the next line when it looks like more of the address (city, region, postcode, country).
            guard lines < 5, e + 1 < toks.count, toks[e + 1].kind == .newline else { break }
            var m = e + 1
            var blank = 0
            while m < toks.count, toks[m].kind == .newline {
                m += 1
                blank += 1
            }
            // One empty line may separate the postcode-and-country line ("Brønderslev\n\n Denmark 35018").
            guard blank <= 2 else { break }
            while m < toks.count, toks[m].kind == .symbol, ScannedText.isQuoteMarker(t.scalars[toks[m].start]) { m += 1 }
            // "Tel. 464.851.2279": a phone line after the address is not part of it.
            if m < toks.count, toks[m].kind == .word, Self.phoneLabels.contains(lowers[m]) { break }
            var q = m
            var words = 0
            var digits = 0
            while q < toks.count, toks[q].kind != .newline, addressToken(t, lowers, q),
                !found.contains(where: { $0.start < toks[q].end && toks[q].start < $0.end })
            {
                if toks[q].kind == .word { words += 1 }
                if toks[q].kind == .number { digits += toks[q].end - toks[q].start }
                q += 1
            }
            var lineEnds = q >= toks.count || toks[q].kind == .newline
            // "GRASSE, PA 39551 in case of an issue.": a line that starts with the address's last part and
            // goes on as prose keeps its address part when that part ends in a postcode.
            if !lineEnds, q > m, toks[q - 1].kind == .number || (q >= 2 && toks[q - 2].kind == .number && t.isSymbol(q - 1, ",")) {
                lineEnds = true
                if toks[q - 1].kind == .symbol { q -= 1 }
            }
            // A line of digits alone long enough to be a phone number is not part of the address.
            guard lineEnds, q > m, q - m <= 10, words > 0 || digits < 7 else { break }
            if blank == 2, digits == 0 { break }
            e = q - 1
            lines += 1
        }
        while e > core, toks[e].kind == .symbol, !(t.scalars[toks[e].start] == "." && e > 0 && toks[e - 1].kind == .word && (Self.abbreviations.contains(lowers[e - 1]))) { e -= 1 }
        return (s, e)
    }

    /// Words that open a phone line in a signature ("Tel. 0301 …"): an address never runs into that line.
    static let phoneLabels: Set<String> = [
        "tel", "phone", "telephone", "telefon", "telefono", "teléfono", "téléphone", "tél", "telefoon", "mobile", "mobil",
        "mobiel", "móvil", "cell", "cellulare", "kom", "fax", "t", "m",
    ]

    /// European and British addresses anchored on their postcode: "Hauptstraße 12, 10115 Berlin",
    /// "12 rue de la Paix, 75002 Paris", "Keizersgracht 123, 1015 CJ Amsterdam", "ul. Marszałkowska 1, 00-001
    /// Warszawa", "10 Downing Street, London SW1A 2AA", "〒100-0001 東京都…": the postcode (after a comma or at
    /// the start of a line), the city after it (or before a British one) and the street before it, which must
    /// hold a house number or a street word. The span joins any address the other rules found inside it.
    private func postcodeAddresses(_ t: ScannedText, _ lowers: [String], into out: inout [PIIEntity]) {
        let toks = t.tokens
        let n = toks.count
        let s = t.scalars
        var k = 0
        while k < n {
            defer { k += 1 }
            var pcStart = k
            var pcEnd = -1
            var british = false
            if toks[k].kind == .symbol, s[toks[k].start] == "〒", k + 3 < n, toks[k + 1].kind == .number, t.isSymbol(k + 2, "-"), toks[k + 3].kind == .number {
                // Japanese: 〒 and NNN-NNNN, then the rest of the line.
                var e = k + 3
                while e + 1 < n, toks[e + 1].kind != .newline { e += 1 }
                add(t, toks[k].start, toks[e].end, &out)
                k = e
                continue
            }
            if toks[k].kind == .number {
                let len = toks[k].end - toks[k].start
                if len == 5 {
                    pcEnd = k
                } else if len == 2, k + 2 < n, t.isSymbol(k + 1, "-"), !toks[k + 1].spaceBefore, toks[k + 2].kind == .number,
                    toks[k + 2].end - toks[k + 2].start == 3, !toks[k + 2].spaceBefore
                {
                    pcEnd = k + 2
                } else if len == 4, k + 1 < n, toks[k + 1].kind == .word, toks[k + 1].allCaps, toks[k + 1].end - toks[k + 1].start == 2 {
                    pcEnd = k + 1
                } else {
                    continue
                }
                // Numeric postcodes start a line or follow a comma: "…, 10115 Berlin".
                var b = k - 1
                while b >= 0, toks[b].kind == .symbol, ScannedText.isQuoteMarker(s[toks[b].start]) { b -= 1 }
                guard b >= 0, toks[b].kind == .newline || t.isSymbol(b, ",") else { continue }
                // A city follows on the same line.
                guard pcEnd + 1 < n, toks[pcEnd + 1].kind == .word || t.isSymbol(pcEnd + 1, "'"), toks[pcEnd + 1].spaceBefore || toks[pcEnd + 1].kind == .symbol
                else { continue }
                let cityWord = t.isSymbol(pcEnd + 1, "'") ? pcEnd + 2 : pcEnd + 1
                guard cityWord < n, toks[cityWord].kind == .word, toks[cityWord].capitalized || t.isSymbol(pcEnd + 1, "'") else { continue }
            } else if toks[k].kind == .word, toks[k].allCaps, let e = britishPostcode(t, k) {
                pcEnd = e
                british = true
                pcStart = k
            } else {
                continue
            }
            // The city after a continental postcode: capitalized words, particles, hyphens, on the same line.
            var end = pcEnd
            if !british {
                var m = pcEnd + 1
                var words = 0
                while m < n, words < 5 {
                    if toks[m].kind == .word, toks[m].capitalized || t.flags[m].has(.particle) || lowers[m] == "sur" || lowers[m] == "t" {
                        if toks[m].capitalized { words += 1 }
                        end = m
                    } else if t.isSymbol(m, "-") || t.isSymbol(m, "'") || t.isSymbol(m, "’") {
                    } else {
                        break
                    }
                    m += 1
                }
                if words == 0 { continue }
            }
            guard let start = streetBefore(t, lowers, pcStart) else { continue }
            var a = toks[start].start
            var z = toks[end].end
            for e in out where e.type == .streetAddress && e.start < z && a < e.end {
                a = min(a, e.start)
                z = max(z, e.end)
            }
            out.removeAll { $0.type == .streetAddress && $0.start < z && a < $0.end }
            add(t, a, z, &out)
            k = end
        }
    }

    /// "SW1A 2AA", "W4K 1DB", "E3 9BP", "GU0B 0JS": one or two letters, a digit, a digit or letter, a space, a digit
    /// and two letters; returns the last token.
    private func britishPostcode(_ t: ScannedText, _ k: Int) -> Int? {
        let toks = t.tokens
        let s = t.scalars
        // The outward code is letters and digits with no space between; the inward code a digit and two letters.
        var m = k
        var outward: [Unicode.Scalar] = []
        while m < toks.count, toks[m].kind == .word || toks[m].kind == .number, m == k || !toks[m].spaceBefore {
            outward += s[toks[m].start..<toks[m].end]
            m += 1
        }
        guard (2...4).contains(outward.count), m + 1 < toks.count, toks[m].kind == .number, toks[m].spaceBefore,
            toks[m].end - toks[m].start == 1, toks[m + 1].kind == .word, !toks[m + 1].spaceBefore, toks[m + 1].allCaps,
            toks[m + 1].end - toks[m + 1].start == 2
        else { return nil }
        let letters = outward.prefix { ScannedText.isASCIILetter($0) }.count
        guard (1...2).contains(letters), letters < outward.count, ScannedText.isDigit(outward[letters]),
            outward.allSatisfy({ ScannedText.isDigit($0) || ($0.value >= 65 && $0.value <= 90) })
        else { return nil }
        if m + 2 < toks.count, toks[m + 2].kind == .word || toks[m + 2].kind == .number, !toks[m + 2].spaceBefore { return nil }
        return m + 1
    }

    /// The first token of the street (and, for a British address, the city) before a postcode at token `p`:
    /// back over the comma or line break, then over address tokens, across up to two more lines that hold a
    /// house number or a street word (or a unit line above them). Nil when no house number or street word is found.
    private func streetBefore(_ t: ScannedText, _ lowers: [String], _ p: Int) -> Int? {
        let toks = t.tokens
        var m = p - 1
        var start: Int? = nil
        var evidence = false
        var lines = 0
        // A postcode that starts its line has its street on the line above.
        if m >= 0, toks[m].kind == .newline {
            m -= 1
            lines = 1
        }
        func lineEvidence(_ from: Int, _ to: Int) -> (number: Bool, street: Bool, unit: Bool) {
            var r = (number: false, street: false, unit: false)
            guard from <= to else { return r }
            for q in from...to {
                if toks[q].kind == .number, toks[q].end - toks[q].start <= 4 { r.number = true }
                if toks[q].kind == .word {
                    let f = t.flags[q]
                    if f.has([.streetWord, .prefixStreetWord]) { r.street = true }
                    if f.has(.unitWord) || lowers[q] == "studio" { r.unit = true }
                    if toks[q].capitalized, lowers[q].utf8.count > 5, !f.has(.english),
                        Self.streetEndings.contains(where: { lowers[q].hasSuffix($0) }) || lowers[q].hasSuffix("str") || lowers[q].hasSuffix("steeg")
                            || lowers[q].hasSuffix("dreef") || lowers[q].hasSuffix("singel") || lowers[q].hasSuffix("pad") || lowers[q].hasSuffix("baan")
                            || lowers[q].hasSuffix("gracht") || lowers[q].hasSuffix("kade") || lowers[q].hasSuffix("markt")
                    {
                        r.street = true
                    }
                }
            }
            return r
        }
        while m >= 0 {
            // One line: back from m to its first address token.
            var q = m
            while q >= 0, toks[q].kind != .newline, addressToken(t, lowers, q) || t.flags[q].has([.prefixStreetWord, .streetWord]) || t.isSymbol(q, ".") {
                if t.isSymbol(q, ":") { break }
                q -= 1
            }
            var first = q + 1
            // Drop leading lowercase words that are not street words ("in", "naar") and stray symbols.
            while first <= m, toks[first].kind == .symbol || (toks[first].kind == .word && !toks[first].capitalized
                && !t.flags[first].has([.prefixStreetWord, .streetWord, .unitWord]))
            {
                first += 1
            }
            guard first <= m else { break }
            // A phone or email line, or prose that runs into the address, ends the search.
            if toks[first].kind == .word, Self.phoneLabels.contains(lowers[first]), t.isSymbol(first + 1, ".") || t.isSymbol(first + 1, ":") { break }
            let ev = lineEvidence(first, m)
            if lines == 0 {
                start = first
                evidence = evidence || ev.number || ev.street
                // The postcode's own line may not reach its line start through prose: "geht an Hauptstraße 12, 10115".
                if q >= 0, toks[q].kind != .newline { break }
            } else if ev.number || ev.street {
                start = first
                evidence = true
                if q >= 0, toks[q].kind != .newline { break }
            } else if ev.unit {
                start = first
                break
            } else {
                // A line of words alone counts only when a unit line ("Studio 7", "Flat 22") stands above it.
                var above = q - 1
                while above >= 0, toks[above].kind != .newline { above -= 1 }
                if q >= 1, q - 1 >= above + 1, lineEvidence(above + 1, q - 1).unit {
                    start = above + 1
                    evidence = true
                }
                break
            }
            lines += 1
            guard lines <= 2, q >= 1, toks[q].kind == .newline, toks[q - 1].kind != .newline else { break }
            m = q - 1
        }
        guard evidence, let st = start else { return nil }
        return st
    }

    private func add(_ t: ScannedText, _ start: Int, _ end: Int, _ out: inout [PIIEntity]) {
        guard end > start else { return }
        out.append(PIIEntity(type: .streetAddress, start: start, end: end, text: ""))
    }
}
