import Foundation
import KAMCore

/// The offline answer to `analysis.inbound-email`: a rule-based reading of the email, so KAM's
/// intake works (and its evaluation means something) with no model at all.
///
/// Intent and urgency come from cue words, sentiment from a small lexicon, action items from the
/// sentences that ask for something ("could you…", "please…", "we need…"), with their time words
/// ("by Friday") as due hints, and deliverables from what those sentences ask to be sent. Objections are the phrase
/// list's (`ObjectionDetector`) but for its generic competitor words; competitors are the capitalised names that follow
/// a cue such as "switching to" or "a quote from".
/// It is deliberately simple and deterministic; a model does better, and evaluations show by how much.
struct OfflineEmailAnalyzer {
    static let promptID = "analysis.inbound-email"

    func analyse(subject: String, body: String) -> JSONValue {
        let text = subject + ". " + body
        let lower = text.lowercased()
        let sentences = Self.sentences(body.isEmpty ? subject : body)
        let requests = sentences.filter(Self.isRequest)
        var items: [JSONValue] = []
        var deliverables: [String] = []
        for sentence in requests.prefix(10) {
            items.append([
                "description": .string(Self.clip(Self.imperative(sentence), 200)),
                "due_hint": Self.dueHint(sentence).map { .string(Self.clip($0, 80)) } ?? .null,
            ])
            if let thing = Self.deliverable(sentence), !deliverables.contains(thing), deliverables.count < 10 {
                deliverables.append(Self.clip(thing, 120))
            }
        }
        let sentiment = Self.sentiment(lower)
        return [
            "intent": .string(Self.intent(lower, hasRequests: !requests.isEmpty, sentiment: sentiment)),
            "sentiment_score": .double((sentiment * 100).rounded() / 100),
            "urgency": .string(Self.urgency(lower, sentiment: sentiment)),
            "action_items": .array(items),
            "requested_deliverables": .array(deliverables.map { .string($0) }),
            "objections": .array(
                ObjectionDetector().findings(in: text).filter { $0.kind != .competitor }.map {
                    ["kind": .string($0.kind.rawValue), "quote": .string($0.phrase)]
                }),
            "competitors": .array(Self.competitors(text).map { .string($0) }),
        ]
    }

    static let competitorCues = [
        "switching to", "switch to", "moving to", "move to", "going with", "go with", "quote from", "offer from",
        "compared to", "cheaper than", "evaluating", "talking to",
    ]

    /// The capitalised names (one to three words) right after a competitor cue, at most 8, each once.
    static func competitors(_ text: String) -> [String] {
        var names: [String] = []
        let lower = text.lowercased()
        for cue in competitorCues {
            var from = lower.startIndex
            while let range = lower.range(of: cue + " ", range: from..<lower.endIndex) {
                from = range.upperBound
                // Lower-casing may lengthen a text ('İ'): past its end there is no name to read.
                let offset = lower.distance(from: lower.startIndex, to: range.upperBound)
                guard let start = text.index(text.startIndex, offsetBy: offset, limitedBy: text.endIndex) else { break }
                let rest = text[start...]
                // A name's words are letters, digits, hyphens, ampersands and apostrophes; anything else ends the name
                // (the body arrives fenced: `...Initrode.</untrusted>`).
                let words = rest.split(maxSplits: 3, omittingEmptySubsequences: true, whereSeparator: \.isWhitespace).prefix(3)
                var name: [String] = []
                for word in words {
                    let trimmed = String(word.prefix { $0.isLetter || $0.isNumber || "-&'".contains($0) })
                    guard let first = trimmed.first, first.isUppercase, !["The", "A", "An", "Our", "We", "I"].contains(trimmed) else { break }
                    name.append(trimmed)
                    if trimmed.count != word.count { break }  // punctuation ends the name
                }
                let joined = name.joined(separator: " ")
                if !joined.isEmpty, !names.contains(joined), names.count < 8 { names.append(clip(joined, 80)) }
            }
        }
        return names
    }

    static func intent(_ text: String, hasRequests: Bool, sentiment: Double) -> String {
        func any(_ words: [String]) -> Bool { words.contains { text.contains($0) } }
        if any(["complain", "unacceptable", "disappointed", "frustrat", "not happy", "again", "third time", "refund", "credit the", "broken", "late delivery", "still waiting"]) && sentiment < 0 {
            return "complaint"
        }
        if any(["purchase order", "we would like to order", "we'd like to order", "place an order", "please ship", "po number", "order "]) && !any(["order status", "where is my order", "where is our order"]) {
            return "order"
        }
        if any(["meeting", "call on", "schedule a", "calendar", "available on", "catch up", "set up a call", "book a time"]) {
            return "meeting"
        }
        if hasRequests { return "request" }
        if text.contains("?") { return "question" }
        if any(["thank", "great job", "well done", "feedback", "loved", "impressed"]) { return "feedback" }
        if any(["fyi", "for your information", "heads up", "just letting you know", "we have moved", "announce"]) { return "information" }
        return "other"
    }

