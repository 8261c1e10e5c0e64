import Foundation
import KAMCore
import KAMStore

/// The stored plans' completion as an event consumer (cursor `daily-plans`): an item is done when its task is done
/// (`task.status-changed` to done), its deal moves (`deal.stage-changed`), or, for an item about the client itself,
/// the client is contacted (`activity.logged`: a call, email, meeting or demo, not a note or an internal one).
/// Only items of plans written before the event are marked; handling an event again marks nothing new.
/// A CSV import's `client.imported` completes nothing: the activities it stands for are history, not today's contact.
public struct PlanProgress: EventConsumer {
    public let runtime: Runtime
    public var name: String { "daily-plans" }

    public init(runtime: Runtime) {
        self.runtime = runtime
    }

    public func handle(_ event: StoredEvent) async throws {
        guard let target = Self.target(completedBy: event) else { return }
        try runtime.dailyPlans.markDone(
            target: target, happenedAt: event.occurredAt, byEvent: event.id, kind: event.kind)
    }

    /// The plan item target (`task:40`, `deal:12`, `client:acme`) `event` completes, if any.
    static func target(completedBy event: StoredEvent) -> String? {
        // The payload is parsed only for the two kinds that need it: most events this consumer reads complete nothing.
        func payload() -> [String: JSONValue] { (try? JSONValue.parse(event.payload))?.objectValue ?? [:] }
        switch EventKind(rawValue: event.kind) {
        case .taskStatusChanged:
            guard let id = event.subjectID, payload()["to"]?.stringValue == TaskStatus.done.rawValue else { return nil }
            return "task:\(id)"
        case .dealStageChanged:
            return event.subjectID.map { "deal:\($0)" }
        case .activityLogged:
            guard let clientID = event.clientID else { return nil }
            let fields = payload()
            guard fields["kind"]?.stringValue != ActivityKind.note.rawValue,
                fields["direction"]?.stringValue != ActivityDirection.internal.rawValue
            else { return nil }
            return "client:\(clientID)"
        default:
            return nil
        }
    }
}
