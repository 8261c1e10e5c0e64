/// Where an event stands in a chain of rule actions, so no chain can loop. An event written by a person or a job
/// starts a chain (its root is itself, depth 0); the events a rule's actions write carry the root of the event
/// that fired the rule and its depth plus one. A rule fires at most once per client in a chain, and not at all on
/// an event at `depthLimit` or deeper.
public struct RuleChain: Sendable, Hashable, Codable {
    /// The event that started the chain.
    public var root: Int64
    /// 0 for the root, 1 for the events of the actions it fired, ...
    public var depth: Int

    public init(root: Int64, depth: Int) {
        self.root = root
        self.depth = depth
    }

    /// The deepest an event may be for rules to fire on it.
    public static let depthLimit = 4

    /// Why a rule that matched does not run, or nil when it runs.
    public enum Stop: String, Sendable, Hashable, Codable {
        /// The event is `depthLimit` actions deep.
        case depthLimit = "depth-limit"
        /// The rule already fired for this client in this chain.
        case alreadyFiredInChain = "already-fired-in-chain"
    }

    /// Whether a matched rule may run on an event of this chain, given whether it already fired for the client in it.
    public func stop(firedInChain: Bool) -> Stop? {
        if depth >= Self.depthLimit { return .depthLimit }
        if firedInChain { return .alreadyFiredInChain }
        return nil
    }

    /// The chain of the events an action writes.
    public var next: RuleChain { RuleChain(root: root, depth: depth + 1) }
}
