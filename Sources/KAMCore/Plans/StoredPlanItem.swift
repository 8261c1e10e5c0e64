import Foundation

/// One item of a stored plan: the planner's item, and whether (and by what) it was done.
public struct StoredPlanItem: Encodable, Sendable, Hashable {
    public var id: Int64
    public var item: PlanItem
    public var doneAt: Date?
    /// What completed it: `by hand (maria)`, or the event (`task.status-changed #57`).
    public var doneBy: String?

    public init(id: Int64, item: PlanItem, doneAt: Date?, doneBy: String?) {
        self.id = id
        self.item = item
        self.doneAt = doneAt
        self.doneBy = doneBy
    }

    enum CodingKeys: String, CodingKey {
        case id
        case doneAt = "done_at", doneBy = "done_by"
    }

    /// The item's own fields beside `id`, `done_at` and `done_by`.
    public func encode(to encoder: any Encoder) throws {
        try item.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encodeIfPresent(doneAt, forKey: .doneAt)
        try container.encodeIfPresent(doneBy, forKey: .doneBy)
    }
}
