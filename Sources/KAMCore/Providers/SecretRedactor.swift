import Foundation

/// Removes API keys from text before it reaches an error, a log line or the database.
///
/// Keys must never be written anywhere; the adapters already keep them out of messages, and this is
/// the second line of defence: header values of `Authorization` / `x-api-key` / `api-key`, bearer
/// tokens, and strings shaped like provider keys (`sk-...`, `sk-ant-...`) are replaced.
public enum SecretRedactor {
    /// Header names whose values are secrets.
    public static let secretHeaderNames: Set<String> = ["authorization", "x-api-key", "api-key", "proxy-authorization"]

    public static let replacement = "[REDACTED]"

    /// The text with every secret-looking span replaced by `[REDACTED]`.
    public static func redact(_ text: String) -> String {
        var result = text
        for pattern in patterns {
            result = pattern.stringByReplacingMatches(
                in: result, range: NSRange(result.startIndex..., in: result), withTemplate: "$1" + replacement)
        }
        return result
    }

    /// The text with each of the given secret values removed, then generic redaction applied.
    public static func redact(_ text: String, secrets: [String]) -> String {
        var result = text
        for secret in secrets where secret.count >= 4 {
            result = result.replacingOccurrences(of: secret, with: replacement)
        }
        return redact(result)
    }

    /// Headers with secret values replaced, safe to log.
    public static func redactHeaders(_ headers: [(String, String)]) -> [(String, String)] {
        headers.map { secretHeaderNames.contains($0.0.lowercased()) ? ($0.0, replacement) : $0 }
    }

    private static let patterns: [NSRegularExpression] = [
        // Header lines or JSON fields: authorization: Bearer xxx / "x-api-key": "xxx"
        try! NSRegularExpression(
            pattern: #"(?i)((?:authorization|x-api-key|api-key|proxy-authorization)"?\s*[:=]\s*"?(?:bearer\s+)?)[^\s",}\]]+"#),
        try! NSRegularExpression(pattern: #"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]{8,}"#),
        try! NSRegularExpression(pattern: #"()\bsk-[A-Za-z0-9_-]{8,}"#),
    ]
}
