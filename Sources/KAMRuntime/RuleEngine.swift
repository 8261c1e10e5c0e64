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
        try await handle(batch: [event])
    }

    /// The batch's events that start a rule, with the rules each starts, handed to the rules in one go so that each
    /// client's facts are read once for the batch (`RuleService.handle`).
    public func handle(batch: [StoredEvent]) async throws {
        let started: [RuleService.Started] = batch.compactMap { stored in
            guard stored.clientID != nil, rules.contains(where: { $0.trigger.matches(kind: stored.kind) }) else { return nil }
            let payload = (try? JSONValue.parse(stored.payload))?.objectValue ?? [:]
            let event = RuleEvent(
                id: stored.id, kind: stored.kind, clientID: stored.clientID, subjectID: stored.subjectID,
                payload: payload, occurredAt: stored.occurredAt)
            // A rule whose `event:` conditions the payload fails cannot match: it is logged as skipped with those
            // conditions, and the facts are read only for the clients of the others.
            var starting: [Rule] = []
            var refused: [RuleEvaluation] = []
            for rule in rules where rule.trigger.matches(kind: stored.kind, payload: payload) {
                if let refusal = RuleEvaluator.eventRefusal(rule, event) { refused.append(refusal) } else { starting.append(rule) }
            }
            guard !starting.isEmpty || !refused.isEmpty else { return nil }  // a `client.imported` standing for none of them
            return RuleService.Started(
                event: event, chain: RuleChain(root: stored.chainRoot ?? stored.id, depth: stored.chainDepth), rules: starting,
                refused: refused)
        }
        guard !started.isEmpty else { return }
        try await runtime.rules.handle(started)
    }
}
