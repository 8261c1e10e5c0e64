import Foundation
import KAMCore
import KAMPostgres
import KAMStore

/// The database a runtime keeps everything in: a SQLite file, the embedded default for one person or one server, or
/// a PostgreSQL database that several servers share (`database:` in kam.yaml, or `KAM_DATABASE_URL`).
public enum RuntimeDatabase: Sendable {
    case sqlite(ClientStore)
    case postgres(PostgresStore)

    /// The environment variable that names a PostgreSQL database for everything, over `database:` in kam.yaml.
    public static let environmentVariable = "KAM_DATABASE_URL"

    /// Where the database is, as a person reads it: the SQLite file's path, or "PostgreSQL " and its URL without the
    /// password.
    public var label: String {
        switch self {
        case .sqlite(let store): store.path ?? "an in-memory SQLite store"
        case .postgres(let store): store.configuration.labelledURL
        }
    }

    /// Whether the database is a PostgreSQL one, shared with other processes.
    public var isShared: Bool {
        if case .postgres = self { true } else { false }
    }

    /// What changes when anything is committed to the database, by this process or another: the key of the server's
    /// caches (`Runtime.contextJSON`, verified API keys). nil when the database cannot say (an in-memory SQLite store).
    /// Read once for a piece of work that only reads when it runs inside a `StoreVersionMemo`.
    public func dataVersion() throws -> StoreVersion? {
        guard let memo = StoreVersionMemo.current else { return try storedVersion() }
        return try memo.value(storedVersion)
    }

    private func storedVersion() throws -> StoreVersion? {
        switch self {
        case .sqlite(let store): try store.dataVersion()
        case .postgres(let store): try store.dataVersion()
        }
    }

    /// What `kam db check` reports: the database's integrity, orphans, rows a table and migrations.
    public func check() throws -> StoreCheck {
        switch self {
        case .sqlite(let store): try store.check()
        case .postgres(let store): try store.check()
        }
    }

    /// The repositories of this database (`RuntimeStores`).
    func stores(now: @escaping @Sendable () -> Date) -> RuntimeStores {
        switch self {
        case .sqlite(let store): RuntimeStores(sqlite: store, now: now)
        case .postgres(let store): RuntimeStores(postgres: store, now: now)
        }
    }

    /// The rules' facts of many clients at once: seven statements a chunk of `chunk` clients on SQLite
    /// (`RuleFactsReader`), one snapshot a client on PostgreSQL (`SnapshotRuleFacts`, a round trip each).
    func ruleFacts(chunk: Int, stores: RuntimeStores) -> any RuleFactsReading {
        switch self {
        case .sqlite(let store): RuleFactsReader(store: store, chunk: chunk)
        case .postgres: SnapshotRuleFacts(memory: stores.clientMemory, health: stores.healthStore)
        }
    }
}
