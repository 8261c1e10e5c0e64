import Foundation

/// The traits a style section (`StyleProfile.section`) states, read back from a prompt's context: what the offline
/// provider follows, so an evaluation without a model shows what a profile changes.
public struct StyleHints: Sendable, Hashable {
    public var greeting: String?
    public var signOff: String?
    /// The question the writer ends on, the contact's first name as `{first name}`.
    public var closingQuestion: String?
    /// The approved text's length over the model's (0.6 for "about 60 %").
    public var lengthRatio: Double?

    public init(greeting: String? = nil, signOff: String? = nil, closingQuestion: String? = nil, lengthRatio: Double? = nil) {
        self.greeting = greeting
        self.signOff = signOff
        self.closingQuestion = closingQuestion
        self.lengthRatio = lengthRatio
    }

    /// The first style section's traits in `context` (the writer's comes before the client's), each trait taken
    /// from the first section that states it; nil when the context has no style section.
    public static func read(from context: String) -> StyleHints? {
        guard context.contains(StyleProfile.heading) else { return nil }
        var hints = StyleHints()
        var inSection = false
        for line in context.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix(StyleProfile.heading) {
                inSection = true
                continue
            }
            guard inSection else { continue }
            if line.hasPrefix("</\(UntrustedText.tagName)>") {
                inSection = false
                continue
            }
            let text = UntrustedText.unescape(String(line))
            if hints.greeting == nil, let value = quoted(text, after: "- Greeting: ") { hints.greeting = value }
            if hints.signOff == nil, let value = quoted(text, after: "- Sign-off: ") { hints.signOff = value }
            if hints.closingQuestion == nil, let value = quoted(text, after: "- Closing question: ") {
                hints.closingQuestion = value
            }
            if hints.lengthRatio == nil, text.hasPrefix("- Length: about "),
                let percent = Double(text.dropFirst("- Length: about ".count).prefix { $0.isNumber })
            {
                hints.lengthRatio = percent / 100
            }
        }
        return hints
    }

    static func quoted(_ line: String, after prefix: String) -> String? {
        guard line.hasPrefix(prefix) else { return nil }
        let rest = line.dropFirst(prefix.count)
        guard rest.first == "\"", let close = rest.dropFirst().firstIndex(of: "\"") else { return nil }
        return String(rest[rest.index(after: rest.startIndex)..<close])
    }
}

