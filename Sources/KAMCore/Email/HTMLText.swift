/// The readable text of an HTML body: tags removed, block ends as line breaks, common entities decoded.
enum HTMLText {
    static func strip(_ html: String) -> String {
        var out = ""
        var inTag = false
        var tag = ""
        var skipping = false
        for ch in html {
            if inTag {
                if ch == ">" {
                    inTag = false
                    let name = tag.lowercased().split(whereSeparator: { $0 == " " || $0 == "/" }).first.map(String.init) ?? ""
                    if name == "script" || name == "style" { skipping = true }
                    if tag.lowercased().hasPrefix("/script") || tag.lowercased().hasPrefix("/style") { skipping = false }
                    if ["br", "p", "/p", "div", "/div", "li", "tr", "/tr", "h1", "h2", "h3"].contains(name) { out += "\n" }
                    tag = ""
                } else {
                    tag.append(ch)
                }
            } else if ch == "<" {
                inTag = true
            } else if !skipping {
                out.append(ch)
            }
        }
        let entities = ["&nbsp;": " ", "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": "\"", "&#39;": "'", "&apos;": "'"]
        for (entity, replacement) in entities { out = out.replacingOccurrences(of: entity, with: replacement) }
        return out.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .joined(separator: "\n")
            .replacingOccurrences(of: "\n\n\n", with: "\n\n")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
