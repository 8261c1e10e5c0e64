/// Finds email addresses, URLs, bare domain names and IPv4/IPv6 addresses by scanning scalars.
struct NetworkIdentifierDetector {
    /// Top-level domains accepted for a bare domain (`acme.io`); URLs with a scheme or `www.` need none.
    static let topLevelDomains: Set<String> = [
        "com", "org", "net", "edu", "gov", "mil", "int", "info", "biz", "io", "ai", "co", "app", "dev", "me", "tv",
        "us", "uk", "ca", "au", "nz", "ie", "de", "fr", "es", "it", "pt", "nl", "be", "lu", "ch", "at", "se", "no",
        "dk", "fi", "is", "pl", "cz", "sk", "hu", "ro", "bg", "gr", "cy", "ee", "lv", "lt", "si", "hr", "rs", "ru",
        "ua", "by", "tr", "il", "in", "cn", "jp", "kr", "tw", "hk", "sg", "my", "th", "vn", "id", "ph", "br", "ar",
        "mx", "cl", "pe", "za", "ng", "ke", "eg", "ma", "ae", "sa", "online", "site", "store", "shop", "xyz", "eu",
        "cloud", "tech", "ly", "gl", "so", "to", "fm", "ws", "cc", "la", "mt", "li", "mc", "ad", "sm", "va",
    ]

    func detect(_ t: ScannedText, into out: inout [PIIEntity]) {
        let s = t.scalars
        let n = s.count
        var i = 0
        var taken = 0  // scalars before this are already part of a find
        while i < n {
            let c = s[i]
            if c == "@", i > taken, let e = email(s, at: i, from: taken) {
                out.append(PIIEntity(type: .emailAddress, start: e.0, end: e.1, text: ""))
                taken = e.1
                i = e.1
                continue
            }
            if (c == "h" || c == "H" || c == "w" || c == "W"), i >= taken, i == 0 || !isHostChar(s[i - 1]),
                let u = url(s, at: i)
            {
                out.append(PIIEntity(type: .url, start: i, end: u, text: ""))
                taken = u
                i = u
                continue
            }
            if ScannedText.isDigit(c) || (ScannedText.isASCIILetter(c) && (c.value | 0x20) <= 102) || c == ":" {
                if i >= taken, i == 0 || !(isHostChar(s[i - 1]) || s[i - 1] == "." || s[i - 1] == ":"),
                    let ip = ipAddress(s, at: i)
                {
                    out.append(PIIEntity(type: .ipAddress, start: i, end: ip, text: ""))
                    taken = ip
                    i = ip
                    continue
                }
            }
            i += 1
        }
        domains(t, after: 0, into: &out)
    }

