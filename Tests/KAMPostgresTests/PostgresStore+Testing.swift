import PostgresNIO

@testable import KAMPostgres

extension PostgresStore {
    /// Runs one statement without parameters on a pooled connection.
    func execute(_ sql: String) async throws {
        let logger = self.logger
        try await withConnection(doing: "running \(sql)") { connection in
            _ = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
        }
    }

    /// The first column of every row of a query, as text.
    func strings(_ sql: String) async throws -> [String] {
        let logger = self.logger
        return try await withConnection(doing: "running \(sql)") { connection in
            var values: [String] = []
            for try await value in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).decode(
                String.self)
            {
                values.append(value)
            }
            return values
        }
    }
}
