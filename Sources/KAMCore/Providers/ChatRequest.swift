/// A provider-neutral model call: what to send, to which model, and what shape the answer must have.
///
/// Every backend encodes this into its own wire format. `metadata` is not sent to remote models; it
/// carries the prompt id/version and the render variables so that the offline provider can build a
/// schema-valid answer from the context, and so that the metering layer knows which prompt called.
public struct ChatRequest: Codable, Sendable, Hashable {
    /// Model id as the provider knows it (`gpt-4o-mini`, `claude-sonnet-4-5`, a local GGUF name).
    public var model: String
    public var messages: [ChatMessage]
    public var temperature: Double?
    public var maxOutputTokens: Int?
    /// JSON Schema the answer must satisfy; `nil` for free text.
    public var outputSchema: JSONValue?
    /// Name of the schema (OpenAI `json_schema.name`, Anthropic tool name). Letters, digits, `_` and `-`.
    public var schemaName: String?
    /// Ask for server-sent events. Adapters also set this themselves when `stream(_:)` is called.
    public var stream: Bool
    /// Prompt id/version (`prompt_id`, `prompt_version`), render variables (`variables`), client id... Never sent.
    public var metadata: [String: JSONValue]
    /// Backend-specific options merged into the request body as-is (e.g. llama.cpp `repeat_penalty`).
    public var extraOptions: [String: JSONValue]

    public init(
        model: String,
        messages: [ChatMessage],
        temperature: Double? = nil,
        maxOutputTokens: Int? = nil,
        outputSchema: JSONValue? = nil,
        schemaName: String? = nil,
        stream: Bool = false,
        metadata: [String: JSONValue] = [:],
        extraOptions: [String: JSONValue] = [:]
    ) {
        self.model = model
        self.messages = messages
        self.temperature = temperature
        self.maxOutputTokens = maxOutputTokens
        self.outputSchema = outputSchema
        self.schemaName = schemaName
        self.stream = stream
        self.metadata = metadata
        self.extraOptions = extraOptions
    }

    /// The schema name to use on the wire: the given one, or `output`.
    public var effectiveSchemaName: String {
        guard let schemaName, !schemaName.isEmpty else { return "output" }
        return String(schemaName.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" ? $0 : "_" }.prefix(64))
    }

    /// The prompt id from the metadata, if the caller set one.
    public var promptID: String? { metadata["prompt_id"]?.stringValue }

    /// The same request for another model (used by fallback chains).
    public func withModel(_ model: String) -> ChatRequest {
        var copy = self
        copy.model = model
        return copy
    }
}
