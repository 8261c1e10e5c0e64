import Foundation

/// Seeded databases shared by the tests of a run: each is built once by `kam` itself and copied
/// into every test's workspace, so tests stay independent without re-seeding every time.
actor Seeds {
    static let shared = Seeds()

    private var built: [String: Task<URL, any Error>] = [:]

    /// A database filled by `kam demo`.
    func demo() async throws -> URL {
        try await seed("demo") { workspace in
            let result = try await workspace.kam("demo")
            guard result.succeeded else { throw KAMTool.Failure(code: "seed-demo", message: "\(result)") }
        }
    }

    /// A database filled by importing the workbench CRM export.
    func workbench() async throws -> URL {
        try await seed("workbench") { workspace in
            let result = try await workspace.kam("import", Fixtures.workbenchCRM.path, "--map", "workbench")
            guard result.succeeded else { throw KAMTool.Failure(code: "seed-workbench", message: "\(result)") }
        }
    }

    private func seed(_ name: String, _ fill: @escaping @Sendable (Workspace) async throws -> Void) async throws
        -> URL
    {
        if let task = built[name] { return try await task.value }
        let task = Task<URL, any Error> {
            let workspace = try Workspace()
            try await fill(workspace)
            return workspace.database
        }
        built[name] = task
        return try await task.value
    }
}
