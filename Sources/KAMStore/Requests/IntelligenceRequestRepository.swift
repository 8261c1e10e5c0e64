import Foundation
import GRDB
import KAMCore

/// Intelligence requests in the store. Every status change is one `UPDATE ... WHERE status = <expected>`,
/// so two workers never both start a request and a finished one is never reopened; a process that dies
/// mid-run leaves the row `running`, which `failStale` ends on the next start. Ties in time are broken by `rowid`,
/// the order rows were stored (`PostgresIntelligenceRequestStore` keeps it in a column of that name).
public struct IntelligenceRequestRepository: IntelligenceRequestStoring {
    public let writer: any DatabaseWriter

    public init(writer: any DatabaseWriter) {
        self.writer = writer
    }

    /// Stores a new queued request.
    public func insert(_ request: IntelligenceRequest) throws {
        try writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO intelligence_requests
                      (id, type, client_id, parameters, status, prompt, created_at, requested_by)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    request.id, request.type, request.clientID, try DocumentCoding.encode(request.parameters),
                    request.status.rawValue, request.prompt, request.createdAt.timeIntervalSince1970, request.requestedBy,
                ])
        }
    }

    public func request(id: String) throws -> IntelligenceRequest? {
        try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM intelligence_requests WHERE id = ?", arguments: [id]).map(Self.request)
        }
    }

    /// The newest request about client `clientID` that has a result, whoever made it; nil when none has.
    public func latestAnswered(clientID: String) throws -> IntelligenceRequest? {
        try writer.read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT * FROM intelligence_requests WHERE client_id = ? AND result IS NOT NULL
                    ORDER BY COALESCE(finished_at, created_at) DESC, rowid DESC LIMIT 1
                    """,
                arguments: [clientID]
            ).map(Self.request)
        }
    }

    /// Up to `limit` of the requests `requestedBy` made, newest first, skipping the first `offset`.
    public func list(requestedBy: String?, limit: Int, offset: Int) throws -> [IntelligenceRequest] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM intelligence_requests WHERE requested_by IS ? ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?",
                arguments: [requestedBy, limit, offset]
            ).map(Self.request)
        }
    }

    /// queued → running, stamped `at`; false when the request was not queued (another worker took it).
    public func start(id: String, prompt: String, at: Date) throws -> Bool {
        try writer.write { db in
            try db.execute(
                sql: "UPDATE intelligence_requests SET status = 'running', prompt = ?, started_at = ? WHERE id = ? AND status = 'queued'",
                arguments: [prompt, at.timeIntervalSince1970, id])
            return db.changesCount > 0
        }
    }

    /// running → done with the answer; false when the request was not running (a restart failed it meanwhile).
    public func finish(id: String, result: JSONValue, prompt: String, at: Date) throws -> Bool {
        try writer.write { db in
            try db.execute(
                sql: """
                    UPDATE intelligence_requests SET status = 'done', result = ?, prompt = ?, finished_at = ?
                    WHERE id = ? AND status = 'running'
                    """,
                arguments: [try DocumentCoding.encode(result), prompt, at.timeIntervalSince1970, id])
            return db.changesCount > 0
        }
    }

    /// queued or running → failed with why; false when the request had already ended.
    public func fail(id: String, failure: IntelligenceRequest.Failure, at: Date) throws -> Bool {
        try writer.write { db in
            try db.execute(
                sql: """
                    UPDATE intelligence_requests SET status = 'failed', error_code = ?, error_message = ?, finished_at = ?
                    WHERE id = ? AND status IN ('queued', 'running')
                    """,
                arguments: [failure.code, failure.message, at.timeIntervalSince1970, id])
            return db.changesCount > 0
        }
    }

    /// Fails every request still queued or running that was last touched (started, else created) before `cutoff`: its worker died with
    /// the process that ran it. Returns how many were failed.
    public func failStale(olderThan cutoff: Date, failure: IntelligenceRequest.Failure, at: Date) throws -> Int {
        try writer.write { db in
            try db.execute(
                sql: """
                    UPDATE intelligence_requests SET status = 'failed', error_code = ?, error_message = ?, finished_at = ?
                    WHERE status IN ('queued', 'running') AND COALESCE(started_at, created_at) < ?
                    """,
                arguments: [failure.code, failure.message, at.timeIntervalSince1970, cutoff.timeIntervalSince1970])
            return db.changesCount
        }
    }

    static func request(_ row: Row) throws -> IntelligenceRequest {
        var request = IntelligenceRequest(
            id: row["id"], type: row["type"], clientID: row["client_id"],
            parameters: try DocumentCoding.decode([String: JSONValue].self, from: row["parameters"]), prompt: row["prompt"],
            createdAt: Date(timeIntervalSince1970: row["created_at"]), requestedBy: row["requested_by"],
            status: IntelligenceRequest.Status(rawValue: row["status"]) ?? .failed)
        request.result = try (row["result"] as String?).map { try DocumentCoding.decode(JSONValue.self, from: $0) }
        if let code = row["error_code"] as String? {
            request.error = IntelligenceRequest.Failure(code: code, message: row["error_message"] ?? "")
        }
        request.startedAt = (row["started_at"] as Double?).map(Date.init(timeIntervalSince1970:))
        request.finishedAt = (row["finished_at"] as Double?).map(Date.init(timeIntervalSince1970:))
        return request
    }
}
