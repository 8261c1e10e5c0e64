/// Finds person and organization names without a statistical model: name lists, capitalization,
/// titles and honorifics, company suffixes, and the words around a name ("my name is", "works at",
/// "X said"), plus the layout of signature blocks (name line, then company line).
///
/// A name that is also an English word ("Rose", "Hill") or a capitalized word in no list needs a
/// second clue: a neighbouring name, a title, or a context phrase.
struct NameDetector {
    let lexicon: NameLexicon

    static let titles: Set<String> = [
        "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "madam", "dame", "lord", "lady", "rev",
        "herr", "frau", "mme", "mlle", "sra", "srta", "signor", "signora", "dott",
    ]
    static let nameSuffixes: Set<String> = ["jr", "sr", "ii", "iii", "iv", "md", "phd", "dds", "dvm", "esq", "cpa"]
    static let particles: Set<String> = [
        "van", "von", "de", "der", "den", "da", "di", "du", "del", "della", "la", "le", "bin", "ibn", "al", "el", "dos",
        "das", "ter", "ten", "zu", "y", "dei", "degli", "delle", "do", "des", "het", "am", "an", "im", "e",
    ]
    /// Short everyday words that some name list also holds ("The", "My", "Can"): never a name on their own.
    static let functionWords: Set<String> = [
        "the", "a", "an", "my", "your", "his", "her", "its", "our", "their", "i", "me", "we", "you", "he", "she", "it",
        "they", "them", "us", "him", "this", "that", "these", "those", "to", "in", "on", "at", "of", "for", "with",
        "from", "by", "as", "and", "or", "but", "if", "so", "not", "no", "yes", "is", "are", "was", "were", "be",
        "been", "do", "does", "did", "can", "could", "will", "would", "shall", "should", "may", "might", "must",
        "have", "has", "had", "what", "who", "whom", "which", "when", "where", "why", "how", "all", "any", "some",
        "new", "old", "big", "good", "great", "best", "first", "last", "next", "please", "thanks", "hello", "hi",
        "dear", "here", "there", "then", "than", "now", "just", "also", "only", "very", "more", "most", "one", "two",
        "three", "four", "five", "six", "ten", "up", "down", "out", "over", "about", "after", "before", "into",
        "off", "again", "once", "why", "das", "ma", "ok", "okay", "mobile", "desk", "fax", "phone", "office", "email", "address",
        "name", "website", "info", "personal", "north", "south", "east", "west", "street", "st", "road", "avenue",
        "city", "state", "county", "country", "republic", "kingdom", "united", "island", "islands", "saint", "san",
        "santa", "port", "fort", "lake", "mount", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
        "sunday", "january", "february", "march", "april", "june", "july", "august", "september", "october",
        "november", "december", "bot", "user", "ceo", "cto", "cfo", "tv", "ibm", "usa", "uk", "eu", "un", "prince",
        "princess", "king", "queen", "duke", "duchess", "royal", "pope", "saint",
    ]
    /// Words before a person: "my name is", "call me", "dear", "producer".
    static let personCues: Set<String> = [
        "name", "names", "named", "called", "call", "calls", "dear", "hi", "hello", "hey", "thanks", "thank",
        "regards", "sincerely", "cheers", "said", "asked", "told", "ask", "tell", "met", "meet", "with", "user",
        "contact", "husband", "wife", "partner", "son", "daughter", "kid", "child", "mother", "father", "brother",
        "sister", "friend", "colleague", "manager", "boss", "under", "add", "known", "speak", "ms", "mr", "mrs",
        "producer", "director", "directed", "starring", "singer", "songwriter", "author", "writer", "actor",
        "actress", "founder", "founders", "president", "engineer", "commenter", "guitarist", "drummer", "vocalist",
        "assistant", "by", "heard", "grandfather", "grandmother", "uncle", "aunt", "cousin", "nephew", "niece",
        "guardian", "beneficiary", "ex", "mister", "leave", "says", "i'm", "im", "including",
    ]
    /// The strongest of the cues: enough for a single name that is also an English word ("my name is Key").
    static let namingCues: Set<String> = ["name", "names", "named", "called", "call", "calls", "dear", "known", "ms", "mr", "mrs"]
    /// Verbs after a person: "Timotea lives on …", "Mehrudin shouted".
    static let personVerbs: Set<String> = [
        "lives", "lived", "said", "says", "told", "asked", "shouted", "wrote", "replied", "explained", "thinks",
        "thought", "spent", "began", "works", "worked", "smiled", "laughed", "cried", "wants", "loves", "likes",
        "married", "died", "listed", "had", "has", "will", "was", "is",
    ]
    static let strongPersonVerbs: Set<String> = [
        "lives", "lived", "said", "says", "told", "asked", "shouted", "wrote", "replied", "explained", "smiled",
        "laughed", "cried", "married", "died", "listed", "spent", "began",
    ]
    static let greetings: Set<String> = ["hi", "hello", "hey", "dear", "thanks", "thank", "regards", "cheers", "sincerely", "best"]

