import Foundation

/// What the daily review writes for one user and day (`DailyPlanStoring.save`).
public struct NewDailyPlan: Sendable {
    public var userID: String
    /// YYYY-MM-DD in `timeZone`.
    public var day: String
    public var timeZone: String
    public var createdAt: Date
    /// How many clients were planned (those the user owns).
    public var clients: Int
    public var items: [PlanItem]
    public var brief: DailyReviewPlan?
    public var briefNote: String?

    public init(
        userID: String, day: String, timeZone: String, createdAt: Date, clients: Int, items: [PlanItem],
        brief: DailyReviewPlan?, briefNote: String?
    ) {
        self.userID = userID
        self.day = day
        self.timeZone = timeZone
        self.createdAt = createdAt
        self.clients = clients
        self.items = items
        self.brief = brief
        self.briefNote = briefNote
    }

    /// The brief as stored (JSON), when there is one.
    public func briefText() throws -> String? {
        try brief.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
    }
}
