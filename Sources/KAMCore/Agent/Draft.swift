import Foundation

/// A message the model proposed for a client, waiting for (or past) a person's decision.
///
/// Everything needed to explain and reproduce the draft is kept with it: the context the model saw,
/// the prompt version and its content hash, the model, usage and cost.
public struct Draft: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    public var clientID: String
    public var kind: DraftKind
    public var status: DraftStatus
    public var hint: String?
    public var promptID: String
    public var promptVersion: String
    public var promptHash: String
    public var provider: String
    /// The configured model name.
    public var model: String
    /// The name the server answered with, when it differs from `model` (a local server's file path); nil otherwise.
    public var servedModel: String?
    public var isOffline: Bool
    /// What the model wrote, never changed after creation.
    public var original: DraftContent
    /// What a person approved, when they edited it.
    public var edited: DraftContent?
    /// Levenshtein distance from the original to the approved text (0 when approved unedited).
    public var editDistance: Int?
    /// The rendered messages sent to the model, as JSON.
    public var promptMessages: String
    /// The assembled context the model saw, as text.
    public var contextSnapshot: String
    public var usage: Usage
    /// What the model calls cost (all attempts); nil when the model's price is unknown.
    public var cost: Money?
    /// The experiment and variant that chose the prompt version, when one was running.
    public var experimentID: String?
    public var variant: String?
    public var createdBy: String?
    public var decidedBy: String?
    public var rejectReason: String?
    public var createdAt: Date
    public var updatedAt: Date
    public var decidedAt: Date?
    public var sentAt: Date?

    public init(
        id: String, clientID: String, kind: DraftKind, hint: String?, promptID: String, promptVersion: String,
        promptHash: String, provider: String, model: String, isOffline: Bool, original: DraftContent,
        promptMessages: String, contextSnapshot: String, usage: Usage, cost: Money?, createdBy: String?,
        createdAt: Date, experimentID: String? = nil, variant: String? = nil, servedModel: String? = nil
    ) {
        self.id = id
        self.clientID = clientID
        self.kind = kind
        self.status = .pending
        self.hint = hint
        self.promptID = promptID
        self.promptVersion = promptVersion
        self.promptHash = promptHash
        self.provider = provider
        self.model = model
        self.servedModel = servedModel
        self.isOffline = isOffline
        self.original = original
        self.promptMessages = promptMessages
        self.contextSnapshot = contextSnapshot
        self.usage = usage
        self.cost = cost
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.updatedAt = createdAt
        self.experimentID = experimentID
        self.variant = variant
    }

    /// The text that stands: the person's edit when there is one, else the model's original.
    public var final: DraftContent { edited ?? original }
}
