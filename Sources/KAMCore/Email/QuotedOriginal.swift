import Foundation

/// Finds the author of a forwarded or quoted message in a body: the `From:` line after a mail client's
/// forward or reply marker.
///
///     ---------- Forwarded message ---------        (Gmail)
///     -------- Original Message --------            (Thunderbird)
///     -----Original Message-----                    (Outlook)
///     Begin forwarded message:                      (Apple Mail)
///     From: Jane Smith <jane@acme.com>
///
/// Hand-written: no library on the machine reads these markers, and they are plain lines; only the first
/// marker counts, and only a From within the next few lines of it, so a stray "From:" in a letter is not read.
public enum QuotedOriginal {
    /// The address of the first forwarded or quoted original's From, or nil.
    public static func from(_ text: String) -> EmailAddress? {
        var linesSinceMarker: Int?
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let line = strip(rawLine)
            if linesSinceMarker == nil {
                if isMarker(line) { linesSinceMarker = 0 }
                continue
            }
            linesSinceMarker! += 1
            if linesSinceMarker! > 6 { return nil }
            let lower = line.lowercased()
            guard lower.hasPrefix("from:") else { continue }
            return address(in: String(line.dropFirst(5)))
        }
        return nil
    }

    /// The line without quoting (`> `) and emphasis (`*From:*`).
    static func strip(_ line: Substring) -> String {
        var rest = line.drop { $0 == ">" || $0 == " " || $0 == "\t" }
        if rest.hasPrefix("*") { rest = rest.dropFirst() }
        return String(rest).replacingOccurrences(of: "*", with: "").trimmingCharacters(in: .whitespaces)
    }

    static func isMarker(_ line: String) -> Bool {
        let lower = line.lowercased()
        if lower.hasPrefix("begin forwarded message") { return true }
        let words = lower.trimmingCharacters(in: CharacterSet(charactersIn: "- ")).replacingOccurrences(of: " ", with: "")
        return lower.hasPrefix("--") && ["forwardedmessage", "originalmessage"].contains(words)
    }

    /// The first `x@y.z` of `text`: `Jane <jane@acme.com>`, `Jane [mailto:jane@acme.com]`, `jane@acme.com`.
    static func address(in text: String) -> EmailAddress? {
        let separators = CharacterSet(charactersIn: " \t<>[]()\"',;")
        for token in text.components(separatedBy: separators) {
            var word = token
            if word.lowercased().hasPrefix("mailto:") { word = String(word.dropFirst(7)) }
            let parts = word.split(separator: "@", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasSuffix(".") else { continue }
            return EmailAddress(address: word)
        }
        return nil
    }
}
