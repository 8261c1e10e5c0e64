/// Checks one dataset line the way OpenAI's fine-tuning data checks do, and counts its tokens.
///
/// The checks and their names follow OpenAI's "data preparation and analysis for chat model
/// fine-tuning" cookbook: data type, missing messages list, message keys, unrecognized role,
/// missing content, missing assistant message, and the token count against the model's limit,
/// extended to the preference and Bedrock layouts. The codes are the cookbook's names spelled the
/// way every KAM error code is (`data_type` is `export.data-type`).
public struct FineTuningValidator: Sendable {
    /// One problem found in a line.
    public struct Issue: Sendable, Hashable, Codable {
        public var code: String
        public var message: String
    }

    /// The verdict on a line: its issues (none when valid) and its token count.
    public struct Check: Sendable, Hashable {
        public var issues: [Issue]
        public var tokens: Int
        public var isValid: Bool { issues.isEmpty }
    }

    public var format: ExportFormat
    public var tokenizer: any TokenCounting
    /// The most tokens one example may have (the target model's context window).
    public var tokenLimit: Int

    static let roles: Set<String> = ["system", "user", "assistant", "function", "tool"]
    static let messageKeys: Set<String> = ["role", "content", "name", "function_call", "weight", "tool_calls", "tool_call_id"]

    public init(format: ExportFormat, tokenizer: any TokenCounting, tokenLimit: Int) {
        self.format = format
        self.tokenizer = tokenizer
        self.tokenLimit = tokenLimit
    }

    public func check(_ line: JSONValue) -> Check {
        var issues: [Issue] = []
        func add(_ code: String, _ message: String) { issues.append(Issue(code: code, message: message)) }
        guard let object = line.objectValue else {
            add("export.data-type", "the line is not a JSON object")
            return Check(issues: issues, tokens: 0)
        }
        var tokens = 3  // every reply is primed with <|start|>assistant<|message|>
        func messages(_ value: JSONValue?, field: String, roles allowed: Set<String>) -> [[String: JSONValue]] {
            guard let array = value?.arrayValue, !array.isEmpty else {
                add("export.missing-messages-list", "`\(field)` is missing or not a non-empty list")
                return []
            }
            var out: [[String: JSONValue]] = []
            for (i, item) in array.enumerated() {
                guard let m = item.objectValue else {
                    add("export.data-type", "\(field)[\(i)] is not an object")
                    continue
                }
                if m["role"] == nil || m["content"] == nil {
                    add("export.message-missing-key", "\(field)[\(i)] lacks `role` or `content`")
                }
                if let extra = m.keys.first(where: { !Self.messageKeys.contains($0) }) {
                    add("export.message-unrecognized-key", "\(field)[\(i)] has the unrecognized key `\(extra)`")
                }
                let role = m["role"]?.stringValue ?? ""
                if m["role"] != nil, !allowed.contains(role) {
                    add("export.unrecognized-role", "\(field)[\(i)] has the unrecognized role `\(role)`")
                }
                let content = m["content"]?.stringValue
                if m["content"] != nil, content == nil || content!.isEmpty, m["function_call"] == nil,
                    m["tool_calls"] == nil
                {
                    add("export.missing-content", "\(field)[\(i)] has no text content")
                }
                if let weight = m["weight"], weight != .int(0), weight != .int(1) {
                    add("export.invalid-weight", "\(field)[\(i)] has a weight other than 0 or 1")
                }
                tokens += 3 + tokenizer.countTokens(role) + tokenizer.countTokens(content ?? "")
                out.append(m)
            }
            return out
        }
        switch format {
        case .openAIChat:
            let list = messages(object["messages"], field: "messages", roles: Self.roles)
            if !list.isEmpty, !list.contains(where: { $0["role"]?.stringValue == "assistant" }) {
                add("export.example-missing-assistant-message", "no assistant message to learn from")
            }
        case .preference:
            let input = messages(object["input"]?["messages"], field: "input.messages", roles: Self.roles)
            if let last = input.last, last["role"]?.stringValue == "assistant" {
                add("export.unrecognized-role", "input.messages must end with a user turn, not the assistant")
            }
            for field in ["preferred_output", "non_preferred_output"] {
                let out = messages(object[field], field: field, roles: ["assistant"])
                if out.isEmpty || !out.contains(where: { $0["role"]?.stringValue == "assistant" }) {
                    add("export.example-missing-assistant-message", "`\(field)` has no assistant message")
                }
            }
            if object["preferred_output"] == object["non_preferred_output"] {
                add("export.identical-outputs", "preferred and non-preferred outputs are the same")
            }
        case .bedrock:
            if let system = object["system"] {
                if system.stringValue == nil { add("export.data-type", "`system` is not a string") }
                tokens += tokenizer.countTokens(system.stringValue ?? "")
            }
            let list = messages(object["messages"], field: "messages", roles: ["user", "assistant"])
            for (i, m) in list.enumerated() {
                let expected = i % 2 == 0 ? "user" : "assistant"
                if m["role"]?.stringValue != expected {
                    add("export.unrecognized-role", "messages[\(i)] must be `\(expected)`: Bedrock wants alternating turns starting with the user")
                    break
                }
            }
            if let last = list.last, last["role"]?.stringValue != "assistant" {
                add("export.example-missing-assistant-message", "the last message is not the assistant's")
            }
        }
        if tokens > tokenLimit {
            add("export.token-limit-exceeded", "\(tokens) tokens, over the model's limit of \(tokenLimit)")
        }
        return Check(issues: issues, tokens: tokens)
    }
}