    static let linkWords: Set<String> = ["is", "was", "are", "me", "as", "be", "it's", "its", "to", "from"]
    /// Words before an organization: "works at", "employed by", "joined".
    static let organizationCues: Set<String> = [
        "at", "for", "from", "joined", "join", "company", "employer", "client", "customer", "vendor", "supplier",
        "became", "of",
    ]
    /// Words that end an organization's name.
    static let organizationSuffixes: Set<String> = [
        "inc", "llc", "ltd", "gmbh", "corp", "corporation", "company", "co", "group", "holdings", "holding", "plc",
        "ag", "sa", "se", "bv", "nv", "oy", "oyj", "ab", "asa", "aps", "kg", "srl", "spa", "sas", "sarl", "pty",
        "llp", "lp", "limited", "incorporated", "systems", "technologies", "technology", "solutions", "labs", "lab",
        "partners", "bank", "ventures", "capital", "industries", "enterprises", "associates", "foundation",
        "institute", "university", "college", "records", "media", "networks", "software", "consulting", "services",
        "analytics", "insurance", "pharmaceuticals", "pharma", "motors", "airlines", "airways", "transit", "energy",
        "logistics", "studios", "entertainment", "publishing", "orchestra", "society", "association", "agency",
        "council", "hospital", "clinic", "academy", "club", "trust", "fund", "bancorp", "brands", "foods",
        "communications", "telecom", "dynamics", "robotics", "therapeutics", "biosciences", "bioscience", "data",
        "digital", "interactive", "international", "global", "worldwide", "investments", "financial", "realty",
        "properties", "construction", "manufacturing", "electronics", "semiconductor", "chemicals", "mining",
        "petroleum", "press", "news", "insight", "insights", "lines", "health", "healthcare", "research",
        "traders", "trading", "supply", "supplies", "distribution", "retail", "wholesale", "outfitters", "imports",
        "exports", "motors", "freight", "shipping",
        // Continental legal forms and firm words: "Bresse Groep", "Lemaître et Fils", "Vogt OHG".
        "groep", "fils", "sons", "figli", "ohg", "kgaa", "mbh", "gbr", "stiftung", "asociados", "associati", "hnos",
    ]
    /// Nouns after "the X …" or "X …" that make X an organization: "the Acme office".
    static let organizationNouns: Set<String> = [
        "office", "offices", "headquarters", "hq", "team", "branch", "store", "website", "platform", "employees",
        "staff", "board", "ceo", "cfo", "cto", "invested", "announced", "acquired", "reported", "shares",
    ]

    enum WordClass { case strong, weak, unknown, english, title, suffix, particle, initial, other }

