import Foundation

/// How the rules read the facts (`RuleFacts`) of many clients at once, without a lead score. `KAMStore.RuleFactsReader`
/// reads a chunk of clients in seven SQLite statements; `SnapshotRuleFacts` reads each client's snapshot, on any
/// store. Both give exactly what `RuleFacts(snapshot:health:at:)` derives.
public protocol RuleFactsReading: Sendable {
    /// The facts of each of `clientIDs` that exists, at `now`; ids of no client are absent.
    func facts(clientIDs: [String], at now: Date) throws -> [String: RuleFacts]
}
