/// One draft as analytics counts it (`AnalyticsReading.drafts`), with the owner of its client.
public struct AnalyticsDraftFact: Sendable, Hashable {
    public var kind: String
    public var promptID: String
    public var promptVersion: String
    public var status: DraftStatus
    /// Levenshtein distance of the approved text from the model's (nil until approved).
    public var editDistance: Int?
    /// A person changed the text before approving.
    public var edited: Bool
    public var createdBy: String?
    public var clientOwnerID: String?

    public init(
        kind: String, promptID: String, promptVersion: String, status: DraftStatus, editDistance: Int?, edited: Bool,
        createdBy: String?, clientOwnerID: String?
    ) {
        self.kind = kind
        self.promptID = promptID
        self.promptVersion = promptVersion
        self.status = status
        self.editDistance = editDistance
        self.edited = edited
        self.createdBy = createdBy
        self.clientOwnerID = clientOwnerID
    }
}
