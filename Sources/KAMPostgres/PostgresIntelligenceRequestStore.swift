import Foundation
import KAMCore
import PostgresNIO

/// The intelligence requests in a PostgreSQL database (`intelligence_requests`), as `IntelligenceRequestRepository`
/// keeps them in SQLite, shared by every process that opens it.
///
/// Exclusive across processes by compare-and-set, as on SQLite: every status change is one
/// `UPDATE … WHERE id = … AND status = <expected>`. Of two processes starting one queued request, the second's UPDATE
/// waits for the first's row lock, then checks its `WHERE` again on the row as committed, finds it `running` and
/// changes nothing: exactly one worker runs it. A request failed by `failStale` is never finished afterwards.
/// Ties in time are broken by the `rowid` column (the order rows were stored), as SQLite's implicit rowid does.
///
/// For example:
///
///     let requests = PostgresIntelligenceRequestStore(store: try await PostgresStore.open(configuration))
///     try requests.insert(request)
///     let mine = try requests.start(id: request.id, prompt: "analysis.needs@1", at: now)
public struct PostgresIntelligenceRequestStore: IntelligenceRequestStoring {
    public let store: PostgresStore

    public init(store: PostgresStore) {
        self.store = store
    }

    public func insert(_ request: IntelligenceRequest) throws {
        let parameters = try DocumentCoding.encode(request.parameters)
        try store.transaction(readOnly: false) { session in
            _ = try session.query(
                """
                INSERT INTO intelligence_requests
                    (id, type, client_id, parameters, status, prompt, created_at, requested_by)
                VALUES (\(request.id), \(request.type), \(request.clientID), \(parameters), \(request.status.rawValue),
                    \(request.prompt), \(request.createdAt.timeIntervalSince1970), \(request.requestedBy))
                """, doing: "storing intelligence request \(request.id)")
        }
    }

    public func request(id: String) throws -> IntelligenceRequest? {
        try read(
            "SELECT \(unescaped: Self.columns) FROM intelligence_requests WHERE id = \(id)",
            doing: "reading intelligence request \(id)"
        ).first
    }

    public func latestAnswered(clientID: String) throws -> IntelligenceRequest? {
        try read(
            """
            SELECT \(unescaped: Self.columns) FROM intelligence_requests WHERE client_id = \(clientID) AND result IS NOT NULL
            ORDER BY COALESCE(finished_at, created_at) DESC, rowid DESC LIMIT 1
            """, doing: "reading the latest answered request about \(clientID)"
        ).first
    }

    public func list(requestedBy: String?, limit: Int, offset: Int) throws -> [IntelligenceRequest] {
        // SQLite reads a negative LIMIT as no limit and a negative OFFSET as none; PostgreSQL refuses both.
        let limit: Int? = limit < 0 ? nil : limit
        return try read(
            """
            SELECT \(unescaped: Self.columns) FROM intelligence_requests
            WHERE requested_by IS NOT DISTINCT FROM \(requestedBy)
            ORDER BY created_at DESC, rowid DESC LIMIT \(limit) OFFSET \(max(offset, 0))
            """, doing: "listing intelligence requests")
    }

    public func start(id: String, prompt: String, at: Date) throws -> Bool {
        try change(
            """
            UPDATE intelligence_requests SET status = 'running', prompt = \(prompt), started_at = \(at.timeIntervalSince1970)
            WHERE id = \(id) AND status = 'queued'
            """, doing: "starting intelligence request \(id)") > 0
    }

    public func finish(id: String, result: JSONValue, prompt: String, at: Date) throws -> Bool {
        let document = try DocumentCoding.encode(result)
        return try change(
            """
            UPDATE intelligence_requests SET status = 'done', result = \(document), prompt = \(prompt),
                finished_at = \(at.timeIntervalSince1970)
            WHERE id = \(id) AND status = 'running'
            """, doing: "finishing intelligence request \(id)") > 0
    }

    public func fail(id: String, failure: IntelligenceRequest.Failure, at: Date) throws -> Bool {
        try change(
            """
            UPDATE intelligence_requests SET status = 'failed', error_code = \(failure.code),
                error_message = \(failure.message), finished_at = \(at.timeIntervalSince1970)
            WHERE id = \(id) AND status IN ('queued', 'running')
            """, doing: "failing intelligence request \(id)") > 0
    }

    public func failStale(olderThan cutoff: Date, failure: IntelligenceRequest.Failure, at: Date) throws -> Int {
        try change(
            """
            UPDATE intelligence_requests SET status = 'failed', error_code = \(failure.code),
                error_message = \(failure.message), finished_at = \(at.timeIntervalSince1970)
            WHERE status IN ('queued', 'running') AND COALESCE(started_at, created_at) < \(cutoff.timeIntervalSince1970)
            """, doing: "failing stale intelligence requests")
    }

    /// Runs one UPDATE in a transaction of its own; how many rows it changed.
    private func change(_ query: PostgresQuery, doing: String) throws -> Int {
        try store.transaction(readOnly: false) { session in try session.query(query, doing: doing).metadata.rows ?? 0 }
    }

    private func read(_ query: PostgresQuery, doing: String) throws -> [IntelligenceRequest] {
        try store.transaction(readOnly: true) { session in
            try session.query(query, doing: doing).rows.map(Self.request)
        }
    }

    private static let columns = """
        id, type, client_id, parameters, status, prompt, result, error_code, error_message, created_at, started_at,
        finished_at, requested_by
        """

    /// A request from a row selecting `columns`. An unknown status reads as failed, as SQLite's repository reads it.
    private static func request(_ row: PostgresRow) throws -> IntelligenceRequest {
        let random = row.makeRandomAccess()
        var request = IntelligenceRequest(
            id: try random["id"].decode(String.self), type: try random["type"].decode(String.self),
            clientID: try random["client_id"].decode(String.self),
            parameters: try DocumentCoding.decode(
                [String: JSONValue].self, from: try random["parameters"].decode(String.self)),
            prompt: try random["prompt"].decode(String.self),
            createdAt: Date(timeIntervalSince1970: try random["created_at"].decode(Double.self)),
            requestedBy: try random["requested_by"].decode(String?.self),
            status: IntelligenceRequest.Status(rawValue: try random["status"].decode(String.self)) ?? .failed)
        request.result = try random["result"].decode(String?.self).map {
            try DocumentCoding.decode(JSONValue.self, from: $0)
        }
        if let code = try random["error_code"].decode(String?.self) {
            request.error = IntelligenceRequest.Failure(
                code: code, message: try random["error_message"].decode(String?.self) ?? "")
        }
        request.startedAt = try random["started_at"].decode(Double?.self).map(Date.init(timeIntervalSince1970:))
        request.finishedAt = try random["finished_at"].decode(Double?.self).map(Date.init(timeIntervalSince1970:))
        return request
    }
}
