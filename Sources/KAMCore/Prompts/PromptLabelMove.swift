import Foundation

/// One recorded move of a prompt label: which label of which prompt went from which version to which, who moved
/// it and when.
public struct PromptLabelMove: Codable, Sendable, Hashable {
    public var promptID: String
    public var label: String
    /// The version the label served before (nil when the label is new).
    public var from: String?
    public var to: String?
    public var userID: String?
    public var at: Date

    public init(promptID: String, label: String, from: String?, to: String?, userID: String?, at: Date) {
        self.promptID = promptID
        self.label = label
        self.from = from
        self.to = to
        self.userID = userID
        self.at = at
    }

    enum CodingKeys: String, CodingKey {
        case label, from, to, at
        case promptID = "prompt_id"
        case userID = "user_id"
    }
}