    func detect(_ t: ScannedText, into out: inout [PIIEntity]) {
        let toks = t.tokens
        let count = toks.count
        var classes = [WordClass](repeating: .other, count: count)
        let lowers = t.lowers
        for k in 0..<count where toks[k].kind == .word {
            classes[k] = classify(t, k)
        }
        var found: [PIIEntity] = []
        var k = 0
        while k < count {
            guard toks[k].kind == .word else {
                k += 1
                continue
            }
            let c = classes[k]
            if !toks[k].capitalized {
                k += 1
                continue
            }
            // A run of capitalized words, initials and particles on one line.
            var titled = false
            var first = k
            if c == .title {
                titled = true
                first = k + 1
                if t.isSymbol(first, ".") { first += 1 }
                guard first < count, toks[first].kind == .word, toks[first].capitalized else {
                    k = first
                    continue
                }
            }
            var last = first
            var words: [Int] = []
            var m = first
            while m < count {
                let tok = toks[m]
                guard tok.kind == .word else { break }
                if m > first, !tok.spaceBefore && !t.isSymbol(m - 1, ".") { break }
                let cl = classes[m]
                if tok.capitalized {
                    if cl == .english && !(titled && words.isEmpty) { break }
                    if cl == .title || cl == .suffix {
                        if cl == .suffix && !words.isEmpty {
                            last = t.isSymbol(m + 1, ".") ? m + 1 : m
                        }
                        break
                    }
                    words.append(m)
                    last = m
                    m += 1
                    if cl == .initial, t.isSymbol(m, ".") {
                        last = m
                        m += 1
                    }
                } else if cl == .particle, m + 1 < count, toks[m + 1].kind == .word, toks[m + 1].capitalized, !words.isEmpty {
                    // "Jan Kowalski van Dijk": after a first and a last name, a particle that means "from" starts the employer.
                    if words.count >= 2, !titled, Self.employerPrepositions.contains(lowers[m]), t.flags[words[0]].has(.firstName) { break }
                    m += 1
                } else {
                    break
                }
            }
            if words.isEmpty {
                k = max(m, k + 1)
                continue
            }
            // An organization suffix right after the run: "Careset Systems", "Areavibes Inc".
            var orgEnd: Int? = nil
            if last + 1 < count, toks[last + 1].kind == .word, toks[last + 1].spaceBefore,
                t.flags[last + 1].has(.organizationSuffix), toks[last + 1].capitalized || toks[last + 1].allCaps
            {
                orgEnd = t.isSymbol(last + 2, ".") && ["inc", "co", "corp", "ltd"].contains(lowers[last + 1]) ? last + 2 : last + 1
            }
            let runStart = titled ? k : first
            let start = toks[runStart].start
            if let e = orgEnd, !titled {
                add(.organization, t, toks[first].start, toks[e].end, &found)
                k = e + 1
                continue
            }
            if let type = decide(t, words: words, classes: classes, lowers: lowers, titled: titled, runStart: runStart, after: last + 1) {
                add(type, t, type == .organization ? toks[first].start : start, type == .organization ? toks[words.last!].end : toks[last].end, &found)
            }
            k = max(last + 1, k + 1)
        }
        organizationPhrases(t, classes, lowers, &found)
        firms(t, classes, lowers, &found)
        ampersandFirms(t, classes, lowers, &found)
        dottedLegalForms(t, classes, lowers, out, &found)
        coordinated(t, classes, lowers, &found)
        signatureBlocks(t, classes, lowers, out, &found)
        out.append(contentsOf: found)
    }

    private func classify(_ t: ScannedText, _ k: Int) -> WordClass {
        let tok = t.tokens[k]
        let f = t.flags[k]
        if !tok.capitalized { return f.has(.particle) ? .particle : .other }
        if f.has(.title) { return .title }
        if f.has(.nameSuffix), tok.allCaps || t.lowers[k] == "jr" || t.lowers[k] == "sr" { return .suffix }
        if tok.end - tok.start == 1 { return .initial }
        if f.has([.function, .country]) { return .english }
        // "De creditcard …", "Le devis …": a particle that starts a sentence before a lowercase word is an article.
        if f.has(.particle), k + 1 < t.tokens.count, t.tokens[k + 1].kind == .word, !t.tokens[k + 1].capitalized { return .english }
        var flags = f
        let w = t.lowers[k]
        if let apostrophe = w.firstIndex(where: { $0 == "'" || $0 == "’" }) {
            let base = String(w[..<apostrophe])
            if base.count <= 1 || Self.functionWords.contains(base) { return .english }
            flags = lexicon.flags(of: base)
        }
        let english = flags.has(.english)
        var name = flags.has(.name)
        if !name, w.unicodeScalars.contains("-") {
            // Double-barrelled names: every part a name.
            name = w.split(separator: "-").allSatisfy { !lexicon.flags(of: String($0)).isDisjoint(with: .name) }
        }
        if name { return english ? .weak : .strong }
        if english { return .english }
        return .unknown
    }

    /// The word before token `k` (skipping up to two symbols) is one of `cues`; "my name is X" looks one word further back.
    private func hasCue(_ t: ScannedText, _ k: Int, _ cues: Set<String>) -> Bool {
        let toks = t.tokens
        let lowers = t.lowers
        var m = k - 1
        var comma = false
        while m >= 0, toks[m].kind == .symbol, m >= k - 2 {
            if t.scalars[toks[m].start] == "," { comma = true }
            m -= 1
        }
        guard m >= 0, toks[m].kind == .word else { return false }
        // Across a comma only a greeting cues a name ("Hi, Tom"); "Account Manager, Northwind" does not.
        if comma && !Self.greetings.contains(lowers[m]) { return false }
        if cues.contains(lowers[m]) { return true }
        if Self.linkWords.contains(lowers[m]), m > 0, toks[m - 1].kind == .word { return cues.contains(lowers[m - 1]) }
        return false
    }

