import Foundation

/// How a person (or the people writing to one client) changes the model's drafts before approving them, distilled
/// from approved edits: the length change, the greeting, the closing question and the sign-off, the formality, and the
/// phrases added and removed, each with the number of examples behind it. The draft prompts get it as a context section fenced as
/// data (`section`), so the model writes closer to what the person approves.
///
/// Pure and deterministic: the same edits give the same profile.
public struct StyleProfile: Codable, Sendable, Hashable {
    /// Fewer approved edits than this teach nothing.
    public static let minimumExamples = 3
    /// A greeting, sign-off or phrase must be seen in at least this many edits.
    public static let minimumRepeats = 2
    /// At most this many phrases added and removed each.
    public static let maxPhrases = 5

    /// What is seen, and in how many of the examples.
    public struct Observation<Value: Codable & Sendable & Hashable>: Codable, Sendable, Hashable {
        public var value: Value
        public var examples: Int
    }

    public enum Formality: String, Codable, Sendable, Hashable {
        case formal, neutral, informal
    }

    /// Whose style: a user id, or `client <id>`.
    public var subject: String
    /// The approved edits it was distilled from.
    public var examples: Int
    /// The approved text's words over the model's, the median (0.6: the person cuts 40 %).
    public var lengthRatio: Observation<Double>
    /// The greeting line the person uses most, the contact's first name as `{first name}`.
    public var greeting: Observation<String>?
    /// The question the person ends on most (the body's last line when it asks: `Are you free on Thursday?`).
    public var closingQuestion: Observation<String>?
    /// The closing line (before the name) the person uses most.
    public var signOff: Observation<String>?
    public var formality: Observation<Formality>
    public var phrasesAdded: [Observation<String>]
    public var phrasesRemoved: [Observation<String>]

    /// The profile of `edits`, or nil when there are fewer than `minimumExamples`.
    public static func distill(subject: String, edits: [StyleEdit]) -> StyleProfile? {
        guard edits.count >= minimumExamples else { return nil }
        let ratios = edits.map { edit -> Double in
            let original = max(1, words(edit.original).count)
            return Double(words(edit.final).count) / Double(original)
        }.sorted()
        let median = ratios.count % 2 == 1
            ? ratios[ratios.count / 2] : (ratios[ratios.count / 2 - 1] + ratios[ratios.count / 2]) / 2
        let greetings = edits.compactMap { edit in greetingLine(edit.final).map { generalized($0, name: edit.contactFirstName) } }
        let signOffs = edits.compactMap { signOffLine($0.final) }
        let questions = edits.compactMap { edit in closingQuestion(edit.final).map { generalized($0, name: edit.contactFirstName) } }
        let levels = edits.map { formality(of: $0.final) }
        let level = mostCommon(levels.map(\.rawValue)).flatMap { Formality(rawValue: $0.value) } ?? .neutral
        return StyleProfile(
            subject: subject, examples: edits.count,
            lengthRatio: Observation(value: (median * 100).rounded() / 100, examples: edits.count),
            greeting: mostCommon(greetings).flatMap { $0.examples >= minimumRepeats ? $0 : nil },
            closingQuestion: mostCommon(questions).flatMap { $0.examples >= minimumRepeats ? $0 : nil },
            signOff: mostCommon(signOffs).flatMap { $0.examples >= minimumRepeats ? $0 : nil },
            formality: Observation(value: level, examples: levels.filter { $0 == level }.count),
            phrasesAdded: phrases(edits, added: true), phrasesRemoved: phrases(edits, added: false))
    }

    /// The context section the draft prompts get, fenced as data: what the person changes, with the examples behind it.
    public var section: String {
        var lines: [String] = []
        if let greeting { lines.append("- Greeting: \"\(greeting.value)\" (\(greeting.examples) of \(examples))") }
        if let closingQuestion {
            lines.append("- Closing question: \"\(closingQuestion.value)\" (\(closingQuestion.examples) of \(examples))")
        }
        if let signOff { lines.append("- Sign-off: \"\(signOff.value)\" (\(signOff.examples) of \(examples))") }
        let percent = Int((lengthRatio.value * 100).rounded())
        lines.append("- Length: about \(percent) % of the model's draft (median of \(lengthRatio.examples))")
        lines.append("- Formality: \(formality.value.rawValue) (\(formality.examples) of \(examples))")
        if !phrasesAdded.isEmpty {
            lines.append("- Adds: " + phrasesAdded.map { "\"\($0.value)\" (\($0.examples))" }.joined(separator: ", "))
        }
        if !phrasesRemoved.isEmpty {
            lines.append("- Removes: " + phrasesRemoved.map { "\"\($0.value)\" (\($0.examples))" }.joined(separator: ", "))
        }
        // One trait a line inside the fence, so `StyleHints` reads each line alone.
        return "\(Self.heading)\(subject) (learned from \(examples) approved edits; follow it where it fits)\n"
            + UntrustedText.fence("\n" + lines.joined(separator: "\n") + "\n", source: "style profile") + "\n"
    }

    /// How every style section begins.
    public static let heading = "## Writing style of "

    // MARK: - Reading a text

    static func words(_ text: String) -> [String] {
        text.split { !$0.isLetter && !$0.isNumber && $0 != "'" && $0 != "’" }.map { $0.lowercased() }
    }

