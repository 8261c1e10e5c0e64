/// Who wrote a message in a conversation with a model.
///
/// The wire formats differ (Anthropic has no `system` role inside `messages`), so the adapters map this.
public enum ChatRole: String, Codable, Sendable, Hashable, CaseIterable {
    case system, user, assistant
}
