import Foundation

/// One approved draft as the time-saved estimate counts it (`AnalyticsReading.approvals`).
public struct AnalyticsApprovalFact: Sendable, Hashable {
    /// The text approved: the person's edit, or the model's text approved as written.
    public var content: DraftContent
    public var createdAt: Date
    public var decidedAt: Date
    public var createdBy: String?
    public var decidedBy: String?
    public var clientOwnerID: String?

    public init(
        content: DraftContent, createdAt: Date, decidedAt: Date, createdBy: String?, decidedBy: String?,
        clientOwnerID: String?
    ) {
        self.content = content
        self.createdAt = createdAt
        self.decidedAt = decidedAt
        self.createdBy = createdBy
        self.decidedBy = decidedBy
        self.clientOwnerID = clientOwnerID
    }
}
