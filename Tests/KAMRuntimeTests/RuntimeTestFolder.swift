import Foundation
import KAMCore
import KAMRuntime
import KAMStore

/// A temporary folder for the files a service reads (imports, prompts, kam.yaml), removed by `remove()`.
struct RuntimeTestFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("kam-runtime-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Writes `text` at `path` (folders created) and returns the file's path.
    @discardableResult
    func write(_ path: String, _ text: String) throws -> String {
        let file = url.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
        return file.path
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }

    /// A runtime over an empty store in memory (or `store`), the embedded configuration, this folder's
    /// `Prompts` (or `prompts`), sequential ids and a fixed clock.
    func runtime(
        store: ClientStore? = nil, prompts: String? = nil, environment: [String: String] = [:]
    ) async throws -> Runtime {
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        return try await Runtime.open(
            RuntimeOptions(
                configuration: .embeddedDefaults, promptsDirectory: prompts ?? url.appendingPathComponent("Prompts").path,
                environment: environment, now: { now }, ids: .sequential()),
            store: try store ?? ClientStore.inMemory(now: { now }))
    }
}
