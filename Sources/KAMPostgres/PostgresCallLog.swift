import Foundation
import KAMCore
import PostgresNIO

/// The usage ledger in a PostgreSQL database (`model_calls`), as `SQLiteCallLog` keeps it in SQLite.
///
/// Async like its protocol, so it uses the pool directly; totals are computed by the server with the same
/// groups as on SQLite (days in UTC, keys compared byte by byte: `COLLATE "C"`).
public struct PostgresCallLog: CallLog {
    public let store: PostgresStore

    public init(store: PostgresStore) {
        self.store = store
    }

    public func append(_ record: ModelCallRecord) async throws {
        let logger = store.logger
        try await store.withConnection(doing: "recording model call \(record.id)") { connection in
            _ = try await connection.query(Self.insert(record), logger: logger)
        }
    }

    /// Many rows in one transaction on one connection (a copied ledger: thousands of rows).
    public func append(contentsOf records: [ModelCallRecord]) async throws {
        let logger = store.logger
        try await store.withConnection(doing: "recording \(records.count) model calls") { connection in
            _ = try await connection.query("BEGIN", logger: logger)
            do {
                for record in records { _ = try await connection.query(Self.insert(record), logger: logger) }
                _ = try await connection.query("COMMIT", logger: logger)
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
        }
    }

    private static func insert(_ record: ModelCallRecord) -> PostgresQuery {
        """
        INSERT INTO model_calls
            (id, called_at, user_id, team_id, client_id, prompt_id, prompt_version, prompt_hash, provider,
             requested_model, answered_model, attempts, input_tokens, output_tokens, cached_input_tokens,
             cache_creation_input_tokens, cost_picousd, latency_ms, outcome, error_code, offline)
        VALUES (\(record.id), \(record.time.timeIntervalSince1970), \(record.userID), \(record.teamID),
            \(record.clientID), \(record.promptID), \(record.promptVersion), \(record.promptHash), \(record.provider),
            \(record.requestedModel), \(record.answeredModel), \(record.attempts), \(record.inputTokens),
            \(record.outputTokens), \(record.cachedInputTokens), \(record.cacheCreationInputTokens),
            \(record.cost?.picodollars), \(record.latencyMilliseconds), \(record.outcome.rawValue), \(record.errorCode),
            \(record.isOffline))
        """
    }

    public func usage(_ query: UsageQuery) async throws -> [UsageTotals] {
        let key: String =
            switch query.grouping {
            case nil: "'all'"
            case .day: "to_char(to_timestamp(called_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
            case .model: "requested_model"
            case .prompt: "COALESCE(prompt_id, '-')"
            case .client: "COALESCE(client_id, '-')"
            case .user: "COALESCE(user_id, '-')"
            }
        var binds = PostgresBindings()
        binds.append(query.since?.timeIntervalSince1970 ?? -Double.greatestFiniteMagnitude)
        var users = ""
        if let userIDs = query.userIDs {
            users = " AND user_id = ANY($2)"
            binds.append(userIDs.sorted())
        }
        let sql = """
            SELECT \(key) COLLATE "C" AS key,
                COUNT(*),
                SUM((outcome = 'failure')::INT)::BIGINT,
                SUM((outcome = 'refused')::INT)::BIGINT,
                SUM(offline::INT)::BIGINT,
                SUM(input_tokens)::BIGINT,
                SUM(output_tokens)::BIGINT,
                SUM(cached_input_tokens)::BIGINT,
                COALESCE(SUM(cost_picousd), 0)::BIGINT,
                SUM((cost_picousd IS NULL)::INT)::BIGINT
            FROM model_calls
            WHERE called_at >= $1\(users)
            GROUP BY 1
            ORDER BY 1
            """
        let statement = PostgresQuery(unsafeSQL: sql, binds: binds)
        let logger = store.logger
        return try await store.withConnection(doing: "totalling model calls") { connection in
            var totals: [UsageTotals] = []
            let rows = try await connection.query(statement, logger: logger)
            for try await (key, calls, failures, refused, offline, input, output, cached, cost, unpriced)
                in rows.decode(
                    (String, Int, Int, Int, Int, Int, Int, Int, Int64, Int).self)
            {
                totals.append(
                    UsageTotals(
                        key: key, calls: calls, failures: failures, refused: refused, offlineCalls: offline,
                        inputTokens: input, outputTokens: output, cachedInputTokens: cached,
                        cost: Money(picodollars: cost), unpricedCalls: unpriced))
            }
            return totals
        }
    }

    public func recentCalls(limit: Int) async throws -> [ModelCallRecord] {
        try await calls(
            "\(unescaped: Self.columns) FROM model_calls ORDER BY called_at DESC LIMIT \(limit)", doing: "reading recent model calls")
    }

    public func calls(from start: Date, to end: Date) async throws -> [ModelCallRecord] {
        try await calls(
            """
            \(unescaped: Self.columns) FROM model_calls
            WHERE called_at >= \(start.timeIntervalSince1970) AND called_at < \(end.timeIntervalSince1970)
            ORDER BY called_at, id COLLATE "C"
            """, doing: "reading the model calls of a period")
    }

    public func calls(clientID: String) async throws -> [ModelCallRecord] {
        try await calls(
            "\(unescaped: Self.columns) FROM model_calls WHERE client_id = \(clientID) ORDER BY called_at, id COLLATE \"C\"",
            doing: "reading the model calls of client \(clientID)")
    }

    public func detach(clientID: String) async throws -> Int {
        let logger = store.logger
        return try await store.withConnection(doing: "detaching the model calls of client \(clientID)") { connection in
            try await connection.query(
                "UPDATE model_calls SET client_id = NULL WHERE client_id = \(clientID) RETURNING id", logger: logger
            ).collect().count
        }
    }

    private static let columns = """
        SELECT id, called_at, user_id, team_id, client_id, prompt_id, prompt_version, prompt_hash, provider,
            requested_model, answered_model, attempts, input_tokens, output_tokens, cached_input_tokens,
            cache_creation_input_tokens, cost_picousd, latency_ms, outcome, error_code, offline
        """

    private func calls(_ query: PostgresQuery, doing: String) async throws -> [ModelCallRecord] {
        let logger = store.logger
        return try await store.withConnection(doing: doing) { connection in
            let rows = try await connection.query(query, logger: logger)
            var records: [ModelCallRecord] = []
            for try await row in rows {
                let random = row.makeRandomAccess()
                let cost = try random["cost_picousd"].decode(Int64?.self)
                let requestedModel = try random["requested_model"].decode(String.self)
                let answeredModel = try random["answered_model"].decode(String?.self)
                records.append(
                    ModelCallRecord(
                        id: try random["id"].decode(String.self),
                        time: Date(timeIntervalSince1970: try random["called_at"].decode(Double.self)),
                        attribution: CallAttribution(
                            userID: try random["user_id"].decode(String?.self),
                            teamID: try random["team_id"].decode(String?.self),
                            clientID: try random["client_id"].decode(String?.self),
                            promptID: try random["prompt_id"].decode(String?.self)),
                        promptVersion: try random["prompt_version"].decode(String?.self),
                        promptHash: try random["prompt_hash"].decode(String?.self),
                        provider: try random["provider"].decode(String.self), requestedModel: requestedModel,
                        answeredModel: answeredModel, attempts: try random["attempts"].decode(Int.self),
                        usage: Usage(
                            inputTokens: try random["input_tokens"].decode(Int.self),
                            outputTokens: try random["output_tokens"].decode(Int.self),
                            cachedInputTokens: try random["cached_input_tokens"].decode(Int.self),
                            cacheCreationInputTokens: try random["cache_creation_input_tokens"].decode(Int.self)),
                        cost: cost.map { .known(Money(picodollars: $0)) }
                            ?? .unknown(model: answeredModel ?? requestedModel),
                        latencyMilliseconds: try random["latency_ms"].decode(Int.self),
                        outcome: ModelCallRecord.Outcome(rawValue: try random["outcome"].decode(String.self))
                            ?? .failure,
                        errorCode: try random["error_code"].decode(String?.self),
                        isOffline: try random["offline"].decode(Bool.self)))
            }
            return records
        }
    }
}