    @inline(__always) static func isTrailingPunctuation(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case ".", ",", ";", ":", "!", "?", ")", "]", "}", "'", "’": true
        default: false
        }
    }

    @inline(__always) private func isHostChar(_ c: Unicode.Scalar) -> Bool {
        ScannedText.isAlnum(c) || c == "-" || (c.value >= 0x80 && c.properties.isAlphabetic)
    }

    @inline(__always) private func isLocalChar(_ c: Unicode.Scalar) -> Bool {
        isHostChar(c) || c == "." || c == "_" || c == "+" || c == "%" || c == "'"
    }

    /// `local@host.tld` around the `@` at `at`; returns the scalar range.
    private func email(_ s: [Unicode.Scalar], at: Int, from floor: Int) -> (Int, Int)? {
        var a = at
        while a > floor, isLocalChar(s[a - 1]) { a -= 1 }
        while a < at, s[a] == "." || s[a] == "'" { a += 1 }
        guard a < at else { return nil }
        guard let end = hostEnd(s, from: at + 1, requireTLD: false) else { return nil }
        return (a, end)
    }

    /// End of `label(.label)+` starting at `from`, with an alphabetic last label; nil if none.
    private func hostEnd(_ s: [Unicode.Scalar], from: Int, requireTLD: Bool) -> Int? {
        var i = from
        var dots = 0
        var lastLabelStart = from
        let n = s.count
        while i < n {
            if isHostChar(s[i]) {
                i += 1
            } else if s[i] == ".", i + 1 < n, isHostChar(s[i + 1]), i > from, s[i - 1] != "." {
                dots += 1
                i += 1
                lastLabelStart = i
            } else {
                break
            }
        }
        guard dots > 0, i - lastLabelStart >= 2 else { return nil }
        var alpha = true
        for k in lastLabelStart..<i where !ScannedText.isLetter(s[k]) { alpha = false }
        guard alpha else { return nil }
        if requireTLD {
            var tld = ""
            for k in lastLabelStart..<i { tld.unicodeScalars.append(Unicode.Scalar(s[k].value | 0x20)!) }
            guard Self.topLevelDomains.contains(tld) else { return nil }
        }
        return i
    }

    private func hasPrefix(_ s: [Unicode.Scalar], _ at: Int, _ p: String) -> Bool {
        var i = at
        for c in p.unicodeScalars {
            guard i < s.count, s[i].value | 0x20 == c.value | 0x20 else { return false }
            i += 1
        }
        return true
    }

    /// `http(s)://…` or `www.…` up to whitespace, without trailing punctuation.
    private func url(_ s: [Unicode.Scalar], at: Int) -> Int? {
        let n = s.count
        var i: Int
        if hasPrefix(s, at, "https://") {
            i = at + 8
        } else if hasPrefix(s, at, "http://") {
            i = at + 7
        } else if hasPrefix(s, at, "www."), let e = hostEnd(s, from: at, requireTLD: false) {
            i = e
        } else {
            return nil
        }
        guard i < n, isHostChar(s[i]) || s[i] == "[" || i > at + 8 else { return nil }
        while i < n, !ScannedText.isSpace(s[i]), s[i] != "\n", s[i] != "\r", s[i] != "\"", s[i] != "<", s[i] != ">" {
            i += 1
        }
        while i > at, Self.isTrailingPunctuation(s[i - 1]) {
            // Keep a closing parenthesis that belongs to the URL (wiki links).
            if s[i - 1] == ")", s[at..<i].contains("(") { break }
            i -= 1
        }
        return i
    }

    /// A dotted IPv4 address (each part ≤ 255) or an IPv6 address (8 groups, or fewer with `::`).
    private func ipAddress(_ s: [Unicode.Scalar], at: Int) -> Int? {
        if let v4 = ipv4(s, at: at) { return v4 }
        return ipv6(s, at: at)
    }

    private func ipv4(_ s: [Unicode.Scalar], at: Int) -> Int? {
        var i = at
        let n = s.count
        for part in 0..<4 {
            var value = 0
            let st = i
            while i < n, ScannedText.isDigit(s[i]), i - st < 3 {
                value = value * 10 + Int(s[i].value - 48)
                i += 1
            }
            guard i > st, value <= 255 else { return nil }
            if part < 3 {
                guard i < n, s[i] == "." else { return nil }
                i += 1
            }
        }
        if i < n, ScannedText.isAlnum(s[i]) || (s[i] == "." && i + 1 < n && ScannedText.isDigit(s[i + 1])) {
            return nil
        }
        return i
    }

    private func ipv6(_ s: [Unicode.Scalar], at: Int) -> Int? {
        var i = at
        let n = s.count
        var groups = 0
        var doubleColon = false
        var lastEnd = at
        while i < n {
            let st = i
            while i < n, isHex(s[i]), i - st < 4 { i += 1 }
            if i > st {
                groups += 1
                lastEnd = i
                if i < n, isHex(s[i]) { return nil }
            }
            if i + 1 < n, s[i] == ":", s[i + 1] == ":" {
                if doubleColon { break }
                doubleColon = true
                i += 2
                lastEnd = i
            } else if i < n, s[i] == ":", i > st {
                i += 1
            } else {
                break
            }
        }
        guard groups == 8 || (doubleColon && groups >= 2 && groups < 8) else { return nil }
        if lastEnd < n, ScannedText.isLetter(s[lastEnd]) { return nil }
        return lastEnd
    }

    @inline(__always) private func isHex(_ c: Unicode.Scalar) -> Bool {
        ScannedText.isDigit(c) || ((c.value | 0x20) >= 97 && (c.value | 0x20) <= 102)
    }

    /// Bare domain names (`acme-tools.co.uk`) with a known top-level domain, outside emails and URLs.
    private func domains(_ t: ScannedText, after: Int, into out: inout [PIIEntity]) {
        let s = t.scalars
        var i = 0
        let n = s.count
        while i < n {
            guard ScannedText.isAlnum(s[i]), i == 0 || !(isHostChar(s[i - 1]) || s[i - 1] == "@" || s[i - 1] == "." || s[i - 1] == "/") else {
                i += 1
                continue
            }
            if let e = hostEnd(s, from: i, requireTLD: true), e < n ? (s[e] != "@" && !isHostChar(s[e])) : true {
                // Skip abbreviations like "e.g" or "U.N": a domain has a label of two or more characters before the TLD.
                var firstLabel = i
                while firstLabel < e, s[firstLabel] != "." { firstLabel += 1 }
                if firstLabel - i >= 2 {
                    let overlaps = out.contains { $0.start < e && i < $0.end }
                    if !overlaps { out.append(PIIEntity(type: .url, start: i, end: e, text: "")) }
                }
                i = e
                continue
            }
            while i < n, isHostChar(s[i]) || s[i] == "." { i += 1 }
        }
    }
}
