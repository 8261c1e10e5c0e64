import Foundation

/// One entry of a client's communications timeline: an activity (with the inbound email it came from, when
/// it came from one), or an inbound email stored for the client that made no activity.
public struct ClientTimelineEntry: Sendable, Hashable {
    public var at: Date
    public var activity: Activity?
    public var email: EmailIntakeEntry?

    public init(at: Date, activity: Activity?, email: EmailIntakeEntry?) {
        self.at = at
        self.activity = activity
        self.email = email
    }
}
