import Foundation

extension ImportSink {
    /// One `upsertActivity` after the other: what a store whose statements are cheap in-process calls (SQLite) does.
    public func upsertActivities(_ activities: [Activity], at now: Date, announcingCreation: Bool) throws
        -> [(id: Int64, outcome: UpsertOutcome)]
    {
        try activities.map { try upsertActivity($0, at: now, announcingCreation: announcingCreation) }
    }
}