    private func decide(
        _ t: ScannedText, words: [Int], classes: [WordClass], lowers: [String], titled: Bool, runStart: Int, after: Int
    ) -> PIIEntityType? {
        let toks = t.tokens
        if let lastWord = words.last, Self.organizationSuffixes.contains(lowers[lastWord]), words.count >= 2, !titled {
            return .organization
        }
        if titled { return .person }
        if words.count > 1, lexicon.countries.contains(words.map { lowers[$0] }.joined(separator: " ")) { return nil }
        var strong = 0
        var weak = 0
        var unknown = 0
        var initials = 0
        var firstNames = 0
        var allCaps = true
        for w in words {
            switch classes[w] {
            case .strong: strong += 1
            case .weak: weak += 1
            case .unknown: unknown += 1
            case .initial: initials += 1
            default: break
            }
            if t.flags[w].has(.firstName) { firstNames += 1 }
            if !toks[w].allCaps { allCaps = false }
        }
        let nameWords = strong + weak + unknown
        let single = words.count == 1
        let w0 = words[0]
        if allCaps && (single || words.count > 3) { return nil }
        let hyphenated = single && lowers[w0].unicodeScalars.contains("-")
        let orgCue = hasCue(t, runStart, Self.organizationCues)
        let nextWord = after < toks.count && toks[after].kind == .word ? lowers[after] : ""
        let nextIsOrgNoun = Self.organizationNouns.contains(nextWord)
        let prevIsThe = runStart > 0 && toks[runStart - 1].kind == .word && lowers[runStart - 1] == "the"
        if (prevIsThe && nextIsOrgNoun) || (hyphenated && classes[w0] == .strong && firstNames == 0) {
            return .organization
        }
        let personCue = hasCue(t, runStart, Self.personCues) || speakerLabel(t, runStart, after)
        let namingCue = hasCue(t, runStart, Self.namingCues)
        let personVerb = Self.personVerbs.contains(nextWord)
        let strongVerb = Self.strongPersonVerbs.contains(nextWord)
        if strong >= 1 && (nameWords >= 2 || firstNames >= 1 || initials >= 1) { return .person }
        if strong >= 1 && single {
            // A lone surname-like word: a person unless the context says company.
            if (orgCue || nextIsOrgNoun) && !personCue { return .organization }
            return .person
        }
        if weak >= 1, nameWords >= 2, t.flags[w0].has(.firstName), classes[w0] != .unknown,
            words.dropFirst().contains(where: { t.flags[$0].has(.lastName) })
        {
            return .person
        }
        if unknown >= 1 && nameWords >= 2 && (strong >= 1 || initials >= 1) { return .person }
        if weak >= 1 && (namingCue || (firstNames >= 1 && (personCue || personVerb))) { return .person }
        if unknown >= 1 {
            if nameWords >= 2 && looksLikeNames(words, lowers) { return .person }
            if (personCue || strongVerb) && !orgCue { return .person }
            if orgCue || nextIsOrgNoun || (prevIsThe && single) { return .organization }
            if nameWords >= 2 && weak >= 1 && personCue { return .person }
        }
        return nil
    }

    /// "Gijsbrecht: \"Who are you?\"": a name at the start of a line followed by a colon and a quote, as in transcripts.
    private func speakerLabel(_ t: ScannedText, _ start: Int, _ after: Int) -> Bool {
        let toks = t.tokens
        guard start == 0 || toks[start - 1].kind == .newline, t.isSymbol(after, ":") else { return false }
        guard after + 1 < toks.count, toks[after + 1].kind == .symbol else { return false }
        let c = t.scalars[toks[after + 1].start]
        return c == "\"" || c == "“" || c == "'"
    }

    /// Surname endings common across European and Slavic languages, for names no list holds.
    static let surnameEndings = [
        "ov", "ova", "ev", "eva", "in", "ina", "ić", "ic", "vić", "ová", "ski", "ska", "sky", "cki", "cka", "wicz",
        "escu", "enko", "uk", "yan", "ian", "dze", "shvili", "son", "sson", "sen", "ssen", "berg", "mann", "nen",
        "lainen", "poulos", "akis", "oglu", "ez", "es", "ini", "elli", "etti", "ucci", "aki", "oto", "ura", "ama",
        "dóttir", "ová", "ná", "ská",
    ]

    private func looksLikeNames(_ words: [Int], _ lowers: [String]) -> Bool {
        words.contains { w in Self.surnameEndings.contains { lowers[w].hasSuffix($0) } }
    }

    private func isNameLike(_ c: WordClass) -> Bool { c == .strong || c == .weak || c == .unknown }

