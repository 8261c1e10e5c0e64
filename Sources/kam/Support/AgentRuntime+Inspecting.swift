import Foundation
import KAMCore
import KAMRuntime
import KAMStore

extension AgentRuntime {
    /// Opens the runtime for a command that inspects files and, when there is one, the database: the
    /// prompt catalogue, `config check`, `anonymize`.
    ///
    /// The database is never created (a missing file is an empty store in memory, so used versions have
    /// no recorded hashes and there are no known names), and the configuration is the embedded default:
    /// these commands call no model, and `config check` must report a `kam.yaml` too broken to open with.
    /// - Parameter readsDatabase: false for a command that reads files only (an empty store in memory).
    static func openInspecting(_ global: GlobalOptions, prompts: String? = nil, readsDatabase: Bool = true)
        async throws -> AgentRuntime
    {
        // The ledger's PostgreSQL database is not opened: `config check` names it, and checks its URL, without
        // connecting. The store's is, when `KAM_DATABASE_URL` names one and the command reads the database (kam.yaml's
        // `database:` is not read here: the configuration is the embedded default).
        var environment = ProcessInfo.processInfo.environment
        environment[LedgerLocation.environmentVariable] = nil
        environment[RuntimeDatabase.environmentVariable] = nil
        let shared = readsDatabase ? inspectedServer(global) : nil
        let options = RuntimeOptions(
            databasePath: global.databasePath, database: shared.map { .postgres(url: $0) },
            configuration: .embeddedDefaults, promptsDirectory: prompts, environment: environment, logger: warningLogger)
        do {
            let store = readsDatabase && hasDatabase(global) ? nil : try ClientStore.inMemory()
            return AgentRuntime(global: global, runtime: try await Runtime.open(options, store: store))
        } catch {
            throw fail(error)
        }
    }

    /// The PostgreSQL database an inspecting command reads: `KAM_DATABASE_URL`, unless `--db` names a SQLite file.
    static func inspectedServer(_ global: GlobalOptions) -> String? {
        guard global.database == nil else { return nil }
        return ProcessInfo.processInfo.environment[RuntimeDatabase.environmentVariable].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Whether there is a database to inspect: a PostgreSQL one (`inspectedServer`), or a SQLite file that exists
    /// (an inspecting command never creates one).
    static func hasDatabase(_ global: GlobalOptions) -> Bool {
        inspectedServer(global) != nil || FileManager.default.fileExists(atPath: global.databasePath)
    }
}
