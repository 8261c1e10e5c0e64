import Foundation

/// Stable lowercase identifiers made from names and text (`"Acme Corp."` → `acme-corp`).
///
/// Client ids and memory keys are typed on the command line, so they are ASCII letters, digits
/// and hyphens only; accents are folded rather than dropped.
public enum Slug {
    /// A slug of `text`, at most `maxLength` characters, cut at a word boundary when possible.
    public static func make(_ text: String, maxLength: Int = 48) -> String {
        if isSlug(text, maxLength: maxLength) { return text }
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return makeASCII(text, maxLength: maxLength) }
        let folded = text.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
        var words: [String] = []
        var current = ""
        for scalar in folded.unicodeScalars {
            if (scalar >= "a" && scalar <= "z") || (scalar >= "0" && scalar <= "9") {
                current.unicodeScalars.append(scalar)
            } else if scalar == "'" || scalar == "\u{2019}" {
                continue  // "client's" → "clients"
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        var slug = ""
        for word in words {
            let candidate = slug.isEmpty ? word : slug + "-" + word
            if candidate.count > maxLength {
                if slug.isEmpty { slug = String(word.prefix(maxLength)) }
                break
            }
            slug = candidate
        }
        return slug
    }

    /// Whether `text` is already the slug `make` would give it: lowercase letters and digits in words joined by
    /// single hyphens, within `maxLength`. Ids and keys made earlier (a client's id, a memory key) go through `make`
    /// again on every write of an import; they come back as they are, without a copy.
    private static func isSlug(_ text: String, maxLength: Int) -> Bool {
        let bytes = text.utf8
        guard bytes.count <= maxLength else { return false }
        var previous = UInt8(ascii: "-")  // as if before the first byte: a leading hyphen is no slug
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): break
            case UInt8(ascii: "-") where previous != UInt8(ascii: "-"): break
            default: return false
            }
            previous = byte
        }
        return previous != UInt8(ascii: "-") || bytes.isEmpty
    }

    /// `make` for ASCII text, byte by byte: nothing to fold, and a bulk import makes several slugs a
    /// row (user ids, note and task ids), where Foundation's folding and `String` appends were slow.
    private static func makeASCII(_ text: String, maxLength: Int) -> String {
        var slug: [UInt8] = []
        var word: [UInt8] = []
        var full = false
        func endWord() {
            guard !word.isEmpty, !full else { return }
            if (slug.isEmpty ? word.count : slug.count + 1 + word.count) > maxLength {
                if slug.isEmpty { slug = Array(word.prefix(maxLength)) }
                full = true
            } else {
                if !slug.isEmpty { slug.append(UInt8(ascii: "-")) }
                slug += word
            }
            word.removeAll(keepingCapacity: true)
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): word.append(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): word.append(byte + 32)
            case UInt8(ascii: "'"): continue  // "client's" → "clients"
            default: endWord()
            }
            if full { break }
        }
        endWord()
        return String(decoding: slug, as: UTF8.self)
    }

    /// A short key for a remembered sentence: its first significant words
    /// (`"prefers Tuesday morning calls"` → `prefers-tuesday-morning-calls`).
    public static func memoryKey(from text: String) -> String {
        let stopWords: Set<String> = ["a", "an", "the", "to", "of", "and", "on", "in", "at", "for", "is", "are", "be"]
        let words = make(text, maxLength: 200).split(separator: "-").map(String.init)
        let significant = words.filter { !stopWords.contains($0) }
        return make((significant.isEmpty ? words : significant).prefix(5).joined(separator: " "), maxLength: 40)
    }

    /// A 64-bit FNV-1a hash in hex: stable across runs and machines, unlike `Hasher`.
    public static func stableHash(_ parts: [String]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for part in parts {
            for byte in part.utf8 {
                hash ^= UInt64(byte)
                hash &*= 0x100_0000_01b3
            }
            hash ^= 0x1f
            hash &*= 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
