import KAMCore

/// Chat Completions wire types (OpenAI OpenAPI `CreateChatCompletionRequest` / `...Response` / `...StreamResponse`).
///
/// Only the fields KAM reads or writes; decoding ignores the rest.
public enum OpenAIWire {
    public struct Message: Codable, Sendable, Hashable {
        public var role: String
        public var content: String?
        public var refusal: String?
    }

    public struct Choice: Decodable, Sendable {
        public var index: Int?
        public var message: Message?
        public var finish_reason: String?
    }

    public struct PromptTokensDetails: Decodable, Sendable {
        public var cached_tokens: Int?
    }

    public struct Usage: Decodable, Sendable {
        public var prompt_tokens: Int?
        public var completion_tokens: Int?
        public var total_tokens: Int?
        public var prompt_tokens_details: PromptTokensDetails?

        var kamUsage: KAMCore.Usage {
            KAMCore.Usage(
                inputTokens: prompt_tokens ?? 0, outputTokens: completion_tokens ?? 0,
                cachedInputTokens: prompt_tokens_details?.cached_tokens ?? 0)
        }
    }

    public struct Response: Decodable, Sendable {
        public var id: String?
        public var model: String?
        public var choices: [Choice]
        public var usage: Usage?
    }

    public struct Delta: Decodable, Sendable {
        public var role: String?
        public var content: String?
        public var refusal: String?
    }

    public struct ChunkChoice: Decodable, Sendable {
        public var index: Int?
        public var delta: Delta?
        public var finish_reason: String?
    }

    public struct Chunk: Decodable, Sendable {
        public var id: String?
        public var model: String?
        public var choices: [ChunkChoice]?
        public var usage: Usage?
    }

    public struct ErrorBody: Decodable, Sendable {
        public struct Detail: Decodable, Sendable {
            public var message: String?
            public var type: String?
            public var code: String?
        }
        public var error: Detail?
    }

    static func finishReason(_ raw: String?) -> FinishReason {
        switch raw {
        case "stop": .stop
        case "length": .length
        case "content_filter": .contentFilter
        case "tool_calls", "function_call": .toolCall
        default: .unknown
        }
    }
}
