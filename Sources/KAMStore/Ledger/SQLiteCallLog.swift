import Foundation
import GRDB
import KAMCore

/// The usage ledger in the KAM SQLite file (`model_calls`).
public struct SQLiteCallLog: CallLog {
    public let writer: any DatabaseWriter

    public init(writer: any DatabaseWriter) {
        self.writer = writer
    }

    public func append(_ record: ModelCallRecord) async throws {
        try await append(contentsOf: [record])
    }

    public func append(contentsOf records: [ModelCallRecord]) async throws {
        try await writer.write { db in
            let statement = try db.cachedStatement(
                sql: """
                    INSERT INTO model_calls
                        (id, called_at, user_id, team_id, client_id, prompt_id, prompt_version, prompt_hash, provider,
                         requested_model, answered_model, attempts, input_tokens, output_tokens, cached_input_tokens,
                         cache_creation_input_tokens, cost_picousd, latency_ms, outcome, error_code, offline)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for record in records {
                try statement.execute(arguments: [
                    record.id, record.time.timeIntervalSince1970, record.userID, record.teamID, record.clientID,
                    record.promptID, record.promptVersion, record.promptHash, record.provider, record.requestedModel,
                    record.answeredModel, record.attempts, record.inputTokens, record.outputTokens,
                    record.cachedInputTokens, record.cacheCreationInputTokens, record.cost?.picodollars,
                    record.latencyMilliseconds, record.outcome.rawValue, record.errorCode, record.isOffline,
                ])
            }
        }
    }

    public func usage(_ query: UsageQuery) async throws -> [UsageTotals] {
        let key: String =
            switch query.grouping {
            case nil: "'all'"
            case .day: "strftime('%Y-%m-%d', called_at, 'unixepoch')"
            case .model: "requested_model"
            case .prompt: "COALESCE(prompt_id, '-')"
            case .client: "COALESCE(client_id, '-')"
            case .user: "COALESCE(user_id, '-')"
            }
        let userIDs = query.userIDs.map { Array($0) } ?? []
        let users = query.userIDs == nil
            ? "" : " AND user_id IN (" + Array(repeating: "?", count: userIDs.count).joined(separator: ", ") + ")"
        let sql = """
            SELECT \(key) AS key,
                COUNT(*) AS calls,
                SUM(outcome = 'failure') AS failures,
                SUM(outcome = 'refused') AS refused,
                SUM(offline) AS offline_calls,
                SUM(input_tokens) AS input_tokens,
                SUM(output_tokens) AS output_tokens,
                SUM(cached_input_tokens) AS cached_input_tokens,
                COALESCE(SUM(cost_picousd), 0) AS cost,
                SUM(cost_picousd IS NULL) AS unpriced
            FROM model_calls
            WHERE called_at >= ?\(users)
            GROUP BY 1
            ORDER BY 1
            """
        let since = query.since?.timeIntervalSince1970 ?? -Double.greatestFiniteMagnitude
        return try await writer.read { db in
            try Row.fetchAll(db, sql: sql, arguments: [since] + StatementArguments(userIDs)).map { row in
                UsageTotals(
                    key: row["key"], calls: row["calls"], failures: row["failures"], refused: row["refused"],
                    offlineCalls: row["offline_calls"], inputTokens: row["input_tokens"], outputTokens: row["output_tokens"],
                    cachedInputTokens: row["cached_input_tokens"], cost: Money(picodollars: row["cost"]),
                    unpricedCalls: row["unpriced"])
            }
        }
    }

    public func recentCalls(limit: Int) async throws -> [ModelCallRecord] {
        try await calls("SELECT * FROM model_calls ORDER BY called_at DESC LIMIT ?", [limit])
    }

    public func calls(from start: Date, to end: Date) async throws -> [ModelCallRecord] {
        try await calls(
            "SELECT * FROM model_calls WHERE called_at >= ? AND called_at < ? ORDER BY called_at, id",
            [start.timeIntervalSince1970, end.timeIntervalSince1970])
    }

    public func calls(clientID: String) async throws -> [ModelCallRecord] {
        try await calls("SELECT * FROM model_calls WHERE client_id = ? ORDER BY called_at, id", [clientID])
    }

    public func detach(clientID: String) async throws -> Int {
        try await writer.write { db in
            try db.execute(sql: "UPDATE model_calls SET client_id = NULL WHERE client_id = ?", arguments: [clientID])
            return db.changesCount
        }
    }

    private func calls(_ sql: String, _ arguments: StatementArguments) async throws -> [ModelCallRecord] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                let cost: Int64? = row["cost_picousd"]
                return ModelCallRecord(
                    id: row["id"], time: Date(timeIntervalSince1970: row["called_at"]),
                    attribution: CallAttribution(
                        userID: row["user_id"], teamID: row["team_id"], clientID: row["client_id"],
                        promptID: row["prompt_id"]),
                    promptVersion: row["prompt_version"], promptHash: row["prompt_hash"], provider: row["provider"],
                    requestedModel: row["requested_model"], answeredModel: row["answered_model"],
                    attempts: row["attempts"],
                    usage: Usage(
                        inputTokens: row["input_tokens"], outputTokens: row["output_tokens"],
                        cachedInputTokens: row["cached_input_tokens"],
                        cacheCreationInputTokens: row["cache_creation_input_tokens"]),
                    cost: cost.map { .known(Money(picodollars: $0)) }
                        ?? .unknown(model: row["answered_model"] ?? row["requested_model"]),
                    latencyMilliseconds: row["latency_ms"],
                    outcome: ModelCallRecord.Outcome(rawValue: row["outcome"]) ?? .failure, errorCode: row["error_code"],
                    isOffline: row["offline"])
            }
        }
    }
}
