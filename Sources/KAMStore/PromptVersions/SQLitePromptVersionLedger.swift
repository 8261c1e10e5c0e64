import Foundation
import GRDB
import KAMCore

/// The prompt version ledger in the KAM SQLite file (`prompt_versions`).
///
/// The first use wins: `INSERT OR IGNORE` then a read in one write transaction, so two processes
/// using a version at once agree on one hash.
public struct SQLitePromptVersionLedger: PromptVersionLedger {
    public let writer: any DatabaseWriter
    /// When a first use happened; injected so tests are reproducible.
    public let now: @Sendable () -> Date

    public init(writer: any DatabaseWriter, now: @escaping @Sendable () -> Date = { Date() }) {
        self.writer = writer
        self.now = now
    }

    public func recordFirstUse(promptID: String, version: String, contentHash: String) throws -> String {
        let time = now().timeIntervalSince1970
        return try writer.write { db in
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO prompt_versions (prompt_id, version, content_hash, first_used_at)
                    VALUES (?, ?, ?, ?)
                    """,
                arguments: [promptID, version, contentHash, time])
            return try String.fetchOne(
                db, sql: "SELECT content_hash FROM prompt_versions WHERE prompt_id = ? AND version = ?",
                arguments: [promptID, version]) ?? contentHash
        }
    }

    public func recordedHash(promptID: String, version: String) throws -> String? {
        try writer.read { db in
            try String.fetchOne(
                db, sql: "SELECT content_hash FROM prompt_versions WHERE prompt_id = ? AND version = ?",
                arguments: [promptID, version])
        }
    }

    /// Every recorded version: id, version, hash and first use, oldest first.
    public func all() throws -> [(promptID: String, version: String, contentHash: String, firstUsedAt: Date)] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM prompt_versions ORDER BY first_used_at, prompt_id, version").map {
                (
                    $0["prompt_id"], $0["version"], $0["content_hash"],
                    Date(timeIntervalSince1970: $0["first_used_at"])
                )
            }
        }
    }
}
