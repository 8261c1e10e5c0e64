/// Where the content hash of each prompt version is kept from its first use on.
///
/// A version is immutable once used: drafts record its hash, and evaluations compare versions by
/// name. `KAMStore` implements this over SQLite (`prompt_versions` table); `InMemoryPromptVersionLedger`
/// serves tests and runs without a database.
public protocol PromptVersionLedger: Sendable {
    /// The hash recorded when the version was first used; records `contentHash` and returns it when
    /// the version was never used before.
    func recordFirstUse(promptID: String, version: String, contentHash: String) throws -> String

    /// The hash recorded for the version, or nil when it was never used.
    func recordedHash(promptID: String, version: String) throws -> String?
}
