import KAMCore

/// Messages API wire types (Anthropic's documented `POST /v1/messages` shapes and stream events).
public enum AnthropicWire {
    public struct ContentBlock: Decodable, Sendable {
        public var type: String
        public var text: String?
        public var id: String?
        public var name: String?
        public var input: JSONValue?
    }

    public struct Usage: Decodable, Sendable {
        public var input_tokens: Int?
        public var output_tokens: Int?
        public var cache_creation_input_tokens: Int?
        public var cache_read_input_tokens: Int?

        /// KAM's `inputTokens` include cached ones; Anthropic's `input_tokens` exclude both cache counts.
        var kamUsage: KAMCore.Usage {
            let read = cache_read_input_tokens ?? 0
            let created = cache_creation_input_tokens ?? 0
            return KAMCore.Usage(
                inputTokens: (input_tokens ?? 0) + read + created, outputTokens: output_tokens ?? 0,
                cachedInputTokens: read, cacheCreationInputTokens: created)
        }
    }

    public struct Message: Decodable, Sendable {
        public var id: String?
        public var type: String?
        public var role: String?
        public var model: String?
        public var content: [ContentBlock]?
        public var stop_reason: String?
        public var usage: Usage?
    }

    public struct ErrorBody: Decodable, Sendable {
        public struct Detail: Decodable, Sendable {
            public var type: String?
            public var message: String?
        }
        public var type: String?
        public var error: Detail?
    }

    public struct StreamDelta: Decodable, Sendable {
        public var type: String?
        public var text: String?
        public var partial_json: String?
        public var stop_reason: String?
    }

    /// Any stream event; which fields are set depends on `type`.
    public struct StreamEvent: Decodable, Sendable {
        public var type: String
        public var index: Int?
        public var message: Message?
        public var content_block: ContentBlock?
        public var delta: StreamDelta?
        public var usage: Usage?
        public var error: ErrorBody.Detail?
    }

    static func finishReason(_ raw: String?, forcedTool: Bool) -> FinishReason {
        switch raw {
        case "end_turn", "stop_sequence", "pause_turn": .stop
        case "tool_use": forcedTool ? .stop : .toolCall
        case "max_tokens", "model_context_window_exceeded": .length
        case "refusal": .contentFilter
        default: .unknown
        }
    }
}