    /// "Davis, Reynolds and Williamson", "Smith & Jones": surnames joined into a firm's name, when
    /// they are not a list of people ("our founders: Brabec, Doyle and Gonzalez").
    private func firms(_ t: ScannedText, _ classes: [WordClass], _ lowers: [String], _ out: inout [PIIEntity]) {
        let toks = t.tokens
        var k = 0
        while k + 4 < toks.count {
            defer { k += 1 }
            guard toks[k].kind == .word, toks[k].capitalized, isNameLike(classes[k]), t.isSymbol(k + 1, ","),
                toks[k + 2].kind == .word, toks[k + 2].capitalized, isNameLike(classes[k + 2]),
                toks[k + 3].kind == .word, lowers[k + 3] == "and" || t.isSymbol(k + 3, "&"),
                toks[k + 4].kind == .word, toks[k + 4].capitalized, isNameLike(classes[k + 4])
            else { continue }
            let members = [k, k + 2, k + 4]
            if members.contains(where: { lexicon.firstNames.contains(lowers[$0]) && !lexicon.lastNames.contains(lowers[$0]) }) { continue }
            // A list introduced by a colon or continuing a comma list names people.
            if k > 0, t.isSymbol(k - 1, ":") || t.isSymbol(k - 1, ",") { continue }
            if k > 1, toks[k - 1].kind == .word, Self.personCues.contains(lowers[k - 1]) { continue }
            var e = k + 4
            if e + 1 < toks.count, toks[e + 1].kind == .word, Self.organizationSuffixes.contains(lowers[e + 1]) { e += 1 }
            let start = toks[k].start
            let end = toks[e].end
            out.removeAll { $0.start < end && start < $0.end }
            out.append(PIIEntity(type: .organization, start: start, end: end, text: ""))
            k = e
        }
    }

    /// "Willemsen & van Ginkel", "Lemaître et Fils": two names joined by "&" (or "et Fils") make a firm.
    private func ampersandFirms(_ t: ScannedText, _ classes: [WordClass], _ lowers: [String], _ out: inout [PIIEntity]) {
        let toks = t.tokens
        var k = 0
        while k + 2 < toks.count {
            defer { k += 1 }
            guard toks[k].kind == .word, toks[k].capitalized, isNameLike(classes[k]), t.isSymbol(k + 1, "&") else { continue }
            var m = k + 2
            while m < toks.count, toks[m].kind == .word, classes[m] == .particle { m += 1 }
            guard m < toks.count, toks[m].kind == .word, toks[m].capitalized, toks[m].spaceBefore || m > k + 2 else { continue }
            var s = k
            while s > 0, toks[s - 1].kind == .word, toks[s - 1].capitalized || classes[s - 1] == .particle, toks[s - 1].spaceBefore || s - 1 == 0,
                !(toks[s - 1].capitalized && classes[s - 1] == .english)
            {
                // Stop at the name of the person before "van"/"de": "Tyler Aschman van Sarneel & van Daal".
                if classes[s - 1] == .particle, s >= 2, toks[s - 2].kind == .word, toks[s - 2].capitalized { break }
                s -= 1
            }
            while s < k, classes[s] == .particle { s += 1 }
            var e = m
            while e + 1 < toks.count, toks[e + 1].kind == .word, toks[e + 1].capitalized || t.flags[e + 1].has(.organizationSuffix) { e += 1 }
            let a = toks[s].start
            let b = toks[e].end
            out.removeAll { $0.start < b && a < $0.end }
            out.append(PIIEntity(type: .organization, start: a, end: b, text: ""))
            k = e
        }
    }

    /// Legal forms: enough on their own to make the capitalized words before them a company.
    static let legalForms: Set<String> = [
        "inc", "llc", "ltd", "gmbh", "corp", "corporation", "plc", "ag", "sa", "bv", "nv", "oy", "oyj", "ab", "asa",
        "aps", "kg", "srl", "spa", "sas", "sarl", "pty", "llp", "lp", "limited", "incorporated", "co", "company",
    ]
    /// Lowercase words inside a capitalized phrase: "Bank of Foo", "Lemaître et Fils", "Hyde and Sons".
    static let phraseJoiners: Set<String> = ["and", "of", "for", "et", "e", "y", "und", "en"]
    /// "<person> from X" in the seven languages of the evaluation set: X names the person's employer.
    static let employerPrepositions: Set<String> = [
        "from", "of", "at", "von", "van", "de", "di", "da", "du", "del", "z", "ze", "bei", "chez", "presso",
    ]
    /// Words after "work for", "is from", "… of": the capitalized words that follow name an employer.
    static let employerVerbs: Set<String> = ["work", "works", "worked", "working", "employed", "joined", "join", "hired", "interned"]

