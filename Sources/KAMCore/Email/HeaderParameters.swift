/// Parses structured header values: `type/subtype; name="value"; other=x` (RFC 2045, with RFC 2231 `name*=` values).
enum HeaderParameters {
    static func parse(_ value: String) -> (type: String, parameters: [String: String]) {
        var pieces: [String] = []
        var current = ""
        var quoted = false
        for ch in value {
            if ch == "\"" { quoted.toggle() }
            if ch == ";" && !quoted {
                pieces.append(current)
                current = ""
            } else {
                current.append(ch)
            }
        }
        pieces.append(current)
        let type = pieces.first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        var parameters: [String: String] = [:]
        for piece in pieces.dropFirst() {
            guard let eq = piece.firstIndex(of: "=") else { continue }
            var name = piece[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
            var val = piece[piece.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            if val.hasPrefix("\""), val.hasSuffix("\""), val.count >= 2 { val = String(val.dropFirst().dropLast()) }
            if name.hasSuffix("*") {
                // RFC 2231: charset'language'percent-encoded
                name.removeLast()
                let segments = val.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
                if segments.count == 3 {
                    let bytes = TransferEncoding.percentDecode(String(segments[2]))
                    val = Charsets.decode(bytes, charset: String(segments[0]))
                }
            }
            parameters[name] = val
        }
        return (type, parameters)
    }
}
