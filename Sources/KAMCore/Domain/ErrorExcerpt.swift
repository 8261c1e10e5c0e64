/// A short, sanitised quote of the token at fault, for an error about a file: never more.
///
/// Errors about files end up on terminals, in CI logs and in tickets, and the files hold secrets (an
/// API key in `kam.yaml`), client data (an import) and whole emails. So an error never prints a line
/// of the file, only the token at fault, and only as much of it as identifies it:
///
/// - at most `maxCharacters` characters, the rest cut with `…`;
/// - control, format and other invisible characters (terminal escapes, bidi overrides, NUL) become `?`;
/// - a token that looks like a credential (a known key prefix such as `sk-`, a JWT, or a run of 20 or
///   more letters and digits mixed, as in base64 and hex keys) is not quoted at all: the excerpt says
///   only how long it is.
///
/// For example:
///
///     ErrorExcerpt.quoted("hacker")                         // 'hacker'
///     ErrorExcerpt.quoted("sk-proj-4f9a8b7c6d5e4f3a2b1c")   // a 28-character value that looks like a key (not shown)
public enum ErrorExcerpt {
    /// The most characters of a token an error message quotes.
    public static let maxCharacters = 24

    /// Prefixes of API keys and tokens (lower-cased).
    static let credentialPrefixes = [
        "sk-", "sk_", "pk_", "rk_", "xoxb-", "xoxp-", "ghp_", "gho_", "ghs_", "github_pat_", "glpat-", "akia", "aiza",
        "eyj",
    ]

    /// The token shortened and sanitised, or nil when it looks like a credential and must not be shown.
    ///
    /// - Parameters:
    ///   - limit: the most characters kept (a path may need more than a token).
    ///   - hidingCredentials: false for a file path, which the person needs to see even when a folder
    ///     name looks like a key (a UUID).
    public static func text(_ token: some StringProtocol, limit: Int = maxCharacters, hidingCredentials: Bool = true)
        -> String?
    {
        if hidingCredentials, looksLikeCredential(token) { return nil }
        var out = ""
        var count = 0
        for character in token {
            if count == limit {
                out += "…"
                break
            }
            out += isVisible(character) ? String(character) : "?"
            count += 1
        }
        return out
    }

    /// The token in single quotes (shortened and sanitised), or a phrase saying it is not shown.
    public static func quoted(_ token: some StringProtocol, limit: Int = maxCharacters, hidingCredentials: Bool = true)
        -> String
    {
        guard let text = text(token, limit: limit, hidingCredentials: hidingCredentials) else {
            return "a \(token.count)-character value that looks like a key (not shown)"
        }
        return "'\(text)'"
    }

    /// Whether the token looks like an API key or another secret.
    public static func looksLikeCredential(_ token: some StringProtocol) -> Bool {
        // A key prefix at the start of any piece (`sk-…`, `Authorization=Bearer …`, `multipart/sk-…`).
        let lowered = token.lowercased()
        let pieces = lowered.split { !($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        if pieces.contains(where: { piece in credentialPrefixes.contains { piece.hasPrefix($0) } }) { return true }
        if lowered.contains("bearer ") { return true }
        // A long run of letters and digits mixed (and the `_ + =` of base64 keys): a key or a hash. `-` and
        // `/` end a run, so model names (`gpt-4o-mini-2024-07-18`), UUIDs and paths are not taken for keys.
        var run = 0
        var letters = false
        var digits = false
        for scalar in token.unicodeScalars {
            let isLetter = (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z")
            let isDigit = scalar >= "0" && scalar <= "9"
            if isLetter || isDigit || scalar == "_" || scalar == "+" || scalar == "=" {
                run += 1
                letters = letters || isLetter
                digits = digits || isDigit
                if run >= 20, letters, digits { return true }
            } else {
                run = 0
                letters = false
                digits = false
            }
        }
        return false
    }

    /// Printable: not a control, format (bidi overrides, zero-width), surrogate or unassigned character.
    private static func isVisible(_ character: Character) -> Bool {
        character.unicodeScalars.allSatisfy { scalar in
            switch scalar.properties.generalCategory {
            case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator: false
            default: true
            }
        }
    }
}