    static func lines(_ text: String) -> [String] {
        text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    static let greetingWords: Set<String> = ["hi", "hello", "dear", "hey", "good", "greetings", "morning", "afternoon"]

    /// The first line when it greets (starts with a greeting word, or is a short line ending in a comma).
    static func greetingLine(_ text: String) -> String? {
        guard let first = lines(text).first else { return nil }
        let lead = words(first).first ?? ""
        guard greetingWords.contains(lead) || (first.hasSuffix(",") && words(first).count <= 4) else { return nil }
        return first
    }

    /// The line before the signature (a short last line) when it ends with a comma: `Best regards,`.
    static func signOffLine(_ text: String) -> String? {
        let all = lines(text)
        guard all.count >= 2 else { return nil }
        for line in all.suffix(3).reversed() where line.hasSuffix(",") && words(line).count <= 4 { return line }
        return nil
    }

    /// The body's last line (before the sign-off) when it is a question.
    static func closingQuestion(_ text: String) -> String? {
        guard let last = lines(body(text)).last, last.hasSuffix("?") else { return nil }
        return last
    }

    static func generalized(_ line: String, name: String?) -> String {
        guard let name, !name.isEmpty else { return line }
        return line.replacingOccurrences(of: name, with: "{first name}")
    }

    static let formalMarkers: Set<String> = ["dear", "sincerely", "kind", "regards", "would", "kindly", "please", "appreciate"]
    static let informalMarkers: Set<String> = ["hey", "cheers", "thanks", "awesome", "great", "quick", "hi", "cool"]

    /// Formal, neutral or informal by marker words, contractions and exclamation marks.
    static func formality(of text: String) -> Formality {
        let all = words(text)
        var score = all.filter(formalMarkers.contains).count - all.filter(informalMarkers.contains).count
        score -= all.filter { $0.contains("'") || $0.contains("’") }.count
        score -= text.filter { $0 == "!" }.count
        return score >= 2 ? .formal : score <= -2 ? .informal : .neutral
    }

    /// The most common value and how often it is seen; ties go to the smallest value, so the result is stable.
    static func mostCommon(_ values: [String]) -> Observation<String>? {
        let counts = Dictionary(values.map { ($0, 1) }, uniquingKeysWith: +)
        return counts.max { ($0.value, $1.key) < ($1.value, $0.key) }.map { Observation(value: $0.key, examples: $0.value) }
    }

    /// Runs of 2 to 6 words the person adds (in the approved text, not the model's) or removes, counted once an edit,
    /// seen in at least `minimumRepeats` edits; the longest run of a family first, names and numbers left out.
    static func phrases(_ edits: [StyleEdit], added: Bool) -> [Observation<String>] {
        var counts: [String: Int] = [:]
        for edit in edits {
            let name = edit.contactFirstName?.lowercased()
            let from = grams(body(edit.final)), other = grams(body(edit.original))
            let changed = added ? from.subtracting(other) : other.subtracting(from)
            // A name is a whole word of the run ("Hank" is not in "thank you").
            for gram in changed
            where !gram.contains(where: \.isNumber) && !(name.map { gram.split(separator: " ").contains(Substring($0)) } ?? false) {
                counts[gram, default: 0] += 1
            }
        }
        var kept: [Observation<String>] = []
        let ranked = counts.filter { $0.value >= minimumRepeats }
            .sorted { ($0.value, $0.key.count, $1.key) > ($1.value, $1.key.count, $0.key) }
        for (gram, count) in ranked where !kept.contains(where: { $0.value.contains(gram) || gram.contains($0.value) }) {
            // Runs longer than six words arrive as overlapping pieces seen as often: they are one phrase.
            if let at = kept.firstIndex(where: { $0.examples == count && joined($0.value, gram) != nil }) {
                kept[at].value = joined(kept[at].value, gram) ?? kept[at].value
                continue
            }
            guard kept.count < maxPhrases else { continue }
            kept.append(Observation(value: gram, examples: count))
        }
        return kept
    }

    /// `a` and `b` as one run when one ends with at least two words the other begins with
    /// (`would tuesday morning suit` + `morning suit you for`), nil when they do not overlap.
    static func joined(_ a: String, _ b: String) -> String? {
        func overlap(_ head: [Substring], _ tail: [Substring]) -> String? {
            for size in stride(from: min(head.count, tail.count) - 1, through: 2, by: -1)
            where Array(head.suffix(size)) == Array(tail.prefix(size)) {
                return (head + tail.dropFirst(size)).joined(separator: " ")
            }
            return nil
        }
        let first = a.split(separator: " "), second = b.split(separator: " ")
        return overlap(first, second) ?? overlap(second, first)
    }

    /// The text without its greeting and sign-off lines (and the signature after it): they are traits of their own.
    static func body(_ text: String) -> String {
        var all = lines(text)
        if let greeting = greetingLine(text), all.first == greeting { all.removeFirst() }
        if let signOff = signOffLine(text), let at = all.lastIndex(of: signOff) { all.removeSubrange(at...) }
        return all.joined(separator: "\n")
    }

    /// Runs of 2 to 6 words within one sentence (never across a line break or `.`, `!`, `?`, `;`).
    static func grams(_ text: String) -> Set<String> {
        var out: Set<String> = []
        for sentence in text.split(whereSeparator: { "\n.!?;".contains($0) }) {
            let all = words(String(sentence))
            for n in 2...6 where all.count >= n {
                for i in 0...(all.count - n) { out.insert(all[i..<(i + n)].joined(separator: " ")) }
            }
        }
        return out
    }
}
