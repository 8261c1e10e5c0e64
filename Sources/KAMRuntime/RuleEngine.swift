import Foundation
import KAMCore
import KAMStore

/// The rules as an event consumer (cursor `rules`): each event with a client starts the enabled rules on its kind,
/// evaluated in the event's chain (`RuleChain`: a rule fires once per client in a chain, and not on an event
/// `RuleChain.depthLimit` actions deep). Handling an event again executes nothing twice: each execution is keyed by
/// (rule, event, client) in the transaction of its writes. The rules are read once, when the consumer is made.
public struct RuleEngine: EventConsumer {
    public let runtime: Runtime
    /// The enabled rules that start on events.
    public let rules: [Rule]
    public var name: String { "rules" }

    /// - Throws: `ConfigurationError` when a rule file is broken.
    public init(runtime: Runtime) throws {
        self.runtime = runtime
        self.rules = try runtime.rules.list().filter {
            if case .events = $0.trigger { $0.enabled } else { false }
        }
    }

    public func handle(_ event: StoredEvent) async throws {
        guard event.clientID != nil, rules.contains(where: { $0.trigger.matches(kind: event.kind) }) else { return }
        let payload = (try? JSONValue.parse(event.payload))?.objectValue ?? [:]
        try runtime.rules.handle(
            RuleEvent(
                id: event.id, kind: event.kind, clientID: event.clientID, subjectID: event.subjectID, payload: payload,
                occurredAt: event.occurredAt),
            chain: RuleChain(root: event.chainRoot ?? event.id, depth: event.chainDepth), rules: rules)
    }
}
