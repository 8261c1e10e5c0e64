import Foundation

/// Rebuilds an approved draft as a training example: the messages that produced it, with the text a
/// person approved as the assistant's answer, every text anonymized with one dataset-wide session.
///
/// The assistant turn is the approved content as the JSON the draft prompts ask for
/// (`subject`, `body`, `call_to_action`), so a model tuned on it answers in the shape KAM parses.
public struct TrainingExampleBuilder: Sendable {
    /// What became of one draft.
    public enum Outcome: Sendable {
        case example(JSONValue)
        /// The draft cannot make an example of this format (e.g. unedited for preference pairs): counted, not an error.
        case notApplicable(String)
        /// The draft's stored data is unusable: reported with the reason.
        case rejected(String)
    }

    public var format: ExportFormat
    public var anonymizer: Anonymizer?
    public var session: AnonymizationSession

    /// - Parameter anonymizer: nil writes texts unchanged (only for tests of the audit: the leak audit then fails).
    public init(format: ExportFormat, anonymizer: Anonymizer?, session: AnonymizationSession) {
        self.format = format
        self.anonymizer = anonymizer
        self.session = session
    }

    /// The example for `draft`.
    public func build(_ draft: Draft) -> Outcome {
        let prompt: [(role: String, content: String)]
        switch Self.messages(fromJSON: draft.promptMessages) {
        case .success(let m): prompt = m
        case .failure(let rejection): return .rejected(rejection.reason)
        }
        let prompted = prompt.map { (role: $0.role, content: clean($0.content)) }
        let final = clean(Self.assistantText(draft.final))
        switch format {
        case .openAIChat:
            var messages = prompted.map { Self.message($0.role, $0.content) }
            // Earlier assistant turns (few-shot examples in the prompt) are context, not what to learn.
            let hasEarlierAssistant = prompted.contains { $0.role == "assistant" }
            if hasEarlierAssistant {
                messages = messages.map { m in
                    guard case .object(var o) = m, o["role"] == .string("assistant") else { return m }
                    o["weight"] = .int(0)
                    return .object(o)
                }
                messages.append(.object(["role": .string("assistant"), "content": .string(final), "weight": .int(1)]))
            } else {
                messages.append(Self.message("assistant", final))
            }
            return .example(.object(["messages": .array(messages)]))
        case .preference:
            guard let edited = draft.edited, edited != draft.original else {
                return .notApplicable("approved without an edit: no preferred/non-preferred pair")
            }
            let original = clean(Self.assistantText(draft.original))
            let preferred = clean(Self.assistantText(edited))
            return .example(
                .object([
                    "input": .object(["messages": .array(prompted.map { Self.message($0.role, $0.content) })]),
                    "preferred_output": .array([Self.message("assistant", preferred)]),
                    "non_preferred_output": .array([Self.message("assistant", original)]),
                ]))
        case .bedrock:
            let system = prompted.filter { $0.role == "system" }.map(\.content).joined(separator: "\n\n")
            // Claude wants alternating user/assistant turns starting with the user: merge neighbours of one role.
            var turns: [(role: String, content: String)] = []
            for m in prompted where m.role != "system" {
                if let last = turns.last, last.role == m.role {
                    turns[turns.count - 1].content += "\n\n" + m.content
                } else {
                    turns.append(m)
                }
            }
            if let last = turns.last, last.role == "assistant" {
                turns[turns.count - 1].content += "\n\n" + final
            } else {
                turns.append((role: "assistant", content: final))
            }
            var object: [String: JSONValue] = ["messages": .array(turns.map { Self.message($0.role, $0.content) })]
            if !system.isEmpty { object["system"] = .string(system) }
            return .example(.object(object))
        }
    }

    private func clean(_ text: String) -> String {
        guard let anonymizer else { return text }
        return anonymizer.anonymize(text, session: session).text
    }

    static func message(_ role: String, _ content: String) -> JSONValue {
        .object(["role": .string(role), "content": .string(content)])
    }

    /// The approved content as the JSON object the draft prompts' schema names.
    public static func assistantText(_ content: DraftContent) -> String {
        JSONValue.object([
            "subject": .string(content.subject), "body": .string(content.body),
            "call_to_action": .string(content.callToAction),
        ]).compactJSONText
    }

    /// The `{role, content}` array a draft stores, or why it is unusable.
    static func messages(fromJSON text: String) -> Result<[(role: String, content: String)], ExportRejection> {
        guard let value = try? JSONParser.parse(text), let array = value.arrayValue else {
            return .failure(ExportRejection("the draft's stored prompt messages are not a JSON array"))
        }
        if array.isEmpty { return .failure(ExportRejection("the draft has no stored prompt messages")) }
        var out: [(role: String, content: String)] = []
        for (i, item) in array.enumerated() {
            guard let role = item["role"]?.stringValue, let content = item["content"]?.stringValue else {
                return .failure(ExportRejection("stored prompt message \(i) has no string role and content"))
            }
            out.append((role, content))
        }
        return .success(out)
    }
}

/// Why a draft could not become an example.
public struct ExportRejection: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}
