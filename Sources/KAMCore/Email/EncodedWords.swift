/// RFC 2047 encoded words in headers: `=?utf-8?Q?Caf=C3=A9?=`, `=?ISO-8859-1?B?...?=`.
enum EncodedWords {
    static func decode(_ value: String) -> String {
        guard value.contains("=?") else { return value }
        var out = ""
        var rest = Substring(value)
        var lastWasEncoded = false
        while let start = rest.range(of: "=?") {
            let before = rest[..<start.lowerBound]
            let afterStart = rest[start.upperBound...]
            let fields = afterStart.split(separator: "?", maxSplits: 3, omittingEmptySubsequences: false)
            guard fields.count == 4, fields[3].hasPrefix("="),
                let encoding = fields[1].lowercased().first, encoding == "q" || encoding == "b"
            else {
                out += rest[..<start.upperBound]
                rest = afterStart
                lastWasEncoded = false
                continue
            }
            // White space between two encoded words is dropped (RFC 2047 section 6.2).
            if !(lastWasEncoded && before.allSatisfy(\.isWhitespace)) { out += before }
            let payload = Array(fields[2].utf8)[...]
            let bytes =
                encoding == "b"
                ? TransferEncoding.base64(payload) : TransferEncoding.quotedPrintable(payload, underscoreIsSpace: true)
            let charset = fields[0].split(separator: "*").first.map(String.init) ?? "utf-8"
            out += Charsets.decode(bytes, charset: charset)
            rest = fields[3].dropFirst()
            lastWasEncoded = true
        }
        out += rest
        return out
    }
}
