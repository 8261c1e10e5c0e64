/// A prompt version rendered into chat messages, with what identifies the version.
public struct RenderedPrompt: Sendable, Hashable, Codable {
    public var promptID: String
    public var version: String
    public var contentHash: String
    public var messages: [ChatMessage]

    public init(promptID: String, version: String, contentHash: String, messages: [ChatMessage]) {
        self.promptID = promptID
        self.version = version
        self.contentHash = contentHash
        self.messages = messages
    }

    /// The messages as text, each introduced by its role marker: what `kam prompts render --text` prints.
    public var text: String {
        messages.map { "\($0.role.rawValue):\n\($0.content)" }.joined(separator: "\n\n")
    }
}