    static func urgency(_ text: String, sentiment: Double) -> String {
        func any(_ words: [String]) -> Bool { words.contains { text.contains($0) } }
        if any(["outage", "down for", "production is down", "critical", "emergency", "legal action", "cancel the contract"]) {
            return "critical"
        }
        if any([
            "urgent", "asap", "as soon as possible", "immediately", "today", "right away", "end of day", "eod", "we are blocked",
            "can't work", "cannot work", "none of our team can",
        ]) {
            return "high"
        }
        if sentiment < -0.4 { return "high" }
        if any(["tomorrow", "by friday", "by monday", "this week", "by tuesday", "by wednesday", "by thursday", "deadline"]) {
            return "medium"
        }
        return "low"
    }

    static let positive = ["thank", "great", "happy", "pleased", "love", "excellent", "appreciate", "impressed", "good", "glad", "well done"]
    static let negative = ["unacceptable", "disappointed", "frustrat", "angry", "late", "broken", "wrong", "problem", "issue", "fail", "poor", "worst", "complain", "again", "not happy", "delay", "blocked", "cannot", "can't", "losing"]

    static func sentiment(_ text: String) -> Double {
        let pos = positive.reduce(0) { $0 + text.components(separatedBy: $1).count - 1 }
        let neg = negative.reduce(0) { $0 + text.components(separatedBy: $1).count - 1 }
        guard pos + neg > 0 else { return 0 }
        return max(-1, min(1, Double(pos - neg) / Double(max(2, pos + neg))))
    }

    static let requestCues = [
        "could you", "can you", "would you", "please", "we need", "i need", "kindly", "let me know",
        "send us", "send me", "share", "provide", "confirm", "let us know", "we'd like", "we would like", "i'd like",
        "make sure", "remind", "update us", "get back to",
    ]

    static func isRequest(_ sentence: String) -> Bool {
        let lower = sentence.lowercased()
        return requestCues.contains { lower.contains($0) }
    }

    /// "Hi team, could you send us a quote by Friday?" → "Send us a quote by Friday".
    static func imperative(_ sentence: String) -> String {
        var text = sentence.trimmingCharacters(in: .whitespacesAndNewlines)
        let lower = text.lowercased()
        for cue in ["could you please ", "can you please ", "would you please ", "could you ", "can you ", "would you ", "please ", "kindly "] {
            if let range = lower.range(of: cue) {
                let offset = lower.distance(from: lower.startIndex, to: range.upperBound)
                text = String(text.dropFirst(offset))
                break
            }
        }
        text = text.trimmingCharacters(in: CharacterSet(charactersIn: " ?.!,"))
        guard let first = text.first else { return sentence }
        return first.uppercased() + text.dropFirst()
    }

    static let dueCues = [
        "by end of day", "by eod", "end of day", "by tomorrow", "tomorrow", "today", "by monday", "by tuesday", "by wednesday",
        "by thursday", "by friday", "next week", "this week", "end of the month", "end of month", "asap", "as soon as possible",
    ]

    static func dueHint(_ sentence: String) -> String? {
        let lower = sentence.lowercased()
        if let cue = dueCues.first(where: { lower.contains($0) }) { return cue }
        // "by 2026-03-01", "by March 3", "before the 15th"
        for marker in ["by ", "before "] {
            if let range = lower.range(of: marker) {
                let rest = lower[range.upperBound...].prefix(20)
                if let first = rest.first, first.isNumber || ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec", "the "].contains(where: { rest.hasPrefix($0) }) {
                    let words = rest.split(separator: " ").prefix(2).joined(separator: " ")
                    return marker + words.trimmingCharacters(in: CharacterSet(charactersIn: " ?.!,"))
                }
            }
        }
        return nil
    }

    /// What a request asks to receive: the words after "send/share/provide (us|me)".
    static func deliverable(_ sentence: String) -> String? {
        let lower = sentence.lowercased()
        for verb in ["send us ", "send me ", "send ", "share ", "provide ", "forward "] {
            guard let range = lower.range(of: verb) else { continue }
            var rest = String(lower[range.upperBound...])
            for stop in [" by ", " before ", " for ", " so ", " and ", "?", ".", ",", "!", " today", " tomorrow"] {
                if let cut = rest.range(of: stop) { rest = String(rest[..<cut.lowerBound]) }
            }
            rest = rest.trimmingCharacters(in: .whitespaces)
            for article in ["us ", "me ", "the ", "a ", "an ", "our ", "your "] where rest.hasPrefix(article) {
                rest = String(rest.dropFirst(article.count))
            }
            if rest.count >= 3 { return rest }
        }
        return nil
    }

    static func sentences(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        for ch in text {
            current.append(ch)
            if ch == "." || ch == "?" || ch == "!" || ch == "\n" {
                let trimmed = current.trimmingCharacters(in: .whitespacesAndNewlines)
                if trimmed.count > 2 { out.append(trimmed) }
                current = ""
            }
        }
        let trimmed = current.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.count > 2 { out.append(trimmed) }
        return out
    }

    static func clip(_ text: String, _ length: Int) -> String {
        text.count <= length ? text : String(text.prefix(length))
    }
}
