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
        let url = environment[RuntimeDatabase.environmentVariable].flatMap { $0.isEmpty ? nil : $0 }
        environment[RuntimeDatabase.environmentVariable] = nil
        let shared = readsDatabase && global.database == nil ? url : nil
        let options = RuntimeOptions(
            databasePath: global.databasePath, database: shared.map { .postgres(url: $0) },
            configuration: .embeddedDefaults, promptsDirectory: prompts, environment: environment, logger: warningLogger)
        do {
            let useFile = shared != nil || (readsDatabase && FileManager.default.fileExists(atPath: global.databasePath))
            let store = useFile ? nil : try ClientStore.inMemory()
            return AgentRuntime(global: global, runtime: try await Runtime.open(options, store: store))
        } catch {
            throw fail(error)
        }
    }
}