    /// Capitalized phrases that name a company even when made of everyday words: "Rapid Cycle Solutions",
    /// "Civic Impulse LLC", or "Amadeo Vitorović from Rapid Cycle Solutions", "I work for Us News Schools".
    private func organizationPhrases(_ t: ScannedText, _ classes: [WordClass], _ lowers: [String], _ out: inout [PIIEntity]) {
        let toks = t.tokens
        var k = 0
        while k < toks.count {
            guard toks[k].kind == .word, toks[k].capitalized, classes[k] != .title else {
                k += 1
                continue
            }
            var words = [k]
            var m = k + 1
            while m < toks.count {
                if toks[m].kind == .word, toks[m].capitalized, toks[m].spaceBefore, classes[m] != .title {
                    words.append(m)
                    m += 1
                } else if toks[m].kind == .word, Self.phraseJoiners.contains(lowers[m]) || t.isSymbol(m, "&"), m + 1 < toks.count,
                    toks[m + 1].kind == .word, toks[m + 1].capitalized
                {
                    m += 1
                } else {
                    break
                }
            }
            defer { k = max(m, k + 1) }
            // Leading sentence words ("The", "My") are not part of the name.
            while let first = words.first, Self.functionWords.contains(lowers[first]) || lexicon.countries.contains(lowers[first]) {
                words.removeFirst()
            }
            guard let first = words.first, let last = words.last else { continue }
            let singleEveryday = words.count == 1 && classes[first] == .english
            let start = toks[first].start
            var end = toks[last].end
            if t.isSymbol(last + 1, "."), ["inc", "co", "corp", "ltd"].contains(lowers[last]) { end = toks[last + 1].end }
            let nonEnglish = words.contains { classes[$0] != .english }
            var isOrganization = false
            if words.count >= 2, Self.legalForms.contains(lowers[last]) {
                isOrganization = true
            } else if words.count >= 2, Self.organizationSuffixes.contains(lowers[last]), nonEnglish || words.count >= 3 {
                isOrganization = true
            } else {
                // After an employer cue: "work for X", "<person> from X", "<person> of X".
                var p = first - 1
                guard p >= 1, toks[p].kind == .word else { continue }
                let cue = lowers[p]
                p -= 1
                if ["for", "at", "by"].contains(cue), toks[p].kind == .word, Self.employerVerbs.contains(lowers[p]) {
                    isOrganization = true
                } else if cue == "joined" || cue == "employer" {
                    isOrganization = true
                } else if Self.employerPrepositions.contains(cue) {
                    let cueStart = toks[first - 1].start
                    let before = toks[first - 2]
                    let afterPerson = out.contains { $0.type == .person && $0.end == before.end } || (cue == "from" && lowers[first - 2] == "is")
                    isOrganization = afterPerson && cueStart > 0
                }
            }
            // "Sarah from Finance": one everyday word after a cue is a department, not a company.
            guard isOrganization, !singleEveryday else { continue }
            let phrase = words.map { lowers[$0] }.joined(separator: " ")
            if lexicon.countries.contains(phrase) { continue }
            // The phrase replaces person or organization guesses inside it.
            if out.contains(where: { $0.start < end && start < $0.end && !($0.start >= start && $0.end <= end) }) { continue }
            out.removeAll { $0.start >= start && $0.end <= end }
            out.append(PIIEntity(type: .organization, start: start, end: end, text: ""))
        }
    }

    /// Names listed with a person ("Usamov and Bowers", "Brabec, Doyle and Gonzalez") are people too.
    private func coordinated(_ t: ScannedText, _ classes: [WordClass], _ lowers: [String], _ out: inout [PIIEntity]) {
        let toks = t.tokens
        var changed = true
        var rounds = 0
        while changed, rounds < 8 {
            changed = false
            rounds += 1
            for k in toks.indices where toks[k].kind == .word && toks[k].capitalized && isNameLike(classes[k]) {
                let s = toks[k].start
                let e = toks[k].end
                if out.contains(where: { $0.start < e && s < $0.end }) { continue }
                // Neighbours: "X, <person>", "X and <person>", "<person>, X", "<person> and X".
                var neighbour: [Int] = []
                if k + 2 < toks.count, t.isSymbol(k + 1, ",") || (toks[k + 1].kind == .word && lowers[k + 1] == "and") {
                    neighbour.append(toks[k + 2].start)
                }
                if k >= 2, t.isSymbol(k - 1, ",") || (toks[k - 1].kind == .word && lowers[k - 1] == "and") {
                    neighbour.append(toks[k - 2].end)
                }
                let single = k + 1 >= toks.count || !(toks[k + 1].kind == .word && toks[k + 1].capitalized && toks[k + 1].spaceBefore)
                guard single else { continue }
                if neighbour.contains(where: { p in out.contains { $0.type == .person && ($0.start == p || $0.end == p) } }) {
                    out.append(PIIEntity(type: .person, start: s, end: e, text: ""))
                    changed = true
                }
            }
        }
    }

