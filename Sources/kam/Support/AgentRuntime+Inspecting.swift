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
        // Nor is a ledger's PostgreSQL database opened: `config check` names it, and checks its URL, without connecting.
        var environment = ProcessInfo.processInfo.environment
        environment[LedgerLocation.environmentVariable] = nil
        let options = RuntimeOptions(
            databasePath: global.databasePath, configuration: .embeddedDefaults, promptsDirectory: prompts,
            environment: environment, logger: warningLogger)
        do {
            let useFile = readsDatabase && FileManager.default.fileExists(atPath: global.databasePath)
            let store = useFile ? nil : try ClientStore.inMemory()
            return AgentRuntime(global: global, runtime: try await Runtime.open(options, store: store))
        } catch {
            throw fail(error)
        }
    }
}
