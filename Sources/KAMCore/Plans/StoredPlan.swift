import Foundation

/// A user's plan for one day as the daily review wrote it, with each item's completion.
public struct StoredPlan: Encodable, Sendable, Hashable {
    public var id: Int64
    public var userID: String
    /// YYYY-MM-DD in `timeZone`.
    public var day: String
    public var timeZone: String
    public var createdAt: Date
    /// How many clients were planned (those the user owns).
    public var clients: Int
    public var items: [StoredPlanItem]
    /// The brief of `plan.daily-review` (priorities with win probability, risks, quick wins), when a model wrote one.
    public var brief: DailyReviewPlan?
    /// Why there is no brief: no model is configured (the planner's items alone), or the call failed.
    public var briefNote: String?

    public init(
        id: Int64, userID: String, day: String, timeZone: String, createdAt: Date, clients: Int, items: [StoredPlanItem],
        brief: DailyReviewPlan?, briefNote: String?
    ) {
        self.id = id
        self.userID = userID
        self.day = day
        self.timeZone = timeZone
        self.createdAt = createdAt
        self.clients = clients
        self.items = items
        self.brief = brief
        self.briefNote = briefNote
    }

    /// Items done so far.
    public var done: Int { items.count { $0.doneAt != nil } }

    enum CodingKeys: String, CodingKey {
        case id, day, clients, items, brief, done
        case userID = "user_id", timeZone = "time_zone", createdAt = "created_at", briefNote = "brief_note"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(userID, forKey: .userID)
        try container.encode(day, forKey: .day)
        try container.encode(timeZone, forKey: .timeZone)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(clients, forKey: .clients)
        try container.encode(items, forKey: .items)
        try container.encode(done, forKey: .done)
        try container.encodeIfPresent(brief, forKey: .brief)
        try container.encodeIfPresent(briefNote, forKey: .briefNote)
    }
}