    /// Signature and letter blocks: a line holding only a name, the next line only a company name.
    private func signatureBlocks(
        _ t: ScannedText, _ classes: [WordClass], _ lowers: [String], _ structured: [PIIEntity], _ out: inout [PIIEntity]
    ) {
        let toks = t.tokens
        // Lines as token ranges, without leading quote markers ("> ", "??? ").
        var lines: [(Int, Int)] = []
        var s = 0
        for k in 0...toks.count where k == toks.count || toks[k].kind == .newline {
            var a = s
            while a < k, toks[a].kind == .symbol, (ScannedText.isQuoteMarker(t.scalars[toks[a].start]) || t.scalars[toks[a].start] == "-" || t.scalars[toks[a].start] == "•") { a += 1 }
            if a < k { lines.append((a, k)) }
            s = k + 1
        }
        guard lines.count >= 3 else { return }
        // Only in text laid out as a block: some line holds an address, phone or email.
        guard structured.contains(where: { [.streetAddress, .phoneNumber, .emailAddress].contains($0.type) }) else { return }
        func onlyWords(_ line: (Int, Int)) -> Bool {
            (line.0..<line.1).allSatisfy { toks[$0].kind == .word || t.isSymbol($0, ".") || t.isSymbol($0, ",") || t.isSymbol($0, "-") || t.isSymbol($0, "&") }
        }
        func covered(_ line: (Int, Int)) -> [PIIEntity] {
            let a = toks[line.0].start
            let b = toks[line.1 - 1].end
            return out.filter { $0.start < b && a < $0.end } + structured.filter { $0.start < b && a < $0.end }
        }
        // "Head of Sales, Foo Bar" on the line after the name: the words after the job title and its comma are the company.
        for i in lines.indices.dropFirst() where personLineAt(i - 1, lines, out + structured, toks) {
            let line = lines[i]
            // "Accountant, Robinson, Williams and Freeman": the first comma after a job title, as the firm's name may hold commas.
            let commas = (line.0..<line.1).filter { t.isSymbol($0, ",") }
            guard let comma = commas.first(where: { $0 > line.0 && isTitleLine(t, (line.0, $0), lowers) }) ?? commas.last, comma > line.0,
                comma + 1 < line.1
            else { continue }
            let tail = (comma + 1)..<line.1
            let words = tail.filter { toks[$0].kind == .word }
            guard !words.isEmpty, words.count <= 5, tail.allSatisfy({ toks[$0].kind == .word || t.isSymbol($0, ".") || t.isSymbol($0, "&") || t.isSymbol($0, "-") || t.isSymbol($0, ",") }),
                toks[words[0]].capitalized, !words.allSatisfy({ classes[$0] == .english }),
                isTitleLine(t, (line.0, comma), lowers) || (comma == line.0 + 1 && toks[line.0].kind == .word && !t.flags[line.0].has(.firstName))
            else { continue }
            let a = toks[words[0]].start
            let b = toks[tail.upperBound - 1].end
            if structured.contains(where: { $0.start < b && a < $0.end }) { continue }
            let lineStart = toks[line.0].start
            out.removeAll { $0.start < b && lineStart < $0.end }
            out.append(PIIEntity(type: .organization, start: a, end: b, text: ""))
        }
        // A sign-off ("Viele Grüße", "Kind regards") is neither a name nor the line a signature's name follows.
        var signOffs = Set<Int>()
        for (i, line) in lines.enumerated() where (line.0..<line.1).contains(where: { toks[$0].kind == .word && Self.signOffWords.contains(lowers[$0]) }) {
            let a = toks[line.0].start
            let b = toks[line.1 - 1].end
            out.removeAll { $0.start < b && a < $0.end && $0.type != .emailAddress }
            signOffs.insert(i)
        }
        // Lines between the name and the company: a one-line job title ("Nurse", "Bankkaufmann").
        var titleLines = Set<Int>()
        func companyLine(_ j: Int) -> Bool {
            guard j < lines.count, onlyWords(lines[j]), lines[j].1 - lines[j].0 <= 9, !signOffs.contains(j) else { return false }
            let first = lines[j].0
            if Self.phoneLabelsInSignature.contains(lowers[first]) { return false }
            return toks[first].kind == .word && (toks[first].capitalized || classes[first] == .particle)
                && covered(lines[j]).allSatisfy({ $0.type == .person || $0.type == .organization })
        }
        for (i, line) in lines.enumerated() where onlyWords(line) && line.1 - line.0 <= 7 && !signOffs.contains(i) {
            let a = toks[line.0].start
            let b = toks[line.1 - 1].end
            let existing = covered(line)
            let wordIdx = (line.0..<line.1).filter { toks[$0].kind == .word }
            guard !wordIdx.isEmpty, wordIdx.allSatisfy({ toks[$0].capitalized || classes[$0] == .particle }) else { continue }
            if i > 0, personLineAt(i - 1, lines, out + structured, toks), wordIdx.count <= 2,
                existing.allSatisfy({ $0.type != .organization }), companyLine(i + 1),
                // "Name / Company / Name" repeats the name: the line between is the company.
                t.string(toks[lines[i + 1].0].start, toks[lines[i + 1].1 - 1].end) != t.string(toks[lines[i - 1].0].start, toks[lines[i - 1].1 - 1].end),
                !wordIdx.contains(where: { t.flags[$0].has(.organizationSuffix) })
            {
                titleLines.insert(i)
                out.removeAll { $0.start < b && a < $0.end }
                continue
            }
            if wordIdx.allSatisfy({ classes[$0] == .english }) { continue }
            if lexicon.countries.contains(wordIdx.map { lowers[$0] }.joined(separator: " ")) { continue }
            // The line after the name, or after the name and a job title ("Head of Sales"), names the company.
            let previousIsPerson = i > 0 && (personLineAt(i - 1, lines, out + structured, toks)
                || (i > 1 && personLineAt(i - 2, lines, out + structured, toks) && covered(lines[i - 1]).isEmpty
                    && t.string(a, b) != t.string(toks[lines[i - 2].0].start, toks[lines[i - 2].1 - 1].end)
                    && (titleLines.contains(i - 1) || isTitleLine(t, lines[i - 1], lowers))))
            if existing.isEmpty {
                // The first line of a block, two or three name-like words: a person.
                if i == 0 || !previousIsPerson, (2...3).contains(wordIdx.count), wordIdx.allSatisfy({ isNameLike(classes[$0]) || classes[$0] == .initial }) {
                    out.append(PIIEntity(type: .person, start: a, end: b, text: ""))
                } else if previousIsPerson {
                    out.append(PIIEntity(type: .organization, start: a, end: b, text: ""))
                }
            } else if previousIsPerson, existing.allSatisfy({ $0.type == .person }), wordIdx.count >= 1,
                !existing.contains(where: { e in covered(lines[i - 1]).first.map { t.string($0.start, $0.end) == t.string(e.start, e.end) } ?? false })
            {
                // The line after a name that the name rules took for a person, but is not a repeat of it.
                // A lone word there ("Riley") is the company even when it is also a first name.
                if wordIdx.count == 1 || wordIdx.allSatisfy({ classes[$0] != .strong || !lexicon.firstNames.contains(lowers[$0]) }) {
                    out.removeAll { $0.start < b && a < $0.end }
                    out.append(PIIEntity(type: .organization, start: a, end: b, text: ""))
                }
            }
        }
    }

