import Foundation
import KAMCore
import PostgresNIO

/// The prompt version ledger in PostgreSQL (`prompt_versions`): `SQLitePromptVersionLedger` shared by every process.
///
/// The first use wins across processes: `INSERT … ON CONFLICT DO NOTHING` on the (prompt, version) key, then a read
/// of the row in the same transaction. A process whose insert meets another's uncommitted one waits for it to commit
/// and then reads (READ COMMITTED: each statement sees what was committed before it) the winner's hash, so two
/// processes using a version at once agree on one hash, and the registry refuses the file whose hash differs.
public struct PostgresPromptVersionLedger: PromptVersionLedger {
    public let store: PostgresStore
    /// When a first use happened; injected so tests are reproducible.
    public let now: @Sendable () -> Date

    public init(store: PostgresStore, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.now = now
    }

    public func recordFirstUse(promptID: String, version: String, contentHash: String) throws -> String {
        let time = now().timeIntervalSince1970
        return try store.transaction(readOnly: false) { session in
            try session.query(
                """
                INSERT INTO prompt_versions (prompt_id, version, content_hash, first_used_at)
                VALUES (\(promptID), \(version), \(contentHash), \(time))
                ON CONFLICT (prompt_id, version) DO NOTHING
                """, doing: "recording the first use of \(promptID)@\(version)")
            return try Self.hash(promptID: promptID, version: version, session) ?? contentHash
        }
    }

    public func recordedHash(promptID: String, version: String) throws -> String? {
        try store.transaction(readOnly: true) { session in try Self.hash(promptID: promptID, version: version, session) }
    }

    /// Every recorded version: id, version, hash and first use, oldest first.
    public func all() throws -> [(promptID: String, version: String, contentHash: String, firstUsedAt: Date)] {
        try store.transaction(readOnly: true) { session in
            try session.query(
                """
                SELECT prompt_id, version, content_hash, first_used_at FROM prompt_versions
                ORDER BY first_used_at, prompt_id, version
                """, doing: "reading the prompt versions"
            ).rows.map { row -> (promptID: String, version: String, contentHash: String, firstUsedAt: Date) in
                let (id, version, hash, first) = try row.decode((String, String, String, Double).self)
                return (id, version, hash, Date(timeIntervalSince1970: first))
            }
        }
    }

    private static func hash(promptID: String, version: String, _ session: PostgresSession) throws -> String? {
        try session.query(
            "SELECT content_hash FROM prompt_versions WHERE prompt_id = \(promptID) AND version = \(version)",
            doing: "reading the hash of \(promptID)@\(version)"
        ).rows.first?.decode(String.self)
    }
}
