/// What each fixture client's answers may mention: its own facts, and the phrases that belong to
/// other clients (a leak when they appear).
///
/// Phrases are matched case-insensitively as substrings; short ones (under 4 characters) are left out
/// because they match by accident.
public struct EvalFactIndex: Sendable, Hashable {
    /// Facts from the client's context: remembered facts and preferences, open deals, pending tasks, products ordered.
    public var facts: [String: [String]]
    /// Phrases that identify a client: its name, its contacts' names and emails, and its facts.
    public var identifying: [String: [String]]

    public init(facts: [String: [String]] = [:], identifying: [String: [String]] = [:]) {
        self.facts = facts
        self.identifying = identifying
    }

    public init(snapshots: [ClientSnapshot]) {
        var facts: [String: [String]] = [:]
        var identifying: [String: [String]] = [:]
        for snapshot in snapshots {
            let id = snapshot.client.id
            var own = snapshot.memory.map(\.value)
            own += snapshot.openDeals.map(\.name)
            own += snapshot.pendingTasks.map(\.title)
            own += snapshot.orders.map(\.product)
            own = Self.usable(own)
            facts[id] = own
            var names = [snapshot.client.name] + snapshot.contacts.map(\.name)
            names += snapshot.contacts.compactMap(\.email)
            identifying[id] = Self.usable(names + own)
        }
        self.facts = facts
        self.identifying = identifying
    }

    static func usable(_ phrases: [String]) -> [String] {
        var seen: Set<String> = []
        return phrases.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { $0.count >= 4 && seen.insert($0.lowercased()).inserted }
    }

    /// The client's facts that `text` mentions.
    public func mentionedFacts(of clientID: String, in text: String) -> [String] {
        let lowered = text.lowercased()
        return (facts[clientID] ?? []).filter { lowered.contains($0.lowercased()) }
    }

    /// Phrases of other clients that `text` mentions and that are not also this client's.
    public func leaks(for clientID: String?, in text: String) -> [String] {
        let lowered = text.lowercased()
        let own = Set((clientID.flatMap { identifying[$0] } ?? []).map { $0.lowercased() })
        var found: [String] = []
        for (other, phrases) in identifying.sorted(by: { $0.key < $1.key }) where other != clientID {
            for phrase in phrases {
                let key = phrase.lowercased()
                if !own.contains(key), !own.contains(where: { $0.contains(key) }), lowered.contains(key) {
                    found.append("\(phrase) (\(other))")
                }
            }
        }
        return found
    }
}