    /// Words of a letter's closing line in the seven languages of the evaluation set.
    static let signOffWords: Set<String> = [
        "regards", "sincerely", "cheers", "grüße", "grüßen", "gruß", "cordialement", "salutations", "saludos", "atentamente",
        "saluti", "saluto", "groet", "groeten", "pozdrawiam", "poważaniem", "szacunku", "cordiali", "distinti",
    ]
    /// Labels that open a phone line of a signature.
    static let phoneLabelsInSignature: Set<String> = AddressDetector.phoneLabels

    private func personLineAt(_ j: Int, _ lines: [(Int, Int)], _ out: [PIIEntity], _ toks: [ScannedText.Token]) -> Bool {
        out.contains { $0.type == .person && $0.start == toks[lines[j].0].start }
    }

    /// A job title line: words only, at least one of them lowercase or an everyday word ("Head of Sales",
    /// "Hydrographic surveyor", "Vertriebsleiterin"), and no name the lists hold as a first name.
    private func isTitleLine(_ t: ScannedText, _ line: (Int, Int), _ lowers: [String]) -> Bool {
        let toks = t.tokens
        var words = 0
        var common = 0
        for q in line.0..<line.1 {
            switch toks[q].kind {
            case .word:
                words += 1
                let f = t.flags[q]
                if !toks[q].capitalized || f.has([.english, .function]) { common += 1 }
                if toks[q].capitalized, f.has(.firstName), !f.has(.english) { return false }
            case .symbol:
                let c = t.scalars[toks[q].start]
                guard c == "/" || c == "-" || c == "&" || c == "," || c == "." || c == "'" || c == "’" || c == "(" || c == ")" else { return false }
            default:
                return false
            }
        }
        return words >= 1 && words <= 8 && common >= 1
    }

    private func add(_ type: PIIEntityType, _ t: ScannedText, _ start: Int, _ end: Int, _ out: inout [PIIEntity]) {
        guard end > start else { return }
        out.append(PIIEntity(type: type, start: start, end: end, text: ""))
    }
}
