import Synchronization

/// A `PromptVersionLedger` in memory, for tests and for runs without a database.
public final class InMemoryPromptVersionLedger: PromptVersionLedger {
    private let hashes = Mutex<[String: String]>([:])

    public init() {}

    public func recordFirstUse(promptID: String, version: String, contentHash: String) -> String {
        hashes.withLock { hashes in
            let key = "\(promptID)@\(version)"
            if let existing = hashes[key] { return existing }
            hashes[key] = contentHash
            return contentHash
        }
    }

    public func recordedHash(promptID: String, version: String) -> String? {
        hashes.withLock { $0["\(promptID)@\(version)"] }
    }
}
